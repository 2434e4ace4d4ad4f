#!/usr/bin/env bash
# k8ssharp-proxy end to end: Service virtual IPs (iptables), NodePorts, ClientIP affinity, readiness, REJECT
# for services without endpoints, and the cluster DNS at 10.96.0.10. No kubelet runs pods yet, so the
# backends are stand-in "pods" (network namespaces running busybox httpd, conformance/support/standin-pods.sh)
# behind Services whose selectors match nothing, with EndpointSlices written by hand. Needs root.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=conformance/support/standin-pods.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/standin-pods.sh"
require_ns

if ((EUID != 0)); then
  note "skip proxy-dns: needs root (network namespaces, iptables)"
  exit 0
fi
if ! command -v busybox >/dev/null || ! command -v wget >/dev/null; then
  note "skip proxy-dns: needs busybox (httpd, nslookup) and wget on the host"
  exit 0
fi

k=(kubectl -n "$NS")
trap standin_cleanup EXIT
trap 'exit 143' TERM INT
standin_cleanup
standin_setup 4 # 1-3 serve, 4 is the client
for n in 1 2 3; do
  mkdir -p "$WORK/www$n"
  echo "backend-$n" >"$WORK/www$n/index.html"
  standin_serve "$n" "$WORK/www$n"
done

# hits.sh NETNS|- URL COUNT: fetch URL COUNT times (inside NETNS, or from the host for -) and print the
# distinct answers, sorted, on one line ("error" for a failed request).
cat >"$WORK/hits.sh" <<'SH'
#!/usr/bin/env bash
ns=$1 url=$2 count=$3
run=()
[[ $ns != - ]] && run=(ip netns exec "$ns")
for ((i = 0; i < count; i++)); do "${run[@]}" wget -qO- -T 2 -t 1 "$url" || echo error; done | sort -u | tr '\n' ' '
SH
chmod +x "$WORK/hits.sh"
hits="$WORK/hits.sh"

endpoints() {
  local ip
  for n in 1 2 3; do
    ip=$(standin_ip "$n")
    printf -- '- addresses: ["%s"]\n  conditions: {ready: true}\n' "$ip"
  done
}
service_and_slice() { # NAME EXTRA-SPEC-YAML
  cat <<YAML
---
apiVersion: v1
kind: Service
metadata: {name: $1}
spec:
  selector: {k8ss-px: matches-nothing}
  ports: [{name: http, port: 80, targetPort: 8080}]
$2
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: $1-standin
  labels: {kubernetes.io/service-name: $1, endpointslice.kubernetes.io/managed-by: k8ss-conformance}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints:
$(endpoints)
YAML
}
{
  service_and_slice web "  type: NodePort"
  service_and_slice sticky "  sessionAffinity: ClientIP"
  printf -- '---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  selector: {k8ss-px: matches-nothing}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n'
} >"$WORK/objects.yaml"

expect_success "create Services web (NodePort), sticky (ClientIP affinity), empty, and the stand-in EndpointSlices" \
  "${k[@]}" apply -f "$WORK/objects.yaml"
web=$("${k[@]}" get service web -o 'jsonpath={.spec.clusterIP}')
node_port=$("${k[@]}" get service web -o 'jsonpath={.spec.ports[0].nodePort}')
sticky=$("${k[@]}" get service sticky -o 'jsonpath={.spec.clusterIP}')
empty=$("${k[@]}" get service empty -o 'jsonpath={.spec.clusterIP}')
node_ip=$(kubectl -n kube-system get endpointslice -l kubernetes.io/service-name=kube-dns -o 'jsonpath={.items[0].endpoints[0].addresses[0]}')
note "web=$web nodePort=$node_port sticky=$sticky empty=$empty node=$node_ip"

all='^backend-1 backend-2 backend-3 $'
expect_eventually "host -> ClusterIP $web:80 reaches all 3 backends" "$all" "$hits" - "http://$web/" 30
expect_output "namespace -> ClusterIP $web:80 reaches all 3 backends" "$all" "$hits" k8ss-px-4 "http://$web/" 30
expect_output "a backend reaches itself through the ClusterIP (hairpin masquerade)" "^backend-1 backend-2 backend-3 $" \
  "$hits" k8ss-px-1 "http://$web/" 30
expect_output "host -> NodePort $node_ip:$node_port reaches all 3 backends" "$all" "$hits" - "http://$node_ip:$node_port/" 30
expect_output "host -> NodePort 127.0.0.1:$node_port reaches all 3 backends (route_localnet)" "$all" "$hits" - "http://127.0.0.1:$node_port/" 30
expect_output "namespace -> NodePort $node_ip:$node_port reaches all 3 backends" "$all" "$hits" k8ss-px-4 "http://$node_ip:$node_port/" 30

expect_output "ClientIP affinity: a namespace always reaches the same backend" '^backend-[123] $' "$hits" k8ss-px-4 "http://$sticky/" 15
expect_output "ClientIP affinity: the host always reaches the same backend" '^backend-[123] $' "$hits" - "http://$sticky/" 15

expect_fail_output "a Service without endpoints is refused from a namespace (REJECT, not a timeout)" 'refused' \
  ip netns exec k8ss-px-4 wget -O- -T 10 -t 1 "http://$empty/"
expect_fail_output "a Service without endpoints is refused from the host" 'refused' wget -O- -T 10 -t 1 "http://$empty/"

expect_success "mark backend-3 not ready in the EndpointSlice" "${k[@]}" patch endpointslice web-standin --type=json \
  -p '[{"op":"replace","path":"/endpoints/2/conditions/ready","value":false}]'
expect_eventually "backend-3 stops receiving traffic" '^backend-1 backend-2 $' "$hits" k8ss-px-4 "http://$web/" 20

expect_output "nslookup web.$NS.svc.cluster.local 10.96.0.10 from a namespace answers the ClusterIP" "Address:? *(1: )?$web" \
  ip netns exec k8ss-px-4 busybox nslookup "web.$NS.svc.cluster.local" 10.96.0.10
expect_output "nslookup from the host answers too" "Address:? *(1: )?$web" busybox nslookup "web.$NS.svc.cluster.local" 10.96.0.10
expect_output "SRV _http._tcp.web.$NS.svc.cluster.local names port 80 on the service" "0 100 80 web\.$NS\.svc\.cluster\.local" \
  ip netns exec k8ss-px-4 busybox nslookup -type=srv "_http._tcp.web.$NS.svc.cluster.local" 10.96.0.10
expect_fail_output "an unknown name in the cluster domain is NXDOMAIN" 'NXDOMAIN' \
  ip netns exec k8ss-px-4 busybox nslookup "nothing.$NS.svc.cluster.local" 10.96.0.10
expect_output "a pod name a-b-c-d.$NS.pod.cluster.local answers its address" "Address:? *(1: )?10\.244\.99\.12" \
  ip netns exec k8ss-px-4 busybox nslookup "10-244-99-12.$NS.pod.cluster.local" 10.96.0.10

expect_success "delete the Services" "${k[@]}" delete service web sticky empty
expect_eventually "a deleted Service's IP is rejected (unallocated service IPs never leave the node)" 'refused' \
  bash -c "wget -O- -T 5 -t 1 http://$web/ 2>&1; true"
