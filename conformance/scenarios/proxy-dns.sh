#!/usr/bin/env bash
# k8ssharp-proxy end to end with real pods: Service virtual IPs (iptables) from the host and from a pod, NodePorts,
# readiness and selector changes, ClientIP affinity, REJECT for services without endpoints, LoadBalancer ingress and
# its loadBalancerSourceRanges firewall, traffic policies Local (as far as one node shows them), and the cluster DNS
# at 10.96.0.10 as pods see it. Needs root (the host's side of the checks goes through the node's iptables).
#
# What one node cannot show: an endpoint on another node. The traffic-policy checks use a selector-less Service whose
# hand-written EndpointSlice puts a real pod "on another node" (nodeName elsewhere), which is exactly what the proxy
# reads to decide locality.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

if ((EUID != 0)); then
  note "skip proxy-dns: needs root (the host's traffic goes through the node's iptables)"
  exit 0
fi
if ! command -v busybox >/dev/null; then
  note "skip proxy-dns: needs busybox on the host (its wget tells a refused connection apart)"
  exit 0
fi

k=(kubectl -n "$NS")


# probe.sh WHERE URL [COUNT]: COUNT (1) HTTP GETs from the host (WHERE=-) or from inside pod WHERE, each under a 3 s
# time-out; prints the distinct answers (the backend's hostname, or refused / timeout / error), sorted, on one line.
cat >"$WORK/probe.sh" <<'SH'
#!/usr/bin/env bash
where=$1 url=$2 count=${3:-1}
# Runs inside busybox (pods) and bash (host) alike: busybox's timeout kills with TERM (143), coreutils' exits 124.
loop='for i in $(seq '"$count"'); do
  out=$(timeout 3 wget -q -O- "'"$url"'" 2>&1); rc=$?
  if [ $rc = 0 ]; then echo "$out"
  elif [ $rc = 124 ] || [ $rc = 143 ]; then echo timeout
  else case "$out" in *refused*) echo refused ;; *) echo error ;; esac
  fi
done'
if [[ $where == - ]]; then
  PATH=$(dirname "$0")/bin:$PATH sh -c "$loop" # busybox's wget: GNU wget -q does not say "refused"
else
  kubectl -n "$NS" exec "$where" -- sh -c "$loop"
fi | sort -u | tr '\n' ' '
echo
SH
chmod +x "$WORK/probe.sh"
mkdir -p "$WORK/bin"
ln -sf "$(command -v busybox)" "$WORK/bin/wget"
probe=$WORK/probe.sh

cat >"$WORK/objects.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: busybox:1.35
        command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 80 -h /www']
        readinessProbe:
          exec: {command: [test, -f, /tmp/ready]}
          periodSeconds: 1
          failureThreshold: 1
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: sh, image: busybox:1.35, command: [sleep, '3600']}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: sh, image: busybox:1.35, command: [sleep, '3600']}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: tcp, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: matches-nothing}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 18080, targetPort: 80}]
YAML

expect_success "create a Deployment of 3 httpd pods, a client pod, a StatefulSet and the Services" \
  "${k[@]}" apply -f "$WORK/objects.yaml"
expect_success "the Deployment's 3 pods become ready" "${k[@]}" rollout status deployment/web --timeout=60s
expect_success "the client pod becomes ready" "${k[@]}" wait --for=condition=Ready pod/client --timeout=30s

web=$("${k[@]}" get service web -o 'jsonpath={.spec.clusterIP}')
node_port=$("${k[@]}" get service web -o 'jsonpath={.spec.ports[0].nodePort}')
sticky=$("${k[@]}" get service sticky -o 'jsonpath={.spec.clusterIP}')
empty=$("${k[@]}" get service empty -o 'jsonpath={.spec.clusterIP}')
node_ip=$(kubectl get nodes -o 'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}')
mapfile -t pods < <("${k[@]}" get pods -l app=web -o 'jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}' | sort)
all="^${pods[0]} ${pods[1]} ${pods[2]} \$"
note "web=$web nodePort=$node_port sticky=$sticky empty=$empty node=$node_ip pods=${pods[*]}"

