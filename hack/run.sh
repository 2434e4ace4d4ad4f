#!/usr/bin/env bash
# `make run`: the cluster in the foreground. The API server's output goes to the terminal (and
# to its log); the other components start detached as in `make up`. Ctrl-C (or the API server
# exiting) stops the API server and then every component this command started, by pid.
# Components that were already running (say, an etcd from `make up`) are left running.
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FOREGROUND=apiserver
started=()
fg_pid=

# shellcheck disable=SC2317 # called through the trap
cleanup() {
  trap - EXIT INT TERM
  echo
  if [[ -n $fg_pid ]]; then
    k8ss_stop "$FOREGROUND"
    wait "$fg_pid" 2>/dev/null || true
  fi
  local i
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    k8ss_stop "${started[i]}"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if pid=$(k8ss_pid "$FOREGROUND"); then
  die "$FOREGROUND is already running detached (pid $pid, from 'make up'): use it, or 'make down' first"
fi

mkdir -p "$K8SS_STATE" "$K8SS_LOGS"
for name in "${K8SS_NAMES[@]}"; do
  if pid=$(k8ss_pid "$name"); then
    log "$name is already running (pid $pid); reusing it"
  elif k8ss_shared "$name" && k8ss_ready "$name"; then
    log "$name is already running (not started by make run: it will be left running)"
    continue
  else
    k8ss_before_start "$name"
    k8ss_check_runnable "$name"
    k8ss_check_port "$name"
    if [[ $name == "$FOREGROUND" ]]; then
      log "starting $name in the foreground (also logged to ${K8SS_LOGS#"$K8SS_ROOT"/}/$name.log)"
      k8ss_log_header "$name"
      k8ss_argv "$name"
      (cd "$K8SS_ROOT" && exec "${K8SS_ARGV[@]}") </dev/null > >(tee -a "$(k8ss_logfile "$name")") 2>&1 &
      fg_pid=$!
      echo "$fg_pid" >"$(k8ss_pidfile "$name")"
    else
      log "starting $name (log: ${K8SS_LOGS#"$K8SS_ROOT"/}/$name.log)"
      k8ss_start_detached "$name"
      started+=("$name")
    fi
  fi
  k8ss_wait_ready "$name" || exit 1
done

k8ss_usage_banner
echo "Running in the foreground: Ctrl-C stops it."
echo
status=0
wait "$fg_pid" || status=$?
fg_pid=
rm -f "$(k8ss_pidfile "$FOREGROUND")"
log "$FOREGROUND exited with status $status"
exit "$status"
