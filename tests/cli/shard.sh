#!/usr/bin/env bash
# check --shard I/N and merge-reports end to end: the shards of fixtures/ (and of the example repository)
# merged and compared with the unsharded run (equal where they must be, the documented differences exactly),
# every merge-reports format, secrets never shown, bad shard values, malformed reports, determinism.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"
command -v python3 >/dev/null || { echo "shard: needs python3 to compare JSON reports" >&2; exit 1; }

# Reports name files relative to the Git top level; outside a Git worktree of the source, check a copy.
root=$(cd "$GL_SOURCE_DIR" && pwd -P)
top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null || true)
if [[ -n $top && $(cd "$top" && pwd -P) == "$root" ]]; then
  repo=$root
else
  repo=$tmp/repo
  cp -R "$root/fixtures" "$repo/"
  git init -q "$repo"
fi
cd "$repo"

# shards DIR N: check DIR in N shards into $tmp/DIR-N-I.json, and unsharded into $tmp/DIR.json.
shards() {
  local dir=$1 n=$2 name
  name=$(echo "$dir" | tr / _)
  "$GL_BIN" check "$dir" --format json --fail-on never >"$tmp/$name.json"
  for ((i = 1; i <= n; i++)); do
    "$GL_BIN" check "$dir" --shard "$i/$n" --format json --fail-on never -o "$tmp/$name-$n-$i.json"
  done
}

# compare.py UNSHARDED MERGED EXPECTED: the merged report against the unsharded one. Findings are keyed as
# `check` deduplicates them (file, line, column, rule, message, severity). Must be equal: every finding of the
# load-time rules (load-error, render-error, app-source-missing, appset-generates-nothing) and of the
# one-object rules (plaintext-secret, node-pinning: but for the note naming the environments a finding is in),
# fingerprints, the run notes but for the shard note. May differ, and only as EXPECTED lists (one per line,
# `- KEY` missing, `+ KEY` extra, `~ KEY` changed), or, with EXPECTED `categories`, as the documented
# categories: the rules that relate objects (requests-fit, sync-wave-order, netpol-egress, duplicate-resource),
# and "no Service provides this host" never reported.
cat >"$tmp/compare.py" <<'EOF'
import json, sys
unsharded, merged = (json.load(open(p)) for p in sys.argv[1:3])
expected = sys.argv[3]
cross = {"requests-fit", "sync-wave-order", "netpol-egress", "duplicate-resource"}
def key(f): return "{}:{}:{} {}[{}] {}".format(f["file"], f["line"], f["column"], f["severity"], f["rule"], f["message"])
def env_free(f):
    g = dict(f); g["notes"] = [n for n in f["notes"] if not n.startswith("only in the `")]; return g
u = {key(f): f for f in unsharded["findings"]}
m = {key(f): f for f in merged["findings"]}
assert len(m) == len(merged["findings"]), "merged report has duplicates"
diffs = [f"- {k}" for k in u if k not in m] + [f"+ {k}" for k in m if k not in u]
diffs += [f"~ {k}" for k in u if k in m and u[k] != m[k]]
problems = []
if expected == "categories":
    for d in diffs:
        f = u.get(d[2:]) or m.get(d[2:])
        missing_service = "is deployed from this repository" in f["message"] and f["rule"] == "sync-wave-order"
        if d[0] == "-" and missing_service: continue
        if f["rule"] in cross: continue
        if d[0] == "~" and env_free(u[d[2:]]) == env_free(m[d[2:]]): continue
        problems.append(d)
    for k, f in u.items():
        if f["rule"] == "sync-wave-order" and "is deployed from this repository" in f["message"] and k in m:
            problems.append(f"reported though a shard cannot know it: {k}")
else:
    want = [l for l in open(expected).read().splitlines() if l]
    problems = [f"unexpected: {d}" for d in diffs if d not in want] + [f"did not happen: {d}" for d in want if d not in diffs]
notes = [n for n in merged["notes"] if not n.startswith("shards 1/")]
if expected != "categories" and notes != unsharded["notes"]:
    problems.append(f"notes differ: {notes} vs {unsharded['notes']}")
if [n for n in merged["notes"] if n.startswith("shard")] == []:
    problems.append("no shard note")
for p in problems: print(p)
sys.exit(1 if problems else 0)
EOF

