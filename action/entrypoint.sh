#!/usr/bin/env bash
# The GitHub Action's logic (action.yml only builds or fetches the binary, then runs this), so it can be run
# and tested without GitHub: give it the GITHUB_* variables and INPUT_* values a runner would.
#
# Reads: INPUT_PATH, INPUT_CONFIG, INPUT_FAIL_ON, INPUT_BASE ("" = the pull request's base when the event
# has one, "none" = no base, else a revision), INPUT_SARIF, INPUT_ARGS (whitespace-separated, not
# shell-parsed), GITOPS_LINT or INPUT_BINARY (a path, or an http(s)/file URL to download), GITHUB_WORKSPACE,
# GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
# RUNNER_TEMP.
# Writes: annotations (workflow commands) on stdout, the Markdown report appended to $GITHUB_STEP_SUMMARY,
# outputs to $GITHUB_OUTPUT (errors, warnings, notes, new-findings, base, json, sarif, exit-code), the SARIF
# file when asked. Exits 0 or 1 as `check --fail-on` does (only new findings count with a base), 2 on error.
set -euo pipefail

log() { printf 'gitops-lint: %s\n' "$*"; }
# Workflow command data: %, CR and LF escaped, as the runner expects.
escape_data() {
  local s=${1//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  printf '%s' "${s//$'\n'/'%0A'}"
}
die() {
  printf '::error title=gitops-lint::%s\n' "$(escape_data "$*")"
  set_output exit-code 2
  exit 2
}

# set_output NAME VALUE: one step output (a delimited block when the value has a newline).
set_output() {
  [[ -n ${GITHUB_OUTPUT:-} ]] || return 0
  if [[ $2 == *$'\n'* ]]; then
    local delimiter="gitops_lint_$RANDOM$RANDOM$RANDOM"
    printf '%s<<%s\n%s\n%s\n' "$1" "$delimiter" "$2" "$delimiter" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

if [[ -n ${GITHUB_WORKSPACE:-} ]]; then
  cd "$GITHUB_WORKSPACE" || die "cannot enter GITHUB_WORKSPACE \`$GITHUB_WORKSPACE\`"
fi
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gitops-lint.XXXXXX")

# The binary: GITOPS_LINT (set by action.yml), else the `binary` input, else gitops-lint on PATH.
gl=${GITOPS_LINT:-${INPUT_BINARY:-gitops-lint}}
case $gl in
  https://* | http://* | file://*)
    log "downloading $gl"
    curl --fail --silent --show-error --location --retry 3 --output "$work/gitops-lint" -- "$gl" ||
      die "cannot download the gitops-lint binary from $gl"
    chmod +x "$work/gitops-lint"
    gl=$work/gitops-lint
    ;;
esac
if [[ $gl == */* ]]; then
  [[ -x $gl ]] || die "gitops-lint binary \`$gl\` is missing or not executable"
else
  command -v "$gl" >/dev/null || die "no \`$gl\` on PATH (set the \`binary\` input or let the action build it)"
fi

path=${INPUT_PATH:-.}
fail_on=${INPUT_FAIL_ON:-error}
case $fail_on in
  error | warning | note | never) ;;
  *) die "fail-on must be error, warning, note or never, not \`$fail_on\`" ;;
esac
[[ -e $path ]] || die "path \`$path\` does not exist"
[[ $path == -* ]] && path=./$path

# The pull request's base and head commits, when the event is about a pull request.
event_base=
event_head=
if [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]]; then
  mapfile -t shas < <(python3 - "$GITHUB_EVENT_PATH" <<'PY'
import json, re, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        event = json.load(f)
except (OSError, ValueError):
    event = {}
pr = event.get("pull_request") if isinstance(event, dict) else None
def sha(side):
    value = pr.get(side) if isinstance(pr, dict) else None
    value = value.get("sha") if isinstance(value, dict) else None
    return value if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", value) else ""
print(sha("base"))
print(sha("head"))
PY
  )
  event_base=${shas[0]:-}
  event_head=${shas[1]:-}
fi

base=${INPUT_BASE:-}
if [[ -z $base ]]; then
  base=$event_base
elif [[ $base == none ]]; then
  base=
elif [[ $base == -* ]]; then
  die "base must be a revision, not \`$base\`"
fi
if [[ -n $base ]] && ! git -C "$path" rev-parse --quiet --verify "$base^{commit}" >/dev/null 2>&1; then
  log "fetching the base commit $base"
  if ! git -C "$path" fetch --quiet --no-tags --depth=1 origin "$base" >"$work/fetch.log" 2>&1 ||
    ! git -C "$path" rev-parse --quiet --verify "$base^{commit}" >/dev/null 2>&1; then
    sed 's/^/  /' "$work/fetch.log"
    printf '::warning title=gitops-lint::%s\n' "$(escape_data "cannot fetch the base commit $base: \
checking without --base, so every finding counts as new (check out with fetch-depth: 0 to avoid this)")"
    base=
  fi
fi

# Links from the summary to the checked lines: the pull request's head, else the checked commit.
link_base=
link_sha=${event_head:-${GITHUB_SHA:-}}
if [[ -n ${GITHUB_SERVER_URL:-} && -n ${GITHUB_REPOSITORY:-} && -n $link_sha ]]; then
  link_base=$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$link_sha
fi

args=(check "$path")
[[ -n ${INPUT_CONFIG:-} ]] && args+=(--config "$INPUT_CONFIG")
[[ -n $base ]] && args+=(--base "$base")
if [[ -n ${INPUT_ARGS:-} ]]; then
  read -r -a extra <<<"${INPUT_ARGS//$'\n'/ }"
  args+=("${extra[@]}")
fi

# One run gives the JSON report (counts, new findings) and the exit code; the other formats are rendered
# from that report with merge-reports when the binary has it, else by checking again.
json=$work/report.json
log "${gl##*/} ${args[*]} --fail-on $fail_on"
rc=0
"$gl" "${args[@]}" --fail-on "$fail_on" --format json --output "$json" 2>"$work/stderr" || rc=$?
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
  sed 's/^/  /' "$work/stderr"
  die "gitops-lint failed (exit code $rc): $(head -c 2000 "$work/stderr")"
fi
cat "$work/stderr" >&2

merge=false
if "$gl" --help 2>/dev/null | grep -qE '^ +merge-reports ' && "$gl" merge-reports --help >"$work/merge-help" 2>&1; then
  merge=true
fi
# render FORMAT FILE [ARGS...]
render() {
  local format=$1 file=$2 status=0
  shift 2
  if $merge && { [[ $# -eq 0 ]] || grep -qF -- "$1" "$work/merge-help"; }; then
    local never=()
    grep -qF -- --fail-on "$work/merge-help" && never=(--fail-on never)
    "$gl" merge-reports "$json" --format "$format" -o "$file" "${never[@]}" "$@" || status=$?
    # Without --fail-on, findings may make it exit 1: the report is written all the same.
    [[ $status -eq 0 || ($status -eq 1 && -e $file) ]]
  else
    "$gl" "${args[@]}" --fail-on never --format "$format" --output "$file" "$@"
  fi
}

render github "$work/annotations.txt" || die "cannot render the annotations"
cat "$work/annotations.txt"

if [[ -n $link_base ]]; then
  render markdown "$work/summary.md" --link-base "$link_base" || die "cannot render the Markdown summary"
else
  render markdown "$work/summary.md" || die "cannot render the Markdown summary"
fi
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi

sarif=
if [[ -n ${INPUT_SARIF:-} ]]; then
  mkdir -p -- "$(dirname -- "$INPUT_SARIF")"
  render sarif "$INPUT_SARIF" || die "cannot write the SARIF report to $INPUT_SARIF"
  sarif=$INPUT_SARIF
fi

# Counts of the reported findings; without a base every finding counts as new.
read -r errors warnings notes fresh < <(python3 - "$json" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    findings = json.load(f)["findings"]
count = lambda severity: sum(1 for x in findings if x["severity"] == severity)
print(count("error"), count("warning"), count("note"), sum(1 for x in findings if x.get("new", True)))
PY
) || die "cannot read the JSON report $json"

set_output errors "$errors"
set_output warnings "$warnings"
set_output notes "$notes"
set_output new-findings "$fresh"
set_output base "$base"
set_output json "$json"
set_output sarif "$sarif"
set_output exit-code "$rc"
log "$errors error(s), $warnings warning(s), $notes note(s); $fresh new${base:+ since $base}"
exit "$rc"
