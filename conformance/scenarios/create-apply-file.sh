#!/usr/bin/env bash
# Manifests: kubectl create -f (Pod), kubectl apply -f (Deployment, create path), get -f, delete -f.
# These fetch /openapi/v3 for field validation before writing.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
mkdir -p "$WORK/manifests"
cat >"$WORK/manifests/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels:
    app: p1
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
YAML
cat >"$WORK/manifests/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: busybox
        command: ["sleep", "3600"]
        ports:
        - containerPort: 8080
YAML

expect_output "create -f pod.yaml" '^pod/p1 created$' "${k[@]}" create -f "$WORK/manifests/pod.yaml"
expect_output "get the pod (NAME READY STATUS)" '^NAME +READY +STATUS +RESTARTS +AGE$' "${k[@]}" get pod p1
expect_output "get the pod row" '^p1 +0/1 +' "${k[@]}" get pod p1
expect_output "the pod keeps its command" '^sleep 3600$' \
  "${k[@]}" get pod p1 -o 'jsonpath={.spec.containers[0].command[0]} {.spec.containers[0].command[1]}'

expect_output "apply -f deploy.yaml creates it" '^deployment\.apps/web created$' "${k[@]}" apply -f "$WORK/manifests/deploy.yaml"
expect_output "apply stored the last-applied annotation" '"name":"web"' \
  "${k[@]}" get deployment web -o 'jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
expect_output "the deployment has 2 replicas" '^2$' "${k[@]}" get deployment web -o 'jsonpath={.spec.replicas}'
expect_output "apply -f again is unchanged" '^deployment\.apps/web unchanged$' "${k[@]}" apply -f "$WORK/manifests/deploy.yaml"

expect_output "get -f the pod" '^p1 +0/1 ' "${k[@]}" get -f "$WORK/manifests/pod.yaml"
expect_output "get -f the folder lists the pod" '^pod/p1$' "${k[@]}" get -f "$WORK/manifests" -o name
expect_output "get -f the folder lists the deployment" '^deployment\.apps/web$' "${k[@]}" get -f "$WORK/manifests" -o name

expect_output "delete -f the folder (waits)" 'deployment\.apps "web" deleted' \
  "${k[@]}" delete -f "$WORK/manifests" --wait=true --timeout=25s
expect_fail_output "get -f after delete is NotFound" 'NotFound|not found' "${k[@]}" get -f "$WORK/manifests"
expect_no_output "the pod is gone from the list" '^p1 ' "${k[@]}" get pods
