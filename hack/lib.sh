# shellcheck shell=bash
# Shared settings and helpers for the hack/ scripts. Source it; do not run it.
#
# Everything a running cluster leaves behind lives in .k8ssharp/ (git-ignored):
#   bin/            pinned stock kubectl and helm (make tools)
#   etcd/           etcd's data
#   pki/, kubeconfig   written by the API server on its first start
#   logs/<name>.log one log per component
#   <name>.pid      the pid of each component we started; `make down` signals only these

K8SS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# K8SSHARP_STATE_DIR moves a cluster's state elsewhere (hack/cold-start.sh runs a second cluster that way); the
# stock clients stay in this checkout's .k8ssharp/bin.
K8SS_STATE=${K8SSHARP_STATE_DIR:-$K8SS_ROOT/.k8ssharp}
K8SS_BIN=$K8SS_ROOT/.k8ssharp/bin
K8SS_LOGS=$K8SS_STATE/logs
K8SS_KUBECONFIG=$K8SS_STATE/kubeconfig

# Ports can be moved, e.g. when another etcd already listens on 2379.
K8SS_ETCD_PORT=${K8SSHARP_ETCD_PORT:-2379}
K8SS_ETCD_PEER_PORT=${K8SSHARP_ETCD_PEER_PORT:-$((K8SS_ETCD_PORT + 1))}
K8SS_API_PORT=${K8SSHARP_API_PORT:-6443}
K8SS_ETCD_URL=http://127.0.0.1:$K8SS_ETCD_PORT
K8SS_READY_TIMEOUT=${K8SSHARP_READY_TIMEOUT:-60}
K8SS_STOP_TIMEOUT=${K8SSHARP_STOP_TIMEOUT:-10}

K8SS_APISERVER_DLL=$K8SS_ROOT/api/K8sSharp.ApiServer/bin/Release/net10.0/k8ssharp-apiserver.dll
K8SS_CONTROLLER_MANAGER_DLL=$K8SS_ROOT/controllers/K8sSharp.ControllerManager/bin/Release/net10.0/k8ssharp-controller-manager.dll
K8SS_CONTROLLER_MANAGER_PORT=${K8SSHARP_CONTROLLER_MANAGER_PORT:-10257}
K8SS_SCHEDULER_DLL=$K8SS_ROOT/controllers/K8sSharp.Scheduler/bin/Release/net10.0/k8ssharp-scheduler.dll
K8SS_SCHEDULER_PORT=${K8SSHARP_SCHEDULER_PORT:-10259}

# The node: dockerd (shared by every kubelet on the machine; started only if none runs) and the kubelet,
# which runs as root. Several kubelets can share one machine and dockerd when each has its own node
# name, port, CNI bridge and pod CIDR (the CIDR comes from the Node's spec.podCIDR).
K8SS_DOCKER_SOCK=${K8SSHARP_DOCKER_SOCK:-/var/run/docker.sock}
K8SS_KUBELET_DLL=$K8SS_ROOT/kubelet/K8sSharp.Kubelet/bin/Release/net10.0/k8ssharp-kubelet.dll
K8SS_KUBELET_PORT=${K8SSHARP_KUBELET_PORT:-10250}
# Plain-HTTP /healthz on 127.0.0.1 (upstream's 10248); by default two below the kubelet's port, so a moved kubelet
# port moves it too.
K8SS_KUBELET_HEALTHZ_PORT=${K8SSHARP_KUBELET_HEALTHZ_PORT:-$((K8SS_KUBELET_PORT - 2))}
K8SS_NODE_NAME=${K8SSHARP_NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}
K8SS_CNI_BRIDGE=${K8SSHARP_CNI_BRIDGE:-cni0}
K8SS_POD_LOG_DIR=${K8SSHARP_POD_LOG_DIR:-/var/log/pods}
# Pod addresses: node IPAM carves a /24 per node out of it. Two clusters on one machine need distinct ones.
K8SS_CLUSTER_CIDR=${K8SSHARP_CLUSTER_CIDR:-10.244.0.0/16}

