#!/usr/bin/env bash
# helm 4 (server-side apply) with conformance/charts/multikind: Deployment, Service, ConfigMap,
# Secret, ServiceAccount, Role, RoleBinding, Ingress, HorizontalPodAutoscaler (autoscaling/v2),
# NetworkPolicy, PodDisruptionBudget. Install, check each object's content, upgrade changing values
# in several kinds (adding a ConfigMap key, and dropping the Ingress with a value toggle, which
# helm must delete), roll back (the Ingress comes back, the added key goes), uninstall, and nothing
# is left. Also: helm refuses to adopt an existing object that lacks its ownership metadata.
# Hooks: a post-install/post-upgrade Job helm waits for (a failing one fails the release), and
# `helm test` with a pod that reads the ConfigMap as env and reaches the Service by name.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

export HELM_CACHE_HOME=$WORK/helm/cache HELM_CONFIG_HOME=$WORK/helm/config HELM_DATA_HOME=$WORK/helm/data
CHART=$(cd "$(dirname "${BASH_SOURCE[0]}")/../charts/multikind" && pwd)
KINDS=deploy,svc,cm,secret,sa,role,rolebinding,ingress,hpa,networkpolicy,pdb
# $JP kind/name jsonpath: one object's fields.
JP=$WORK/jp
printf '#!/usr/bin/env bash\nexec kubectl -n "$NS" get "$1" -o "jsonpath=$2"\n' >"$JP"
chmod +x "$JP"

# Every object of the chart, with what the first revision's values put in it.
check_revision1() { # label
  local l=$1
  expect_output "$l: Deployment replicas, image, service account" '^1 busybox:1\.36 mk$' \
    "$JP" deploy/mk '{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.serviceAccountName}'
  expect_output "$l: Service port 80 → http" '^80 http ClusterIP$' \
    "$JP" svc/mk '{.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.type}'
  expect_output "$l: ConfigMap data is exactly greeting=hello, mode=blue" '^\{"greeting":"hello","mode":"blue"\}$' \
    bash -c 'kubectl -n "$NS" get cm mk-config -o json | jq -c .data'
  expect_output "$l: Secret password (stringData stored as data)" '^s3cr3t$' \
    bash -c 'kubectl -n "$NS" get secret mk-secret -o "jsonpath={.data.password}" | base64 -d'
  expect_output "$l: ServiceAccount without token automount" '^false$' \
    "$JP" sa/mk '{.automountServiceAccountToken}'
  expect_output "$l: Role verbs get,list on configmaps" '^\["get","list"\] \["configmaps"\]$' \
    bash -c 'kubectl -n "$NS" get role mk-reader -o json | jq -c ".rules[0].verbs, .rules[0].resources" | paste -sd" "'
  expect_output "$l: RoleBinding binds the Role to the ServiceAccount" "^Role/mk-reader ServiceAccount/mk/$NS\$" \
    "$JP" rolebinding/mk-reader '{.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}/{.subjects[0].namespace}'
  expect_output "$l: Ingress host and backend" '^nginx multikind\.example\.com / mk:http$' \
    "$JP" ingress/mk '{.spec.ingressClassName} {.spec.rules[0].host} {.spec.rules[0].http.paths[0].path} {.spec.rules[0].http.paths[0].backend.service.name}:{.spec.rules[0].http.paths[0].backend.service.port.name}'
  expect_output "$l: HPA (autoscaling/v2) target and bounds" '^Deployment/mk 1-3 cpu=80$' \
    "$JP" hpa.v2.autoscaling/mk '{.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name} {.spec.minReplicas}-{.spec.maxReplicas} {.spec.metrics[0].resource.name}={.spec.metrics[0].resource.target.averageUtilization}'
  expect_output "$l: NetworkPolicy selects the app, allows role=frontend on 8080" '^mk Ingress frontend 8080$' \
    "$JP" networkpolicy/mk '{.spec.podSelector.matchLabels.app\.kubernetes\.io/instance} {.spec.policyTypes[0]} {.spec.ingress[0].from[0].podSelector.matchLabels.role} {.spec.ingress[0].ports[0].port}'
  expect_output "$l: PodDisruptionBudget minAvailable 1" '^1 mk$' \
    "$JP" pdb/mk '{.spec.minAvailable} {.spec.selector.matchLabels.app\.kubernetes\.io/instance}'
}

# --- an existing object without helm's ownership metadata is not adopted ---------------------
expect_success "create ConfigMap clash-config outside helm" kubectl -n "$NS" create configmap clash-config --from-literal=a=b
expect_fail_output "helm install refuses to adopt it" 'clash-config.*exists and cannot be imported into the current release: invalid ownership metadata' \
  helm install clash "$CHART" -n "$NS"
