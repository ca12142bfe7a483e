#!/usr/bin/env bash
# Benchmark: the pre-commit hook on the real corpus (../shared/corpora/). Each snapshot is copied into a temp
# Git repository that installs this checkout's .pre-commit-hooks.yaml. For a few staged files per snapshot
# (a plain manifest, a kustomization, a Helm values file, an Argo CD application), in the same shell run:
#   hook   the hook's own command, `gitops-lint check --fail-on error --changed FILE` (what the 150 ms goal is about)
#   check  a full `gitops-lint check` of the same tree (the peer: what the hook costs beyond it)
#   pre-commit  `pre-commit run --files FILE`, the framework included (Python start-up, stash, hook)
# Each figure is the median of ROUNDS runs (default 7) after a warm-up run.
#
# usage: tests/bench/precommit_bench.sh [-b BUILD_DIR] [-r ROUNDS] [CORPUS_DIR]
# Binary: $GL_BIN, else BUILD_DIR/gitops-lint (BUILD_DIR: -b, else $GL_BUILD_DIR, else <source>/build).
# Not a test: it is not registered with ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
source_dir=$(cd "$here/../.." && pwd -P)
build_dir=${GL_BUILD_DIR:-$source_dir/build}
rounds=7
corpus=$source_dir/../shared/corpora

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case $1 in
    -b | --build) [[ $# -ge 2 ]] || usage; build_dir=$2; shift 2 ;;
    -r | --rounds) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; rounds=$2; shift 2 ;;
    -*) usage ;;
    *) corpus=$1; shift ;;
  esac
done
gl=${GL_BIN:-$build_dir/gitops-lint}
[[ -x $gl ]] || { echo "no gitops-lint binary at $gl (build it, or set GL_BIN / -b)" >&2; exit 2; }
[[ -d $corpus ]] || { echo "corpus directory $corpus is absent" >&2; exit 2; }
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (apt-get install pre-commit)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME=$tmp/pre-commit-home HOME=$tmp GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.com
export PATH="$(dirname "$gl"):$PATH"

hooks=$tmp/hooks
mkdir -p "$hooks"
cp "$source_dir/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q -b main && git -C "$hooks" add -A && git -C "$hooks" commit -q -m hooks
hooks_rev=$(git -C "$hooks" rev-parse HEAD)

# median_ms CMD...: the median wall time of ROUNDS runs in milliseconds (one warm-up run first).
median_ms() {
  "$@" >/dev/null 2>&1 || true
  local times=() i start end
  for ((i = 0; i < rounds; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((rounds + 1) / 2))p"
}

printf '| snapshot | staged file | findings reported | hook (ms) | full check (ms) | hook / check | pre-commit run (ms) |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
for snap in "$corpus"/*/; do
  name=$(basename "$snap")
  repo=$tmp/$name
  cp -r "$snap" "$repo"
  (
    cd "$repo"
    git init -q -b main
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: gitops-lint\n' "$hooks" "$hooks_rev" >.pre-commit-config.yaml
    git add -A && git commit -q -m snapshot
    # One file of each kind the snapshot has.
    files=()
    for pattern in 'k8s/*/deployment.yaml' 'workloads/*/base/deployment.yaml' '*/kustomization.yaml' \
                   'charts/*/values.yaml' 'argocd/*/*.yaml' 'clusters/*/apps/*.yaml'; do
      f=$(git ls-files -- "$pattern" | head -1)
      [[ -n $f ]] && files+=("$f")
    done
    full=$(median_ms "$gl" check . --fail-on never)
    for f in "${files[@]}"; do
      hook=$(median_ms "$gl" check . --fail-on error --changed "$f")
      count=$("$gl" check . --fail-on never --format concise --changed "$f" | grep -c ': \(error\|warning\|note\)\[' || true)
      total=$(median_ms pre-commit run --files "$f")
      ratio=$(awk -v a="$hook" -v b="$full" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$name" "$f" "$count" "$hook" "$full" "$ratio" "$total"
    done
  )
done
