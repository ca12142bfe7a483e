#!/usr/bin/env bash
# Benchmark: `gitops-lint check` against a bare libyaml parse of the same files, on synthetic repositories
# of N objects (gen_repo.py). Best of 3 wall-clock runs each; prints one table row per N.
#
# usage: tests/bench/bench.sh [-b BUILD_DIR] [N...]        (default N: 1000 10000 50000)
# Binaries: $GL_BIN and $GL_BARE, else BUILD_DIR/gitops-lint and BUILD_DIR/tests/bare_parse
# (BUILD_DIR: -b, else $GL_BUILD_DIR, else <source>/build). Threads: $GL_BENCH_THREADS, else nproc.
# Not a test: it is not registered with ctest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
source_dir=$(cd "$here/../.." && pwd -P)
build_dir=${GL_BUILD_DIR:-$source_dir/build}

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

sizes=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -b | --build)
      [[ $# -ge 2 ]] || usage
      build_dir=$2
      shift 2
      ;;
    -h | --help) usage ;;
    *[!0-9]* | '') usage ;;
    *)
      sizes+=("$1")
      shift
      ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000 50000)

gl_bin=${GL_BIN:-$build_dir/gitops-lint}
bare_bin=${GL_BARE:-$build_dir/tests/bare_parse}
threads=${GL_BENCH_THREADS:-$(nproc)}
for b in "$gl_bin" "$bare_bin"; do
  if [[ ! -x $b ]]; then
    echo "bench: no executable at $b (build the gitops-lint and bare_parse targets, or set GL_BIN/GL_BARE)" >&2
    exit 2
  fi
done
command -v python3 >/dev/null || { echo "bench: python3 is needed to generate the repositories" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best_of_3 CMD...: runs CMD three times (stdout discarded), prints the fastest wall-clock time in seconds.
best_of_3() {
  local best="" start end t
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    if [[ -z $best ]] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  echo "$best"
}

# peak_rss_mib CMD...: the peak resident memory of one run, in MiB ("-" without GNU time).
peak_rss_mib() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null
    awk '{ printf "%.0f", $1 / 1024 }' "$tmp/rss"
  else
    echo "-"
  fi
}

parse_files() { "$bare_bin" "$threads" <"$tmp/files"; }

echo "gitops-lint $("$gl_bin" --version)  threads: $threads  cores: $(nproc)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %7s %8s %9s %9s %8s %10s %9s %9s\n' N files MB check_s parse_s ratio objects/s check_MiB findings
for n in "${sizes[@]}"; do
  repo=$tmp/repo-$n
  python3 "$here/gen_repo.py" "$repo" "$n" >"$tmp/gen.out"
  objects=$(sed -E 's/^objects=([0-9]+).*/\1/' "$tmp/gen.out")
  find "$repo" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$tmp/files"
  files=$(wc -l <"$tmp/files")
  mb=$(xargs cat <"$tmp/files" | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')

  check=("$gl_bin" check "$repo" --format json -o /dev/null --fail-on never --threads "$threads")
  "${check[@]}"  # warm the page cache and fail early on a broken run
  findings=$("$gl_bin" check "$repo" --format concise --fail-on never --threads "$threads" | wc -l)
  check_s=$(best_of_3 "${check[@]}")
  parse_s=$(best_of_3 parse_files)
  rss=$(peak_rss_mib "${check[@]}")
  awk -v n="$objects" -v f="$files" -v mb="$mb" -v c="$check_s" -v p="$parse_s" -v r="$rss" -v d="$findings" 'BEGIN {
    ratio = p > 0 ? sprintf("%.1f", c / p) : "-"
    ops = c > 0 ? sprintf("%.0f", n / c) : "-"
    printf "%8d %7d %8s %9.3f %9.3f %8s %10s %9s %9d\n", n, f, mb, c, p, ratio, ops, r, d
  }'
  rm -rf "$repo"
done
