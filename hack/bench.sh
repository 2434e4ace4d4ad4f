#!/usr/bin/env bash
# `make bench` (after make tools build): the benchmarks of bench/K8sSharp.Bench, each against a baseline measured
# in the same run (raw etcd, a constant Kestrel endpoint, docker run), 3 repetitions, medians and ratios.
#   - Uses this checkout's cluster if `make up` already runs it; otherwise starts every component but the proxy
#     (pod start needs the kubelet and the controller-manager's ServiceAccounts) with hack/up.sh and stops, by pid,
#     only what it started (also on failure or Ctrl-C).
#   - When the default ports (2379/6443) are taken by someone else and K8SSHARP_ETCD_PORT/K8SSHARP_API_PORT
#     are not set, it moves to 42379/46443.
#   - Extra arguments go to the bench program (e.g. --reps 1 --scale 0.2 --only create,list).
# Results: bench/results/<run>.json and bench/results/latest.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

port_busy() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }
ours_running() { [[ -s $root/.k8ssharp/$1.pid ]] && kill -0 "$(<"$root/.k8ssharp/$1.pid")" 2>/dev/null; }
if [[ -z ${K8SSHARP_ETCD_PORT:-}${K8SSHARP_API_PORT:-} ]] && ! ours_running apiserver &&
  { port_busy 2379 || port_busy 2380 || port_busy 6443; }; then
  export K8SSHARP_ETCD_PORT=42379 K8SSHARP_API_PORT=46443
  printf '==> default ports are taken by another process: using etcd %s, API %s\n' "$K8SSHARP_ETCD_PORT" "$K8SSHARP_API_PORT"
fi
# shellcheck source=hack/lib.sh
source "$root/hack/lib.sh"

components=(dockerd etcd apiserver controller-manager scheduler kubelet)
mapfile -t was_running < <("$K8SS_ROOT/hack/status.sh" --alive)
cleaned=0
# shellcheck disable=SC2317 # called through the trap
cleanup() {
  ((cleaned)) && return
  cleaned=1
  local name ours=()
  for name in "${components[@]}"; do
    [[ " ${was_running[*]} " == *" $name "* ]] || ours+=("$name")
  done
  ((${#ours[@]})) && "$K8SS_ROOT/hack/down.sh" "${ours[@]}"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$K8SS_ROOT/hack/up.sh" "${components[@]}"

cold_port=$((K8SS_API_PORT + 1000))
while port_busy "$cold_port"; do cold_port=$((cold_port + 1)); done

bench_dll=$K8SS_ROOT/bench/K8sSharp.Bench/bin/Release/net10.0/k8ssharp-bench.dll
[[ -f $bench_dll ]] || die "the bench is not built ($bench_dll is missing): run 'make build'"
log "running the benchmarks (Release); this takes about 10 minutes"
cd "$K8SS_ROOT"
dotnet "$bench_dll" \
  --etcd "$K8SS_ETCD_URL" --api "https://127.0.0.1:$K8SS_API_PORT" --data-dir "$K8SS_STATE" \
  --apiserver-pid "$(k8ss_pid apiserver)" --apiserver-dll "$K8SS_APISERVER_DLL" --scheduler-dll "$K8SS_SCHEDULER_DLL" --cold-port "$cold_port" --node "$K8SS_NODE_NAME" \
  --results "$K8SS_ROOT/bench/results" "$@"
