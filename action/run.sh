#!/usr/bin/env bash
# The work of the iacfix GitHub Action (action.yml); tests/test_action.py runs it.
#
#   run.sh          install iacfix, check, report (annotations + step summary, or SARIF), optionally fix
#   run.sh verdict  fail the step when the check found what INPUT_FAIL_ON fails on
#
# Inputs come as INPUT_* variables; outputs go to $GITHUB_OUTPUT.  IACFIX names the
# command to run (default: the one installed in the action's venv, made with $PYTHON);
# IACFIX_SKIP_INSTALL=1 skips the install (then the default is iacfix on PATH).
set -uo pipefail

out() { echo "$1=$2" >> "${GITHUB_OUTPUT:-/dev/null}"; }

if [ "${1:-}" = verdict ]; then
  case "${INPUT_FAIL_ON:-}" in
    never) exit 0 ;;
  esac
  if [ "${EXIT_CODE:-0}" = 2 ]; then
    echo "::error title=iacfix::iacfix could not read every file (exit status 2); see the check step's log"
    exit 2
  fi
  if [ "${EXIT_CODE:-0}" = 1 ]; then  # iacfix's own verdict: the fail-on input, else the configuration's
    if [ -n "${INPUT_FAIL_ON:-}" ]; then
      echo "::error title=iacfix::${FAILING:-some} findings at ${INPUT_FAIL_ON} or above"
    else
      echo "::error title=iacfix::findings at the configured fail-on severity or above (warning by default)"
    fi
    exit 1
  fi
  exit 0
fi

WORK="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iacfix-action"
mkdir -p "$WORK"
PY="${PYTHON:-python3}"  # setup-python's interpreter (action.yml), which the job's own steps never see
# Separated by spaces or newlines (a YAML block: `paths: |`); -d '' reads every line.
read -r -d '' -a PATHS <<< "${INPUT_PATHS:-.}"
read -r -d '' -a ARGS <<< "${INPUT_ARGS:-}"
# No fail-on input (or never): the configuration's fail-on and its per-path overrides decide.
FAIL_ON=()
case "${INPUT_FAIL_ON:-}" in
  error|warning|info) FAIL_ON=(--fail-on "$INPUT_FAIL_ON") ;;
  ""|never) ;;
  *) echo "::error title=iacfix::fail-on must be error, warning, info or never, not ${INPUT_FAIL_ON}"; exit 2 ;;
esac

if [ -z "${IACFIX_SKIP_INSTALL:-}" ]; then
  # A venv of its own: iacfix and its dependencies never land in the Python the job's other steps use.
  "$PY" -m venv "$WORK/venv" || exit 2
  "$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "${INPUT_INSTALL:-${GITHUB_ACTION_PATH:?}}" || exit 2
  IACFIX="${IACFIX:-$WORK/venv/bin/iacfix}"
fi
IACFIX="${IACFIX:-iacfix}"

# One JSON run for the counts and the verdict (its exit status); the report the reader sees is a
# second run in its own format.
"$IACFIX" check "${PATHS[@]}" "${ARGS[@]}" "${FAIL_ON[@]}" --format json --output-file "$WORK/check.json"
status=$?
findings=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$WORK/check.json" 2>/dev/null || echo 0)
failing=$("$PY" -c '
import json, sys
rank = {"info": 0, "warning": 1, "error": 2}
floor = rank.get(sys.argv[2], 1)
print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if rank[f["severity"]] >= floor))
' "$WORK/check.json" "${INPUT_FAIL_ON:-warning}" 2>/dev/null || echo 0)

case "${INPUT_REPORT:-annotations}" in
  sarif)
    "$IACFIX" check "${PATHS[@]}" "${ARGS[@]}" --format sarif --output-file "$WORK/iacfix.sarif"
    out sarif-file "$WORK/iacfix.sarif"
    ;;
  annotations)
    "$IACFIX" check "${PATHS[@]}" "${ARGS[@]}" --format github
    out sarif-file ""
    ;;
  *)
    echo "::error title=iacfix::report must be annotations or sarif, not ${INPUT_REPORT}"
    exit 2
    ;;
esac

out exit-code "$([ "$status" -le 2 ] && echo "$status" || echo 2)"
out findings "$findings"
out failing "$failing"

fixed=0
if [ "${INPUT_FIX:-false}" = true ]; then
  "$IACFIX" fix "${PATHS[@]}" "${ARGS[@]}" --format json --exit-zero --output-file "$WORK/fix.json"
  fixed=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("fixed", [])))' "$WORK/fix.json" 2>/dev/null || echo 0)
  {
    echo "iacfix moved ${fixed} end-of-life runtime values; every other byte of each file is unchanged."
    echo
    "$IACFIX" check "${PATHS[@]}" "${ARGS[@]}" --format markdown --exit-zero
  } > "$WORK/pull-request.md"
  out pr-body "$WORK/pull-request.md"
fi
out fixed "$fixed"
exit 0
