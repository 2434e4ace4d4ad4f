#!/usr/bin/env bash
# The stock helm 4 life cycle of the chart `helm create` makes: template --validate (OpenAPI),
# install with server-side apply (helm 4's default), list, status (helm 4 always prints the
# release's resources from the server's Table rows; it has no --show-resources flag), get
# manifest/values, upgrade, history, rollback, the release Secrets (protobuf bodies, label
# selectors), uninstall; then the same chart packaged as a .tgz under another release name with
# client-side apply (POST, then a three-way strategic merge patch on upgrade).
#
# Last, a release that runs: the chart with a local web image (k8ssharp/web, busybox httpd on port 80,
# built by hack/images/build.sh, since nginx cannot be pulled here) installed with --wait (helm's
# watcher waits for the Deployment to be available: probes, endpoints), then `helm test`, whose
# test-connection pod (its image pinned to the local busybox:1.36) wgets the Service by name.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

# Keep helm's cache, configuration and data (repositories, plugins) inside the scratch folder.
export HELM_CACHE_HOME=$WORK/helm/cache HELM_CONFIG_HOME=$WORK/helm/config HELM_DATA_HOME=$WORK/helm/data
cd "$WORK" || exit 2

# The release JSON stored in a release Secret: data.release is base64(gzip(JSON)) inside the
# usual Secret base64.
cat >"$WORK/release-json.sh" <<'SH'
#!/usr/bin/env bash
set -o pipefail
kubectl -n "$NS" get secret "$1" -o 'jsonpath={.data.release}' | base64 -d | base64 -d | gunzip |
  jq -c "${2:-.}"
SH
chmod +x "$WORK/release-json.sh"
RJ=$WORK/release-json.sh

expect_output "helm create demo" 'Creating demo' helm create demo
expect_output "helm lint" '1 chart\(s\) linted, 0 chart\(s\) failed' helm lint ./demo

# --validate renders against the live cluster (discovery, OpenAPI v3) instead of offline defaults.
expect_output "helm template --validate renders the Deployment" '^kind: Deployment$' \
  helm template demo ./demo --validate -n "$NS"
expect_output "helm template --validate renders Service and ServiceAccount" \
  '^# Source: demo/templates/serviceaccount\.yaml$' helm template demo ./demo --validate -n "$NS"

# --- install (server-side apply) -------------------------------------------------------------
expect_output "helm install (server-side apply)" 'STATUS: deployed' helm install demo ./demo -n "$NS"
expect_output "helm list shows the release deployed at revision 1" \
  "^demo[[:space:]]+${NS}[[:space:]]+1[[:space:]].*deployed[[:space:]]+demo-0\.1\.0[[:space:]]" helm list -n "$NS"
expect_fail_output "installing the same name again is refused" 'cannot reuse a name that is still in use' \
  helm install demo ./demo -n "$NS"

# helm 4 always lists the resources (its --show-resources flag is gone): one `==> <version>/<Kind>`
# section per kind, from the server's Table rows (Accept: ...;as=Table, includeObject=Object).
for kind in ServiceAccount Service Deployment; do
  expect_output "helm status lists the $kind" "^==> v1/$kind\$" helm status demo -n "$NS"
done
expect_output "helm status prints the Deployment's table row" '^demo[[:space:]]+0/1[[:space:]]+[01][[:space:]]+0[[:space:]]' \
  helm status demo -n "$NS"
expect_output "helm status prints the Service's table row with its cluster IP" \
  '^demo[[:space:]]+ClusterIP[[:space:]]+[0-9a-f.:]+[[:space:]]+<none>[[:space:]]+80/TCP[[:space:]]' helm status demo -n "$NS"
expect_output "helm status looks for the Deployment's related pods" '^==> v1/Pod\(related\)$' helm status demo -n "$NS"
expect_output "helm get manifest has the rendered Deployment" '^# Source: demo/templates/deployment\.yaml$' \
  helm get manifest demo -n "$NS"
expect_output "helm get values: no user-supplied values" '^USER-SUPPLIED VALUES:$' helm get values demo -n "$NS"
expect_output "helm get values --all has the chart defaults" '^replicaCount: 1$' helm get values demo -n "$NS" --all

for obj in serviceaccount/demo service/demo deployment/demo; do
  expect_output "$obj has helm's release annotations" "^demo $NS\$" \
    kubectl -n "$NS" get "$obj" -o 'jsonpath={.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.annotations.meta\.helm\.sh/release-namespace}'
  expect_output "$obj has the chart's labels" '^Helm demo demo-0\.1\.0$' \
    kubectl -n "$NS" get "$obj" -o 'jsonpath={.metadata.labels.app\.kubernetes\.io/managed-by} {.metadata.labels.app\.kubernetes\.io/instance} {.metadata.labels.helm\.sh/chart}'
  expect_output "$obj is managed by helm with operation Apply" '^helm/Apply$' \
    kubectl -n "$NS" get "$obj" --show-managed-fields -o 'jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}{"\n"}{end}'