K8SS_PROXY_DLL=$K8SS_ROOT/proxy/K8sSharp.Proxy/bin/Release/net10.0/k8ssharp-proxy.dll
K8SS_PROXY_METRICS_PORT=${K8SSHARP_PROXY_METRICS_PORT:-10249}
K8SS_PROXY_HEALTH_PORT=${K8SSHARP_PROXY_HEALTH_PORT:-10256}
# The cluster DNS server listens on the node's IP at this port; Service kube-system/kube-dns (10.96.0.10:53)
# is DNATed to it, so only the port the host sees moves.
K8SS_PROXY_DNS_PORT=${K8SSHARP_PROXY_DNS_PORT:-53}

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The components run with this checkout as their content root, where ASP.NET Core's default configuration watches
# for appsettings.json changes with a recursive inotify watch over the whole tree (359 directories here, .k8ssharp/
# included): at start-up it walks the tree, and afterwards every write below it (etcd's WAL on each API write, the
# component logs, builds) wakes a thread in every component. They read no appsettings.json at all: no reload, no watch.
export DOTNET_hostBuilder__reloadConfigOnChange=false

# ---------------------------------------------------------------------------------------------
# The cluster's processes, in start order (`make down` stops them in reverse order).
# One line per component:
#   component NAME READY_URL READY_REGEX -- COMMAND...
# NAME names the log (logs/NAME.log) and the pid file (NAME.pid). The component is ready when
# READY_URL (fetched with curl -sk) answers a body matching READY_REGEX (grep -E). A READY_URL
# unix:<socket>:<path> asks over a Unix socket; such a component is a machine-wide daemon: when one
# already answers, `make up` uses it and `make down` leaves it alone (only a daemon it started is stopped).
k8ss_components() {
  component dockerd "unix:$K8SS_DOCKER_SOCK:/_ping" '^OK$' -- \
    dockerd --host "unix://$K8SS_DOCKER_SOCK"
  component etcd "$K8SS_ETCD_URL/health" '"health": ?"true"' -- \
    etcd --name k8ssharp --data-dir "$K8SS_STATE/etcd" \
    --listen-client-urls "$K8SS_ETCD_URL" --advertise-client-urls "$K8SS_ETCD_URL" \
    --listen-peer-urls "http://127.0.0.1:$K8SS_ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$K8SS_ETCD_PEER_PORT" \
    --initial-cluster "k8ssharp=http://127.0.0.1:$K8SS_ETCD_PEER_PORT"
  component apiserver "https://127.0.0.1:$K8SS_API_PORT/readyz" '^ok$' -- \
    dotnet "$K8SS_APISERVER_DLL" --data-dir "$K8SS_STATE" \
    --etcd-servers "$K8SS_ETCD_URL" --secure-port "$K8SS_API_PORT"
  # An API client like any other: it finds the API server (and a moved K8SSHARP_API_PORT) only
  # through the kubeconfig the API server wrote.
  component controller-manager "http://127.0.0.1:$K8SS_CONTROLLER_MANAGER_PORT/healthz" '^ok$' -- \
    dotnet "$K8SS_CONTROLLER_MANAGER_DLL" --kubeconfig "$K8SS_KUBECONFIG" --port "$K8SS_CONTROLLER_MANAGER_PORT" \
    --cluster-cidr "$K8SS_CLUSTER_CIDR" --local-path-dir "$K8SS_STATE/local-path"
  component scheduler "http://127.0.0.1:$K8SS_SCHEDULER_PORT/healthz" '^ok$' -- \
    dotnet "$K8SS_SCHEDULER_DLL" --kubeconfig "$K8SS_KUBECONFIG" --port "$K8SS_SCHEDULER_PORT"
  # Needs root (CNI plugins, iptables, bind mounts); the images it runs are built first (k8ss_before_start).
  component kubelet "http://127.0.0.1:$K8SS_KUBELET_HEALTHZ_PORT/healthz" '^ok$' -- \
    dotnet "$K8SS_KUBELET_DLL" --kubeconfig "$K8SS_KUBECONFIG" --node-name "$K8SS_NODE_NAME" \
    --port "$K8SS_KUBELET_PORT" --healthz-port "$K8SS_KUBELET_HEALTHZ_PORT" --root-dir "$K8SS_STATE/kubelet" --pod-log-dir "$K8SS_POD_LOG_DIR" \
    --cni-bridge "$K8SS_CNI_BRIDGE" --local-path-dir "$K8SS_STATE/local-path"
  # Service virtual IPs (iptables, needs root) and the cluster DNS; ready once its first rules sync is done.
  component proxy "http://127.0.0.1:$K8SS_PROXY_HEALTH_PORT/healthz" '"lastUpdated": ?"2[0-9]{3}-' -- \
    dotnet "$K8SS_PROXY_DLL" --kubeconfig "$K8SS_KUBECONFIG" --hostname-override "$K8SS_NODE_NAME" --cluster-cidr "$K8SS_CLUSTER_CIDR" \
    --metrics-bind-address "127.0.0.1:$K8SS_PROXY_METRICS_PORT" --healthz-bind-address "127.0.0.1:$K8SS_PROXY_HEALTH_PORT" \
    --dns-bind ":$K8SS_PROXY_DNS_PORT"
}

