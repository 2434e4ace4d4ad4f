#!/usr/bin/env bash
# Persistent volumes end to end, as on kind/k3s with their default local-path storage:
#   - the default StorageClass `standard` (provisioner k8ssharp.io/local-path, WaitForFirstConsumer, Delete);
#   - a claim without a class gets the default class and the pvc-protection finalizer, waits for its first
#     consumer, then the scheduler selects the node, the provisioner creates a hostPath volume there and the
#     binder binds both (bind-completed, claimRef); `kubectl get pv,pvc,sc` columns;
#   - a pod writes through a subPath, is deleted, a new pod reads the file back; subPathExpr;
#   - a claim in use stays Terminating until its pod is gone; then the volume is released, its directory
#     removed by the node's kubelet and the volume deleted;
#   - a StatefulSet with a volumeClaimTemplate: both claims Bound, both pods Running;
#   - a pod whose claim does not exist is unschedulable with upstream's message.
# Needs root and the node's filesystem (it checks the volume directories).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

expect_output "default StorageClass standard" \
  '^standard \(default\) +k8ssharp\.io/local-path +Delete +WaitForFirstConsumer +false ' kubectl get sc standard --no-headers

cat >"$WORK/claim.yaml" <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 64Mi}}
YAML
expect_success "create claim data" "${k[@]}" apply -f "$WORK/claim.yaml"
expect_output "claim gets the default class and the pvc-protection finalizer" '^standard kubernetes.io/pvc-protection$' \
  "${k[@]}" get pvc data -o 'jsonpath={.spec.storageClassName} {.metadata.finalizers[*]}'
expect_eventually "claim waits for its first consumer" 'WaitForFirstConsumer.*waiting for first consumer to be created before binding' \
  "${k[@]}" get events --field-selector involvedObject.name=data
expect_output "claim is Pending" '^Pending$' "${k[@]}" get pvc data -o 'jsonpath={.status.phase}'

