#!/usr/bin/env bash
# kubectl explain (needs the real OpenAPI v3 schemas) and raw GETs of the discovery, OpenAPI and
# version documents; a raw watch with timeoutSeconds must end by itself.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

expect_output "explain pods.spec.containers: KIND" '^KIND: +Pod$' kubectl explain pods.spec.containers
expect_output "explain pods.spec.containers: FIELD" '^FIELD: +containers <\[\]Container>$' kubectl explain pods.spec.containers
expect_output "explain pods.spec.containers: field docs" '^ +image\s+<string>$' kubectl explain pods.spec.containers
expect_output "explain pods.spec.containers: description" 'List of containers belonging to the pod' kubectl explain pods.spec.containers
expect_output "explain deployments.spec.replicas (apps group)" '^GROUP: +apps$' kubectl explain deployments.spec.replicas

# Valid JSON with jq when the machine has it, else python3.
json_check='if command -v jq >/dev/null; then jq -e . >/dev/null; else python3 -c "import json,sys; json.load(sys.stdin)"; fi'
for path in /api /apis /openapi/v3 /version; do
  expect_success "get --raw $path is JSON" bash -c "kubectl get --raw '$path' | { $json_check; }"
done
expect_output "get --raw /api is APIVersions" '"kind": ?"APIVersions"' kubectl get --raw /api
expect_output "get --raw /apis is an APIGroupList with apps" '"name": ?"apps"' kubectl get --raw /apis
expect_output "get --raw /openapi/v3 indexes api/v1" '"api/v1": ?\{' kubectl get --raw /openapi/v3
expect_output "get --raw /openapi/v3/api/v1 has the Pod schema" 'io\.k8s\.api\.core\.v1\.Pod"' \
  kubectl get --raw /openapi/v3/api/v1
expect_output "get --raw /version has gitVersion" '"gitVersion": ?"v1\.35\.' kubectl get --raw /version
K8SS_STEP_TIMEOUT=10 expect_success "a raw watch with timeoutSeconds=1 ends by itself" \
  kubectl get --raw '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1'