done
expect_output "the Deployment has the chart's spec" '^1 nginx:1\.16\.0 demo http/80$' \
  kubectl -n "$NS" get deploy demo -o 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.serviceAccountName} {.spec.template.spec.containers[0].ports[0].name}/{.spec.template.spec.containers[0].ports[0].containerPort}'
expect_output "the Service has the chart's spec and a cluster IP" '^ClusterIP 80 http [0-9a-f.:]+$' \
  kubectl -n "$NS" get svc demo -o 'jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.clusterIP}'
expect_output "release Secret v1: type helm.sh/release.v1, owner=helm, deployed" \
  '^helm\.sh/release\.v1 helm demo deployed 1$' \
  kubectl -n "$NS" get secret sh.helm.release.v1.demo.v1 -o 'jsonpath={.type} {.metadata.labels.owner} {.metadata.labels.name} {.metadata.labels.status} {.metadata.labels.version}'
expect_output "the stored release (protobuf round trip) is intact and records server-side apply" \
  "^\{\"name\":\"demo\",\"namespace\":\"$NS\",\"version\":1,\"status\":\"deployed\",\"apply_method\":\"ssa\",\"manifest_has_deployment\":true\}\$" \
  "$RJ" sh.helm.release.v1.demo.v1 '{name,namespace,version,status:.info.status,apply_method,manifest_has_deployment:(.manifest|test("kind: Deployment"))}'

# --- upgrade ---------------------------------------------------------------------------------
expect_output "helm upgrade --set replicaCount=2 → revision 2" 'REVISION: 2' \
  helm upgrade demo ./demo -n "$NS" --set replicaCount=2
expect_output "the Deployment has 2 replicas" '^2$' kubectl -n "$NS" get deploy demo -o 'jsonpath={.spec.replicas}'
expect_output "the upgrade bumped the Deployment's generation" '^2$' kubectl -n "$NS" get deploy demo -o 'jsonpath={.metadata.generation}'
expect_output "helm get values shows the user-supplied value" '^replicaCount: 2$' helm get values demo -n "$NS"
expect_output "the Deployment is still managed only by helm/Apply (and the deployment controller's revision annotation)" '^helm/Apply( kube-controller-manager/Update)?$' \
  bash -c 'kubectl -n "$NS" get deploy demo --show-managed-fields -o "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}{\"\n\"}{end}" | sort -u | paste -sd" "'
expect_output "helm history: revision 1 superseded" '^1[[:space:]].*superseded[[:space:]]+demo-0\.1\.0[[:space:]].*Install complete' \
  helm history demo -n "$NS"
expect_output "helm history: revision 2 deployed" '^2[[:space:]].*deployed[[:space:]]+demo-0\.1\.0[[:space:]].*Upgrade complete' \
  helm history demo -n "$NS"
expect_output "helm history has exactly 2 revisions" '^2$' \
  bash -c 'helm history demo -n "$NS" -o json | jq length'

# --- rollback --------------------------------------------------------------------------------
expect_output "helm rollback demo 1" 'Rollback was a success' helm rollback demo 1 -n "$NS"
expect_output "the Deployment is back to 1 replica" '^1$' kubectl -n "$NS" get deploy demo -o 'jsonpath={.spec.replicas}'
expect_output "helm history: revision 3 deployed, rollback to 1" '^3[[:space:]].*deployed[[:space:]]+demo-0\.1\.0[[:space:]].*Rollback to 1' \
  helm history demo -n "$NS"
expect_output "helm list shows revision 3" "^demo[[:space:]]+${NS}[[:space:]]+3[[:space:]].*deployed" helm list -n "$NS"
expect_output "release Secrets v1..v3 selected by owner=helm,name=demo" \
  '^sh\.helm\.release\.v1\.demo\.v1=helm\.sh/release\.v1=superseded sh\.helm\.release\.v1\.demo\.v2=helm\.sh/release\.v1=superseded sh\.helm\.release\.v1\.demo\.v3=helm\.sh/release\.v1=deployed$' \
  bash -c 'kubectl -n "$NS" get secrets -l owner=helm,name=demo -o "jsonpath={range .items[*]}{.metadata.name}={.type}={.metadata.labels.status}{\"\n\"}{end}" | sort | paste -sd" "'
expect_output "a status=deployed selector finds only revision 3" '^sh\.helm\.release\.v1\.demo\.v3$' \
  kubectl -n "$NS" get secrets -l owner=helm,name=demo,status=deployed -o 'jsonpath={.items[*].metadata.name}'

