#!/usr/bin/env bash
# The defaults and validation errors kubectl shows on a real 1.35 cluster for representative objects.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns
k=(kubectl -n "$NS")

expect_success "create deployment d" "${k[@]}" create deployment d --image=busybox:1.36
expect_output "deployment strategy and limits defaulted" '^RollingUpdate 25% 25% 10 600 1$' "${k[@]}" get deploy d -o \
  'jsonpath={.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge} {.spec.strategy.rollingUpdate.maxUnavailable} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds} {.spec.replicas}'
expect_output "template pod spec defaulted" '^Always ClusterFirst 30 default-scheduler IfNotPresent /dev/termination-log File$' "${k[@]}" get deploy d -o \
  'jsonpath={.spec.template.spec.restartPolicy} {.spec.template.spec.dnsPolicy} {.spec.template.spec.terminationGracePeriodSeconds} {.spec.template.spec.schedulerName} {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.containers[0].terminationMessagePath} {.spec.template.spec.containers[0].terminationMessagePolicy}'

expect_success "run pod p (untagged image)" "${k[@]}" run p --image=busybox
expect_output "untagged images are always pulled; pod defaults" '^Always default true Pending BestEffort$' "${k[@]}" get pod p -o \
  'jsonpath={.spec.containers[0].imagePullPolicy} {.spec.serviceAccountName} {.spec.enableServiceLinks} {.status.phase} {.status.qosClass}'
expect_output "not-ready and unreachable tolerations for 300 s" 'node.kubernetes.io/not-ready:NoExecute:300 node.kubernetes.io/unreachable:NoExecute:300' \
  "${k[@]}" get pod p -o 'jsonpath={range .spec.tolerations[*]}{.key}:{.effect}:{.tolerationSeconds} {end}'
# Always pulls, and nothing can be pulled here: the kubelet may already show the failing pull.
expect_output "get pods shows the pod not ready: Pending, or its image pull failing" '^p +0/1 +(Pending|ContainerCreating|ErrImagePull|ImagePullBackOff) ' "${k[@]}" get pod p

expect_success "create service clusterip s" "${k[@]}" create service clusterip s --tcp=80:8080
expect_output "service defaults" '^ClusterIP None TCP 8080 Cluster SingleStack IPv4$' "${k[@]}" get svc s -o \
  'jsonpath={.spec.type} {.spec.sessionAffinity} {.spec.ports[0].protocol} {.spec.ports[0].targetPort} {.spec.internalTrafficPolicy} {.spec.ipFamilyPolicy} {.spec.ipFamilies[0]}'

expect_success "create job j" "${k[@]}" create job j --image=busybox
expect_output "job defaults and generated labels" '^6 1 1 NonIndexed j$' "${k[@]}" get job j -o \
  'jsonpath={.spec.backoffLimit} {.spec.completions} {.spec.parallelism} {.spec.completionMode} {.spec.template.metadata.labels.job-name}'
expect_output "job selector is the controller uid" 'batch.kubernetes.io/controller-uid' "${k[@]}" get job j -o 'jsonpath={.spec.selector.matchLabels}'

expect_success "create secret with stringData" bash -c "kubectl -n '$NS' apply -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: sd}
stringData: {password: hunter2}
YAML"
expect_output "secret type Opaque, stringData merged into data" '^Opaque aHVudGVyMg==$' "${k[@]}" get secret sd -o 'jsonpath={.type} {.data.password}'

expect_fail_output "selector is immutable" 'field is immutable' \
  "${k[@]}" patch deploy d --type=merge -p '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}'
expect_fail_output "a deployment whose selector does not match its template is invalid" 'selector. does not match template .labels.' \
  bash -c "kubectl -n '$NS' apply -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: busybox}]}
YAML"
expect_fail_output "duplicate container names are invalid" 'Duplicate value: "c"' \
  bash -c "kubectl -n '$NS' apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: dup}
spec: {containers: [{name: c, image: busybox}, {name: c, image: busybox}]}
YAML"
