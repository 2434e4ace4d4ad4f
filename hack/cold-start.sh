#!/usr/bin/env bash
# Cold start of a whole cluster, as `make up` does it once built: hack/up.sh dockerd etcd apiserver
# controller-manager scheduler kubelet (no proxy: one per machine, as the proxies share the host's iptables) for a
# second cluster with a fresh state directory (so PKI and kubeconfigs are generated, etcd is empty), its own ports
# (this cluster's + 10), node name (<node>-cold), CNI bridge and pod CIDR (second octet + 10), timed from the command
# until up.sh returns, which it does once the Node reports Ready. Then hack/down.sh stops, by pid, what it started
# and the state directory is removed (its logs are kept in .k8ssharp/logs/cold-start/). Prints the seconds on its last line. Needs root (the kubelet) and `make build`.
# Used by the bench's `cold` scenario; run by hand: sudo hack/cold-start.sh
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

((EUID == 0)) || die "the cold start runs a kubelet, which needs root"
octet=${K8SS_CLUSTER_CIDR#*.}
octet=${octet%%.*}
state=$(mktemp -d /tmp/k8ssharp-cold.XXXXXX)
kept_logs=$K8SS_LOGS/cold-start
export K8SSHARP_STATE_DIR=$state
export K8SSHARP_ETCD_PORT=$((K8SS_ETCD_PORT + 10)) K8SSHARP_API_PORT=$((K8SS_API_PORT + 10))
export K8SSHARP_CONTROLLER_MANAGER_PORT=$((K8SS_CONTROLLER_MANAGER_PORT + 10)) K8SSHARP_SCHEDULER_PORT=$((K8SS_SCHEDULER_PORT + 10))
export K8SSHARP_KUBELET_PORT=$((K8SS_KUBELET_PORT + 10)) K8SSHARP_KUBELET_HEALTHZ_PORT=$((K8SS_KUBELET_HEALTHZ_PORT + 10))
export K8SSHARP_NODE_NAME=$K8SS_NODE_NAME-cold K8SSHARP_CNI_BRIDGE=${K8SS_CNI_BRIDGE:0:13}c
export K8SSHARP_CLUSTER_CIDR=${K8SS_CLUSTER_CIDR%%.*}.$(((octet + 10) % 256)).0.0/16
# Time-stamped log lines (the .NET console logger reads this from the environment), to see where the time goes.
export Logging__Console__FormatterOptions__TimestampFormat="HH:mm:ss.fff "
components=(dockerd etcd apiserver controller-manager scheduler kubelet)
# shellcheck disable=SC2317 # called through the trap
cleanup() {
  "$K8SS_ROOT/hack/down.sh" "${components[@]}" >/dev/null || true
  rm -rf "$kept_logs"
  mkdir -p "$(dirname "$kept_logs")"
  mv "$state/logs" "$kept_logs" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT

# Each line of up.sh's output is stamped with the seconds since the start, to show where the time goes.
start=$(date +%s.%N)
if ! "$K8SS_ROOT/hack/up.sh" "${components[@]}" 2>&1 | while IFS= read -r line; do
  awk -v s="$start" -v n="$(date +%s.%N)" -v l="$line" 'BEGIN { printf "%6.2f %s\n", n - s, l }'
done >"$state/up.out"; then
  cat "$state/up.out" >&2
  die "the cold cluster did not come up"
fi
end=$(date +%s.%N)
# CPU seconds (utime + stime) each component used until node Ready: shows whether the start is CPU-bound.
ticks=$(getconf CLK_TCK)
for name in etcd apiserver controller-manager scheduler kubelet; do
  pid=$(cat "$state/$name.pid" 2>/dev/null) || continue
  [[ -r /proc/$pid/stat ]] || continue
  awk -v n="$name" -v t="$ticks" '{ printf "    %s: %.2f s of CPU\n", n, ($14 + $15) / t }' "/proc/$pid/stat"
done
grep -E '^ *[0-9.]+ ==> (starting|waiting)' "$state/up.out" | sed 's/^/    /' || true
awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'