expect_output "the foreign ConfigMap is untouched" '^\{"a":"b"\}$' \
  bash -c 'kubectl -n "$NS" get cm clash-config -o json | jq -c .data'
expect_output "nothing of the refused release was created" '^No resources found' \
  kubectl -n "$NS" get "$KINDS" -l app.kubernetes.io/instance=clash
expect_success "delete ConfigMap clash-config" kubectl -n "$NS" delete configmap clash-config

# --- install ---------------------------------------------------------------------------------
# helm waits for the hook Job's pod to run: more than a step's usual 30 s on a loaded machine.
K8SS_STEP_TIMEOUT=120 expect_output "helm install mk" 'STATUS: deployed' helm install mk "$CHART" -n "$NS"
expect_output "all 11 objects carry the release label" '^11$' \
  bash -c 'kubectl -n "$NS" get '"$KINDS"' -l app.kubernetes.io/instance=mk -o name | wc -l'
for obj in deploy/mk svc/mk cm/mk-config secret/mk-secret sa/mk role/mk-reader rolebinding/mk-reader \
  ingress/mk hpa/mk networkpolicy/mk pdb/mk; do
  # Controllers that write status (the disruption controller for the PDB) add their own status entries, as upstream.
  expect_output "$obj: helm's annotations and helm/Apply as the only manager besides the controllers" "^mk $NS Helm helm/Apply/ (kube-controller-manager/Update/(status)? |[^ ]+/Update/status )*\$" \
    kubectl -n "$NS" get "$obj" --show-managed-fields -o 'jsonpath={.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.annotations.meta\.helm\.sh/release-namespace} {.metadata.labels.app\.kubernetes\.io/managed-by} {range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource} {end}'
done
check_revision1 "install"
expect_output "the post-install hook Job completed before helm returned" '^1 migrated to revision 1$' \
  bash -c 'echo "$(kubectl -n "$NS" get job mk-migrate -o "jsonpath={.status.succeeded}") $(kubectl -n "$NS" logs job/mk-migrate)"'
K8SS_STEP_TIMEOUT=120 expect_output "helm test mk: the test pod succeeds" '^Phase:[[:space:]]+Succeeded$' helm test mk -n "$NS" --timeout 120s
expect_output "the test pod saw the config and the Service" '^config and service ok$' kubectl -n "$NS" logs mk-test
checksum1=$(kubectl -n "$NS" get deploy mk -o 'jsonpath={.spec.template.metadata.annotations.checksum/config}' 2>/dev/null)
# helm 4's status always lists the resources, from the server's Table rows.
for kind in v1/PodDisruptionBudget v1/ServiceAccount v1/Secret v1/ConfigMap v2/HorizontalPodAutoscaler \
  v1/NetworkPolicy v1/Role v1/RoleBinding v1/Service v1/Deployment v1/Ingress; do
  expect_output "helm status lists $kind" "^==> $kind\$" helm status mk -n "$NS"
done
expect_output "helm status: the HPA row" '^mk[[:space:]]+Deployment/mk[[:space:]].*[[:space:]]1[[:space:]]+3[[:space:]]' helm status mk -n "$NS"
expect_output "helm status: the Ingress row" '^mk[[:space:]]+nginx[[:space:]]+multikind\.example\.com[[:space:]]+80[[:space:]]' helm status mk -n "$NS"
expect_output "helm status: the RoleBinding row" '^mk-reader[[:space:]]+Role/mk-reader[[:space:]]' helm status mk -n "$NS"

# --- upgrade: values in several kinds, a new ConfigMap key, the Ingress toggled off -----------
K8SS_STEP_TIMEOUT=120 expect_output "helm upgrade with new values and ingress.enabled=false" 'REVISION: 2' \
  helm upgrade mk "$CHART" -n "$NS" --set replicaCount=2 --set image.tag=1.37 --set service.port=8081 \
  --set config.mode=green --set config.extra=added --set secret.password=changed \
  --set 'rbac.verbs={get,list,watch}' --set ingress.enabled=false --set autoscaling.maxReplicas=5 \
  --set pdb.minAvailable=2
expect_output "upgrade: the post-upgrade hook Job ran again for revision 2" '^1 migrated to revision 2$' \
  bash -c 'echo "$(kubectl -n "$NS" get job mk-migrate -o "jsonpath={.status.succeeded}") $(kubectl -n "$NS" logs job/mk-migrate)"'
expect_output "upgrade: Deployment replicas and image" '^2 busybox:1\.37$' \
  "$JP" deploy/mk '{.spec.replicas} {.spec.template.spec.containers[0].image}'
expect_output "upgrade: the config checksum annotation changed" '^changed$' \
  bash -c '[[ $(kubectl -n "$NS" get deploy mk -o "jsonpath={.spec.template.metadata.annotations.checksum/config}") != "'"$checksum1"'" && -n "'"$checksum1"'" ]] && echo changed'
