#!/usr/bin/env bash
# Regenerates tests/golden/gotemplate/ from the Go reference renderer (helm-oracle, see
# /work/shared/oracle/README.md): for every tests/helm/cases/NNN-name.tpl it writes NNN-name.out (stdout
# verbatim, exit 0) or NNN-name.err (stderr verbatim, exit 1). Data: NNN-name.data.yaml next to the case
# when present, else tests/helm/data.yaml. Needs Go only through the oracle binary; CI reads the goldens.
#
# usage: tests/helm/regen.sh [CASE-NAME-OR-GLOB...]     (HELM_ORACLE overrides the oracle's path)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
oracle="${HELM_ORACLE:-/work/oracle-build/helm-oracle}"
cases="${here}/cases"
golden="${root}/tests/golden/gotemplate"

if [[ ! -x "${oracle}" ]]; then
  echo "regen.sh: oracle not found or not executable: ${oracle} (set HELM_ORACLE)" >&2
  exit 2
fi
mkdir -p "${golden}"

patterns=("$@")
[[ ${#patterns[@]} -eq 0 ]] && patterns=("*")

count=0 fails=0
shopt -s nullglob
for pattern in "${patterns[@]}"; do
  for tpl in "${cases}"/${pattern%.tpl}.tpl; do
    name="$(basename "${tpl}" .tpl)"
    data="${cases}/${name}.data.yaml"
    [[ -f "${data}" ]] || data="${here}/data.yaml"
    out="$(mktemp)" err="$(mktemp)"
    status=0
    # The oracle names the template after the file's base name, so run it on a copy named NAME.tpl.
    (cd "${cases}" && "${oracle}" tmpl --data "${data}" "${name}.tpl" >"${out}" 2>"${err}") || status=$?
    rm -f "${golden}/${name}.out" "${golden}/${name}.err"
    case "${status}" in
      0) mv "${out}" "${golden}/${name}.out"; rm -f "${err}" ;;
      1) mv "${err}" "${golden}/${name}.err"; rm -f "${out}"; fails=$((fails + 1)) ;;
      *) echo "regen.sh: ${name}: oracle exited with ${status}" >&2; cat "${err}" >&2; rm -f "${out}" "${err}"; exit 2 ;;
    esac
    count=$((count + 1))
  done
done

# Drop goldens whose case no longer exists.
for g in "${golden}"/*.out "${golden}"/*.err; do
  name="$(basename "${g}")"; name="${name%.*}"
  [[ -f "${cases}/${name}.tpl" ]] || rm -f "${g}"
done
echo "regen.sh: ${count} cases, $((count - fails)) render, ${fails} fail (goldens in ${golden#"${root}"/})"
