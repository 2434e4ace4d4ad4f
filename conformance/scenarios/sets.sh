#!/usr/bin/env bash
# The DaemonSet and StatefulSet controllers, observed through stock kubectl. There is no kubelet or scheduler
# here, so nodes are fake Node objects and pods are made Running and Ready by writing their status.
#   - DaemonSet: one pod per eligible node, pinned by a required nodeAffinity matchFields metadata.name In [node];
#     a node label change adds/removes its pod; `rollout status`, `rollout history`, `rollout undo`.
#   - StatefulSet: pods web-0, web-1, web-2 created in order (each Running and Ready before the next), PVCs from
#     volumeClaimTemplates, `scale` down removes the highest ordinal, `rollout status/history/undo`.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
node_a=$NS-a
node_b=$NS-b
mkdir -p "$WORK/manifests"

# $WORK/ready SELECTOR: every live pod matching SELECTOR becomes Running and Ready (what a kubelet would report).
cat >"$WORK/ready" <<SH
#!/usr/bin/env bash
for p in \$(kubectl -n '$NS' get pods -l "\$1" -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{end}}{{end}}'); do
  kubectl -n '$NS' patch pod "\$p" --subresource=status --type=merge \
    -p '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}' >/dev/null 2>&1
done
SH
chmod +x "$WORK/ready"
ready=$WORK/ready

for n in "$node_a" "$node_b"; do
  cat >>"$WORK/manifests/nodes.yaml" <<YAML
---
apiVersion: v1
kind: Node
metadata:
  name: $n
  labels:
    kubernetes.io/hostname: $n
    sets.k8ssharp.io/scenario: "$NS"
status:
  conditions:
  - type: Ready
    status: "True"
YAML
done

cat >"$WORK/manifests/ds.yaml" <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      nodeSelector:
        sets.k8ssharp.io/scenario: "$NS"
      containers:
      - name: main
        image: busybox
        command: ["sleep", "3600"]
YAML

# "target-node " per live agent pod, from the matchFields affinity the controller writes.
targets="kubectl -n '$NS' get pods -l app=agent -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{range .spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms}}{{range .matchFields}}{{.key}}={{index .values 0}} {{end}}{{end}}{{end}}{{end}}'"

expect_success "create two fake Ready nodes" kubectl create -f "$WORK/manifests/nodes.yaml"
expect_success "kubectl apply -f a DaemonSet selecting them" "${k[@]}" apply -f "$WORK/manifests/ds.yaml"
expect_eventually "one pod per node, each pinned with matchFields metadata.name In [node]" \
  "^metadata.name=$node_a metadata.name=$node_b \$" bash -c "$targets | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/^ //'"
expect_output "the pods carry controller-revision-hash, pod-template-generation and the default tolerations" \
  '^[a-z0-9]+ 1 .*node.kubernetes.io/not-ready:NoExecute.*node.kubernetes.io/unschedulable:NoSchedule' \
  "${k[@]}" get pods -l app=agent -o go-template='{{with index .items 0}}{{index .metadata.labels "controller-revision-hash"}} {{index .metadata.labels "pod-template-generation"}} {{range .spec.tolerations}}{{.key}}:{{.effect}} {{end}}{{end}}'
expect_eventually "status: desired 2, current 2, updated 2" '^2 2 2 0$' \
  "${k[@]}" get ds agent -o 'jsonpath={.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.updatedNumberScheduled} {.status.numberMisscheduled}'
expect_eventually "kubectl rollout status ds/agent completes once the pods are ready" 'successfully rolled out' \
  bash -c "$ready app=agent; kubectl -n '$NS' rollout status ds/agent --timeout=2s"

expect_success "remove the selected label from node $node_b" kubectl label node "$node_b" sets.k8ssharp.io/scenario-
expect_eventually "its pod goes; desired is 1" "^metadata.name=$node_a 1\$" \
  bash -c "echo \$($targets) \$(kubectl -n '$NS' get ds agent -o 'jsonpath={.status.desiredNumberScheduled}')"
expect_success "label node $node_b again" kubectl label node "$node_b" "sets.k8ssharp.io/scenario=$NS"
expect_eventually "a pod comes back for it" "^metadata.name=$node_a metadata.name=$node_b \$" \
  bash -c "$targets | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/^ //'"

expect_success "kubectl set image ds/agent" "${k[@]}" set image ds/agent main=busybox:1.35
expect_eventually "the rolling update replaces both pods (made ready as they come)" 'successfully rolled out' \
  bash -c "$ready app=agent; kubectl -n '$NS' rollout status ds/agent --timeout=2s"
expect_output "kubectl rollout history ds/agent lists revisions 1 and 2" '^1 2 $' \
  bash -c "kubectl -n '$NS' rollout history ds/agent | awk '/^[0-9]/ {printf \"%s \", \$1}'"
expect_output "rollout history --revision=2 shows the new image" 'Image:\s+busybox:1.35' "${k[@]}" rollout history ds/agent --revision=2
expect_success "kubectl rollout undo ds/agent" "${k[@]}" rollout undo ds/agent
expect_output "the template is back to busybox" '^busybox$' "${k[@]}" get ds agent -o 'jsonpath={.spec.template.spec.containers[0].image}'
expect_eventually "the rollback rolls out; revision 1 became revision 3" '^2 3 ' \
  bash -c "$ready app=agent; kubectl -n '$NS' rollout status ds/agent --timeout=2s >/dev/null && kubectl -n '$NS' rollout history ds/agent | awk '/^[0-9]/ {printf \"%s \", \$1}'"
