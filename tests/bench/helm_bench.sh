#!/usr/bin/env bash
# Times `gitops-lint render CHART` against the reference renderer (../shared/oracle, Go text/template and
# Sprig) on the charts of fixtures/helm and of the corpus, in the same shell run, three ways:
#  1. a process per render for both (what a user of each CLI pays per chart, start-up included);
#  2. all of ours in one process per repository, against the oracle's process per chart;
#  3. engine against engine: each renders every chart ROUNDS times inside one process (ours: `render CHART
#     CHART ...`; the oracle: its own main called in a loop by a small Go driver built here from
#     ../shared/oracle/helm-oracle.go when `go` is installed; skipped otherwise).
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

# 3. Engine against engine, start-up amortised: ROUNDS renders of each chart in one process each.
oracle_src=$src/../shared/oracle/helm-oracle.go
if ! command -v go >/dev/null || [[ ! -f $oracle_src ]]; then
  echo "engine vs engine: skipped (needs go and $oracle_src)"
  exit 0
fi
loopdir=$(mktemp -d)
trap 'rm -rf "$loopdir"' EXIT
sed 's/^func main() {/func oracleMain() {/' "$oracle_src" >"$loopdir/oracle.go"
cat >"$loopdir/loop.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// ROUNDS COMMAND ARGS...: runs the oracle's command ROUNDS times in this process, its output to /dev/null,
// and prints the elapsed nanoseconds.
func main() {
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "usage: helm-oracle-loop ROUNDS COMMAND ARGS...")
		os.Exit(2)
	}
	args := append([]string{"helm-oracle"}, os.Args[2:]...)
	out := os.Stdout
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Stdout = devnull
	start := time.Now()
	for i := 0; i < n; i++ {
		os.Args = args
		oracleMain()
	}
	fmt.Fprintln(out, time.Since(start).Nanoseconds())
}
GO
if ! (cd "$loopdir" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
      go build -o helm-oracle-loop oracle.go loop.go) >"$loopdir/build.log" 2>&1; then
  echo "engine vs engine: skipped (the oracle loop did not build: $(head -c 300 "$loopdir/build.log"))"
  exit 0
fi
loops=$((rounds * 10))
engine_oracle=0
engine_ours=0
for pair in "${charts[@]}"; do
  root=${pair%%|*}
  chart=${pair#*|}
  cd "$root"
  on=$("$loopdir/helm-oracle-loop" "$loops" template "$chart" 2>/dev/null || echo 0)
  mapfile -t repeated < <(yes "$chart" | head -n "$loops")
  t0=$(now)
  "$gl" render "${repeated[@]}" >/dev/null 2>&1 || true
  t1=$(now)
  g=$(elapsed "$t0" "$t1")
  o=$(awk -v n="$on" 'BEGIN { printf "%.6f", n / 1e9 }')
  engine_oracle=$(awk -v a="$engine_oracle" -v b="$o" 'BEGIN { print a + b }')
  engine_ours=$(awk -v a="$engine_ours" -v b="$g" 'BEGIN { print a + b }')
  awk -v c="$chart" -v o="$o" -v g="$g" -v n="$loops" \
    'BEGIN { printf "%-28s in one process: oracle %6.3f ms  ours %6.3f ms per render  ratio %.2fx\n", c, o * 1000 / n, g * 1000 / n, o / g }'
done
awk -v o="$engine_oracle" -v g="$engine_ours" -v n="$loops" \
  'BEGIN { printf "engine vs engine (%d renders of each chart in one process; ours includes its one start-up): oracle %.3f s, ours %.3f s, ratio oracle/ours %.2fx\n", n, o, g, o / g }'