pod() { # name command mount-path [subPath]
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  terminationGracePeriodSeconds: 1
  restartPolicy: Never
  containers:
  - name: c
    image: busybox:1.35
    command: [sh, -c, '$2']
    volumeMounts: [{name: d, mountPath: $3${4:+, subPath: $4}}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
YAML
}
pod writer 'echo persisted > /out/file; sleep 3600' /out nested >"$WORK/writer.yaml"
pod reader 'cat /in/nested/file' /in >"$WORK/reader.yaml"
expect_success "create pod writer (claim data, subPath nested)" "${k[@]}" apply -f "$WORK/writer.yaml"
expect_eventually "writer runs" '^Running$' "${k[@]}" get pod writer -o 'jsonpath={.status.phase}'
expect_output "claim Bound to a provisioned volume with the binder's annotations" \
  '^Bound pvc-[0-9a-f-]+ yes k8ssharp\.io/local-path [a-z0-9.-]+$' "${k[@]}" get pvc data -o \
  'jsonpath={.status.phase} {.spec.volumeName} {.metadata.annotations.pv\.kubernetes\.io/bind-completed} {.metadata.annotations.volume\.kubernetes\.io/storage-provisioner} {.metadata.annotations.volume\.kubernetes\.io/selected-node}'
PV=$("${k[@]}" get pvc data -o 'jsonpath={.spec.volumeName}')
DIR=$(kubectl get pv "$PV" -o 'jsonpath={.spec.hostPath.path}')
note "volume $PV at $DIR"
expect_output "volume: Bound, claimRef, provisioned-by, pv-protection, node affinity" \
  "^Bound $NS data k8ssharp\.io/local-path kubernetes.io/pv-protection kubernetes.io/hostname\$" kubectl get pv "$PV" -o \
  'jsonpath={.status.phase} {.spec.claimRef.namespace} {.spec.claimRef.name} {.metadata.annotations.pv\.kubernetes\.io/provisioned-by} {.metadata.finalizers[*]} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key}'
expect_output "kubectl get pv columns" "^$PV +64Mi +RWO +Delete +Bound +$NS/data +standard " kubectl get pv "$PV" --no-headers
expect_output "kubectl get pvc columns" "^data +Bound +$PV +64Mi +RWO +standard " "${k[@]}" get pvc data --no-headers
expect_eventually "ProvisioningSucceeded event" "ProvisioningSucceeded.*Successfully provisioned volume $PV" \
  "${k[@]}" get events --field-selector involvedObject.name=data
expect_eventually "the file is on the node, in the subPath directory" '^persisted$' cat "$DIR/nested/file"

expect_success "delete pod writer" "${k[@]}" delete pod writer --wait=true
expect_success "create pod reader (same claim, no subPath)" "${k[@]}" apply -f "$WORK/reader.yaml"
expect_eventually "reader Succeeded" '^Succeeded$' "${k[@]}" get pod reader -o 'jsonpath={.status.phase}'
expect_output "reader read the file back" '^persisted$' "${k[@]}" logs reader

pod holder 'sleep 3600' /data >"$WORK/holder.yaml"
expect_success "create pod holder using the claim" "${k[@]}" apply -f "$WORK/holder.yaml"
expect_eventually "holder runs" '^Running$' "${k[@]}" get pod holder -o 'jsonpath={.status.phase}'
expect_success "delete claim data while holder uses it" "${k[@]}" delete pvc data --wait=false
expect_output "claim in use stays (Terminating)" '^Bound true$' bash -c \
  "kubectl -n $NS get pvc data -o 'jsonpath={.status.phase} {.metadata.deletionTimestamp}' | sed 's/ [0-9T:Z-]*\$/ true/'"
expect_success "delete pod holder" "${k[@]}" delete pod holder --wait=true
expect_eventually "claim is gone" 'NotFound' bash -c "kubectl -n $NS get pvc data 2>&1 || true"
expect_eventually "volume is deleted" 'NotFound' bash -c "kubectl get pv $PV 2>&1 || true"
expect_eventually "its directory is removed from the node" '^gone$' bash -c "test -e '$DIR' && echo present || echo gone"

cat >"$WORK/sts.yaml" <<YAML
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Retain}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox:1.35
        command: [sh, -c, 'hostname > /www/host; sleep 3600']
        env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        volumeMounts: [{name: www, mountPath: /www, subPathExpr: '\$(POD)'}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 16Mi}}
YAML
expect_success "create StatefulSet web with a claim template" "${k[@]}" apply -f "$WORK/sts.yaml"
expect_eventually "both claims Bound" '^www-web-0=Bound www-web-1=Bound $' \
  "${k[@]}" get pvc -o 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}'
expect_eventually "both pods Running" '^web-0=Running web-1=Running $' \
  "${k[@]}" get pod -l app=web -o 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}'
PV0=$("${k[@]}" get pvc www-web-0 -o 'jsonpath={.spec.volumeName}')
DIR0=$(kubectl get pv "$PV0" -o 'jsonpath={.spec.hostPath.path}')
expect_eventually "web-0 wrote into its subPathExpr directory" '^web-0$' cat "$DIR0/web-0/host"
expect_success "delete StatefulSet web" "${k[@]}" delete statefulset web
expect_eventually "claims deleted with the set (whenDeleted: Delete)" '^$' "${k[@]}" get pvc -o 'jsonpath={.items[*].metadata.name}'
expect_eventually "their volumes are deleted" 'NotFound' bash -c "kubectl get pv $PV0 2>&1 || true"

cat >"$WORK/orphan.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: orphan}
spec:
  containers: [{name: c, image: busybox:1.35, command: [sleep, '3600']}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: missing}}]
YAML
expect_success "create a pod whose claim does not exist" "${k[@]}" apply -f "$WORK/orphan.yaml"
expect_eventually "it is unschedulable with upstream's message" 'persistentvolumeclaim "missing" not found' \
  "${k[@]}" get pod orphan -o 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}'
