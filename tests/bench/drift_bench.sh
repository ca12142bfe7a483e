#!/usr/bin/env bash
# drift of N desired objects (gen_repo.py) against an N-object live dump (gen_live.py), beside its peers in the
# same shell: `gitops-lint check` on the same repository, and Python reading the same dump (json.load), the
# floor of any tool that looks at those live objects.
# usage: tests/bench/drift_bench.sh [-b BUILD_DIR] [N ...]   (default N: 10000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${GL_BUILD_DIR:-$here/../../build}
if [[ ${1:-} == -b ]]; then build=$2; shift 2; fi
bin=${GL_BIN:-$build/gitops-lint}
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(10000)
python3 -c 'import yaml' 2>/dev/null || { echo "needs PyYAML (apt-get install python3-yaml)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_of_3() {  # prints the best wall time in seconds of three runs of "$@" (after one warm-up)
  "$@" >/dev/null 2>&1 || true
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    best=$(python3 -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(a if b=='' or a<float(b) else b)" \
      "$(python3 -c "print($t1-$t0)")" "$best")
  done
  printf '%.3f' "$best"
}

printf '| desired | live | drift (s) | check (s) | drift / check | json.load (s) | drift / json.load | summary |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
for n in "${sizes[@]}"; do
  repo=$work/repo$n
  python3 "$here/gen_repo.py" "$repo" "$n" >/dev/null
  python3 "$here/gen_live.py" "$repo" "$work/live$n.json"
  live_count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['items']))" "$work/live$n.json")
  t_drift=$(best_of_3 "$bin" drift "$repo" --live-file "$work/live$n.json" --format json -o /dev/null --fail-on never)
  t_check=$(best_of_3 "$bin" check "$repo" --format json -o /dev/null --fail-on never)
  t_json=$(best_of_3 python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$work/live$n.json")
  summary=$("$bin" drift "$repo" --live-file "$work/live$n.json" --format json --fail-on never |
    python3 -c "import json,sys; s=json.load(sys.stdin)['summary']; print(', '.join(f'{k} {v}' for k,v in s.items()))")
  ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$live_count" "$t_drift" "$t_check" \
    "$(ratio "$t_drift" "$t_check")" "$t_json" "$(ratio "$t_drift" "$t_json")" "$summary"
done
