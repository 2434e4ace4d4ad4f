#!/usr/bin/env bash
# Runs the conformance scenarios (conformance/scenarios/*.sh, or the named ones) with the stock
# kubectl and helm from .k8ssharp/bin against the cluster of .k8ssharp/kubeconfig (`make up`).
# Each scenario runs in its own namespace k8ss-<scenario>-<random>, created and deleted here and
# passed as $NS. Prints TAP-like lines and `conformance: N passed, M failed`; exits non-zero on
# any failure.
#
# Usage: conformance/run.sh [scenario...]      e.g. conformance/run.sh watch errors
# Env:   K8SSHARP_KUBECONFIG   another kubeconfig (e.g. to check a scenario against a reference
#                              cluster); K8SS_STEP_TIMEOUT (30 s a step); K8SS_SCENARIO_TIMEOUT
#                              (180 s a scenario)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
export KUBECONFIG=${K8SSHARP_KUBECONFIG:-$ROOT/.k8ssharp/kubeconfig}
export PATH=$ROOT/.k8ssharp/bin:$PATH
# A fresh discovery/OpenAPI cache, so every run exercises discovery for real.
KUBECACHEDIR=$(mktemp -d)
export KUBECACHEDIR
K8SS_RESULTS=$(mktemp)
export K8SS_RESULTS
trap 'rm -rf "$KUBECACHEDIR" "$K8SS_RESULTS"' EXIT

SCENARIO=conformance
# shellcheck source=conformance/lib.sh
source "$HERE/lib.sh"

abort() {
  printf 'not ok - conformance: %s\n' "$*"
  echo 'not ok' >>"$K8SS_RESULTS"
  k8ss_summary conformance
  exit 1
}

if (($# > 0)); then
  files=()
  for name in "$@"; do
    f=$HERE/scenarios/${name%.sh}.sh
    [[ -f $f ]] || abort "no scenario named '$name' (see conformance/scenarios/)"
    files+=("$f")
  done
else
  files=("$HERE"/scenarios/*.sh)
fi

[[ $(command -v kubectl) == "$ROOT/.k8ssharp/bin/kubectl" ]] || abort "stock kubectl missing from .k8ssharp/bin: run 'make tools'"
[[ -r $KUBECONFIG ]] || abort "no kubeconfig at $KUBECONFIG: start a cluster with 'make up'"
note "kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p'), KUBECONFIG=$KUBECONFIG"
if ! timeout 10 kubectl get --raw /readyz >/dev/null 2>&1; then
  abort "the cluster at $KUBECONFIG is not ready (kubectl get --raw /readyz failed): run 'make up'"
fi

for file in "${files[@]}"; do
  name=$(basename "$file" .sh)
  if ! timeout 10 kubectl get --raw /readyz >/dev/null 2>&1; then
    printf 'not ok - conformance: the cluster stopped answering /readyz; %s and later scenarios not run\n' "$name"
    echo 'not ok' >>"$K8SS_RESULTS"
    break
  fi
  ns=k8ss-$name-$(rand_suffix)
  SCENARIO=$name
  note "scenario $name (namespace $ns)"
  if ! expect_output "create namespace $ns" "namespace/$ns created" kubectl create namespace "$ns"; then
    continue
  fi
  work=$(mktemp -d)
  rc=0
  (cd "$work" && NS=$ns WORK=$work SCENARIO=$name timeout -k 10 "${K8SS_SCENARIO_TIMEOUT:-180}" bash "$file") || rc=$?
  if ((rc != 0 && rc != 1)); then
    printf 'not ok - %s: scenario script exited with status %s%s\n' "$name" "$rc" \
      "$( ((rc == 124 || rc == 137)) && echo " (timed out after ${K8SS_SCENARIO_TIMEOUT:-180}s)")"
    echo 'not ok' >>"$K8SS_RESULTS"
  fi
  expect_success "delete namespace $ns" kubectl delete namespace "$ns" --wait=false
  rm -rf "$work"
done

k8ss_summary conformance
