#!/usr/bin/env bash
# `make test` (after make tools build): every test.
#   1. etcd (reused if `make up` already runs one) for the unit/integration tests, which find it
#      through K8SSHARP_ETCD; dockerd and the local images for the kubelet's Docker tests
#   2. dotnet test K8sSharp.sln
#   3. the cluster (hack/up.sh), the conformance scenarios, then conformance/restart-check.sh
#   4. stops, by pid, only the components this script started (also on failure or Ctrl-C)
# Ends with one line `N passed, M failed` (dotnet tests + conformance checks) and exits non-zero
# if anything failed.
set -uo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

passed=0
failed=0
mapfile -t was_running < <("$K8SS_ROOT/hack/status.sh" --alive)
cleaned=0

# Stops the components that were not running before this script started.
# shellcheck disable=SC2317 # also called through the trap
cleanup() {
  ((cleaned)) && return
  cleaned=1
  local name ours=()
  for name in "${K8SS_NAMES[@]}"; do
    [[ " ${was_running[*]} " == *" $name "* ]] || ours+=("$name")
  done
  ((${#ours[@]})) && "$K8SS_ROOT/hack/down.sh" "${ours[@]}"
  return 0
}
# `timeout` puts dotnet test in its own process group, out of reach of a terminal's Ctrl-C, so a
# signal to this script is passed on to it (by pid) before the cleanup.
child=
# shellcheck disable=SC2317 # called through the traps
on_signal() {
  [[ -n $child ]] && kill -TERM "$child" 2>/dev/null
  exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

fail() {
  printf 'not ok - %s\n' "$*"
  failed=$((failed + 1))
}

# Adds "<label>: N passed, M failed" from a log to the totals; a missing line counts as a failure.
add_summary() {
  local label=$1 logfile=$2 rc=$3 line
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed$" "$logfile" | tail -n 1)
  if [[ -z $line ]]; then
    fail "$label printed no summary (exit status $rc)"
    return
  fi
  [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]
  passed=$((passed + BASH_REMATCH[1]))
  failed=$((failed + BASH_REMATCH[2]))
  if ((rc != 0 && BASH_REMATCH[2] == 0)); then
    fail "$label exited with status $rc"
  fi
}

mkdir -p "$K8SS_LOGS"

# 1-2. unit and integration tests (the kubelet's need dockerd and the local images)
"$K8SS_ROOT/hack/up.sh" dockerd && "$K8SS_ROOT/hack/images/build.sh" || warn "dockerd or the local images are not available: the kubelet's Docker tests will skip"
if "$K8SS_ROOT/hack/up.sh" etcd; then
  export K8SSHARP_ETCD=$K8SS_ETCD_URL
  log "dotnet test K8sSharp.sln (K8SSHARP_ETCD=$K8SSHARP_ETCD)"
  # A hung test fails after 5 min instead of eating CI's 90; the whole run is capped too.
  timeout -k 30 "${K8SSHARP_DOTNET_TEST_TIMEOUT:-2400}" \
    dotnet test "$K8SS_ROOT/K8sSharp.sln" -c Release --no-build --nologo \
    --blame-hang-timeout 5m --blame-hang-dump-type none > >(tee "$K8SS_LOGS/dotnet-test.log") 2>&1 &
  child=$!
  rc=0
  wait "$child" || rc=$?
  child=
  wait # for tee to finish the log
  dn_passed=0 dn_failed=0 dn_lines=0
  # "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ..."
  while read -r f p; do
    dn_failed=$((dn_failed + f))
    dn_passed=$((dn_passed + p))
    dn_lines=$((dn_lines + 1))
  done < <(sed -nE 's/^\s*(Passed|Failed)!\s+-\s+Failed:\s*([0-9]+),\s*Passed:\s*([0-9]+),.*/\2 \3/p' "$K8SS_LOGS/dotnet-test.log")
  log "dotnet test: $dn_passed passed, $dn_failed failed (exit status $rc)"
  passed=$((passed + dn_passed))
  failed=$((failed + dn_failed))
  if ((rc != 0 && dn_failed == 0)); then
    fail "dotnet test exited with status $rc without a failing test in its summaries (build or run error; see above)"
  elif ((dn_lines == 0)); then
    fail "dotnet test ran no test"
  fi
else
  fail "etcd did not start: dotnet tests not run"
fi

# 3. conformance against a running cluster
if "$K8SS_ROOT/hack/up.sh"; then
  log "conformance scenarios"
  "$K8SS_ROOT/conformance/run.sh" 2>&1 | tee "$K8SS_LOGS/conformance.log"
  add_summary conformance "$K8SS_LOGS/conformance.log" "${PIPESTATUS[0]}"
  log "restart check"
  "$K8SS_ROOT/conformance/restart-check.sh" 2>&1 | tee "$K8SS_LOGS/restart-check.log"
  add_summary restart-check "$K8SS_LOGS/restart-check.log" "${PIPESTATUS[0]}"
else
  fail "the cluster did not start (see above): conformance scenarios and restart check not run"
fi

# 4. stop what we started, then the closing line
cleanup
echo
echo "$passed passed, $failed failed"
((failed == 0))