expect_success "delete the DaemonSet" "${k[@]}" delete ds agent --wait=false

cat >"$WORK/manifests/sts.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: main
        image: busybox
        command: ["sleep", "3600"]
        volumeMounts:
        - name: www
          mountPath: /www
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      # No class, so no provisioning: the claims stay Pending, the pods unscheduled, and this scenario writes their
      # status itself (provisioned claims and running pods are conformance/scenarios/storage.sh's).
      storageClassName: ""
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Mi
YAML

names="kubectl -n '$NS' get pods -l app=web -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}} {{end}}{{end}}'"

expect_success "kubectl apply -f a headless Service and a StatefulSet of 3 with a volumeClaimTemplate" "${k[@]}" apply -f "$WORK/manifests/sts.yaml"
expect_eventually "web-0 is created first" '^web-0 $' bash -c "$names"
expect_eventually "status.replicas is 1" '^1$' "${k[@]}" get sts web -o 'jsonpath={.status.replicas}'
expect_output "web-1 waits while web-0 is not Running and Ready" '^web-0 $' bash -c "$names"
expect_success "make web-0 Running and Ready" "$ready" statefulset.kubernetes.io/pod-name=web-0
expect_eventually "then web-1 is created" '^web-0 web-1 $' bash -c "$names"
expect_success "make web-1 Running and Ready" "$ready" statefulset.kubernetes.io/pod-name=web-1
expect_eventually "then web-2 is created" '^web-0 web-1 web-2 $' bash -c "$names"
expect_output "web-2 has its identity: pod-name and pod-index labels, hostname, subdomain, its claim" '^web-2 2 web-2 web www-web-2$' \
  "${k[@]}" get pod web-2 -o 'jsonpath={.metadata.labels.statefulset\.kubernetes\.io/pod-name} {.metadata.labels.apps\.kubernetes\.io/pod-index} {.spec.hostname} {.spec.subdomain} {.spec.volumes[?(@.name=="www")].persistentVolumeClaim.claimName}'
expect_output "PVCs www-web-0..2 exist from the volumeClaimTemplate" '^www-web-0 www-web-1 www-web-2 $' \
  "${k[@]}" get pvc -o go-template='{{range .items}}{{.metadata.name}} {{end}}'
expect_eventually "kubectl rollout status sts/web completes once web-2 is ready" 'roll(ed)? ?out complete' \
  bash -c "$ready app=web; kubectl -n '$NS' rollout status sts/web --timeout=2s"
expect_output "status: replicas, ready, current and updated are 3, one revision" '^3 3 3 3 (web-[a-z0-9]+) \1$' \
  "${k[@]}" get sts web -o 'jsonpath={.status.replicas} {.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas} {.status.currentRevision} {.status.updateRevision}'
expect_output "the SuccessfulCreate event reads as upstream's" 'create Pod web-0 in StatefulSet web successful' \
  "${k[@]}" get events --field-selector involvedObject.name=web,reason=SuccessfulCreate -o 'jsonpath={.items[*].message}'

expect_success "kubectl scale sts web --replicas=2" "${k[@]}" scale sts web --replicas=2
expect_eventually "the highest ordinal (web-2) is removed" '^web-0 web-1 $' bash -c "$names"
expect_output "its claim is retained (whenScaled: Retain)" 'www-web-2' "${k[@]}" get pvc www-web-2 -o name

expect_success "kubectl set image sts/web" "${k[@]}" set image sts/web main=busybox:1.35
expect_eventually "the rolling update replaces web-1 then web-0 (made ready as they come)" '^2 web-[a-z0-9]+ web-[a-z0-9]+ same$' \
  bash -c "$ready app=web; kubectl -n '$NS' get sts web -o 'jsonpath={.status.updatedReplicas} {.status.currentRevision} {.status.updateRevision}' | awk '{print \$0, (\$2==\$3 ? \"same\" : \"differ\")}'"
expect_output "kubectl rollout history sts/web lists revisions 1 and 2" '^1 2 $' \
  bash -c "kubectl -n '$NS' rollout history sts/web | awk '/^[0-9]/ {printf \"%s \", \$1}'"
expect_success "kubectl rollout undo sts/web" "${k[@]}" rollout undo sts/web
expect_eventually "the rollback rolls out: pods back on busybox, revision 1 became 3" '^busybox busybox 2 3$' \
  bash -c "$ready app=web; kubectl -n '$NS' rollout status sts/web --timeout=2s >/dev/null; echo \$(kubectl -n '$NS' get pods -l app=web -o 'jsonpath={.items[*].spec.containers[0].image}') \$(kubectl -n '$NS' rollout history sts/web | awk '/^[0-9]/ {printf \"%s \", \$1}')"

expect_success "delete the StatefulSet" "${k[@]}" delete sts web --wait=false
expect_success "delete the fake nodes" kubectl delete node "$node_a" "$node_b" --wait=false
