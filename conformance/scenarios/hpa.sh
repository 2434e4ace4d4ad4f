#!/usr/bin/env bash
# The HorizontalPodAutoscaler controller, driven by stock kubectl against the resource metrics API:
#   - `kubectl autoscale deployment --cpu-percent=50 --min=1 --max=3` on a busy-looping Deployment (requests 100m,
#     limits 200m): the HPA reports a CPU percentage and scales the Deployment to 3 through /scale;
#   - `kubectl get hpa` prints upstream's columns with TARGETS like `cpu: 180%/50%`; `kubectl describe hpa` shows
#     the metric, the conditions and the SuccessfulRescale event; the autoscaling/v1 view carries the CPU target;
#   - an autoscaling/v2 HPA with behavior.scaleDown.stabilizationWindowSeconds: 0 scales an idle Deployment down to
#     its minimum (the default 300 s window is not waited for).
# Needs the metrics API (metrics.k8s.io) and a kubelet; about two minutes.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

deployment() { # name replicas command
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, '$3']
        resources: {requests: {cpu: 100m}, limits: {cpu: 200m, memory: 32Mi}}
YAML
}

# The idle part runs alongside the busy one, to fit the scenario's time budget.
deployment idle 2 'sleep 3600' >"$WORK/idle.yaml"
cat >"$WORK/idle-hpa.yaml" <<YAML
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: idle}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: idle}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 0}
YAML
expect_success "create an idle deployment of 2 and an HPA with a zero scale-down window (checked at the end)" "${k[@]}" apply -f "$WORK/idle.yaml" -f "$WORK/idle-hpa.yaml"
deployment busy 1 'while :; do :; done' >"$WORK/busy.yaml"
expect_success "create a busy-looping deployment" "${k[@]}" apply -f "$WORK/busy.yaml"
expect_success "kubectl autoscale --cpu-percent=50 --min=1 --max=3" "${k[@]}" autoscale deployment busy --cpu-percent=50 --min=1 --max=3
expect_output "kubectl get hpa prints upstream's columns" '^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE' "${k[@]}" get hpa
# The controller first syncs an HPA one sync period (15 s) after it appears, as upstream.
expect_output "before its first sync the target is <unknown>" '^busy +Deployment/busy +cpu: <unknown>/50% +1 +3 ' "${k[@]}" get hpa busy --no-headers
expect_output "the autoscaling/v1 view carries the CPU target" '^Deployment/busy 1 3 50$' \
  "${k[@]}" get horizontalpodautoscalers.v1.autoscaling busy -o 'jsonpath={.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name} {.spec.minReplicas} {.spec.maxReplicas} {.spec.targetCPUUtilizationPercentage}'
# The pod must run and be scraped twice before it has a CPU figure; the HPA syncs every 15 s.
K8SS_STEP_TIMEOUT=120 expect_eventually "the HPA reports the CPU utilization in TARGETS" '^busy +Deployment/busy +cpu: [0-9]+%/50% +1 +3 ' \
  "${k[@]}" get hpa busy --no-headers
K8SS_STEP_TIMEOUT=120 expect_eventually "the HPA scales the deployment up to its maximum, 3" '^3 3$' \
  "${k[@]}" get hpa busy -o 'jsonpath={.status.desiredReplicas} {.spec.maxReplicas}'
expect_output "the deployment was scaled through /scale" '^3$' "${k[@]}" get deployment busy -o 'jsonpath={.spec.replicas}'
expect_output "status: currentMetrics with averageUtilization and averageValue, lastScaleTime" '^cpu [0-9]+ [0-9]+m? 20[0-9-]+T' \
  "${k[@]}" get hpa busy -o 'jsonpath={.status.currentMetrics[0].resource.name} {.status.currentMetrics[0].resource.current.averageUtilization} {.status.currentMetrics[0].resource.current.averageValue} {.status.lastScaleTime}'
expect_output "conditions: AbleToScale, ScalingActive ValidMetricFound, ScalingLimited" 'AbleToScale=True ScalingActive=True/ValidMetricFound ScalingLimited=' \
  "${k[@]}" get hpa busy -o 'jsonpath=AbleToScale={.status.conditions[?(@.type=="AbleToScale")].status} ScalingActive={.status.conditions[?(@.type=="ScalingActive")].status}/{.status.conditions[?(@.type=="ScalingActive")].reason} ScalingLimited={.status.conditions[?(@.type=="ScalingLimited")].status}'
expect_output "describe shows the metric, the conditions and the rescale event" \
  'resource cpu on pods +\(as a percentage of request\): +[0-9]+% \([0-9]+m\) / 50%.*AbleToScale +True.*ScalingActive +True +ValidMetricFound.*SuccessfulRescale [0-9a-z]+ horizontal-pod-autoscaler New size: [23]; reason: cpu resource utilization \(percentage of request\) above target' \
  bash -c "kubectl -n $NS describe hpa busy | tr -s ' \n' ' '"
expect_success "delete the busy deployment and its HPA" "${k[@]}" delete deployment/busy hpa/busy --wait=false

K8SS_STEP_TIMEOUT=120 expect_eventually "the idle deployment is scaled down to the minimum, 1" '^1 1$' \
  "${k[@]}" get deployment idle -o 'jsonpath={.spec.replicas} {.status.replicas}'
expect_output "the scale-down event says why" 'New size: 1; reason: All metrics below target' "${k[@]}" get events --field-selector reason=SuccessfulRescale,involvedObject.name=idle -o 'jsonpath={.items[*].message}'
expect_success "delete the idle deployment and its HPA" "${k[@]}" delete deployment/idle hpa/idle --wait=false
