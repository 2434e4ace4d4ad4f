#!/usr/bin/env bash
# Stops what hack/up.sh started (every component, or only the named ones), in reverse start
# order, by the pids in .k8ssharp/<name>.pid only: SIGTERM, up to 10 s, then SIGKILL.
# State in .k8ssharp/ is kept, so the next `make up` resumes the cluster.
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

k8ss_select "$@"
names=("${K8SS_SELECTED[@]}")
for ((i = ${#names[@]} - 1; i >= 0; i--)); do
  k8ss_stop "${names[i]}"
done
log "down (state kept in ${K8SS_STATE#"$K8SS_ROOT"/}/)"
