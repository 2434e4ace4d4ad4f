#!/usr/bin/env bash
# ConfigMap create / get (table, yaml, jsonpath, labels) / label / replace / delete.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

expect_output "create configmap from literals" '^configmap/cm1 created$' \
  "${k[@]}" create configmap cm1 --from-literal=a=1 --from-literal=b=two
expect_output "get shows the NAME DATA AGE header" '^NAME +DATA +AGE$' "${k[@]}" get configmap cm1
expect_output "get shows cm1 with 2 data keys" '^cm1 +2 +[0-9]' "${k[@]}" get configmap cm1
expect_output "get by short name cm" '^cm1 +2 ' "${k[@]}" get cm cm1
expect_output "list shows cm1" '^cm1 +2 ' "${k[@]}" get configmaps

expect_output "-o yaml has kind ConfigMap" '^kind: ConfigMap$' "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has apiVersion v1" '^apiVersion: v1$' "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has the data" '^  a: "1"$' "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has name and namespace" "^  namespace: $NS\$" "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has server-set metadata (uid)" '^  uid: [0-9a-f-]{36}$' "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has a resourceVersion" '^  resourceVersion: "[0-9]+"$' "${k[@]}" get configmap cm1 -o yaml
expect_output "-o yaml has a creationTimestamp" '^  creationTimestamp: "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"$' \
  "${k[@]}" get configmap cm1 -o yaml
expect_output "-o json has the data" '"b": "two"' "${k[@]}" get configmap cm1 -o json
expect_output "-o jsonpath={.data.a}" '^1$' "${k[@]}" get configmap cm1 -o 'jsonpath={.data.a}'
expect_output "-o name" '^configmap/cm1$' "${k[@]}" get configmap cm1 -o name

expect_output "label the configmap" '^configmap/cm1 labeled$' "${k[@]}" label configmap cm1 tier=web
expect_output "--show-labels adds the LABELS column" '^NAME +DATA +AGE +LABELS$' "${k[@]}" get configmap cm1 --show-labels
expect_output "--show-labels shows the label" '^cm1 +2 +[^ ]+ +tier=web$' "${k[@]}" get configmap cm1 --show-labels
expect_output "-l tier=web finds it" '^configmap/cm1$' "${k[@]}" get configmaps -l tier=web -o name
expect_no_output "-l tier=db does not" 'cm1' "${k[@]}" get configmaps -l tier=db -o name
expect_output "-l tier=db lists nothing" 'No resources found' "${k[@]}" get configmaps -l tier=db

# replace: edit the fetched object and PUT it back (with its resourceVersion).
expect_success "save the object as yaml" \
  bash -c "kubectl -n '$NS' get configmap cm1 -o yaml >'$WORK/cm1.yaml'"
sed 's/^  a: "1"$/  a: "3"/' "$WORK/cm1.yaml" >"$WORK/cm1-v2.yaml"
expect_output "replace -f" '^configmap/cm1 replaced$' "${k[@]}" replace -f "$WORK/cm1-v2.yaml"
expect_output "replace changed the data" '^3$' "${k[@]}" get configmap cm1 -o 'jsonpath={.data.a}'
expect_output "replace kept the labels of the saved object" '^web$' "${k[@]}" get configmap cm1 -o 'jsonpath={.metadata.labels.tier}'
expect_fail_output "replace with a stale resourceVersion is a Conflict" \
  'Conflict|the object has been modified' "${k[@]}" replace -f "$WORK/cm1.yaml"

expect_output "delete" '^configmap "cm1" deleted' "${k[@]}" delete configmap cm1
expect_fail_output "get after delete is NotFound" '\(NotFound\).*configmaps "cm1" not found' \
  "${k[@]}" get configmap cm1
expect_no_output "the list no longer has cm1" '^cm1 ' "${k[@]}" get configmaps
