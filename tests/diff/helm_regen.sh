#!/usr/bin/env bash
# Regenerates tests/golden/helm/KEY.yaml (and KEY.err) from the reference renderer for every chart listed in
# tests/diff/helm_charts.txt. Needs the oracle built from ../shared/oracle (HELM_ORACLE=path to override).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
oracle=${HELM_ORACLE:-/work/oracle-build/helm-oracle}
[[ -x $oracle ]] || { echo "helm_regen: no oracle at $oracle (build ../shared/oracle/build.sh)" >&2; exit 2; }
out=$src/tests/golden/helm
mkdir -p "$out"
while read -r key root chart flags; do
  [[ -z $key || $key == \#* ]] && continue
  [[ -d $src/$root ]] || { echo "skip $key: $root is absent"; continue; }
  [[ $root == ../shared/* ]] && continue  # corpus charts are compared live, never stored
  rm -f "$out/$key.yaml" "$out/$key.err"
  # shellcheck disable=SC2086  # flags are a word list on purpose
  if (cd "$src/$root" && "$oracle" template "$chart" $flags) >"$out/$key.yaml" 2>"$out/$key.err"; then
    rm -f "$out/$key.err"
  else
    rm -f "$out/$key.yaml"
  fi
  echo "regenerated $key"
done <"$here/helm_charts.txt"
