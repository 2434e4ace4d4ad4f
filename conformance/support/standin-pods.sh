# shellcheck shell=bash
# Stand-in "pods" for Service networking checks while no kubelet runs them: network namespaces
# k8ss-px-<n> on a test bridge k8ss-pxbr0 (10.244.99.1/24 on the host side), each with 10.244.99.<10+n>,
# optionally serving `busybox httpd` on :8080 with a page naming the backend. Acts as a CNI bridge
# plugin would: hairpin mode on the bridge ports, FORWARD accepted for the bridge (appended, so the
# proxy's KUBE-* jumps at the top are evaluated first). Needs root and busybox (httpd).
#
#   standin_setup N        creates namespaces 1..N
#   standin_serve n DIR    runs httpd in namespace n, serving DIR
#   standin_ip n           prints namespace n's address
#   standin_cleanup        removes everything above (safe to call twice, and before setup)

K8SS_PX_BRIDGE=k8ss-pxbr0
K8SS_PX_COMMENT=k8ss-px-standin

standin_ip() { printf '10.244.99.%d\n' "$((10 + $1))"; }

standin_setup() {
  local n count=$1
  ip link add "$K8SS_PX_BRIDGE" type bridge
  ip addr add 10.244.99.1/24 dev "$K8SS_PX_BRIDGE"
  ip link set "$K8SS_PX_BRIDGE" up
  for chain_dir in -i -o; do
    iptables -w -A FORWARD "$chain_dir" "$K8SS_PX_BRIDGE" -m comment --comment "$K8SS_PX_COMMENT" -j ACCEPT
  done
  for ((n = 1; n <= count; n++)); do
    ip netns add "k8ss-px-$n"
    ip link add "k8ss-pxv$n" type veth peer name eth0 netns "k8ss-px-$n"
    ip link set "k8ss-pxv$n" master "$K8SS_PX_BRIDGE" up
    bridge link set dev "k8ss-pxv$n" hairpin on
    ip -n "k8ss-px-$n" addr add "$(standin_ip "$n")/24" dev eth0
    ip -n "k8ss-px-$n" link set lo up
    ip -n "k8ss-px-$n" link set eth0 up
    ip -n "k8ss-px-$n" route add default via 10.244.99.1
  done
}

standin_serve() {
  local n=$1 dir=$2
  ip netns exec "k8ss-px-$n" busybox httpd -p 8080 -h "$dir"
}

standin_cleanup() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^k8ss-px-[0-9]+$/ {print $1}'); do
    # Only processes inside our own namespaces (the httpd servers), by pid.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
    ip netns delete "$ns" 2>/dev/null
  done
  for chain_dir in -i -o; do
    while iptables -w -D FORWARD "$chain_dir" "$K8SS_PX_BRIDGE" -m comment --comment "$K8SS_PX_COMMENT" -j ACCEPT 2>/dev/null; do :; done
  done
  ip link delete "$K8SS_PX_BRIDGE" 2>/dev/null
  return 0
}
