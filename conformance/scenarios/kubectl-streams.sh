#!/usr/bin/env bash
# The kubelet's server (logs, exec, attach, cp, port-forward; /pods, stats and metrics through the node proxy)
# through the API server, observed with stock kubectl: pods name their node in spec.nodeName (no scheduler
# needed). Every streaming command runs twice
# where kubectl has two transports: WebSocket (kubectl 1.35's default) and SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false,
# KUBECTL_PORT_FORWARD_WEBSOCKETS=false).
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
NODE=${K8SSHARP_NODE_NAME:-$(kubectl get nodes -o 'jsonpath={.items[0].metadata.name}' 2>/dev/null)}
CIDR=${K8SSHARP_POD_CIDR:-10.244.0.0/24}

expect_eventually "node $NODE is registered" "^$NODE\$" kubectl get node "$NODE" -o 'jsonpath={.metadata.name}'
if [[ -z $(kubectl get node "$NODE" -o 'jsonpath={.spec.podCIDR}' 2>/dev/null) ]]; then
  expect_success "give node $NODE the podCIDR $CIDR" \
    kubectl patch node "$NODE" --type=merge -p "{\"spec\":{\"podCIDR\":\"$CIDR\",\"podCIDRs\":[\"$CIDR\"]}}"
fi
expect_output "the API server reaches the kubelet: nodes/$NODE/proxy/healthz" '^ok$' kubectl get --raw "/api/v1/nodes/$NODE/proxy/healthz"

cat >"$WORK/pods.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata: {name: talk}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: busybox:1.35, command: [sh, -c, 'i=0; while true; do echo line-\$i; i=\$((i+1)); sleep 1; done']}
  - {name: side, image: busybox:1.35, command: [sh, -c, 'echo side-hello; echo side-error >&2; exec sleep 3600']}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - {name: web, image: busybox:1.35, command: [sh, -c, 'mkdir -p /www; echo hello-through-port-forward > /www/index.html; exec httpd -f -p 80 -h /www']}
---
apiVersion: v1
kind: Pod
metadata: {name: restart}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - {name: restart, image: busybox:1.35, command: [sh, -c, 'echo run-started; sleep 1; exit 1']}
---
apiVersion: v1
kind: Pod
metadata: {name: nopull}
spec:
  nodeName: $NODE
  terminationGracePeriodSeconds: 1
  containers:
  - {name: nopull, image: k8ssharp.invalid/no-such-image:1}
YAML
expect_success "create pods talk, web, restart, nopull on $NODE" "${k[@]}" apply -f "$WORK/pods.yaml"
for p in talk web; do
  expect_eventually "$p runs" '^Running$' "${k[@]}" get pod "$p" -o 'jsonpath={.status.phase}'
done
expect_output "nodes/$NODE/proxy/pods lists the node's pods (the kubelet's /pods)" '^a PodList with talk$' \
  bash -c "kubectl get --raw /api/v1/nodes/$NODE/proxy/pods >$WORK/pods.json && grep -q '\"kind\":\"PodList\"' $WORK/pods.json && grep -q '\"name\":\"talk\"' $WORK/pods.json && echo 'a PodList with talk'"

expect_output "nodes/$NODE/proxy/stats/summary reports the node and pod talk's containers" "\"nodeName\":\"$NODE\".*\"podRef\":\\{\"name\":\"talk\"" \
  kubectl get --raw "/api/v1/nodes/$NODE/proxy/stats/summary"
expect_output "nodes/$NODE/proxy/metrics/resource has container CPU for talk/main" "^container_cpu_usage_seconds_total\\{container=\"main\",namespace=\"$NS\",pod=\"talk\"\\} [0-9.e+-]+ [0-9]+\$" \
  kubectl get --raw "/api/v1/nodes/$NODE/proxy/metrics/resource"
expect_output "nodes/$NODE/proxy/metrics has kubelet_running_pods" '^kubelet_running_pods [1-9][0-9]*$' \
  kubectl get --raw "/api/v1/nodes/$NODE/proxy/metrics"

# --- kubectl logs ---
expect_eventually "kubectl logs -c main" '^line-1$' "${k[@]}" logs talk -c main
expect_output "kubectl logs -c side shows stdout and stderr" 'side-hello' "${k[@]}" logs talk -c side
expect_output "kubectl logs -c side: stderr too" 'side-error' "${k[@]}" logs talk -c side
expect_output "kubectl logs --tail=2 prints two lines" '^2$' bash -c "kubectl -n $NS logs talk -c main --tail=2 | wc -l"
expect_output "kubectl logs --timestamps prefixes RFC 3339 times" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z line-[0-9]+$' \
  "${k[@]}" logs talk -c main --timestamps --tail=1