# Start stages (hack/up.sh): a stage starts once every component of the earlier stages is ready, and the
# components of one stage start together. dockerd and etcd need nothing; the API server needs etcd; the rest need
# only the API server (and the kubeconfig it writes): the kubelet registers its Node and waits for its podCIDR on
# its own, the controllers and the scheduler catch up through their informers.
declare -A K8SS_STAGES=([dockerd]=0 [etcd]=0 [apiserver]=1)
k8ss_stage() { printf '%s\n' "${K8SS_STAGES[$1]:-2}"; }
k8ss_stages() { printf '%s\n' 0 1 2; }

# What must be in place before a component starts (run by up.sh and run.sh).
k8ss_before_start() {
  case $1 in
    kubelet)
      ((EUID == 0)) || die "the kubelet must run as root (CNI plugins, iptables, bind mounts): run 'make up' as root"
      "$K8SS_ROOT/hack/images/build.sh" | sed 's/^/    /'
      ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Output helpers.
log() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Component registry, filled by k8ss_components.
declare -a K8SS_NAMES=()
declare -A K8SS_URL=() K8SS_READY=() K8SS_CMD=()
declare -a K8SS_ARGV=() K8SS_SELECTED=()

component() {
  local name=$1 url=$2 ready=$3
  shift 3
  [[ ${1:-} == -- ]] && shift
  K8SS_NAMES+=("$name")
  K8SS_URL[$name]=$url
  K8SS_READY[$name]=$ready
  K8SS_CMD[$name]=$(printf '%q ' "$@")
}
k8ss_components

