#!/usr/bin/env bash
# Starts the cluster detached: every component (or only the named ones), stage by stage: etcd (and dockerd),
# then the API server, then everything that needs only the API server (controller-manager, scheduler, kubelet,
# proxy) at once; each stage ready before the next starts. Components already running (started earlier by this script)
# are kept. Usage: hack/up.sh [component...]   (make up = make tools build + hack/up.sh)
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$K8SS_STATE" "$K8SS_LOGS"
k8ss_select "$@"
names=("${K8SS_SELECTED[@]}")

# Starts one component unless it already runs; adds it to `waiting` unless it is a shared daemon that was ready.
start_one() {
  local name=$1 pid
  if pid=$(k8ss_pid "$name"); then
    log "$name is already running (pid $pid)"
  elif k8ss_shared "$name" && k8ss_ready "$name"; then
    log "$name is already running (not started by make up: it will be left running)"
    return 0
  else
    k8ss_before_start "$name"
    k8ss_check_runnable "$name"
    k8ss_check_port "$name"
    log "starting $name (log: ${K8SS_LOGS#"$K8SS_ROOT"/}/$name.log)"
    k8ss_start_detached "$name"
  fi
  waiting+=("$name")
}

# Stage by stage (k8ss_stage): the components of one stage start together, and all of them are ready before
# the next stage starts. (Not in a subshell: a failed check must stop this script.)
for stage in $(k8ss_stages); do
  waiting=()
  for name in "${names[@]}"; do
    [[ $(k8ss_stage "$name") == "$stage" ]] || continue
    start_one "$name"
  done
  for name in "${waiting[@]}"; do
    k8ss_wait_ready "$name" || exit 1
  done
done
(($# == 0)) && k8ss_usage_banner
exit 0
