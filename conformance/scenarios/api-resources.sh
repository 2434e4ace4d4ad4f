#!/usr/bin/env bash
# Discovery: kubectl api-resources and api-versions.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

# NAME  SHORTNAMES  APIVERSION  NAMESPACED  KIND
expect_output "api-resources lists pods (po)" '^pods +po +v1 +true +Pod$' kubectl api-resources
expect_output "api-resources lists deployments (deploy)" '^deployments +deploy +apps/v1 +true +Deployment$' kubectl api-resources
expect_output "api-resources lists services (svc)" '^services +svc +v1 +true +Service$' kubectl api-resources
expect_output "api-resources lists configmaps (cm)" '^configmaps +cm +v1 +true +ConfigMap$' kubectl api-resources
expect_output "api-resources lists namespaces (ns)" '^namespaces +ns +v1 +false +Namespace$' kubectl api-resources
expect_output "api-resources lists nodes (no)" '^nodes +no +v1 +false +Node$' kubectl api-resources
expect_output "api-resources lists customresourcedefinitions" \
  '^customresourcedefinitions +crd,crds +apiextensions\.k8s\.io/v1 +false +CustomResourceDefinition$' kubectl api-resources
expect_output "api-resources --api-group=apps lists deployments" '^deployments ' kubectl api-resources --api-group=apps
expect_no_output "api-resources --namespaced=false leaves out pods" '^pods ' kubectl api-resources --namespaced=false

expect_output "api-versions has v1" '^v1$' kubectl api-versions
expect_output "api-versions has apps/v1" '^apps/v1$' kubectl api-versions
expect_output "api-versions has batch/v1" '^batch/v1$' kubectl api-versions