expect_eventually "host -> ClusterIP $web:80 reaches all 3 pods" "$all" "$probe" - "http://$web/" 30
expect_output "pod -> ClusterIP $web:80 reaches all 3 pods" "$all" "$probe" client "http://$web/" 30
expect_output "a backend reaches itself and the others through the ClusterIP (hairpin)" "$all" "$probe" "${pods[0]}" "http://$web/" 30
expect_output "host -> NodePort $node_ip:$node_port reaches all 3 pods" "$all" "$probe" - "http://$node_ip:$node_port/" 30
expect_output "host -> NodePort 127.0.0.1:$node_port reaches all 3 pods (route_localnet)" "$all" "$probe" - "http://127.0.0.1:$node_port/" 30
expect_output "pod -> NodePort $node_ip:$node_port reaches all 3 pods" "$all" "$probe" client "http://$node_ip:$node_port/" 30

expect_output "ClientIP affinity: the pod always reaches the same backend" '^web-[a-z0-9-]+ $' "$probe" client "http://$sticky/" 12
expect_output "ClientIP affinity: the host always reaches the same backend" '^web-[a-z0-9-]+ $' "$probe" - "http://$sticky/" 12

expect_output "a Service without endpoints is refused at once from a pod (REJECT, not a timeout)" '^refused $' "$probe" client "http://$empty/"
expect_output "a Service without endpoints is refused at once from the host" '^refused $' "$probe" - "http://$empty/"

expect_eventually "LoadBalancer lb gets the node's IP as its EXTERNAL-IP" "^$node_ip\$" \
  "${k[@]}" get service "lb" -o 'jsonpath={.status.loadBalancer.ingress[0].ip}'
expect_eventually "host -> EXTERNAL-IP $node_ip:18080 reaches all 3 pods" "$all" "$probe" - "http://$node_ip:18080/" 30
expect_output "pod -> EXTERNAL-IP $node_ip:18080 reaches all 3 pods" "$all" "$probe" client "http://$node_ip:18080/" 30
# loadBalancerSourceRanges: the host's own connection to its IP has that IP as its source; pods have their pod IP.
expect_success "restrict lb to a source range without the host (203.0.113.0/24)" "${k[@]}" patch service "lb" \
  -p '{"spec":{"loadBalancerSourceRanges":["203.0.113.0/24"]}}'
expect_eventually "host -> EXTERNAL-IP outside the source ranges is dropped (KUBE-FW / KUBE-PROXY-FIREWALL)" '^timeout $' \
  "$probe" - "http://$node_ip:18080/"
expect_success "allow the node's network ($node_ip/24) instead" "${k[@]}" patch service "lb" \
  -p "{\"spec\":{\"loadBalancerSourceRanges\":[\"${node_ip%.*}.0/24\"]}}"
expect_eventually "host -> EXTERNAL-IP inside the source ranges answers again" '^web-' "$probe" - "http://$node_ip:18080/"
expect_output "pod -> EXTERNAL-IP is dropped: the pod's address is outside the source ranges" '^timeout $' \
  "$probe" client "http://$node_ip:18080/"
expect_output "the source ranges do not apply to the ClusterIP" '^web-' "$probe" client \
  "http://$("${k[@]}" get service "lb" -o 'jsonpath={.spec.clusterIP}'):18080/"

