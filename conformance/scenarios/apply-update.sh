#!/usr/bin/env bash
# Client-side apply after the first one (a three-way strategic merge patch), diff (a dry-run patch),
# edit, replace: the PATCH paths kubectl apply/diff/edit use.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

manifest() { # replicas image env-entries
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: $NS
spec:
  replicas: $1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: main
        image: $2
        env: [$3]
YAML
}
manifest 2 busybox:1.35 '{name: A, value: "1"}, {name: B, value: "2"}' >"$WORK/v1.yaml"
manifest 3 busybox:1.36 '{name: A, value: "1"}' >"$WORK/v2.yaml"

expect_output "apply v1 creates" 'deployment.apps/app created' kubectl apply -f "$WORK/v1.yaml"
expect_fail_output "diff shows the image change (exit 1: differences)" '^\+ +image: busybox:1\.36' kubectl diff -f "$WORK/v2.yaml"
expect_output "diff did not persist (dry run)" '^busybox:1\.35$' \
  kubectl -n "$NS" get deploy app -o 'jsonpath={.spec.template.spec.containers[0].image}'
expect_output "apply v2 configures" 'deployment.apps/app configured' kubectl apply -f "$WORK/v2.yaml"
expect_output "replicas, image and the dropped env var follow v2" '^3 busybox:1\.36 A$' \
  kubectl -n "$NS" get deploy app -o 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[*].env[*].name}'
expect_output "apply v2 again is unchanged" 'deployment.apps/app unchanged' kubectl apply -f "$WORK/v2.yaml"
expect_output "edit through EDITOR" 'deployment.apps/app edited' \
  env EDITOR="sed -i s/replicas:\ 3/replicas:\ 5/" kubectl -n "$NS" edit deploy app
expect_output "the edit is stored" '^5$' kubectl -n "$NS" get deploy app -o 'jsonpath={.spec.replicas}'
expect_output "edit with no change writes nothing" 'Edit cancelled, no changes made' \
  env EDITOR=true kubectl -n "$NS" edit deploy app
# replace without a resourceVersion reads the object and PUTs it back with the version it read; the Deployment
# controller may write in between (a 409, as on any cluster), so kubectl's replace is retried.
expect_eventually "replace -f" 'deployment.apps/app replaced' kubectl replace -f "$WORK/v1.yaml"
expect_output "replace restored v1" '^2 busybox:1\.35$' \
  kubectl -n "$NS" get deploy app -o 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}'
expect_output "apply --dry-run=server changes nothing" 'configured \(server dry run\)' \
  kubectl apply -f "$WORK/v2.yaml" --dry-run=server
expect_output "still v1 after the dry run" '^2$' kubectl -n "$NS" get deploy app -o 'jsonpath={.spec.replicas}'

# apply --prune removes labelled objects that left the manifest set
cat >"$WORK/pa.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: pa, namespace: $NS, labels: {set: p}}
data: {a: "1"}
YAML
cat "$WORK/pa.yaml" >"$WORK/pab.yaml"
cat >>"$WORK/pab.yaml" <<YAML
---
apiVersion: v1
kind: ConfigMap
metadata: {name: pb, namespace: $NS, labels: {set: p}}
data: {b: "1"}
YAML
expect_success "apply two labelled configmaps" kubectl apply -f "$WORK/pab.yaml"
expect_output "apply --prune with one of them prunes the other" 'configmap/pb pruned' \
  kubectl -n "$NS" apply -f "$WORK/pa.yaml" --prune -l set=p
expect_fail_output "the pruned configmap is gone" 'NotFound|not found' kubectl -n "$NS" get cm pb
expect_output "the kept configmap stays" '^pa ' kubectl -n "$NS" get cm pa

# set env / set resources / rollout restart are strategic merge patches
expect_output "set env" 'env updated' kubectl -n "$NS" set env deploy/app GREETING=hi
expect_output "set resources" 'resource requirements updated' kubectl -n "$NS" set resources deploy/app --limits=cpu=200m
expect_output "rollout restart" 'restarted' kubectl -n "$NS" rollout restart deploy/app
expect_output "env, limits and the restartedAt annotation are stored" ' GREETING 200m [0-9T:-]+Z$' kubectl -n "$NS" get deploy app -o \
  'jsonpath={.spec.template.spec.containers[0].env[*].name} {.spec.template.spec.containers[0].resources.limits.cpu} {.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}'

# --- annotate, and wrong patches: a clear error and nothing changed ------------------------------
expect_success "create ConfigMap pt" kubectl -n "$NS" create configmap pt --from-literal=a=1
expect_output "annotate adds" 'configmap/pt annotated' kubectl -n "$NS" annotate configmap pt note=one
expect_fail_output "annotate refuses to overwrite without --overwrite" "--overwrite is false but found the following declared annotation\(s\): 'note' already has a value \(one\)" \
  kubectl -n "$NS" annotate configmap pt note=two
expect_output "annotate --overwrite replaces" '^two$' \
  bash -c 'kubectl -n "$NS" annotate configmap pt note=two --overwrite >/dev/null && kubectl -n "$NS" get cm pt -o "jsonpath={.metadata.annotations.note}"'
expect_output "annotate key- removes" '^absent$' \
  bash -c 'kubectl -n "$NS" annotate configmap pt note- >/dev/null && kubectl -n "$NS" get cm pt -o "jsonpath={.metadata.annotations.note}" | grep -q . || echo absent'
rv=$(kubectl -n "$NS" get cm pt -o 'jsonpath={.metadata.resourceVersion}' 2>/dev/null)
expect_fail_output "json patch: a failing test op is Invalid" 'testing value /data/a failed' \
  kubectl -n "$NS" patch cm pt --type=json -p '[{"op":"test","path":"/data/a","value":"2"},{"op":"replace","path":"/data/a","value":"3"}]'
expect_fail_output "json patch: removing a missing path is Invalid" 'doc is missing path: /data/zz' \
  kubectl -n "$NS" patch cm pt --type=json -p '[{"op":"remove","path":"/data/zz"}]'
expect_fail_output "merge patch: a wrong type is BadRequest" 'BadRequest.*cannot unmarshal number' \
  kubectl -n "$NS" patch cm pt --type=merge -p '{"data":{"a":5}}'
expect_fail_output "strategic merge patch: an unknown \$patch directive is Invalid" 'unknown patch type: explode' \
  kubectl -n "$NS" patch cm pt --type=strategic -p '{"data":{"$patch":"explode"}}'
expect_output "the wrong patches changed nothing (same data and resourceVersion)" "^\{\"a\":\"1\"\} $rv\$" \
  kubectl -n "$NS" get cm pt -o 'jsonpath={.data} {.metadata.resourceVersion}'
