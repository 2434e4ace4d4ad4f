#!/usr/bin/env bash
# The remaining built-in API semantics of issue #3, through stock kubectl (only the API server is needed):
#   - pod spec validation: security contexts, affinity, probes, resources, topology spread, tolerations,
#     volumes and mounts, env names, DNS config, host network; all errors in one 422 with upstream's paths;
#   - ServiceAccount admission: a missing account is a 403; automountServiceAccountToken=false on the account
#     drops the kube-api-access volume unless the pod asks for it; a pod's account cannot change;
#   - RBAC escalation prevention, as a service account (kubectl create token) that may write roles and bindings.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

pod() { # name, spec JSON fragment placed inside spec (after containers)
  printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"containers":[%s]%s}}' "$1" "$2" "${3:-}"
}
C='{"name":"c","image":"busybox:1.36","command":["sleep","3600"]'

note "validation"
expect_fail_output "negative runAsUser and privileged without escalation are both reported" \
  'runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive.*cannot set .allowPrivilegeEscalation. to false and .privileged. to true' \
  bash -c "set -o pipefail; $(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-sc "$C,\"securityContext\":{\"runAsUser\":-1,\"privileged\":true,\"allowPrivilegeEscalation\":false}}")' 2>&1 | tr '\n' ' '"
expect_fail_output "a node selector requirement with In needs values" \
  "nodeSelectorTerms\[0\].matchExpressions\[0\].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'" \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-aff "$C}" ',"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"k","operator":"In"}]}]}}}')' 2>&1"
expect_fail_output "a pod anti-affinity term needs a topologyKey" \
  'podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution\[0\].topologyKey: Required value: can not be empty' \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-anti "$C}" ',"affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{}}]}}')' 2>&1"
expect_fail_output "a liveness probe needs a handler and successThreshold 1" \
  'livenessProbe.successThreshold: Invalid value: 2: must be 1' \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-probe "$C,\"livenessProbe\":{\"tcpSocket\":{\"port\":80},\"successThreshold\":2}}")' 2>&1"
expect_fail_output "requests may not exceed limits" \
  'resources.requests\[cpu\]: Invalid value: "2": must be less than or equal to cpu limit of 1' \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-res "$C,\"resources\":{\"requests\":{\"cpu\":\"2\"},\"limits\":{\"cpu\":\"1\"}}}")' 2>&1"
expect_fail_output "maxSkew must be positive and whenUnsatisfiable known" \
  'topologySpreadConstraints\[0\].maxSkew: Invalid value: 0: must be greater than zero' \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-tsc "$C}" ',"topologySpreadConstraints":[{"maxSkew":0,"topologyKey":"zone","whenUnsatisfiable":"Maybe"}]')' 2>&1"
expect_fail_output "an Exists toleration may not have a value" \
  "tolerations\[0\].operator: Invalid value: core.Toleration.*value must be empty when \`operator\` is 'Exists'" \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-tol "$C}" ',"tolerations":[{"key":"k","operator":"Exists","value":"v"}]')' 2>&1"
expect_fail_output "subPath may not climb out of the volume" \
  "volumeMounts\[0\].subPath: Invalid value: \"../x\": must not contain '..'" \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-sub "$C,\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/v\",\"subPath\":\"../x\"}]}" ',"volumes":[{"name":"v","emptyDir":{}}]')' 2>&1"
expect_fail_output "dnsPolicy None needs a dnsConfig" \
  'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None' \
  bash -c "$(printf '%q ' "${k[@]}") create --dry-run=server -f - <<<'$(pod bad-dns "$C}" ',"dnsPolicy":"None"')' 2>&1"

note "ServiceAccount admission"
expect_fail_output "a pod naming a missing ServiceAccount is forbidden" \
  "pods \"orphan\" is forbidden: error looking up service account $NS/nobody: serviceaccount \"nobody\" not found" \
  bash -c "$(printf '%q ' "${k[@]}") create -f - <<<'$(pod orphan "$C}" ',"serviceAccountName":"nobody"')' 2>&1"
expect_success "create an account that opts out of token automount" \
  bash -c "$(printf '%q ' "${k[@]}") apply -f - <<<'{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"quiet\"},\"automountServiceAccountToken\":false}'"
expect_success "a pod of that account is created" \
  bash -c "$(printf '%q ' "${k[@]}") create -f - <<<'$(pod quiet-pod "$C}" ',"serviceAccountName":"quiet"')'"
