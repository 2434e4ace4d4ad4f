# shellcheck shell=bash
# Helpers for conformance scenarios (sourced by conformance/run.sh and by every scenario).
#
# Each check runs one command under `timeout` (K8SS_STEP_TIMEOUT, 30 s by default), prints
# `ok - <scenario>: <desc>` or `not ok - <scenario>: <desc>` followed by the command, its exit
# status and its output (stdout and stderr together), and appends the verdict to $K8SS_RESULTS,
# which the harness counts. A command that times out always fails its check.
#
#   expect_success     "<desc>" cmd...            exit status 0
#   expect_fail        "<desc>" cmd...            non-zero exit status (not a time-out)
#   expect_output      "<desc>" "<regex>" cmd...  exit 0 and the output matches the regex (grep -E)
#   expect_fail_output "<desc>" "<regex>" cmd...  non-zero exit and the output matches the regex
#   expect_no_output   "<desc>" "<regex>" cmd...  exit 0 and no output line matches the regex
#   expect_eventually  "<desc>" "<regex>" cmd...  like expect_output, retried once a second until
#                                                 the step time-out
#
# cmd must be a program (kubectl, bash -c '...'), not a shell function. A scenario gets $NS (its
# own namespace, created and deleted by the harness) and $WORK (a scratch folder).

SCENARIO=${SCENARIO:-$(basename "${BASH_SOURCE[1]:-scenario}" .sh)}
K8SS_STEP_TIMEOUT=${K8SS_STEP_TIMEOUT:-30}
: "${K8SS_RESULTS:=$(mktemp)}"
: "${WORK:=$(mktemp -d)}"

_k8ss_out=
_k8ss_rc=0

_k8ss_run() {
  _k8ss_out=$(timeout -k 5 "$K8SS_STEP_TIMEOUT" "$@" 2>&1 </dev/null)
  _k8ss_rc=$?
}

_k8ss_timed_out() { ((_k8ss_rc == 124 || _k8ss_rc == 137)); }

_k8ss_matches() { grep -Eq -- "$1" <<<"$_k8ss_out"; }

# _k8ss_verdict PASSED DESC [WHY] -- CMD...
_k8ss_verdict() {
  local passed=$1 desc=$2 why=${3:-}
  shift 3
  [[ ${1:-} == -- ]] && shift
  if ((passed)); then
    printf 'ok - %s: %s\n' "$SCENARIO" "$desc"
    echo ok >>"$K8SS_RESULTS"
    return 0
  fi
  printf 'not ok - %s: %s\n' "$SCENARIO" "$desc"
  if [[ ${1:-} == bash && ${2:-} == -c ]]; then
    printf '#   command: bash -c %s\n' "$3"
  else
    printf '#   command: %s\n' "$(printf '%q ' "$@")"
  fi
  if _k8ss_timed_out; then
    printf '#   timed out after %ss\n' "$K8SS_STEP_TIMEOUT"
  else
    printf '#   exit status: %s\n' "$_k8ss_rc"
  fi
  [[ -n $why ]] && printf '#   expected: %s\n' "$why"
  printf '#   output:\n'
  head -n 60 <<<"$_k8ss_out" | sed 's/^/#   | /'
  echo 'not ok' >>"$K8SS_RESULTS"
  return 1
}

expect_success() {
  local desc=$1
  shift
  _k8ss_run "$@"
  _k8ss_verdict "$((_k8ss_rc == 0))" "$desc" "exit status 0" -- "$@"
}

expect_fail() {
  local desc=$1 ok=0
  shift
  _k8ss_run "$@"
  ((_k8ss_rc != 0)) && ! _k8ss_timed_out && ok=1
  _k8ss_verdict "$ok" "$desc" "a non-zero exit status" -- "$@"
}

expect_output() {
  local desc=$1 regex=$2 ok=0
  shift 2
  _k8ss_run "$@"
  ((_k8ss_rc == 0)) && _k8ss_matches "$regex" && ok=1
  _k8ss_verdict "$ok" "$desc" "exit status 0 and output matching /$regex/" -- "$@"
}

expect_fail_output() {
  local desc=$1 regex=$2 ok=0
  shift 2
  _k8ss_run "$@"
  ((_k8ss_rc != 0)) && ! _k8ss_timed_out && _k8ss_matches "$regex" && ok=1
  _k8ss_verdict "$ok" "$desc" "a non-zero exit status and output matching /$regex/" -- "$@"
}

expect_no_output() {
  local desc=$1 regex=$2 ok=0
  shift 2
  _k8ss_run "$@"
  ((_k8ss_rc == 0)) && ! _k8ss_matches "$regex" && ok=1
  _k8ss_verdict "$ok" "$desc" "exit status 0 and no output matching /$regex/" -- "$@"
}

expect_eventually() {
  local desc=$1 regex=$2 ok=0 deadline
  shift 2
  deadline=$((SECONDS + K8SS_STEP_TIMEOUT))
  while :; do
    _k8ss_run "$@"
    if ((_k8ss_rc == 0)) && _k8ss_matches "$regex"; then
      ok=1
      break
    fi
    ((SECONDS < deadline)) || break
    sleep 1
  done
  _k8ss_verdict "$ok" "$desc" "within ${K8SS_STEP_TIMEOUT}s: exit status 0 and output matching /$regex/" -- "$@"
}

# A comment line in the output, for context.
note() { printf '# %s\n' "$*"; }

# A short random suffix for object names: lowercase hex.
rand_suffix() { printf '%04x%04x' "$RANDOM" "$RANDOM"; }

# "label: N passed, M failed" from a results file.
k8ss_summary() {
  local label=$1 file=${2:-$K8SS_RESULTS} passed failed
  passed=$(grep -c '^ok$' "$file" || true)
  failed=$(grep -c '^not ok$' "$file" || true)
  printf '%s: %d passed, %d failed\n' "$label" "$passed" "$failed"
  ((failed == 0))
}

# Scenarios call this first: they only run inside a namespace made for them by the harness.
require_ns() { : "${NS:?run scenarios through conformance/run.sh, which creates their namespace}"; }