# Traffic policies: a selector-less Service whose only endpoint is a real pod said to run on another node.
remote_ip=$("${k[@]}" get pod "${pods[2]}" -o 'jsonpath={.status.podIP}')
cat >"$WORK/remote.yaml" <<YAML
apiVersion: v1
kind: Service
metadata: {name: remote}
spec:
  type: NodePort
  internalTrafficPolicy: Local
  externalTrafficPolicy: Local
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: local}
spec:
  type: LoadBalancer
  internalTrafficPolicy: Local
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{name: http, port: 18090, targetPort: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: remote-elsewhere
  labels: {kubernetes.io/service-name: remote, endpointslice.kubernetes.io/managed-by: k8ss-conformance}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints: [{addresses: ["$remote_ip"], conditions: {ready: true}, nodeName: elsewhere}]
YAML
expect_success "create Services local and remote (traffic policies Local; remote's endpoint is on node 'elsewhere')" \
  "${k[@]}" apply -f "$WORK/remote.yaml"
remote=$("${k[@]}" get service remote -o 'jsonpath={.spec.clusterIP}')
remote_port=$("${k[@]}" get service remote -o 'jsonpath={.spec.ports[0].nodePort}')
local=$("${k[@]}" get service local -o 'jsonpath={.spec.clusterIP}')
local_port=$("${k[@]}" get service local -o 'jsonpath={.spec.ports[0].nodePort}')
expect_eventually "internalTrafficPolicy Local: the ClusterIP reaches this node's 3 pods" "$all" "$probe" client "http://$local:18090/" 30
expect_output "externalTrafficPolicy Local: the NodePort reaches this node's 3 pods" "$all" "$probe" - "http://$node_ip:$local_port/" 30
health_port=$("${k[@]}" get service local -o 'jsonpath={.spec.healthCheckNodePort}')
expect_output "the Local LoadBalancer got a health check node port; the proxy answers it: 3 local endpoints" \
  '"localEndpoints": 3' "$WORK/bin/wget" -q -O- "http://$node_ip:$health_port/"
expect_output "internalTrafficPolicy Local without a local endpoint: the ClusterIP drops (no local endpoints)" '^timeout $' \
  "$probe" client "http://$remote/"
expect_output "externalTrafficPolicy Local: the node itself still reaches a remote endpoint through the NodePort (short-circuit)" \
  "^${pods[2]} \$" "$probe" - "http://$node_ip:$remote_port/"

# Readiness and selector changes take a backend out of rotation within seconds.
expect_success "make ${pods[0]} not ready (remove the file its readiness probe tests)" "${k[@]}" exec "${pods[0]}" -- rm /tmp/ready
expect_eventually "${pods[0]} stops receiving traffic" "^${pods[1]} ${pods[2]} \$" "$probe" client "http://$web/" 20
expect_success "relabel ${pods[1]} out of the selector" "${k[@]}" label pod "${pods[1]}" app=out --overwrite
# The ReplicaSet replaces the relabelled pod; its replacement may answer too once ready.
expect_eventually "${pods[1]} stops receiving traffic" "${pods[2]}" bash -c \
  "out=\$('$probe' client http://$web/ 20); echo \"\$out\"; [[ \$out != *${pods[1]}* && \$out != *${pods[0]}* ]]"

# The cluster DNS as pods see it (resolv.conf: nameserver 10.96.0.10, search <ns>.svc.cluster.local ...).
expect_output "resolv.conf of a pod points at the cluster DNS with the namespace search path" \
  "nameserver 10\.96\.0\.10" "${k[@]}" exec client -- cat /etc/resolv.conf
# busybox's nslookup applies the search path only to names without a dot; wget and ping resolve through libc, which
# applies it (ndots:5) to every short name, as applications do.
expect_output "a pod reaches http://web/ by name (search path)" '^web-' "$probe" client "http://web/"
expect_output "a pod reaches http://web.$NS/ by name" '^web-' "$probe" client "http://web.$NS/"
expect_output "a pod reaches http://web.$NS.svc.cluster.local/ by name" '^web-' "$probe" client "http://web.$NS.svc.cluster.local/"
expect_output "nslookup web.$NS.svc.cluster.local answers the ClusterIP" "Address:? *(1: )?$web" \
  "${k[@]}" exec client -- nslookup "web.$NS.svc.cluster.local"
expect_output "a pod resolves kubernetes.default to 10.96.0.1" 'PING kubernetes\.default \(10\.96\.0\.1\)' \
  bash -c "kubectl -n $NS exec client -- ping -c 1 -W 1 kubernetes.default 2>&1; true"
expect_fail_output "an unknown name in the cluster domain is NXDOMAIN" 'NXDOMAIN' \
  "${k[@]}" exec client -- nslookup "nothing.$NS.svc.cluster.local"
# The slice's ready addresses and the DNS answer, side by side (a replacement pod may turn ready meanwhile).
cat >"$WORK/headless.sh" <<SH
#!/usr/bin/env bash
slice=\$(kubectl -n $NS get endpointslice -l kubernetes.io/service-name=web-headless \\
  -o 'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]}{"\\n"}{end}' | sort | tr '\\n' ' ')
dns=\$(kubectl -n $NS exec client -- nslookup web-headless.$NS.svc.cluster.local | sed -n 's/^Address: *\\(10\\.[0-9.]*\\)\$/\\1/p' | sort | tr '\\n' ' ')
echo "slice: \$slice dns: \$dns"
[[ -n \$slice && \$slice == "\$dns" ]]
SH
chmod +x "$WORK/headless.sh"
expect_eventually "the headless Service answers one A record per ready pod" '^slice: ' "$WORK/headless.sh"
expect_success "the StatefulSet's pod db-0 becomes ready" "${k[@]}" wait --for=condition=Ready pod/db-0 --timeout=30s
db_ip=$("${k[@]}" get pod db-0 -o 'jsonpath={.status.podIP}')
expect_eventually "a StatefulSet pod resolves as db-0.db.$NS.svc.cluster.local" "Address:? *(1: )?$db_ip\$" \
  "${k[@]}" exec client -- nslookup "db-0.db.$NS.svc.cluster.local"
expect_output "SRV _http._tcp.web.$NS.svc.cluster.local names port 80 of the service" "0 100 80 web\.$NS\.svc\.cluster\.local" \
  "${k[@]}" exec client -- nslookup -type=srv "_http._tcp.web.$NS.svc.cluster.local"
client_ip=$("${k[@]}" get pod client -o 'jsonpath={.status.podIP}')
expect_output "the pod record ${client_ip//./-}.$NS.pod.cluster.local answers the pod's address" "Address:? *(1: )?$client_ip\$" \
  "${k[@]}" exec client -- nslookup "${client_ip//./-}.$NS.pod.cluster.local"
expect_output "PTR of the ClusterIP $web names the Service" "name = web\.$NS\.svc\.cluster\.local" \
  "${k[@]}" exec client -- nslookup "$web"
# The host's resolver knows no public names on this machine (it answers NXDOMAIN for everything), so a forwarded
# name can only show that the question went out and its answer came back (NXDOMAIN rather than SERVFAIL or a timeout).
expect_fail_output "a name outside the cluster is forwarded to the host's resolver and its answer relayed" 'NXDOMAIN' \
  "${k[@]}" exec client -- nslookup example.invalid.

metrics=127.0.0.1:${K8SSHARP_PROXY_METRICS_PORT:-10249}
expect_output "the proxy's /metrics count endpoint changes" 'kubeproxy_sync_proxy_rules_endpoint_changes_total [1-9]' \
  "$WORK/bin/wget" -q -O- "http://$metrics/metrics"
expect_output "the proxy's /metrics observe network programming latency" 'kubeproxy_network_programming_duration_seconds_count [1-9]' \
  "$WORK/bin/wget" -q -O- "http://$metrics/metrics"

expect_success "delete the Services" "${k[@]}" delete service web sticky empty local remote "lb"
expect_eventually "a deleted Service's IP is refused (unallocated service IPs never leave the node)" '^refused $' \
  "$probe" - "http://$web/"