# --- uninstall -------------------------------------------------------------------------------
expect_output "helm uninstall demo" 'release "demo" uninstalled' helm uninstall demo -n "$NS"
expect_output "the release's objects are gone" '^No resources found' \
  kubectl -n "$NS" get deploy,svc,sa -l app.kubernetes.io/instance=demo
expect_output "the release Secrets are gone" '^No resources found' kubectl -n "$NS" get secrets -l owner=helm,name=demo
expect_no_output "helm list (every state) no longer shows demo" '^demo[[:space:]]' \
  helm list -n "$NS" --deployed --failed --pending --superseded --uninstalling --uninstalled

# --- the packaged chart, client-side apply ---------------------------------------------------
expect_output "helm package" 'Successfully packaged chart and saved it to: .*/demo-0\.1\.0\.tgz' \
  helm package ./demo -d "$WORK"
expect_output "helm install from the .tgz with --server-side=false" 'STATUS: deployed' \
  helm install demo-csa "$WORK/demo-0.1.0.tgz" -n "$NS" --server-side=false
for obj in serviceaccount/demo-csa service/demo-csa deployment/demo-csa; do
  expect_output "$obj was created by helm with operation Update (client-side)" '^helm/Update$' \
    kubectl -n "$NS" get "$obj" --show-managed-fields -o 'jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}{"\n"}{end}'
  expect_output "$obj has helm's release annotations" "^demo-csa $NS Helm\$" \
    kubectl -n "$NS" get "$obj" -o 'jsonpath={.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.annotations.meta\.helm\.sh/release-namespace} {.metadata.labels.app\.kubernetes\.io/managed-by}'
done
expect_output "the stored release records client-side apply" '^"csa"$' "$RJ" sh.helm.release.v1.demo-csa.v1 .apply_method
expect_output "helm upgrade of the client-side release (--set replicaCount=3)" 'REVISION: 2' \
  helm upgrade demo-csa "$WORK/demo-0.1.0.tgz" -n "$NS" --set replicaCount=3
expect_output "the strategic merge patch set 3 replicas" '^3$' kubectl -n "$NS" get deploy demo-csa -o 'jsonpath={.spec.replicas}'
expect_output "the upgrade kept client-side apply (no Apply entry)" '^helm/Update$' \
  kubectl -n "$NS" get deploy demo-csa --show-managed-fields -o 'jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}{"\n"}{end}'
expect_output "the upgrade kept the image and probes" '^nginx:1\.16\.0 / /$' \
  kubectl -n "$NS" get deploy demo-csa -o 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].livenessProbe.httpGet.path} {.spec.template.spec.containers[0].readinessProbe.httpGet.path}'
expect_output "helm list shows demo-csa at revision 2" "^demo-csa[[:space:]]+${NS}[[:space:]]+2[[:space:]].*deployed" helm list -n "$NS"
expect_output "helm uninstall demo-csa" 'release "demo-csa" uninstalled' helm uninstall demo-csa -n "$NS"
expect_output "demo-csa's objects are gone" '^No resources found' \
  kubectl -n "$NS" get deploy,svc,sa -l app.kubernetes.io/instance=demo-csa
expect_output "no helm release Secrets are left in the namespace" '^No resources found' \
  kubectl -n "$NS" get secrets -l owner=helm

# --- a release that runs: --wait and helm test -------------------------------------------------
# The chart's test pod names plain `busybox`, which defaults to imagePullPolicy Always, and nothing can be pulled
# here: point it at the local busybox:1.36 (IfNotPresent) instead.
expect_success "point the chart's test-connection pod at a local image tag" \
  sed -i -E 's/^( *image: *)"?busybox"?$/\1busybox:1.36/' demo/templates/tests/test-connection.yaml
expect_output "the test pod now runs busybox:1.36" 'image: busybox:1\.36$' cat demo/templates/tests/test-connection.yaml
K8SS_STEP_TIMEOUT=180 expect_output "helm install --wait with a runnable web image" 'STATUS: deployed' \
  helm install demo-live ./demo -n "$NS" --set image.repository=k8ssharp/web --set image.tag=1.0 --wait --timeout 180s
expect_output "--wait returned with the Deployment available" '^1$' \
  kubectl -n "$NS" get deploy demo-live -o 'jsonpath={.status.availableReplicas}'
K8SS_STEP_TIMEOUT=120 expect_output "helm test demo-live: the test-connection pod succeeds" '^Phase:[[:space:]]+Succeeded$' \
  helm test demo-live -n "$NS" --timeout 120s
expect_output "helm uninstall demo-live" 'release "demo-live" uninstalled' helm uninstall demo-live -n "$NS"
