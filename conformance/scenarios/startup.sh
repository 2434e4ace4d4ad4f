#!/usr/bin/env bash
# What a started cluster answers (make up returns once the node is Ready; the API server serves while it initializes
# but holds API requests and /readyz until the watch cache is primed, the system objects exist and the bootstrap RBAC
# policy is in place):
#   - /readyz, /livez and /healthz answer ok;
#   - what initialization creates is there: the kubernetes Service, the system namespaces, the bootstrap roles;
#   - the node is Ready and has its podCIDR.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

for probe in readyz livez healthz; do
  expect_output "/$probe answers ok" '^ok$' kubectl get --raw "/$probe"
done
expect_output "the kubernetes Service points at the API server" '^kubernetes ClusterIP 443$' \
  kubectl -n default get service kubernetes -o 'jsonpath={.metadata.name} {.spec.type} {.spec.ports[0].port}'
expect_output "the system namespaces exist" '^default kube-node-lease kube-public kube-system$' \
  kubectl get namespace default kube-node-lease kube-public kube-system -o 'jsonpath={.items[*].metadata.name}'
expect_output "the bootstrap ClusterRoles exist" '^cluster-admin admin edit view system:discovery$' \
  kubectl get clusterrole cluster-admin admin edit view system:discovery -o 'jsonpath={.items[*].metadata.name}'
expect_output "cluster-admin is bound to system:masters" '^Group system:masters$' \
  kubectl get clusterrolebinding cluster-admin -o 'jsonpath={.subjects[0].kind} {.subjects[0].name}'
NODE=${K8SSHARP_NODE_NAME:-$(kubectl get nodes -o 'jsonpath={.items[0].metadata.name}' 2>/dev/null)}
expect_output "node $NODE is Ready" '^True KubeletReady$' \
  kubectl get node "$NODE" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}'
expect_output "node $NODE has a podCIDR" '^[0-9]+\.[0-9]+\.[0-9]+\.0/24$' kubectl get node "$NODE" -o 'jsonpath={.spec.podCIDR}'
