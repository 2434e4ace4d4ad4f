#!/usr/bin/env bash
# API errors as kubectl shows them: AlreadyExists, NotFound, unknown fields (strict field
# validation), invalid names.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
missing_ns=k8ss-missing-$(rand_suffix)

expect_output "create e1" '^configmap/e1 created$' "${k[@]}" create configmap e1 --from-literal=a=1
expect_fail_output "create it again: AlreadyExists" 'AlreadyExists.*configmaps "e1" already exists|configmaps "e1" already exists' \
  "${k[@]}" create configmap e1 --from-literal=a=1

expect_fail_output "get a missing configmap: NotFound" '\(NotFound\): configmaps "nope" not found' \
  "${k[@]}" get configmap nope
expect_fail_output "get a missing namespace: NotFound" "\\(NotFound\\): namespaces \"$missing_ns\" not found" \
  kubectl get namespace "$missing_ns"
expect_fail_output "delete a missing configmap: NotFound" 'configmaps "nope" not found' \
  "${k[@]}" delete configmap nope
expect_fail_output "create into a missing namespace: NotFound" "namespaces \"$missing_ns\" not found" \
  kubectl -n "$missing_ns" create configmap e2 --from-literal=a=1

cat >"$WORK/unknown-top.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: e3
dataa:
  a: "1"
YAML
cat >"$WORK/unknown-nested.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: e4
spec:
  containers:
  - name: main
    image: busybox
    imagee: busybox
YAML
expect_fail_output "create -f with an unknown field: unknown field" 'unknown field "dataa"' \
  "${k[@]}" create -f "$WORK/unknown-top.yaml"
expect_fail_output "apply -f with an unknown nested field: unknown field" 'unknown field "(spec\.containers\[0\]\.)?imagee"' \
  "${k[@]}" apply -f "$WORK/unknown-nested.yaml"
expect_fail_output "nothing was created for the rejected manifests" 'not found' \
  "${k[@]}" get configmap e3

expect_fail_output "an invalid name: Invalid" 'is invalid.*metadata\.name' \
  "${k[@]}" create configmap Bad_Name --from-literal=a=1
cat >"$WORK/invalid.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: Bad_Name
YAML
expect_fail_output "an invalid name in a manifest: Invalid" '\(Invalid\)|is invalid' \
  "${k[@]}" create -f "$WORK/invalid.yaml"