# The example repository in 3 shards: exactly this finding differs ("no Service provides this host" is never
# concluded in a shard).
shards fixtures/example 3
cat >"$tmp/example-3.expected" <<'EOF'
- fixtures/example/apis/info/config.yaml:18:22 warning[sync-wave-order] `info/info-api` talks to `elasticsearch.search.svc.cluster.local` but no Service `search/elasticsearch` is deployed from this repository
EOF
run merge-reports "$tmp"/fixtures_example-3-{1,2,3}.json --format json
expect_rc 1 "merge-reports of the example's shards"
cp "$out" "$tmp/example-merged.json"
python3 "$tmp/compare.py" "$tmp/fixtures_example.json" "$tmp/example-merged.json" "$tmp/example-3.expected" >"$tmp/cmp" ||
  fail "example, 3 shards: $(cat "$tmp/cmp")"
has "$tmp/example-merged.json" '"shards 1/3, 2/3, 3/3 of a sharded run: each shard renders and reports only' "merged shard note"
# Each finding is reported by one shard only.
python3 - "$tmp"/fixtures_example-3-{1,2,3}.json >"$tmp/cmp" <<'EOF' || fail "a finding in two shards: $(cat "$tmp/cmp")"
import json, sys, collections
seen = collections.Counter((f["fingerprint"], f["file"], f["line"]) for p in sys.argv[1:] for f in json.load(open(p))["findings"])
dups = [k for k, n in seen.items() if n > 1]
print(dups); sys.exit(1 if dups else 0)
EOF

# All of fixtures/ in 2, 3 and 4 shards: only the documented categories differ.
for n in 2 3 4; do
  shards fixtures "$n"
  files=()
  for ((i = 1; i <= n; i++)); do files+=("$tmp/fixtures-$n-$i.json"); done
  run merge-reports "${files[@]}" --format json --fail-on never
  expect_rc 0 "merge-reports of fixtures/ in $n shards"
  cp "$out" "$tmp/merged-$n.json"
  python3 "$tmp/compare.py" "$tmp/fixtures.json" "$tmp/merged-$n.json" categories >"$tmp/cmp" ||
    fail "fixtures/, $n shards: $(cat "$tmp/cmp")"
done

# Every format renders the merged findings; the text report shows source lines from the files on disk.
for format in text concise json sarif github markdown; do
  run merge-reports "$tmp"/fixtures_example-3-{1,2,3}.json --format "$format"
  expect_rc 1 "merge-reports --format $format"
  [[ -s $out ]] || fail "merge-reports --format $format printed nothing"
  case $format in
    text)
      has "$out" "  --> fixtures/example/apis/chat/api.yaml:91:16" "text: location"
      has "$out" '91 |   maxReplicas: 10  # deliberate: requests-fit' "text: source line read from disk"
      has "$out" "note: shards 1/3, 2/3, 3/3 of a sharded run" "text: run note" ;;
    concise) has "$out" "fixtures/example/apis/chat/api.yaml:91:16: warning[requests-fit]" "concise line" ;;
    sarif) python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["version"] == "2.1.0"' "$out" ||
      fail "sarif: not SARIF 2.1.0" ;;
    github) has "$out" "::warning file=fixtures/example/apis/chat/api.yaml,line=91" "github annotation" ;;
    markdown) has "$out" "requests-fit" "markdown table" ;;
  esac
done
# Concise output of the merged shards is the unsharded one but for the documented lines.
"$GL_BIN" check fixtures/example --format concise >"$tmp/unsharded.concise" || true
run merge-reports "$tmp"/fixtures_example-3-{1,2,3}.json --format concise
diff "$tmp/unsharded.concise" "$out" | grep '^[<>]' | sed 's/^< //' >"$tmp/concise.diff" || true
[[ $(wc -l <"$tmp/concise.diff") -eq 1 ]] || fail "concise: $(cat "$tmp/concise.diff")"
has "$tmp/concise.diff" "fixtures/example/apis/info/config.yaml:18:22: warning[sync-wave-order]" "concise: documented difference"
# Without the files (another --root), findings print without their source lines.
mkdir -p "$tmp/empty"
run merge-reports "$tmp"/fixtures_example-3-{1,2,3}.json --root "$tmp/empty"
expect_rc 1 "merge-reports --root without the files"
has "$out" "  --> fixtures/example/apis/chat/api.yaml:91:16" "no files: location kept"
lacks "$out" "maxReplicas: 10" "no files: no source line"
run merge-reports "$tmp"/fixtures_example-3-{1,2,3}.json --fail-on never -o "$tmp/merged.txt"
expect_rc 0 "merge-reports --fail-on never -o FILE"
has "$tmp/merged.txt" "error: " "-o writes the report"

