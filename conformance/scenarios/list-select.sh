#!/usr/bin/env bash
# Lists with label selectors (=, in, !key, a,b), field selectors, -A and paging (--chunk-size).
# Checks look for the expected names and the absence of unexpected ones, so objects that
# controllers may add to a namespace later (kube-root-ca.crt) do not matter.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
{
  for spec in "a1 app=a env=x" "a2 app=a env=y" "b1 app=b env=z" "n1 app=b" "n2 app=c"; do
    read -r name l1 l2 <<<"$spec"
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  labels:\n' "$name"
    for l in $l1 $l2; do printf '    %s: "%s"\n' "${l%%=*}" "${l#*=}"; done
    printf 'data:\n  k: v\n'
  done
} >"$WORK/cms.yaml"

expect_output "create 5 labelled configmaps" 'configmap/n2 created' "${k[@]}" create -f "$WORK/cms.yaml"

expect_output "-l app=a has a1" '^configmap/a1$' "${k[@]}" get cm -l app=a -o name
expect_output "-l app=a has a2" '^configmap/a2$' "${k[@]}" get cm -l app=a -o name
expect_no_output "-l app=a has no other" '^configmap/(b1|n1|n2)$' "${k[@]}" get cm -l app=a -o name
expect_output "-l app=a,env=x has a1" '^configmap/a1$' "${k[@]}" get cm -l app=a,env=x -o name
expect_no_output "-l app=a,env=x has only a1" '^configmap/(a2|b1|n1|n2)$' "${k[@]}" get cm -l app=a,env=x -o name

expect_output "-l 'env in (x,y)' has a1" '^configmap/a1$' "${k[@]}" get cm -l 'env in (x,y)' -o name
expect_output "-l 'env in (x,y)' has a2" '^configmap/a2$' "${k[@]}" get cm -l 'env in (x,y)' -o name
expect_no_output "-l 'env in (x,y)' has no other" '^configmap/(b1|n1|n2)$' "${k[@]}" get cm -l 'env in (x,y)' -o name

expect_output "-l '!env' has n1" '^configmap/n1$' "${k[@]}" get cm -l '!env' -o name
expect_output "-l '!env' has n2" '^configmap/n2$' "${k[@]}" get cm -l '!env' -o name
expect_no_output "-l '!env' has none with env" '^configmap/(a1|a2|b1)$' "${k[@]}" get cm -l '!env' -o name

expect_output "--field-selector metadata.name=a2 has a2" '^configmap/a2$' \
  "${k[@]}" get cm --field-selector metadata.name=a2 -o name
expect_no_output "--field-selector metadata.name=a2 has no other" '^configmap/(a1|b1|n1|n2)$' \
  "${k[@]}" get cm --field-selector metadata.name=a2 -o name

expect_output "-A has the NAMESPACE column" '^NAMESPACE +NAME +DATA +AGE$' kubectl get cm -A -l app=a
expect_output "-A rows carry the namespace" "^$NS +a1 +1 " kubectl get cm -A -l app=a

for n in a1 a2 b1 n1 n2; do
  expect_output "--chunk-size=2 still lists $n" "^configmap/$n\$" "${k[@]}" get cm --chunk-size=2 -o name
done
expect_output "--chunk-size=2 table lists the last one" '^n2 +1 ' "${k[@]}" get cm --chunk-size=2
