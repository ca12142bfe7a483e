#!/usr/bin/env bash
# Differential test of chart rendering: `gitops-lint render CHART` against the reference renderer's output
# stored in tests/golden/helm/ (tests/diff/helm_regen.sh rewrites it). The oracle prints whole template files
# in path order, gitops-lint prints documents in `helm template` order, so the comparison is of document sets
# (yaml_canon: keys and documents sorted, scalars typed). Where the oracle failed (KEY.err), we must fail too.
# Corpus charts (../shared/corpora) have no stored goldens: they are compared live when the oracle is built.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${GL_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
: "${GL_BIN:?GL_BIN must name the gitops-lint binary}"
canon=${GL_CANON:?GL_CANON must name the yaml_canon binary}
golden=$src/tests/golden/helm
oracle=${HELM_ORACLE:-/work/oracle-build/helm-oracle}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failures=0
skipped=0
while read -r key root chart flags; do
  [[ -z $key || $key == \#* ]] && continue
  if [[ ! -d $src/$root ]]; then
    echo "skip   $key: $root is absent"
    skipped=$((skipped + 1))
    continue
  fi
  want_yaml=$golden/$key.yaml
  want_err=$golden/$key.err
  if [[ $root == ../shared/* ]]; then
    # The corpora are not copied into the project, not even as rendered goldens: compare live, when the
    # reference renderer is built here.
    if [[ ! -x $oracle ]]; then
      echo "skip   $key: corpus chart and no oracle at $oracle"
      skipped=$((skipped + 1))
      continue
    fi
    want_yaml=$tmp/$key.oracle.yaml
    want_err=$tmp/$key.oracle.err
    # shellcheck disable=SC2086
    if (cd "$src/$root" && "$oracle" template "$chart" $flags) >"$want_yaml" 2>"$want_err"; then rm -f "$want_err"; fi
  fi
  rc=0
  # shellcheck disable=SC2086  # flags are a word list on purpose
  (cd "$src/$root" && "$GL_BIN" render "$chart" $flags) >"$tmp/$key.ours" 2>"$tmp/$key.err" || rc=$?
  if [[ -f $want_err ]]; then
    if [[ $rc -eq 1 ]]; then
      pass=$((pass + 1))
      echo "ok     $key (fails in both)"
    else
      failures=$((failures + 1))
      echo "FAIL   $key: the oracle fails ($(head -c 200 "$want_err")) but we exit $rc"
    fi
    continue
  fi
  if [[ $rc -ne 0 ]]; then
    failures=$((failures + 1))
    echo "FAIL   $key: we exit $rc where the oracle renders"
    sed 's/^/       /' "$tmp/$key.err" | head -20
    continue
  fi
  "$canon" --paths "$want_yaml" >"$tmp/$key.want"
  "$canon" --paths "$tmp/$key.ours" >"$tmp/$key.got"
  if diff -u --label "oracle/$key" --label "ours/$key" "$tmp/$key.want" "$tmp/$key.got" >"$tmp/$key.diff"; then
    pass=$((pass + 1))
    echo "ok     $key"
  else
    failures=$((failures + 1))
    echo "FAIL   $key: documents differ"
    head -40 "$tmp/$key.diff" | sed 's/^/       /'
  fi
done <"$here/helm_charts.txt"
echo "helm_diff: $pass identical, $failures failing, $skipped skipped"
[[ $failures -eq 0 ]]
