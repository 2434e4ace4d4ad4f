#!/usr/bin/env bash
# Shows each component's state. Options:
#   --quiet  print nothing; exit 0 only if every component is running and ready
#   --alive  print the names of the running components, one a line
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${1:-}
all_ready=0
for name in "${K8SS_NAMES[@]}"; do
  if pid=$(k8ss_pid "$name"); then
    [[ $mode == --alive ]] && printf '%s\n' "$name"
    if k8ss_ready "$name"; then state="running (pid $pid), ready"; else state="running (pid $pid), NOT ready"; all_ready=1; fi
  elif k8ss_shared "$name" && k8ss_ready "$name"; then
    state="running (not started by make up), ready"
  else
    state="stopped"
    all_ready=1
  fi
  [[ -z $mode ]] && printf '%-12s %s\n' "$name" "$state"
done
[[ $mode == --quiet ]] && exit "$all_ready"
exit 0
