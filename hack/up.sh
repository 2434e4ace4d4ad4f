#!/usr/bin/env bash
# Starts the cluster detached: every component (or only the named ones), in order, each one
# ready before the next starts. Components already running (started earlier by this script)
# are kept. Usage: hack/up.sh [component...]   (make up = make tools build + hack/up.sh)
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$K8SS_STATE" "$K8SS_LOGS"
k8ss_select "$@"
names=("${K8SS_SELECTED[@]}")
for name in "${names[@]}"; do
  if pid=$(k8ss_pid "$name"); then
    log "$name is already running (pid $pid)"
  elif k8ss_shared "$name" && k8ss_ready "$name"; then
    log "$name is already running (not started by make up: it will be left running)"
    continue
  else
    k8ss_before_start "$name"
    k8ss_check_runnable "$name"
    k8ss_check_port "$name"
    log "starting $name (log: ${K8SS_LOGS#"$K8SS_ROOT"/}/$name.log)"
    k8ss_start_detached "$name"
  fi
  k8ss_wait_ready "$name" || exit 1
done
(($# == 0)) && k8ss_usage_banner
exit 0
