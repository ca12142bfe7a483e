#!/usr/bin/env bash
# The bundled example repository end to end: every report format against its golden file, exit codes,
# determinism across runs and thread counts, --output, and the `# deliberate: <rule-id>` markers in the
# fixture against the findings. UPDATE_GOLDEN=1 rewrites tests/golden/example/ (review the diff).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"
golden_dir=$GL_SOURCE_DIR/tests/golden/example

# Paths in reports are relative to the Git top level. Outside a Git worktree of the source (a release
# tarball, a vendored copy), check a copy placed at the same relative path in a fresh repository.
root=$(cd "$GL_SOURCE_DIR" && pwd -P)
top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null || true)
if [[ -n $top && $(cd "$top" && pwd -P) == "$root" ]]; then
  repo=$root
else
  repo=$tmp/repo
  mkdir -p "$repo/fixtures"
  cp -R "$root/fixtures/example" "$repo/fixtures/example"
  git init -q "$repo"
fi
example=$repo/fixtures/example

# run FORMAT [ARGS...]: the report on stdout into $tmp/out.FORMAT, the exit code into $rc.
run() {
  local format=$1
  shift
  rc=0
  "$GL_BIN" check "$example" --format "$format" "$@" >"$tmp/out.$format" 2>"$tmp/err.$format" || rc=$?
}

declare -A golden_name=([text]=check.txt [concise]=check.concise.txt [json]=check.json [sarif]=check.sarif.json
                        [github]=check.github.txt [markdown]=check.md)

for format in text concise json sarif github markdown; do
  run "$format"
  if [[ $rc -ne 1 ]]; then
    fail "--format $format: exit code $rc, expected 1 (findings at error level)"
    cat "$tmp/err.$format" >&2
  fi
  if [[ -s $tmp/err.$format ]]; then
    fail "--format $format: unexpected stderr"
    cat "$tmp/err.$format" >&2
  fi
  golden=$golden_dir/${golden_name[$format]}
  if [[ ${UPDATE_GOLDEN:-0} == 1 ]]; then
    mkdir -p "$golden_dir"
    cp "$tmp/out.$format" "$golden"
    echo "updated $golden"
  elif [[ ! -f $golden ]]; then
    fail "missing golden file $golden (run with UPDATE_GOLDEN=1)"
  elif ! cmp -s "$golden" "$tmp/out.$format"; then
    fail "--format $format differs from $golden"
    diff -u "$golden" "$tmp/out.$format" | head -n 200 >&2 || true
  fi

  # Determinism: a second run, and a single-threaded run, give the same bytes.
  cp "$tmp/out.$format" "$tmp/first.$format"
  run "$format"
  cmp -s "$tmp/first.$format" "$tmp/out.$format" || fail "--format $format: two runs differ"
  run "$format" --threads 1
  cmp -s "$tmp/first.$format" "$tmp/out.$format" || fail "--format $format: --threads 1 differs from the default"

  # --output writes the same bytes as stdout, prints nothing, and keeps the exit code.
  rc=0
  stdout=$("$GL_BIN" check "$example" --format "$format" --output "$tmp/file.$format") || rc=$?
  [[ $rc -eq 1 ]] || fail "--format $format --output: exit code $rc, expected 1"
  [[ -z $stdout ]] || fail "--format $format --output: wrote to stdout as well"
  cmp -s "$tmp/first.$format" "$tmp/file.$format" || fail "--format $format --output: file differs from stdout"
done

# Exit codes: --fail-on never always passes; warning still fails; an unknown level is a usage error.
run concise --fail-on never
[[ $rc -eq 0 ]] || fail "--fail-on never: exit code $rc, expected 0"
cmp -s "$tmp/first.concise" "$tmp/out.concise" || fail "--fail-on never changed the report"
run concise --fail-on warning
[[ $rc -eq 1 ]] || fail "--fail-on warning: exit code $rc, expected 1"
run concise --fail-on sometimes
[[ $rc -eq 2 ]] || fail "--fail-on sometimes: exit code $rc, expected 2"

# With every rule that fires here disabled, the report is empty and the run passes.
run concise --disable node-pinning --disable plaintext-secret --disable netpol-egress --disable load-error \
  --disable requests-fit --disable sync-wave-order
[[ $rc -eq 0 ]] || fail "all rules disabled: exit code $rc, expected 0"
[[ ! -s $tmp/out.concise ]] || fail "all rules disabled: expected an empty concise report"

# Every finding sits on a line marked `# deliberate: <rule-id>`, and every marker has its finding.
(cd "$repo" && grep -rnoE --include='*.yaml' '# deliberate: [a-z-]+' fixtures/example) |
  sed -E 's/^([^:]+):([0-9]+):# deliberate: ([a-z-]+)$/\1:\2 \3/' | sort >"$tmp/markers"
sed -E 's/^([^:]+):([0-9]+):[0-9]+: [a-z]+\[([a-z-]+)\].*$/\1:\2 \3/' "$tmp/first.concise" | sort >"$tmp/found"
[[ -s $tmp/markers ]] || fail "no \`# deliberate:\` markers found in $example"
if ! cmp -s "$tmp/markers" "$tmp/found"; then
  fail "findings and \`# deliberate:\` markers disagree (< marker only, > finding only)"
  diff "$tmp/markers" "$tmp/found" >&2 || true
fi

finish example