# Sets K8SS_SELECTED to the named components (validated), or to every component; always in
# start order. (An array rather than output, so that an unknown name stops the caller.)
k8ss_select() {
  local n
  for n in "$@"; do
    [[ -n ${K8SS_URL[$n]+x} ]] || die "unknown component '$n' (known: ${K8SS_NAMES[*]})"
  done
  K8SS_SELECTED=()
  for n in "${K8SS_NAMES[@]}"; do
    if (($# == 0)) || [[ " $* " == *" $n "* ]]; then K8SS_SELECTED+=("$n"); fi
  done
}

k8ss_pidfile() { printf '%s/%s.pid' "$K8SS_STATE" "$1"; }
k8ss_logfile() { printf '%s/%s.log' "$K8SS_LOGS" "$1"; }

# Sets K8SS_ARGV to a component's command line.
k8ss_argv() { eval "K8SS_ARGV=(${K8SS_CMD[$1]})"; }

# The program a component's command line must contain: the .dll for `dotnet x.dll`, else argv[0].
# Checking it means a stale pid file never makes us signal an unrelated process that got the pid.
k8ss_marker() {
  k8ss_argv "$1"
  if [[ $(basename "${K8SS_ARGV[0]}") == dotnet ]]; then
    basename "${K8SS_ARGV[1]}"
  else
    basename "${K8SS_ARGV[0]}"
  fi
}

# Prints the pid of a live component that we started, or fails.
k8ss_pid() {
  local name=$1 pidfile pid cmdline
  pidfile=$(k8ss_pidfile "$name")
  [[ -r $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # A zombie or a recycled pid has an empty or different command line.
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$(k8ss_marker "$name")"* ]] || return 1
  printf '%s\n' "$pid"
}

k8ss_alive() { k8ss_pid "$1" >/dev/null; }

# True when the component's readiness URL answers as expected.
k8ss_ready() {
  local body url=${K8SS_URL[$1]} socket path
  if [[ $url == unix:* ]]; then
    socket=${url#unix:}
    path=${socket#*:}
    socket=${socket%%:*}
    body=$(curl -s --max-time 2 --unix-socket "$socket" "http://localhost$path" 2>/dev/null) || return 1
  else
    body=$(curl -sk --max-time 2 "$url" 2>/dev/null) || return 1
  fi
  grep -Eq -- "${K8SS_READY[$1]}" <<<"$body" || return 1
  [[ -z ${K8SS_ALSO_READY[$1]:-} ]] || "${K8SS_ALSO_READY[$1]}"
}

# Readiness beyond a component's own URL: the kubelet counts as ready once its Node reports Ready (asked of the
# API server with the admin certificate), so `make up` returns with a node that takes pods.
declare -A K8SS_ALSO_READY=([kubelet]=k8ss_node_ready)
k8ss_node_ready() {
  curl -sk --max-time 2 --cert "$K8SS_STATE/pki/admin.crt" --key "$K8SS_STATE/pki/admin.key" \
    "https://127.0.0.1:$K8SS_API_PORT/api/v1/nodes/$K8SS_NODE_NAME" 2>/dev/null | grep -Eq '"reason": ?"KubeletReady"'
}

# True for a machine-wide daemon (readiness over a Unix socket): reused when already running.
k8ss_shared() { [[ ${K8SS_URL[$1]} == unix:* ]]; }

# The TCP port of a component's readiness URL (nothing for a Unix socket).
k8ss_port() {
  k8ss_shared "$1" && return 0
  local hostport=${K8SS_URL[$1]#*://}
  hostport=${hostport%%/*}
  printf '%s\n' "${hostport##*:}"
}

k8ss_port_busy() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

# Refuses to start a component whose port is held by a process we did not start.
k8ss_check_port() {
  local name=$1 port
  port=$(k8ss_port "$name")
  [[ -n $port ]] || return 0
  if k8ss_port_busy "$port"; then
    die "port $port (for $name) is already in use by a process that 'make up' did not start.
  Stop that process, or move K8sSharp's ports: K8SSHARP_ETCD_PORT=12379 K8SSHARP_API_PORT=16443 make up"
  fi
}

# Fails with a hint when a component's program (or its .dll) is not there yet.
k8ss_check_runnable() {
  local name=$1
  k8ss_argv "$name"
  command -v "${K8SS_ARGV[0]}" >/dev/null ||
    die "$name needs '${K8SS_ARGV[0]}', which is not installed: run 'make tools'"
  if [[ $(basename "${K8SS_ARGV[0]}") == dotnet && ! -f ${K8SS_ARGV[1]} ]]; then
    die "$name is not built (${K8SS_ARGV[1]} is missing): run 'make build'"
  fi
}

k8ss_log_header() {
  mkdir -p "$K8SS_LOGS"
  printf '\n===== %s: starting %s: %s\n' "$(date -Is)" "$1" "${K8SS_CMD[$1]}" >>"$(k8ss_logfile "$1")"
}

# Starts a component detached in its own session (so Ctrl-C in a terminal does not reach it).
# The child writes its own pid before exec'ing the command, so the pid file is exact.
k8ss_start_detached() {
  local name=$1 pidfile i
  pidfile=$(k8ss_pidfile "$name")
  rm -f "$pidfile"
  k8ss_log_header "$name"
  k8ss_argv "$name"
  (
    cd "$K8SS_ROOT" || exit
    # A small supervisor: the pid file names the component's process itself; a component that exits with 75 (it lost
    # its leader lease, e.g. while the API server restarted) is started again, as the kubelet restarts upstream's
    # static pods. Any other exit, hack/down.sh's SIGTERM included, ends the supervisor too.
    # shellcheck disable=SC2016 # $0, $@ and the variables belong to the inner bash
    exec setsid -f bash -c 'while :; do
        "$@" & child=$!
        echo "$child" >"$0"
        wait "$child" && exit 0 || rc=$?
        ((rc == 75)) || exit "$rc"
        echo "===== $(date -Is): exited with 75 (lost its leader lease): starting it again"
        sleep 1
      done' "$pidfile" "${K8SS_ARGV[@]}" \
      </dev/null >>"$(k8ss_logfile "$name")" 2>&1
  )
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "$name did not start (no pid file); see $(k8ss_logfile "$name")"
}

# Waits until the component is ready, printing a dot a second; on failure shows the log's tail. Polls every
# 0.1 s: a component is usually ready within a second or two, and whole-second polls cost each start up to a
# second (cold start of the whole cluster).
k8ss_wait_ready() {
  local name=$1 timeout=${2:-$K8SS_READY_TIMEOUT} i logfile
  logfile=$(k8ss_logfile "$name")
  printf '==> waiting for %s to be ready (%s%s) ' "$name" "${K8SS_URL[$name]}" "${K8SS_ALSO_READY[$name]:+, then ${K8SS_ALSO_READY[$name]#k8ss_}}"
  for ((i = 0; i < timeout * 10; i++)); do
    if k8ss_ready "$name"; then
      printf ' ready\n'
      return 0
    fi
    if ! k8ss_alive "$name"; then
      printf ' exited\n'
      k8ss_explain_failure "$name" "$name exited before it was ready"
      return 1
    fi
    ((i % 10 == 9)) && printf '.'
    sleep 0.1
  done
  printf ' timed out\n'
  k8ss_explain_failure "$name" "$name was not ready after ${timeout}s"
  return 1
}

k8ss_explain_failure() {
  local name=$1 logfile
  logfile=$(k8ss_logfile "$name")
  printf 'error: %s. Last lines of %s:\n' "$2" "$logfile" >&2
  tail -n 25 "$logfile" 2>/dev/null | sed 's/^/    /' >&2
  cat >&2 <<EOF
What to do: read $logfile; 'make down' stops whatever is still running
(state in .k8ssharp/ is kept), fix the problem, then 'make up' again.
'make reset' also wipes the cluster's state (everything in .k8ssharp/ but bin/).
EOF
}

# Stops one component by its pid file: SIGTERM, up to K8SS_STOP_TIMEOUT seconds, then SIGKILL.
k8ss_stop() {
  local name=$1 pidfile pid i
  pidfile=$(k8ss_pidfile "$name")
  if ! pid=$(k8ss_pid "$name"); then
    [[ -e $pidfile ]] && log "$name is not running (removing stale $(basename "$pidfile"))"
    rm -f "$pidfile"
    return 0
  fi
  printf '==> stopping %s (pid %s) ' "$name" "$pid"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < K8SS_STOP_TIMEOUT * 5; i++)); do
    if ! k8ss_alive "$name"; then
      printf ' stopped\n'
      rm -f "$pidfile"
      return 0
    fi
    ((i % 5 == 4)) && printf '.'
    sleep 0.2
  done
  printf ' still running after %ss: SIGKILL\n' "$K8SS_STOP_TIMEOUT"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 25; i++)); do
    k8ss_alive "$name" || break
    sleep 0.2
  done
  rm -f "$pidfile"
}

k8ss_usage_banner() {
  cat <<EOF

K8sSharp is up. Use the stock kubectl and helm with it:

  export KUBECONFIG=$K8SS_KUBECONFIG
  export PATH=$K8SS_BIN:\$PATH
  kubectl get ns

Logs: $K8SS_LOGS/   Stop: make down   (state stays in .k8ssharp/)
EOF
}
