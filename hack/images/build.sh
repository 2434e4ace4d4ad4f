#!/usr/bin/env bash
# Builds the images the cluster and its tests run, locally (there is no registry to pull from):
#   registry.k8s.io/pause:3.10  the pod sandbox: a static pause binary (pause.c), nothing else
#   busybox:1.35                Debian's busybox-static with every applet linked (sh, httpd, nc, nslookup, wget, ...)
#   busybox:1.36, busybox:1.37  the same image under other tags, for scenarios that roll a workload to a new image
#   k8ssharp/web:1.0            busybox's httpd serving an index page on port 80, for charts that expect a web
#                               server image (helm create's chart, with --set image.repository=k8ssharp/web)
# Idempotent: an image that already exists is left alone unless --force is given.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
force=${1:-}

have() { [[ $force != --force ]] && docker image inspect "$1" >/dev/null 2>&1; }

import_rootfs() { # import_rootfs IMAGE DIR CMD-JSON
  tar -C "$2" -c . | docker import --change "CMD $3" - "$1" >/dev/null
  echo "built $1"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! have registry.k8s.io/pause:3.10; then
  mkdir -p "$work/pause"
  gcc -static -Os -s -o "$work/pause/pause" "$here/pause.c"
  import_rootfs registry.k8s.io/pause:3.10 "$work/pause" '["/pause"]'
fi

if ! have busybox:1.35; then
  [[ -x /bin/busybox || -x /usr/bin/busybox ]] || { echo "busybox-static is missing: apt-get install busybox-static" >&2; exit 1; }
  root=$work/busybox
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/www" "$root/root"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  import_rootfs busybox:1.35 "$root" '["sh"]'
fi

for alias in busybox:1.36 busybox:1.37; do
  docker image inspect "$alias" >/dev/null 2>&1 || docker tag busybox:1.35 "$alias"
done

if ! have k8ssharp/web:1.0; then
  printf 'FROM busybox:1.35\nRUN mkdir -p /var/www && echo "<h1>K8sSharp</h1>" >/var/www/index.html\nEXPOSE 80\nCMD ["httpd", "-f", "-p", "80", "-h", "/var/www"]\n' |
    docker build -q -t k8ssharp/web:1.0 - >"$work/web.log" 2>&1 || { cat "$work/web.log" >&2; exit 1; }
  echo "built k8ssharp/web:1.0"
fi
