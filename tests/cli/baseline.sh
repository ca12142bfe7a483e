#!/usr/bin/env bash
# Only new findings: `check --base REV` (the base revision checked in the same process, read from the Git
# object store) and `check --baseline FILE` (a saved JSON report). Findings match by fingerprint, so an old
# finding whose lines moved stays old; the exit code counts new findings only.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
isolated_git

repo=$tmp/repo
mkdir -p "$repo/apps" "$repo/cluster"
cd "$repo" || exit 1
git init -q -b main
cat >cluster/nodes.yaml <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: web-1
  labels: {role: web, node.kubernetes.io/instance-type: t3.small}
EOF
shop_deployment old >apps/old.yaml            # unpinned at the base: an old finding
shop_deployment fixed >apps/fixed.yaml        # unpinned at the base, pinned at the head
git add -A
git commit -q -m base

# The head: old.yaml's finding moves down three lines, fixed.yaml is fixed, new.yaml brings a new finding.
{ printf '# owner: shop team\n# reviewed: yes\n# ---\n'; shop_deployment old; } >apps/old.yaml
shop_deployment fixed 'nodeSelector: {role: web}' >apps/fixed.yaml
shop_deployment new >apps/new.yaml
git add -A
git commit -q -m head

run check . --format concise --fail-on never
has "$out" "apps/old.yaml:7:9: error[node-pinning]" "plain run"
has "$out" "apps/new.yaml:4:9: error[node-pinning]" "plain run"

run check . --base HEAD~1 --format concise
expect_rc 1 "--base"
has "$out" "apps/new.yaml:4:9: error[node-pinning] \`shop/new\` is not pinned to any node" "--base"
lacks "$out" "apps/old.yaml" "--base (moved lines stay old)"
[[ $(grep -c 'error\[' "$out") -eq 1 ]] || fail "--base: one new finding expected"

run check . --base HEAD~1 --include-existing --format json
expect_rc 1 "--include-existing"
python3 - "$out" >"$tmp/new.txt" <<'PY' || fail "--include-existing: JSON"
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["file"], f["line"], f["new"])
PY
cat >"$tmp/want.txt" <<'EOF'
apps/new.yaml 4 True
apps/old.yaml 7 False
EOF
diff -u "$tmp/want.txt" "$tmp/new.txt" || fail "--include-existing: which findings are new"

run check . --base HEAD~1 --include-existing --format sarif
has "$out" '"baselineState": "new"' "--include-existing sarif"
has "$out" '"baselineState": "unchanged"' "--include-existing sarif"

# Only old findings: exit 0 with --base, although the plain run fails.
run check . --base HEAD
expect_rc 0 "--base HEAD (nothing new)"
has "$out" "no findings" "--base HEAD"

run check . --base HEAD --include-existing
expect_rc 0 "--base HEAD --include-existing (old findings shown, not failing)"
has "$out" "not new: the base has it too" "--base HEAD --include-existing"
has "$out" "--> apps/old.yaml:7:9" "--base HEAD --include-existing"

# The worktree (uncommitted changes included) against a revision.
shop_deployment new2 >apps/new2.yaml
run check . --base HEAD --format concise
expect_rc 1 "--base with an uncommitted file"
has "$out" "apps/new2.yaml:4:9: error[node-pinning]" "--base with an uncommitted file"
lacks "$out" "apps/new.yaml" "--base with an uncommitted file"
rm apps/new2.yaml

# A subdirectory as PATH: the base is read at the same subdirectory.
run check apps --base HEAD~1 --format concise
expect_rc 1 "--base on a subdirectory"
has "$out" "apps/new.yaml:4:9" "--base on a subdirectory"
lacks "$out" "apps/old.yaml" "--base on a subdirectory"

# A saved baseline.
git checkout -q HEAD~1
run check . --format json -o "$tmp/baseline.json" --fail-on never
git checkout -q main
run check . --baseline "$tmp/baseline.json" --format concise
expect_rc 1 "--baseline"
has "$out" "apps/new.yaml:4:9" "--baseline"
lacks "$out" "apps/old.yaml" "--baseline"
run check . --baseline "$tmp/baseline.json" --format github
has "$out" "::error file=apps/new.yaml,line=4," "--baseline github"
lacks "$out" "file=apps/old.yaml" "--baseline github"

# Bad input stops the run with a clear error.
run check . --base no-such-revision
expect_rc 2 "--base with an unknown revision"
has "$err" "gitops-lint: error:" "--base with an unknown revision"
has "$err" "no-such-revision" "--base with an unknown revision"
echo '{"findings": [{"rule": "x"}]}' >"$tmp/bad.json"
run check . --baseline "$tmp/bad.json"
expect_rc 2 "--baseline without fingerprints"
has "$err" "finding 0 has no \`fingerprint\` string" "--baseline without fingerprints"
echo 'not json' >"$tmp/bad.json"
run check . --baseline "$tmp/bad.json"
expect_rc 2 "--baseline not JSON"
has "$err" "is not valid JSON" "--baseline not JSON"
run check . --baseline "$tmp/absent.json"
expect_rc 2 "--baseline absent"
has "$err" "cannot read baseline" "--baseline absent"

# Same input, same bytes.
run check . --base HEAD~1 --include-existing --format json
cp "$out" "$tmp/first.json"
run check . --base HEAD~1 --include-existing --format json
cmp -s "$out" "$tmp/first.json" || fail "--base output is not deterministic"

finish baseline