expect_output "kubectl logs --limit-bytes=4" '^line$' "${k[@]}" logs talk -c main --limit-bytes=4
expect_output "kubectl logs --since=1h shows everything so far" '^line-0$' "${k[@]}" logs talk -c main --since=1h
expect_output "kubectl logs -f keeps streaming new lines (3 s)" '^[3-9]$' \
  bash -c "(timeout 3.5 kubectl -n $NS logs -f talk -c main --tail=1; true) | wc -l"
expect_output "kubectl logs -f streams lines written after it started" 'line-[0-9]+' \
  bash -c "timeout 3 kubectl -n $NS logs -f talk -c main --tail=0; true"
expect_fail_output "kubectl logs --previous without a restart" 'previous terminated container "web" in pod "web" not found' \
  "${k[@]}" logs web --previous
expect_eventually "restart has restarted" '^[1-9][0-9]*$' "${k[@]}" get pod restart -o 'jsonpath={.status.containerStatuses[0].restartCount}'
expect_output "kubectl logs --previous shows the run before the restart" '^run-started$' "${k[@]}" logs restart --previous
expect_eventually "kubectl logs of a container that could not start says why" 'container "nopull" in pod "nopull" is waiting to start' \
  bash -c "kubectl -n $NS logs nopull 2>&1; true"

# --- kubectl exec (WebSocket, then SPDY) ---
printf 'first line\nsecond line\n' >"$WORK/in.txt"
for transport in websocket spdy; do
  env=()
  [[ $transport == spdy ]] && env=(env KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false)
  expect_output "[$transport] kubectl exec prints the output and exits with the command's code (3)" '^hi rc=3$' \
    bash -c "out=\$(${env[*]} kubectl -n $NS exec web -- sh -c 'echo hi; exit 3'); echo \"\$out rc=\$?\""
  expect_output "[$transport] kubectl exec -i passes stdin (cat < file)" '^first line second line$' \
    bash -c "${env[*]} kubectl -n $NS exec -i web -- cat <$WORK/in.txt | paste -sd' '"
  # stdout and stderr are separate streams: their relative order is not kept.
  expect_output "[$transport] kubectl exec -c side: stderr comes back too" '^(out err|err out)$' \
    bash -c "${env[*]} kubectl -n $NS exec talk -c side -- sh -c 'echo out; echo err >&2' 2>&1 | paste -sd' '"
  expect_fail_output "[$transport] kubectl exec of a missing command fails with docker's exit code" 'exit code 12[67]' \
    "${env[@]}" "${k[@]}" exec web -- no-such-command
  expect_output "[$transport] kubectl attach streams what the container prints" 'line-[0-9]+' \
    bash -c "timeout 3 ${env[*]} kubectl -n $NS attach talk -c main; true"
done

# --- kubectl cp (tar through exec) ---
expect_success "kubectl cp a file into the pod" "${k[@]}" cp "$WORK/in.txt" "web:/tmp/copied.txt"
expect_output "the file arrived" '^first line$' "${k[@]}" exec web -- head -n 1 /tmp/copied.txt
expect_success "kubectl cp the file back out" "${k[@]}" cp "web:/tmp/copied.txt" "$WORK/out.txt"
expect_success "what came back is what went in" cmp "$WORK/in.txt" "$WORK/out.txt"

# --- kubectl port-forward (WebSocket tunnel, then SPDY) ---
# A local port of kubectl's choosing (":80"), read from its "Forwarding from 127.0.0.1:N -> 80" line.
cat >"$WORK/forward.sh" <<'SH'
#!/usr/bin/env bash
ns=$1 out=$2
kubectl -n "$ns" port-forward pod/web :80 >"$out" 2>&1 &
pf=$!
trap 'kill $pf 2>/dev/null' EXIT
for _ in $(seq 100); do
  port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) -> 80$/\1/p' "$out")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { cat "$out"; exit 1; }
curl -s --max-time 5 "http://127.0.0.1:$port/" && curl -s --max-time 5 "http://127.0.0.1:$port/"
SH
chmod +x "$WORK/forward.sh"
expect_output "[websocket] kubectl port-forward pod/web :80 reaches httpd in the pod (twice)" '^hello-through-port-forward hello-through-port-forward$' \
  bash -c "$WORK/forward.sh $NS $WORK/pf-ws.log | paste -sd' '"
expect_output "[spdy] kubectl port-forward pod/web :80 reaches httpd in the pod (twice)" '^hello-through-port-forward hello-through-port-forward$' \
  bash -c "KUBECTL_PORT_FORWARD_WEBSOCKETS=false $WORK/forward.sh $NS $WORK/pf-spdy.log | paste -sd' '"

expect_success "delete the pods" "${k[@]}" delete pod talk web restart nopull --timeout=25s
