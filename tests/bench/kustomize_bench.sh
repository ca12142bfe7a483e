#!/usr/bin/env bash
# Benchmark: `gitops-lint render DIR` against `kubectl kustomize DIR` on every kustomization directory of the
# real corpus (../shared/corpora/) that kubectl builds offline. Both tools run on the same directories in the
# same shell run, interleaved, one process per build: after a warm-up round, ROUNDS timed rounds (default 3).
# Prints per tool the total per round, the median round total, the median per overlay, and the ratios.
#
# usage: tests/bench/kustomize_bench.sh [-b BUILD_DIR] [-r ROUNDS] [CORPUS_DIR]
# Binary: $GL_BIN, else BUILD_DIR/gitops-lint (BUILD_DIR: -b, else $GL_BUILD_DIR, else <source>/build).
# CORPUS_DIR: default <source>/../shared/corpora. Not a test: it is not registered with ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
source_dir=$(cd "$here/../.." && pwd -P)
build_dir=${GL_BUILD_DIR:-$source_dir/build}
rounds=3
corpus=$source_dir/../shared/corpora

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    -b | --build)
      [[ $# -ge 2 ]] || usage
      build_dir=$2
      shift 2
      ;;
    -r | --rounds)
      [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage
      rounds=$2
      shift 2
      ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
      corpus=$1
      shift
      ;;
  esac
done

gl_bin=${GL_BIN:-$build_dir/gitops-lint}
if [[ ! -x $gl_bin ]]; then
  echo "kustomize_bench: no executable at $gl_bin (build the gitops-lint target, or set GL_BIN)" >&2
  exit 2
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "kustomize_bench: kubectl is not installed: nothing to compare against" >&2
  exit 2
fi
if [[ ! -d $corpus ]]; then
  echo "kustomize_bench: the corpus $corpus is absent: nothing to build" >&2
  exit 2
fi
corpus=$(cd "$corpus" && pwd -P)
[[ ${BASH_VERSINFO[0]} -ge 5 ]] || { echo "kustomize_bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
# Offline, as the differential test: kubectl must not fetch remote bases (nor wait on the network).
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
export https_proxy=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 NO_PROXY='' no_proxy='' GIT_TERMINAL_PROMPT=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t all < <(find "$corpus" \( -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization \) \
  -type f -printf '%h\n' | sort -u)
# render runs from the snapshot a directory belongs to (its default root: Git top level, else the current dir).
dirs=()
roots=()
ours_failed=0
for d in "${all[@]}"; do
  if kubectl kustomize "$d" >/dev/null 2>&1; then
    rest=${d#"$corpus"/}
    dirs+=("$d")
    roots+=("$corpus/${rest%%/*}")
    (cd "${roots[-1]}" && "$gl_bin" render "$d" >/dev/null 2>&1) || ours_failed=$((ours_failed + 1))
  fi
done
echo "corpus: $corpus"
echo "kustomization directories: ${#all[@]}, built by kubectl offline: ${#dirs[@]}"
[[ ${#dirs[@]} -gt 0 ]] || { echo "kustomize_bench: kubectl builds none of them" >&2; exit 2; }
if [[ $ours_failed -ne 0 ]]; then
  echo "WARNING: gitops-lint render fails on $ours_failed of them: those builds stop early, the ratio flatters us"
fi

# One line per timed build: round, tool, directory index, seconds. `true` measures the cost of starting a process.
times=$tmp/times.tsv
run_round() {
  local round=$1 i t0 t1
  for i in "${!dirs[@]}"; do
    t0=$EPOCHREALTIME
    kubectl kustomize "${dirs[$i]}" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    printf '%s\tkubectl\t%s\t%s\n' "$round" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    cd "${roots[$i]}"
    t0=$EPOCHREALTIME
    "$gl_bin" render "${dirs[$i]}" >/dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    cd - >/dev/null
    printf '%s\tours\t%s\t%s\n' "$round" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    t0=$EPOCHREALTIME
    /bin/true
    t1=$EPOCHREALTIME
    printf '%s\ttrue\t%s\t%s\n' "$round" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
  done
}
run_round 0 >/dev/null  # warm-up: files in the page cache, binaries loaded
for r in $(seq 1 "$rounds"); do run_round "$r" >>"$times"; done

# The same builds in one gitops-lint process per snapshot (`render DIR...`), as `check` builds them: no
# process start per overlay. kubectl has no such mode.
mapfile -t uniq_roots < <(printf '%s\n' "${roots[@]}" | sort -u)
batch=$tmp/batch.tsv
for r in $(seq 1 "$rounds"); do
  t0=$EPOCHREALTIME
  for root in "${uniq_roots[@]}"; do
    batch_dirs=()
    for i in "${!dirs[@]}"; do [[ ${roots[$i]} == "$root" ]] && batch_dirs+=("${dirs[$i]}"); done
    (cd "$root" && "$gl_bin" render "${batch_dirs[@]}" >/dev/null 2>&1) || true
  done
  t1=$EPOCHREALTIME
  printf '%s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')" >>"$batch"
done

echo "rounds: $rounds (after one warm-up round), gitops-lint: $gl_bin"
echo "kubectl: $(kubectl version --client 2>/dev/null | tr '\n' ' ')"
echo
awk -F'\t' -v rounds="$rounds" -v n="${#dirs[@]}" '
  function median(arr, cnt,   i, j, tmp) {
    for (i = 2; i <= cnt; i++) { tmp = arr[i]; for (j = i - 1; j >= 1 && arr[j] > tmp; j--) arr[j + 1] = arr[j]; arr[j + 1] = tmp }
    return cnt % 2 ? arr[(cnt + 1) / 2] : (arr[cnt / 2] + arr[cnt / 2 + 1]) / 2
  }
  { total[$2, $1] += $4; t[$2, $3, $1] = $4 }
  END {
    split("kubectl ours true", tools, " ")
    for (k = 1; k <= 3; k++) {
      tool = tools[k]
      line = ""
      for (r = 1; r <= rounds; r++) { a[r] = total[tool, r]; line = line sprintf(" %.3f", a[r]) }
      med_total[tool] = median(a, rounds)
      # per overlay: the median of its rounds, then the median over overlays
      for (i = 0; i < n; i++) { for (r = 1; r <= rounds; r++) b[r] = t[tool, i, r]; per[i + 1] = median(b, rounds) }
      med_dir[tool] = median(per, n)
      per_round[tool] = line
    }
    printf "| tool | total per round (s) | median total (s) | median per overlay (ms) |\n"
    printf "| --- | --- | ---: | ---: |\n"
    printf "| kubectl kustomize |%s | %.3f | %.1f |\n", per_round["kubectl"], med_total["kubectl"], med_dir["kubectl"] * 1000
    printf "| gitops-lint render |%s | %.3f | %.1f |\n", per_round["ours"], med_total["ours"], med_dir["ours"] * 1000
    printf "| /bin/true (process start) |%s | %.3f | %.1f |\n", per_round["true"], med_total["true"], med_dir["true"] * 1000
    printf "\n"
    if (med_total["ours"] > 0) printf "ratio of totals, kubectl / ours: %.1fx\n", med_total["kubectl"] / med_total["ours"]
    if (med_dir["ours"] > 0) printf "ratio of medians per overlay, kubectl / ours: %.1fx\n", med_dir["kubectl"] / med_dir["ours"]
    printf "%.6f\n", med_total["kubectl"] > "'"$tmp/kubectl_total"'"
  }' "$times"
batch_median=$(sort -n "$batch" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo
printf 'gitops-lint render, all overlays in one process per snapshot: median %.3f s per round (%s rounds)\n' \
  "$batch_median" "$rounds"
awk -v k="$(cat "$tmp/kubectl_total")" -v o="$batch_median" \
  'BEGIN { if (o > 0) printf "ratio of totals, kubectl (one process per overlay) / ours (one process): %.1fx\n", k / o }'
