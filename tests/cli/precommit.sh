#!/usr/bin/env bash
# The pre-commit hook under the real pre-commit framework: the project's .pre-commit-hooks.yaml is served from
# a hook repository made by the test, a user repository installs it, and real `git commit`s are refused or let
# through. Only findings in, or caused by, the staged files count: an old problem elsewhere never blocks.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
: "${GL_SOURCE_DIR:?}"

if ! command -v pre-commit >/dev/null; then
  echo "FAIL: the pre-commit framework is not installed (Debian package pre-commit; .ci/run installs it)" >&2
  exit 1
fi

export PATH="$(dirname "$GL_BIN"):$PATH"
export PRE_COMMIT_HOME=$tmp/pre-commit-home
isolated_git

# The hook repository: this checkout's hook definition, committed.
hooks=$tmp/hooks
mkdir -p "$hooks"
cp "$GL_SOURCE_DIR/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q -b main
git -C "$hooks" add -A
git -C "$hooks" commit -q -m hooks
hooks_rev=$(git -C "$hooks" rev-parse HEAD)

repo=$tmp/repo
mkdir -p "$repo/cluster" "$repo/apps" "$repo/legacy" "$repo/base" "$repo/overlay"
cd "$repo" || exit 1
git init -q -b main
# The README's snippet, pointed at the test's hook repository.
sed -n '/<!-- pre-commit-config/,/^```$/p' "$GL_SOURCE_DIR/README.md" | sed '1,2d;$d' |
  sed "s|repo: .*|repo: $hooks|; s|rev: .*|rev: $hooks_rev|" >.pre-commit-config.yaml
grep -q "id: gitops-lint" .pre-commit-config.yaml || fail "no pre-commit snippet in README.md"
cat >cluster/nodes.yaml <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: web-1
  labels:
    role: web
    node.kubernetes.io/instance-type: t3.small
EOF
shop_deployment web 'nodeSelector: {role: web}' >apps/web.yaml
shop_deployment old >legacy/old.yaml  # an old violation: not pinned
shop_deployment api 'nodeSelector: {role: web}' >base/api.yaml
printf 'resources:\n  - api.yaml\n' >base/kustomization.yaml
printf 'resources:\n  - ../base\n' >overlay/kustomization.yaml
echo "# shop" >README.md
git add -A
git commit -q -m "initial (hook not installed yet)"

pre-commit install >"$tmp/install.log" 2>&1 || { fail "pre-commit install"; cat "$tmp/install.log" >&2; }

# commit_expect WANT WHAT: runs `git commit` (the hook runs inside it); its output is in $tmp/commit.log.
commit_expect() {
  local rc=0
  git commit -q -m "$2" >"$tmp/commit.log" 2>&1 || rc=$?
  if [[ $rc -ne $1 ]]; then
    fail "$2: git commit exit code $rc, expected $1"
    sed 's/^/  | /' "$tmp/commit.log" >&2
  fi
}

# 1. An unrelated change passes although legacy/old.yaml is not pinned.
echo "More docs." >>README.md
git add README.md
commit_expect 0 "docs only"
lacks "$tmp/commit.log" "legacy/old.yaml" "docs only"

# 2. A new unpinned Deployment is refused, with the finding printed at its line.
shop_deployment new >apps/new.yaml
git add apps/new.yaml
commit_expect 1 "new unpinned deployment"
has "$tmp/commit.log" "error[node-pinning]: \`shop/new\` is not pinned to any node" "new unpinned deployment"
has "$tmp/commit.log" "--> apps/new.yaml:4:9" "new unpinned deployment"
has "$tmp/commit.log" "gitops-lint..." "new unpinned deployment"
lacks "$tmp/commit.log" "legacy/old.yaml" "new unpinned deployment"

# 3. Pinned, it passes.
shop_deployment new 'nodeSelector: {role: web}' >apps/new.yaml
git add apps/new.yaml
commit_expect 0 "new pinned deployment"

# 4. Caused by a staged file, found in another: relabelling the node strands apps/web.yaml's selector.
sed -i 's/role: web/role: frontend/' cluster/nodes.yaml
git add cluster/nodes.yaml
commit_expect 1 "node relabelled"
has "$tmp/commit.log" "--> apps/web.yaml:" "node relabelled"
has "$tmp/commit.log" "matches no node in the inventory" "node relabelled"
git checkout -q HEAD -- cluster/nodes.yaml

# 5. Caused by a kustomization: the overlay drops the base's nodeSelector; the finding is in base/api.yaml.
cat >overlay/kustomization.yaml <<'EOF'
resources:
  - ../base
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api, namespace: shop}
      spec:
        template:
          spec:
            nodeSelector: null
EOF
git add overlay/kustomization.yaml
commit_expect 1 "overlay unpins the base"
has "$tmp/commit.log" "\`shop/api\` is not pinned to any node" "overlay unpins the base"
has "$tmp/commit.log" "--> base/api.yaml:" "overlay unpins the base"
git checkout -q HEAD -- overlay/kustomization.yaml

# 6. The hook's command line as pre-commit builds it, on its own: --changed takes the files; exit codes.
run check . --fail-on error --changed README.md
expect_rc 0 "--changed README.md"
has "$out" "no findings" "--changed README.md"
run check . --fail-on error --changed legacy/old.yaml README.md
expect_rc 1 "--changed legacy/old.yaml"
has "$out" "--> legacy/old.yaml:4:9" "--changed legacy/old.yaml"
run check . --changed ../outside.yaml
expect_rc 2 "--changed outside the repository"
has "$err" "is outside the repository" "--changed outside the repository"

finish precommit
