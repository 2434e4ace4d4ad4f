#!/usr/bin/env bash
# `kubectl describe` for the main kinds: the sections and values it prints on a real 1.35 cluster, including the
# Events section that it fills from a field-selected events list.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns
k=(kubectl -n "$NS")

expect_success "run pod p" "${k[@]}" run p --image=busybox:1.35 --labels=app=p --env=GREETING=hi -- sleep 3600
expect_success "record an event about pod p" bash -c "kubectl -n '$NS' create -f - <<YAML
apiVersion: v1
kind: Event
metadata: {name: p.describe, namespace: $NS}
involvedObject: {apiVersion: v1, kind: Pod, name: p, namespace: $NS, uid: \$(kubectl -n '$NS' get pod p -o jsonpath={.metadata.uid})}
reason: Testing
message: described by the conformance scenario
type: Normal
source: {component: conformance}
firstTimestamp: '2026-01-01T00:00:00Z'
lastTimestamp: '2026-01-01T00:00:00Z'
count: 1
YAML"
expect_output "pod: name, namespace and labels" "Namespace: +$NS" "${k[@]}" describe pod p
expect_output "pod: containers, image and env" 'Image: +busybox:1\.35' "${k[@]}" describe pod p
expect_output "pod: env var" 'GREETING: +hi' "${k[@]}" describe pod p
expect_output "pod: QoS class" 'QoS Class: +BestEffort' "${k[@]}" describe pod p
expect_output "pod: the service-account token volume" 'kube-api-access-' "${k[@]}" describe pod p
expect_output "pod: tolerations" 'node.kubernetes.io/not-ready:NoExecute op=Exists for 300s' "${k[@]}" describe pod p
expect_output "pod: events section lists the event" 'Normal +Testing .*described by the conformance scenario' "${k[@]}" describe pod p

expect_success "create deployment d" "${k[@]}" create deployment d --image=busybox:1.35 --replicas=2
expect_output "deployment: replicas line" 'Replicas: +2 desired' "${k[@]}" describe deployment d
expect_output "deployment: strategy" 'RollingUpdateStrategy: +25% max unavailable, 25% max surge' "${k[@]}" describe deployment d

expect_success "create service s" "${k[@]}" create service clusterip s --tcp=80:8080
expect_output "service: type and port" 'TargetPort: +8080/TCP' "${k[@]}" describe service s
expect_output "service: cluster IP" 'IP: +10\.' "${k[@]}" describe service s

expect_success "create secret sec" "${k[@]}" create secret generic sec --from-literal=password=hunter2
expect_output "secret: type and sizes, not values" 'password: +7 bytes' "${k[@]}" describe secret sec
expect_no_output "secret: the value is not printed" 'hunter2' "${k[@]}" describe secret sec

expect_success "create configmap cm" "${k[@]}" create configmap cm --from-literal=key=value
expect_output "configmap: data" 'value' "${k[@]}" describe configmap cm

expect_success "create job j" "${k[@]}" create job j --image=busybox:1.35 -- true
expect_output "job: completions and parallelism" 'Completions: +1' "${k[@]}" describe job j

expect_output "namespace: status" 'Status: +Active' kubectl describe namespace "$NS"
expect_output "service account: name" 'Name: +default' "${k[@]}" describe serviceaccount default
