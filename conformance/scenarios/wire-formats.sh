#!/usr/bin/env bash
# API wire formats beyond plain JSON, observed with stock kubectl and curl (the admin client certificate from the
# kubeconfig):
#   - /openapi/v2 as JSON (kubectl get --raw) and as gnostic protobuf; kubectl create -f of create-only kinds
#     (TokenReview, SelfSubjectAccessReview) passes client-side validation, which falls back to /openapi/v2;
#     kubectl explain works from v2 too;
#   - protobuf responses (magic k8s\0) for typed-client Accept headers, JSON when JSON comes first;
#   - PartialObjectMetadata(List) responses and 406 for an unsupported as=;
#   - a label-selector watch sees DELETED when an object leaves the selection and ADDED when it returns.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")

# curl with the kubeconfig's server, CA and client certificate.
kubectl config view --raw --minify -o 'jsonpath={.users[0].user.client-certificate-data}' | base64 -d >"$WORK/admin.crt"
kubectl config view --raw --minify -o 'jsonpath={.users[0].user.client-key-data}' | base64 -d >"$WORK/admin.key"
SERVER=$(kubectl config view --minify -o 'jsonpath={.clusters[0].cluster.server}')
CURL="curl -sk --max-time 20 --cert $WORK/admin.crt --key $WORK/admin.key"
export WORK SERVER CURL NS

expect_output "openapi v2 as JSON" '"definitions"' bash -c 'kubectl get --raw /openapi/v2 | head -c 200'
expect_output "openapi v2 as protobuf (gnostic Document: field 1 swagger \"2.0\")" '^0a03322e30$' \
  bash -c '$CURL -H "Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf" "$SERVER/openapi/v2" | head -c 5 | od -An -tx1 | tr -d " \n"; echo'
expect_output "openapi v2 answers 304 to its ETag" '^304$' bash -c '
  etag=$($CURL -D - -o /dev/null -H "Accept: application/json" "$SERVER/openapi/v2" | tr -d "\r" | sed -n "s/^etag: //Ip")
  $CURL -o /dev/null -w "%{http_code}" -H "Accept: application/json" -H "If-None-Match: $etag" "$SERVER/openapi/v2"'

cat >"$WORK/tokenreview.yaml" <<'YAML'
apiVersion: authentication.k8s.io/v1
kind: TokenReview
spec:
  token: not-a-real-token
YAML
cat >"$WORK/ssar.yaml" <<'YAML'
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
spec:
  resourceAttributes:
    verb: list
    resource: pods
YAML
expect_output "create -f TokenReview without --validate=false" '^false$' \
  kubectl create -f "$WORK/tokenreview.yaml" -o 'jsonpath={.status.authenticated}'
expect_output "create -f SelfSubjectAccessReview without --validate=false" '^true$' \
  kubectl create -f "$WORK/ssar.yaml" -o 'jsonpath={.status.allowed}'
expect_output "kubectl explain from openapi v2" 'FIELD: *image <string>' \
  kubectl explain pod.spec.containers.image --output=plaintext-openapiv2

expect_success "create configmap wire" "${k[@]}" create configmap wire --from-literal=a=b
expect_output "protobuf GET starts with the magic k8s\\0" '^6b387300$' bash -c \
  '$CURL -H "Accept: application/vnd.kubernetes.protobuf,application/json" "$SERVER/api/v1/namespaces/$NS/configmaps/wire" | head -c 4 | od -An -tx1 | tr -d " \n"; echo'
expect_output "protobuf Status error for a missing object" 'Status.*NotFound' bash -c \
  '$CURL -H "Accept: application/vnd.kubernetes.protobuf,application/json" "$SERVER/api/v1/namespaces/$NS/configmaps/missing" | tr -c "[:print:]" " "'
expect_output "JSON first in Accept stays JSON" '"kind":"ConfigMap"' bash -c \
  '$CURL -H "Accept: application/json,application/vnd.kubernetes.protobuf" "$SERVER/api/v1/namespaces/$NS/configmaps/wire"'
expect_output "PartialObjectMetadata for a get" '"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1"' bash -c \
  '$CURL -H "Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" "$SERVER/api/v1/namespaces/$NS/configmaps/wire"'
expect_output "PartialObjectMetadataList for a list" '"kind":"PartialObjectMetadataList"' bash -c \
  '$CURL -H "Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" "$SERVER/api/v1/namespaces/$NS/configmaps"'
expect_output "406 for PartialObjectMetadataList on a single object" '^406$' bash -c \
  '$CURL -o /dev/null -w "%{http_code}" -H "Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" "$SERVER/api/v1/namespaces/$NS/configmaps/wire"'

# Selector watch: relabel out of and back into app=x while kubectl watches.
expect_success "label configmap wire app=x" "${k[@]}" label configmap wire app=x
expect_output "selector watch: DELETED on leaving, ADDED on returning" 'ADDED +wire.*DELETED +wire.*ADDED +wire' bash -c '
  (timeout 8 kubectl -n "$NS" get configmaps -l app=x -w --output-watch-events >"$WORK/watch.txt" 2>&1 &)
  sleep 2
  kubectl -n "$NS" label configmap wire app=y --overwrite >/dev/null
  sleep 1
  kubectl -n "$NS" label configmap wire app=x --overwrite >/dev/null
  sleep 6
  tr "\n" " " <"$WORK/watch.txt"'