expect_output "upgrade: Service port 8081" '^8081$' "$JP" svc/mk '{.spec.ports[0].port}'
expect_output "upgrade: ConfigMap data changed and gained a key" '^\{"extra":"added","greeting":"hello","mode":"green"\}$' \
  bash -c 'kubectl -n "$NS" get cm mk-config -o json | jq -cS .data'
expect_output "upgrade: Secret password changed" '^changed$' \
  bash -c 'kubectl -n "$NS" get secret mk-secret -o "jsonpath={.data.password}" | base64 -d'
expect_output "upgrade: Role verbs get,list,watch" '^\["get","list","watch"\]$' \
  bash -c 'kubectl -n "$NS" get role mk-reader -o json | jq -c ".rules[0].verbs"'
expect_output "upgrade: HPA maxReplicas 5" '^5$' "$JP" hpa.v2.autoscaling/mk '{.spec.maxReplicas}'
expect_output "upgrade: PDB minAvailable 2" '^2$' "$JP" pdb/mk '{.spec.minAvailable}'
expect_fail_output "upgrade: helm deleted the Ingress it no longer renders" 'NotFound|not found' \
  kubectl -n "$NS" get ingress mk
expect_output "upgrade: 10 objects remain" '^10$' \
  bash -c 'kubectl -n "$NS" get '"$KINDS"' -l app.kubernetes.io/instance=mk -o name | wc -l'
expect_no_output "revision 2's manifest has no Ingress" '^kind: Ingress$' helm get manifest mk -n "$NS"
expect_output "revision 1's manifest has the Ingress" '^kind: Ingress$' helm get manifest mk -n "$NS" --revision 1

# --- rollback to revision 1 ------------------------------------------------------------------
expect_output "helm rollback mk 1" 'Rollback was a success' helm rollback mk 1 -n "$NS"
check_revision1 "rollback"
expect_output "rollback: the config checksum is revision 1's again" '^same$' \
  bash -c '[[ $(kubectl -n "$NS" get deploy mk -o "jsonpath={.spec.template.metadata.annotations.checksum/config}") == "'"$checksum1"'" && -n "'"$checksum1"'" ]] && echo same'
expect_output "rollback: the recreated Ingress has helm's annotations" "^mk $NS\$" \
  "$JP" ingress/mk '{.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.annotations.meta\.helm\.sh/release-namespace}'
expect_output "rollback: all 11 objects are back" '^11$' \
  bash -c 'kubectl -n "$NS" get '"$KINDS"' -l app.kubernetes.io/instance=mk -o name | wc -l'
expect_output "helm history: 3 revisions, the last deployed as a rollback" '^3 deployed Rollback to 1$' \
  bash -c 'helm history mk -n "$NS" -o json | jq -r "length, .[-1].status, .[-1].description" | paste -sd" "'
expect_output "release Secrets v1..v3 with their status labels" \
  '^sh\.helm\.release\.v1\.mk\.v1=superseded sh\.helm\.release\.v1\.mk\.v2=superseded sh\.helm\.release\.v1\.mk\.v3=deployed$' \
  bash -c 'kubectl -n "$NS" get secrets -l owner=helm,name=mk -o "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.status}{\"\n\"}{end}" | sort | paste -sd" "'

# --- uninstall -------------------------------------------------------------------------------
expect_output "helm uninstall mk" 'release "mk" uninstalled' helm uninstall mk -n "$NS"
expect_output "no object of the release is left" '^No resources found' \
  kubectl -n "$NS" get "$KINDS" -l app.kubernetes.io/instance=mk
expect_output "no release Secret is left" '^No resources found' kubectl -n "$NS" get secrets -l owner=helm
expect_no_output "helm list (every state) no longer shows mk" '^mk[[:space:]]' \
  helm list -n "$NS" --deployed --failed --pending --superseded --uninstalling --uninstalled

# --- a hook Job that fails fails the release ---------------------------------------------------
K8SS_STEP_TIMEOUT=120 expect_fail_output "helm install with a failing post-install hook fails" 'failed post-install' \
  helm install mkfail "$CHART" -n "$NS" --set hook.fail=true --set ingress.enabled=false --timeout 120s
expect_output "the hook Job failed with BackoffLimitExceeded" '^BackoffLimitExceeded$' \
  kubectl -n "$NS" get job mkfail-migrate -o 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}'
expect_output "helm records the release as failed" '^failed$' \
  bash -c 'helm status mkfail -n "$NS" -o json | jq -r .info.status'
expect_output "helm uninstall mkfail" 'release "mkfail" uninstalled' helm uninstall mkfail -n "$NS"
