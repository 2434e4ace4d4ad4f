#!/usr/bin/env bash
# The system namespaces exist and are Active.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

for ns in default kube-system kube-public kube-node-lease; do
  expect_output "namespace $ns exists and is Active" "^$ns +Active +" kubectl get namespace "$ns"
done
expect_output "get namespaces shows NAME STATUS AGE" '^NAME +STATUS +AGE' kubectl get namespaces
expect_output "get namespaces lists this scenario's namespace" "^$NS +Active +" kubectl get namespaces
expect_output "namespace phase via jsonpath" '^Active$' kubectl get namespace default -o 'jsonpath={.status.phase}'
