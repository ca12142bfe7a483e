#!/usr/bin/env bash
# Benchmark: expanding and rendering every Argo CD application of each corpus repository in one
# `gitops-lint apps` run, against `kubectl kustomize` over the same applications' Kustomize paths (the part a
# script around kubectl could do; kubectl cannot expand applications, render charts or directory sources).
# Both run in the same shell, interleaved: after a warm-up round, ROUNDS timed rounds (default 5). Prints the
# median per round of each and the ratio.
#
# usage: tests/bench/argocd_bench.sh [-b BUILD_DIR] [-r ROUNDS] [CORPUS_DIR]
# Binary: $GL_BIN, else BUILD_DIR/gitops-lint (BUILD_DIR: -b, else $GL_BUILD_DIR, else <source>/build).
# CORPUS_DIR: default <source>/../shared/corpora. Not a test: it is not registered with ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
source_dir=$(cd "$here/../.." && pwd -P)
build_dir=${GL_BUILD_DIR:-$source_dir/build}
rounds=5
corpus=$source_dir/../shared/corpora

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    -b | --build) [[ $# -ge 2 ]] || usage; build_dir=$2; shift 2 ;;
    -r | --rounds) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; rounds=$2; shift 2 ;;
    -h | --help | -*) usage ;;
    *) corpus=$1; shift ;;
  esac
done

gl_bin=${GL_BIN:-$build_dir/gitops-lint}
[[ -x $gl_bin ]] || { echo "argocd_bench: no executable at $gl_bin" >&2; exit 2; }
command -v kubectl >/dev/null 2>&1 || { echo "argocd_bench: kubectl is not installed" >&2; exit 2; }
[[ -d $corpus ]] || { echo "argocd_bench: the corpus $corpus is absent" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "argocd_bench: needs python3 (to read apps --format json)" >&2; exit 2; }
[[ ${BASH_VERSINFO[0]} -ge 5 ]] || { echo "argocd_bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd -P)
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9

now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

for repo in "$corpus"/*/; do
  repo=${repo%/}
  # The Kustomize paths of the applications (unique, in order), from our own listing.
  mapfile -t paths < <("$gl_bin" apps "$repo" --format json 2>/dev/null | python3 -c '
import json, sys
seen = []
for a in json.load(sys.stdin)["applications"]:
    for s in a["sources"]:
        if s.endswith("[Kustomize]"):
            p = s.split(" ")[0]
            if p not in seen:
                seen.append(p)
print("\n".join(seen))')
  apps=$("$gl_bin" apps "$repo" --format json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["applications"]))')
  [[ $apps -gt 0 ]] || continue
  ours=() theirs=()
  for ((r = 0; r <= rounds; r++)); do
    t0=$(now_us)
    "$gl_bin" apps "$repo" >/dev/null 2>&1
    t1=$(now_us)
    for p in "${paths[@]}"; do kubectl kustomize "$repo/$p" >/dev/null 2>&1 || true; done
    t2=$(now_us)
    if [[ $r -gt 0 ]]; then ours+=($((t1 - t0))); theirs+=($((t2 - t1))); fi
  done
  m_ours=$(printf '%s\n' "${ours[@]}" | median)
  m_theirs=$(printf '%s\n' "${theirs[@]}" | median)
  printf '%s: %d applications, %d Kustomize paths\n' "$(basename "$repo")" "$apps" "${#paths[@]}"
  awk -v o="$m_ours" -v t="$m_theirs" 'BEGIN {
    printf "  gitops-lint apps (expand + render everything, one process): %8.1f ms\n", o / 1000
    printf "  kubectl kustomize (Kustomize paths only, one process each): %8.1f ms\n", t / 1000
    printf "  ratio kubectl / gitops-lint: %.1fx\n", t / o
  }'
done