expect_no_output "it has no kube-api-access volume" 'kube-api-access' "${k[@]}" get pod quiet-pod -o 'jsonpath={.spec.volumes}'
expect_success "a pod of that account asking for the token is created" \
  bash -c "$(printf '%q ' "${k[@]}") create -f - <<<'$(pod loud-pod "$C}" ',"serviceAccountName":"quiet","automountServiceAccountToken":true')'"
expect_output "the pod's own setting wins" 'kube-api-access-' "${k[@]}" get pod loud-pod -o 'jsonpath={.spec.volumes[*].name}'
expect_fail_output "a pod's service account cannot change" 'spec: Forbidden: pod updates may not change fields other than' \
  "${k[@]}" patch pod quiet-pod --type=merge -p '{"spec":{"serviceAccountName":"default","serviceAccount":"default"}}'

note "RBAC escalation prevention"
expect_success "a service account that may write roles and bindings and read pods" \
  bash -c "$(printf '%q ' "${k[@]}") create serviceaccount manager && $(printf '%q ' "${k[@]}") create role manager --verb=create,update,get --resource=roles,rolebindings && $(printf '%q ' "${k[@]}") create role manager-pods --verb=get,list --resource=pods && $(printf '%q ' "${k[@]}") create rolebinding manager --role=manager --serviceaccount=$NS:manager && $(printf '%q ' "${k[@]}") create rolebinding manager-pods --role=manager-pods --serviceaccount=$NS:manager"
# A kubeconfig with the token alone: with the admin kubeconfig kubectl would also present the admin's client
# certificate, which authenticates first (as upstream).
MANAGER_KUBECONFIG=$(mktemp)
trap 'rm -f "$MANAGER_KUBECONFIG"' EXIT
CA_FILE=$(mktemp)
kubectl config view --raw --minify -o 'jsonpath={.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$CA_FILE"
kubectl --kubeconfig "$MANAGER_KUBECONFIG" config set-cluster c --embed-certs --certificate-authority "$CA_FILE" \
  --server "$(kubectl config view --minify -o 'jsonpath={.clusters[0].cluster.server}')" >/dev/null
rm -f "$CA_FILE"
kubectl --kubeconfig "$MANAGER_KUBECONFIG" config set-credentials manager --token "$("${k[@]}" create token manager)" >/dev/null
kubectl --kubeconfig "$MANAGER_KUBECONFIG" config set-context c --cluster c --user manager --namespace "$NS" >/dev/null
kubectl --kubeconfig "$MANAGER_KUBECONFIG" config use-context c >/dev/null
as_manager=(kubectl --kubeconfig "$MANAGER_KUBECONFIG" -n "$NS")
expect_output "the token authenticates the service account" "system:serviceaccount:$NS:manager" "${as_manager[@]}" auth whoami
expect_eventually "kubectl auth can-i sees the manager's rights" '^yes$' "${as_manager[@]}" auth can-i create roles
expect_output "the manager may not escalate" '^no$' bash -c "$(printf '%q ' "${as_manager[@]}") auth can-i escalate roles || true"
expect_success "a role with held permissions is allowed" "${as_manager[@]}" create role pod-reader --verb=get --resource=pods
expect_fail_output "a role with permissions not held is forbidden" \
  "roles.rbac.authorization.k8s.io \"secret-reader\" is forbidden: user \"system:serviceaccount:$NS:manager\" .*is attempting to grant RBAC permissions not currently held" \
  "${as_manager[@]}" create role secret-reader --verb=get --resource=secrets
expect_success "binding a role whose permissions are held is allowed" "${as_manager[@]}" create rolebinding bob-pods --role=pod-reader --user=bob
expect_fail_output "binding the edit ClusterRole is forbidden" \
  'rolebindings.rbac.authorization.k8s.io "bob-edit" is forbidden: .*is attempting to grant RBAC permissions not currently held' \
  "${as_manager[@]}" create rolebinding bob-edit --clusterrole=edit --user=bob
expect_success "grant escalate on roles and bind on the edit ClusterRole" \
  bash -c "$(printf '%q ' "${k[@]}") create role manager-escalate --verb=escalate --resource=roles && $(printf '%q ' "${k[@]}") create role manager-bind --verb=bind --resource=clusterroles --resource-name=edit && $(printf '%q ' "${k[@]}") create rolebinding manager-escalate --role=manager-escalate --serviceaccount=$NS:manager && $(printf '%q ' "${k[@]}") create rolebinding manager-bind --role=manager-bind --serviceaccount=$NS:manager"
expect_eventually "with escalate the role is allowed" 'created' "${as_manager[@]}" create role secret-reader --verb=get --resource=secrets
expect_eventually "with bind the binding is allowed" 'created' "${as_manager[@]}" create rolebinding bob-edit --clusterrole=edit --user=bob
