#!/usr/bin/env bash
# Persistence across a restart: create a ConfigMap, stop the whole cluster (make down: API server
# and etcd), start it again (make up), and check the ConfigMap is still there, unchanged.
# Not a scenario because it restarts the cluster; `make test` runs it after the scenarios.
# Prints `restart-check: N passed, M failed`; exits non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
export KUBECONFIG=$ROOT/.k8ssharp/kubeconfig
export PATH=$ROOT/.k8ssharp/bin:$PATH
KUBECACHEDIR=$(mktemp -d)
K8SS_RESULTS=$(mktemp)
export KUBECACHEDIR K8SS_RESULTS
trap 'rm -rf "$KUBECACHEDIR" "$K8SS_RESULTS"' EXIT
SCENARIO=restart-check
# shellcheck source=conformance/lib.sh
source "$HERE/lib.sh"

NS=k8ss-restart-$(rand_suffix)
k=(kubectl -n "$NS")

if expect_output "create namespace $NS" "namespace/$NS created" kubectl create namespace "$NS" &&
  expect_output "create configmap keep" '^configmap/keep created$' \
    "${k[@]}" create configmap keep --from-literal=a=persisted; then
  uid=$("${k[@]}" get configmap keep -o 'jsonpath={.metadata.uid}' 2>/dev/null)
  note "configmap uid before the restart: $uid"

  K8SS_STEP_TIMEOUT=60 expect_success "make down" "$ROOT/hack/down.sh"
  K8SS_STEP_TIMEOUT=150 expect_success "make up" "$ROOT/hack/up.sh"

  expect_output "the configmap survived the restart" '^persisted$' \
    "${k[@]}" get configmap keep -o 'jsonpath={.data.a}'
  expect_output "with the same uid" "^${uid:-no-uid-before-restart}\$" \
    "${k[@]}" get configmap keep -o 'jsonpath={.metadata.uid}'
  expect_output "the namespace survived too" "^$NS +Active " kubectl get namespace "$NS"
  expect_output "writes work after the restart" '^configmap/after created$' \
    "${k[@]}" create configmap after --from-literal=a=1
  expect_success "delete namespace $NS" kubectl delete namespace "$NS" --wait=false
fi

k8ss_summary restart-check
