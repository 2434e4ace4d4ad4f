#!/usr/bin/env bash
# `kubectl create <generator>`: these POST protobuf bodies. Controllers don't exist yet, so only
# the stored objects are checked: each must read back with `kubectl get`.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
extra_ns=$NS-x
pc=k8ss-pc-$(rand_suffix)

expect_output "create namespace" "^namespace/$extra_ns created\$" kubectl create namespace "$extra_ns"
expect_output "get namespace" "^$extra_ns +Active " kubectl get namespace "$extra_ns"

expect_output "create secret generic" '^secret/s1 created$' "${k[@]}" create secret generic s1 --from-literal=k=v
expect_output "get secret (NAME TYPE DATA)" '^s1 +Opaque +1 ' "${k[@]}" get secret s1
expect_output "secret data is base64 of the literal" '^dg==$' "${k[@]}" get secret s1 -o 'jsonpath={.data.k}'

expect_output "create deployment" '^deployment\.apps/d1 created$' "${k[@]}" create deployment d1 --image=busybox
expect_output "get deployment" '^d1 ' "${k[@]}" get deployment d1
expect_output "deployment has the image" '^busybox$' "${k[@]}" get deployment d1 -o 'jsonpath={.spec.template.spec.containers[0].image}'

expect_output "create service clusterip" '^service/svc1 created$' "${k[@]}" create service clusterip svc1 --tcp=80:8080
expect_output "get service (type ClusterIP)" '^svc1 +ClusterIP ' "${k[@]}" get service svc1
expect_output "service port 80 -> 8080" '^80 8080$' "${k[@]}" get service svc1 -o 'jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort}'

expect_output "create job" '^job\.batch/j1 created$' "${k[@]}" create job j1 --image=busybox
expect_output "get job" '^j1 ' "${k[@]}" get job j1

expect_output "create cronjob" '^cronjob\.batch/cj1 created$' \
  "${k[@]}" create cronjob cj1 --image=busybox --schedule='*/5 * * * *'
expect_output "get cronjob shows the schedule" '^cj1 +\*/5 \* \* \* \* ' "${k[@]}" get cronjob cj1

expect_output "create serviceaccount" '^serviceaccount/sa1 created$' "${k[@]}" create serviceaccount sa1
expect_output "get serviceaccount" '^sa1 ' "${k[@]}" get serviceaccount sa1

expect_output "create role" '^role\.rbac\.authorization\.k8s\.io/r1 created$' \
  "${k[@]}" create role r1 --verb=get,list --resource=pods
expect_output "get role" '^r1 ' "${k[@]}" get role r1

expect_output "create rolebinding" '^rolebinding\.rbac\.authorization\.k8s\.io/rb1 created$' \
  "${k[@]}" create rolebinding rb1 --role=r1 --serviceaccount="$NS:sa1"
expect_output "get rolebinding shows the role" '^rb1 +Role/r1 ' "${k[@]}" get rolebinding rb1

expect_output "create quota" '^resourcequota/q1 created$' "${k[@]}" create quota q1 --hard=pods=10,configmaps=20
expect_output "get quota" '^q1 ' "${k[@]}" get quota q1

expect_output "create priorityclass" "^priorityclass\\.scheduling\\.k8s\\.io/$pc created\$" \
  kubectl create priorityclass "$pc" --value=1000 --description="k8ssharp conformance"
expect_output "get priorityclass" "^$pc +1000 " kubectl get priorityclass "$pc"

expect_output "create pdb" '^poddisruptionbudget\.policy/pdb1 created$' \
  "${k[@]}" create pdb pdb1 --selector=app=d1 --min-available=1
expect_output "get pdb" '^pdb1 +1 ' "${k[@]}" get pdb pdb1

expect_output "create ingress" '^ingress\.networking\.k8s\.io/ing1 created$' \
  "${k[@]}" create ingress ing1 --rule='foo.example.com/=svc1:80'
expect_output "get ingress shows the host" '^ing1 +[^ ]+ +foo\.example\.com ' "${k[@]}" get ingress ing1

# Cluster-scoped leftovers are not cleaned up by the namespace deletion.
expect_output "create clusterrole" "^clusterrole\\.rbac\\.authorization\\.k8s\\.io/$NS-cr created\$" \
  kubectl create clusterrole "$NS-cr" --verb=get --resource=nodes
expect_output "create clusterrolebinding" "^clusterrolebinding\\.rbac\\.authorization\\.k8s\\.io/$NS-crb created\$" \
  kubectl create clusterrolebinding "$NS-crb" --clusterrole="$NS-cr" --user=alice
expect_output "get clusterrolebinding shows the role" "^$NS-crb +ClusterRole/$NS-cr " kubectl get clusterrolebinding "$NS-crb"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=example.com -days 1 \
  -keyout "$WORK/tls.key" -out "$WORK/tls.crt" >/dev/null 2>&1
expect_output "create secret tls" '^secret/tls1 created$' "${k[@]}" create secret tls tls1 --cert="$WORK/tls.crt" --key="$WORK/tls.key"
expect_output "get secret shows the tls type" '^tls1 +kubernetes\.io/tls +2 ' "${k[@]}" get secret tls1
expect_output "create secret docker-registry" '^secret/reg1 created$' \
  "${k[@]}" create secret docker-registry reg1 --docker-server=127.0.0.1:5000 --docker-username=u --docker-password=p
expect_output "get secret shows the dockerconfigjson type" '^reg1 +kubernetes\.io/dockerconfigjson +1 ' "${k[@]}" get secret reg1
printf 'a=1\nb=2\n' >"$WORK/app.properties"
expect_output "create configmap --from-file" '^configmap/cm-file created$' "${k[@]}" create configmap cm-file --from-file="$WORK/app.properties"
expect_output "the file is one key" '^a=1' "${k[@]}" get configmap cm-file -o 'jsonpath={.data.app\.properties}'
expect_output "create service nodeport" '^service/np1 created$' "${k[@]}" create service nodeport np1 --tcp=80:8080
expect_output "get service shows the allocated node port" '^np1 +NodePort +10\.[0-9.]+ +<none> +80:3[0-9]{4}/TCP ' "${k[@]}" get service np1
expect_output "create service externalname" '^service/ext1 created$' "${k[@]}" create service externalname ext1 --external-name=example.com
expect_output "get externalname service" '^ext1 +ExternalName +<none> +example\.com ' "${k[@]}" get service ext1
expect_output "create service loadbalancer" '^service/lb1 created$' "${k[@]}" create service loadbalancer lb1 --tcp=443:8443
expect_output "create token" '^eyJ' "${k[@]}" create token sa1
expect_success "delete the clusterrolebinding" kubectl delete clusterrolebinding "$NS-crb"
expect_success "delete the clusterrole" kubectl delete clusterrole "$NS-cr"
expect_success "delete the priorityclass" kubectl delete priorityclass "$pc"
expect_success "delete the extra namespace" kubectl delete namespace "$extra_ns" --wait=false
