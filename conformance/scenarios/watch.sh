#!/usr/bin/env bash
# Watches: `kubectl get -w` (list + watch from the list's resourceVersion), --output-watch-events,
# a single-object watch (needs the synthetic first ADDED event), and `kubectl wait --for=delete`.
# shellcheck source=conformance/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
require_ns

k=(kubectl -n "$NS")
# Waits until a background watcher's output file matches a regex (at most ~10 s).
wait_for_file() {
  local i
  for ((i = 0; i < 50; i++)); do
    grep -Eq -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# A sentinel that the watchers print first: once it shows, the list is done and the watch is open.
expect_output "create the sentinel configmap w0" '^configmap/w0 created$' "${k[@]}" create configmap w0 --from-literal=a=0

timeout 10 "${k[@]}" get configmaps -w >"$WORK/plain.out" 2>&1 &
plain_pid=$!
timeout 10 "${k[@]}" get configmaps -w --output-watch-events >"$WORK/events.out" 2>&1 &
events_pid=$!
timeout 10 "${k[@]}" get configmap w0 -w -o 'jsonpath={.data.a}{"\n"}' >"$WORK/single.out" 2>&1 &
single_pid=$!
wait_for_file "$WORK/plain.out" '^w0 ' || note "plain watcher printed no w0 row yet"
wait_for_file "$WORK/events.out" 'ADDED +w0 ' || note "events watcher printed no ADDED w0 row yet"
wait_for_file "$WORK/single.out" '^0$' || note "single-object watcher printed nothing yet"

expect_output "create w1 while watching" '^configmap/w1 created$' "${k[@]}" create configmap w1 --from-literal=a=1
expect_output "update w1 (2 keys) while watching" '^configmap/w1 replaced$' bash -c \
  "kubectl -n '$NS' create configmap w1 --from-literal=a=1 --from-literal=b=2 --dry-run=client -o yaml | kubectl -n '$NS' replace -f -"
expect_output "delete w1 while watching" '^configmap "w1" deleted' "${k[@]}" delete configmap w1
expect_output "update w0 while watching it alone" '^configmap/w0 replaced$' bash -c \
  "kubectl -n '$NS' create configmap w0 --from-literal=a=changed --dry-run=client -o yaml | kubectl -n '$NS' replace -f -"

wait_for_file "$WORK/plain.out" '^w1 +2 ' && sleep 1
wait "$plain_pid" "$events_pid" "$single_pid" 2>/dev/null

expect_output "get -w listed the existing w0" '^w0 +1 ' cat "$WORK/plain.out"
expect_output "get -w showed w1 added (1 key)" '^w1 +1 ' cat "$WORK/plain.out"
expect_output "get -w showed w1 updated (2 keys)" '^w1 +2 ' cat "$WORK/plain.out"
expect_output "get -w printed w1 three times (added, updated, deleted)" '^[3-9]$' grep -c '^w1 ' "$WORK/plain.out"
expect_output "--output-watch-events: ADDED w1" '^ADDED +w1 ' cat "$WORK/events.out"
expect_output "--output-watch-events: MODIFIED w1" '^MODIFIED +w1 ' cat "$WORK/events.out"
expect_output "--output-watch-events: DELETED w1" '^DELETED +w1 ' cat "$WORK/events.out"
expect_output "get NAME -w printed the current object" '^0$' cat "$WORK/single.out"
expect_output "get NAME -w showed the update (server sent the initial ADDED)" '^changed$' cat "$WORK/single.out"

expect_output "create w2" '^configmap/w2 created$' "${k[@]}" create configmap w2 --from-literal=a=2
timeout 25 "${k[@]}" wait --for=delete configmap/w2 --timeout=20s >"$WORK/wait.out" 2>&1 &
wait_pid=$!
sleep 2
expect_success "delete w2 without waiting" "${k[@]}" delete configmap w2 --wait=false
wait_rc=0
wait "$wait_pid" || wait_rc=$?
expect_output "wait --for=delete returned after the delete" 'condition met' \
  bash -c "cat '$WORK/wait.out'; exit $wait_rc"
expect_success "wait --for=delete on a missing object returns at once" \
  "${k[@]}" wait --for=delete configmap/w2 --timeout=5s
