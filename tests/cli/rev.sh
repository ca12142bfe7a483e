#!/usr/bin/env bash
# `check --rev`: reads a revision from the Git object store, not the work tree. A finding fixed in the
# work tree (uncommitted) is gone without --rev and present with --rev HEAD; a subdirectory PATH works with
# --rev; a bad revision is a clear usage error; the work tree and index are left exactly as they were.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
git_t() { git -C "$repo" -c user.name=t -c user.email=t@t "$@"; }

repo=$tmp/repo
mkdir -p "$repo/apps/web" "$repo/apps/api"
git init -q "$repo"
cat >"$repo/.gitops-lint.yaml" <<'EOF'
inventory:
  nodeGroups:
    - name: api
      instanceType: t3.small
      labels: {role: api}
EOF
cat >"$repo/apps/web/deploy.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: shop/web:1
          resources: {requests: {cpu: 100m, memory: 64Mi}}
EOF
cat >"$repo/apps/api/deploy.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      nodeSelector: {role: api}
      containers:
        - name: api
          image: shop/api:1
          resources: {requests: {cpu: 100m, memory: 64Mi}}
EOF
git_t add -A
git_t commit -qm "web is not pinned"
first=$(git -C "$repo" rev-parse HEAD)

# Fix the finding in the work tree only, and leave some other uncommitted state around.
sed -i 's/^    spec:$/    spec:\n      nodeSelector: {role: api}/' "$repo/apps/web/deploy.yaml"
grep -q "nodeSelector" "$repo/apps/web/deploy.yaml" || fail "setup: the fix was not applied"
echo "scratch" >"$repo/untracked.txt"
echo "# staged" >>"$repo/apps/api/deploy.yaml"
git -C "$repo" add apps/api/deploy.yaml
status_before=$(git -C "$repo" status --porcelain)
stage_before=$(git -C "$repo" ls-files --stage)
diff_before=$(git -C "$repo" diff)
cached_before=$(git -C "$repo" diff --cached)
head_before=$(git -C "$repo" rev-parse HEAD)

run check "$repo" --format concise
expect_rc 0 "worktree check after the fix"
lacks "$out" "node-pinning" "worktree check after the fix"

run check "$repo" --rev HEAD --format concise
expect_rc 1 "--rev HEAD"
has "$out" "apps/web/deploy.yaml:4:9: error[node-pinning]" "--rev HEAD"
lacks "$out" "apps/api/" "--rev HEAD"

run check "$repo" --rev "$first" --format concise
expect_rc 1 "--rev <full hash>"
has "$out" "apps/web/deploy.yaml:4:9: error[node-pinning]" "--rev <full hash>"

# A subdirectory PATH with --rev: only that directory, paths still relative to the top level.
run check "$repo/apps/web" --rev HEAD --format concise
expect_rc 1 "--rev HEAD on apps/web"
has "$out" "apps/web/deploy.yaml:4:9: error[node-pinning]" "--rev HEAD on apps/web"
run check "$repo/apps/api" --rev HEAD --format concise
expect_rc 0 "--rev HEAD on apps/api"
lacks "$out" "apps/web" "--rev HEAD on apps/api"
(cd "$repo/apps" && "$GL_BIN" check web --rev HEAD --format concise >"$out" 2>"$err") && rc=0 || rc=$?
expect_rc 1 "--rev HEAD on a relative PATH"
has "$out" "apps/web/deploy.yaml:4:9: error[node-pinning]" "--rev HEAD on a relative PATH"

# Older revisions, and the config read from the revision: work in a clone so the repository above keeps
# its uncommitted state.
clone=$tmp/clone
git clone -q "$repo" "$clone"
sed -i 's/^    spec:$/    spec:\n      nodeSelector: {role: api}/' "$clone/apps/web/deploy.yaml"
git -C "$clone" -c user.name=t -c user.email=t@t commit -qam "pin web"
run check "$clone" --rev HEAD --format concise
expect_rc 0 "--rev HEAD after the fix is committed"
run check "$clone" --rev HEAD~1 --format concise
expect_rc 1 "--rev HEAD~1"
has "$out" "apps/web/deploy.yaml:4:9: error[node-pinning]" "--rev HEAD~1"
rm "$clone/.gitops-lint.yaml"
run check "$clone" --format concise
has "$out" "no node inventory" "worktree without its config"
run check "$clone" --rev HEAD --format concise
lacks "$out" "no node inventory" "--rev HEAD reads the committed config"

# Bad revisions are usage errors with a clear message.
run check "$repo" --rev nonexistent
expect_rc 2 "--rev nonexistent"
has "$err" "gitops-lint: error:" "--rev nonexistent"
has "$err" "nonexistent" "--rev nonexistent"
[[ -s $out ]] && fail "--rev nonexistent: wrote a report"
run check "$repo" --rev HEAD~99
expect_rc 2 "--rev HEAD~99"
has "$err" "gitops-lint: error:" "--rev HEAD~99"

# --rev outside a Git repository.
plain=$tmp/plain
mkdir -p "$plain"
cp "$repo/apps/web/deploy.yaml" "$plain/"
run check "$plain" --rev HEAD
expect_rc 2 "--rev outside Git"
has "$err" "gitops-lint: error:" "--rev outside Git"

# Nothing in the work tree, the index or HEAD changed.
[[ $(git -C "$repo" status --porcelain) == "$status_before" ]] || fail "git status changed"
[[ $(git -C "$repo" ls-files --stage) == "$stage_before" ]] || fail "the index changed"
[[ $(git -C "$repo" diff) == "$diff_before" ]] || fail "the work tree diff changed"
[[ $(git -C "$repo" diff --cached) == "$cached_before" ]] || fail "the staged diff changed"
[[ $(git -C "$repo" rev-parse HEAD) == "$head_before" ]] || fail "HEAD moved"
[[ -f $repo/untracked.txt ]] || fail "the untracked file is gone"
grep -q "nodeSelector" "$repo/apps/web/deploy.yaml" || fail "the work tree fix is gone"

finish rev
