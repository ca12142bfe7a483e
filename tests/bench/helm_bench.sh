#!/usr/bin/env bash
# Times `gitops-lint render CHART` against the reference renderer (../shared/oracle, Go text/template and
# Sprig) on the charts of fixtures/helm and of the corpus, in the same shell run: one process per render for
# both, then all of ours in one process. Prints totals, medians and ratios.
# Usage: tests/bench/helm_bench.sh [-b BUILD_DIR] [-r ROUNDS]      (HELM_ORACLE=path to the oracle)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
src=$(cd "$here/../.." && pwd -P)
build=$src/build
rounds=20
while [[ $# -gt 0 ]]; do
  case $1 in
    -b) build=$2; shift 2 ;;
    -r) rounds=$2; shift 2 ;;
    *) echo "usage: $0 [-b BUILD_DIR] [-r ROUNDS]" >&2; exit 2 ;;
  esac
done
gl=${GL_BIN:-$build/gitops-lint}
oracle=${HELM_ORACLE:-/work/oracle-build/helm-oracle}
[[ -x $gl ]] || { echo "helm_bench: no gitops-lint at $gl" >&2; exit 2; }
[[ -x $oracle ]] || { echo "helm_bench: no oracle at $oracle (build ../shared/oracle/build.sh)" >&2; exit 2; }
[[ ${BASH_VERSINFO[0]} -ge 5 ]] || { echo "helm_bench: needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }

# root|chart pairs: every chart of fixtures/helm, and the corpus charts that render without downloads.
charts=()
for c in "$src"/fixtures/helm/*/; do charts+=("$src/fixtures/helm|$(basename "$c")"); done
corpus=$src/../shared/corpora/sesacthon-c2afd9df
[[ -d $corpus/charts/platform/atlantis ]] && charts+=("$corpus|charts/platform/atlantis")
echo "charts: ${#charts[@]}, rounds: $rounds"

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
total_oracle=0
total_ours=0
for pair in "${charts[@]}"; do
  root=${pair%%|*}
  chart=${pair#*|}
  cd "$root"
  "$oracle" template "$chart" >/dev/null 2>&1 || true  # warm-up
  "$gl" render "$chart" >/dev/null 2>&1 || true
  t0=$(now)
  for _ in $(seq "$rounds"); do "$oracle" template "$chart" >/dev/null 2>&1 || true; done
  t1=$(now)
  for _ in $(seq "$rounds"); do "$gl" render "$chart" >/dev/null 2>&1 || true; done
  t2=$(now)
  o=$(elapsed "$t0" "$t1")
  g=$(elapsed "$t1" "$t2")
  total_oracle=$(awk -v a="$total_oracle" -v b="$o" 'BEGIN { print a + b }')
  total_ours=$(awk -v a="$total_ours" -v b="$g" 'BEGIN { print a + b }')
  awk -v c="$chart" -v o="$o" -v g="$g" -v n="$rounds" \
    'BEGIN { printf "%-28s oracle %6.2f ms  ours %6.2f ms  ratio %.2fx\n", c, o * 1000 / n, g * 1000 / n, o / g }'
done
awk -v o="$total_oracle" -v g="$total_ours" \
  'BEGIN { printf "total (a process per render): oracle %.3f s, ours %.3f s, ratio oracle/ours %.2fx\n", o, g, o / g }'
# All of ours in one process per root (render DIR...), against the oracle's process per chart.
t0=$(now)
for _ in $(seq "$rounds"); do
  (cd "$src/fixtures/helm" && "$gl" render ./*/ >/dev/null 2>&1) || true
  [[ -d $corpus ]] && { (cd "$corpus" && "$gl" render charts/platform/atlantis >/dev/null 2>&1) || true; }
done
t1=$(now)
awk -v o="$total_oracle" -v g="$(elapsed "$t0" "$t1")" \
  'BEGIN { printf "ours with one process per repository: %.3f s, ratio oracle/ours %.2fx\n", g, o / g }'