# Secrets: the merged text report of the plaintext-secret fixtures shows no secret value.
shards fixtures/rules/plaintext-secret 3
run merge-reports "$tmp"/fixtures_rules_plaintext-secret-3-{1,2,3}.json --format text
expect_rc 1 "merge-reports of the plaintext-secret shards"
cp "$out" "$tmp/secrets.txt"
has "$tmp/secrets.txt" "error[plaintext-secret]" "secret findings are reported"
python3 - "$tmp/fixtures_rules_plaintext-secret.json" "$tmp/secrets.txt" >"$tmp/cmp" <<'EOF' || fail "secret shown: $(cat "$tmp/cmp")"
import json, sys
report, text = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
values = set()
for f in report["findings"]:
    for r in f.get("redact", []):
        lines = open(r["file"]).read().split("\n")
        for ln in range(r["line"], r["endLine"] + 1):
            line = lines[ln - 1]
            begin = r["column"] - 1 if ln == r["line"] else 0
            end = r["endColumn"] - 1 if ln == r["endLine"] else len(line)
            if line[begin:end].strip(): values.add(line[begin:end].strip())
assert len(values) >= 10, values
leaks = [v for v in values if len(v) >= 4 and v in text]
print(leaks); sys.exit(1 if leaks else 0)
EOF
# A file changed since the report (a line added above the secret): not shown at all.
mkdir -p "$tmp/changed/fixtures/rules"
cp -R fixtures/rules/plaintext-secret "$tmp/changed/fixtures/rules/"
for f in "$tmp"/changed/fixtures/rules/plaintext-secret/*.yaml; do { echo "# moved"; cat "$f"; } >"$f.new" && mv "$f.new" "$f"; done
run merge-reports "$tmp"/fixtures_rules_plaintext-secret-3-{1,2,3}.json --root "$tmp/changed"
expect_rc 1 "merge-reports on changed files"
lacks "$out" "AKIA" "changed files: no AWS key"
lacks "$out" "BEGIN" "changed files: no private key"

# One shard is the whole run.
"$GL_BIN" check fixtures/example --shard 1/1 --format json --fail-on never >"$tmp/one.json"
cmp -s "$tmp/one.json" "$tmp/fixtures_example.json" || fail "--shard 1/1 differs from the unsharded run"

# Bad shard values are usage errors.
for bad in 0/3 4/3 1/0 x 1/ /2 -1/2; do
  run check fixtures/example --shard "$bad"
  expect_rc 2 "--shard $bad"
  has "$err" "gitops-lint: error: --shard \`$bad\`" "--shard $bad message"
done
# Malformed or unreadable reports: exit 2, naming the file and the place.
echo '{"version": 1, "findings": [{"rule": 3}]}' >"$tmp/bad.json"
run merge-reports "$tmp/bad.json"
expect_rc 2 "malformed report"
has "$err" "is not a \`check --format json\` report: at /findings/0/rule: expected a string" "malformed report message"
echo '{"version": 1, "findings": [' >"$tmp/cut.json"
run merge-reports "$tmp/cut.json"
expect_rc 2 "truncated report"
has "$err" "cut.json\` is not a \`check --format json\` report: line 1, column 30: not JSON" "truncated report message"
run merge-reports "$tmp/absent.json"
expect_rc 2 "absent report"
has "$err" "cannot read report" "absent report message"

# Deterministic: the same shard twice, and with one thread, gives the same bytes; reports merge in any order.
"$GL_BIN" check fixtures --shard 2/3 --format json --fail-on never --threads 1 >"$tmp/again.json"
cmp -s "$tmp/again.json" "$tmp/fixtures-3-2.json" || fail "shard 2/3 differs between runs"
run merge-reports "$tmp"/fixtures-3-{3,1,2}.json --format json --fail-on never
python3 - "$out" "$tmp/merged-3.json" <<'EOF' || fail "merging in another order changes the findings"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
sys.exit(0 if a["findings"] == b["findings"] else 1)
EOF

finish shard
