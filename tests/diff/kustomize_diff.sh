#!/usr/bin/env bash
# Differential test: `gitops-lint render DIR` against `kubectl kustomize DIR` on every kustomization
# directory of fixtures/ and ../shared/corpora/, both outputs canonicalised by yaml_canon (sorted keys and
# documents, kubectl's scalar typing); identical objects must also come in the same order and as the same
# YAML text. See tests/diff/README.md.
#
# Environment:
#   GL_BIN         gitops-lint binary (required unless GL_DIFF_OURS is set)
#   GL_CANON       yaml_canon binary (default: $GL_BUILD_DIR/tests/yaml_canon)
#   GL_SOURCE_DIR  source tree (default: two levels above this script)
#   GL_DIFF_OURS   command run as "ours" instead of "$GL_BIN render" (e.g. "kubectl kustomize" to test the
#                  harness against kubectl itself); the directory is appended as its last argument
#   GL_DIFF_JOBS   directories built in parallel (default 2)
#   GL_DIFF_ONLY   only directories whose path contains this string
#   GL_DIFF_KEEP   keep the outputs in this directory instead of a temporary one
#   GL_DIFF_ONLINE set to 1 to let kubectl reach the network (default: offline, through a dead proxy)
#   GL_DIFF_LINES  diff lines shown per differing directory (default 40)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${GL_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
timeout_s=${GL_DIFF_TIMEOUT:-60}

# Worker mode: one directory. Writes $out/<key>.{k,o}.{yaml,err,canon,order}, <key>.diff, and <key>.result:
# class, path, key, bad exit (0/1), note; tab-separated, the note last because it may be empty.
if [[ ${1:-} == --one ]]; then
  rel=$2
  out=$3
  key=$(printf '%s' "$rel" | tr -c 'A-Za-z0-9_-' '_')_$(printf '%s' "$rel" | md5sum | cut -c1-8)
  dir=$(realpath "$src/$rel")  # both tools get the same absolute path
  rc_k=0
  timeout "$timeout_s" kubectl kustomize "$dir" >"$out/$key.k.yaml" 2>"$out/$key.k.err" || rc_k=$?
  # Ours runs from the repository the directory belongs to (render's default root: the Git top level, else the
  # current directory): a corpus snapshot (../shared/corpora/<snapshot>, no Git), else the source tree.
  root=$src
  if [[ $rel == ../shared/corpora/* ]]; then
    snapshot=${rel#../shared/corpora/}
    root=$src/../shared/corpora/${snapshot%%/*}
  fi
  rc_o=0
  # shellcheck disable=SC2086  # GL_DIFF_OURS is a command line on purpose
  (cd "$root" && timeout "$timeout_s" $GL_DIFF_OURS "$dir") >"$out/$key.o.yaml" 2>"$out/$key.o.err" || rc_o=$?
  note=""
  if [[ $rc_k -eq 0 && $rc_o -eq 0 ]]; then
    ck=0
    co=0
    "$GL_CANON" --paths "$out/$key.k.yaml" >"$out/$key.k.canon" 2>>"$out/$key.k.err" || ck=$?
    "$GL_CANON" --paths "$out/$key.o.yaml" >"$out/$key.o.canon" 2>>"$out/$key.o.err" || co=$?
    if [[ $ck -ne 0 || $co -ne 0 ]]; then
      class=differs
      note="yaml_canon could not read the output of $([[ $ck -ne 0 ]] && echo kubectl || echo ours)"
    elif cmp -s "$out/$key.k.canon" "$out/$key.o.canon"; then
      class=identical
      # Same objects: the order of the stream must match too (kubectl's legacy order, or sortOptions).
      "$GL_CANON" --order "$out/$key.k.yaml" >"$out/$key.k.order"
      "$GL_CANON" --order "$out/$key.o.yaml" >"$out/$key.o.order"
      if ! cmp -s "$out/$key.k.order" "$out/$key.o.order"; then
        class=differs
        note="same objects in a different order"
        diff -u --label "kubectl/$rel (order)" --label "ours/$rel (order)" "$out/$key.k.order" "$out/$key.o.order" \
          >"$out/$key.diff"
      elif ! cmp -s "$out/$key.k.yaml" "$out/$key.o.yaml"; then
        # Same objects in the same order: the text must match too (quoting, folding, block scalars).
        class=differs
        note="same objects, different YAML text"
        diff -u --label "kubectl/$rel (text)" --label "ours/$rel (text)" "$out/$key.k.yaml" "$out/$key.o.yaml" \
          >"$out/$key.diff"
      fi
    else
      class=differs
      diff -u --label "kubectl/$rel" --label "ours/$rel" "$out/$key.k.canon" "$out/$key.o.canon" >"$out/$key.diff"
    fi
  elif [[ $rc_k -ne 0 && $rc_o -ne 0 ]]; then
    class=both-fail
    [[ -s $out/$key.o.err ]] || note="ours failed with no message on stderr"
  elif [[ $rc_k -ne 0 ]]; then
    class=kubectl-fails-we-build
  else
    class=we-fail-kubectl-builds
  fi
  [[ $rc_k -eq 124 || $rc_o -eq 124 ]] && note="timed out after ${timeout_s}s ${note}"
  # `render` exits 0 (all rendered) or 1 (something failed); anything else is a usage error or a crash.
  bad=0
  if [[ $rc_o -ne 0 && $rc_o -ne 1 ]]; then
    bad=1
    note="ours exited $rc_o: a usage error, crash or timeout, not a render failure${note:+; $note}"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$class" "$rel" "$key" "$bad" "$note" >"$out/$key.result"
  exit 0
fi

if ! command -v kubectl >/dev/null 2>&1; then
  echo "SKIP: kubectl is not installed, so there is no oracle: the differential test did not run"
  exit 0
fi
if [[ -z ${GL_DIFF_OURS:-} ]]; then
  : "${GL_BIN:?GL_BIN must name the gitops-lint binary (or set GL_DIFF_OURS)}"
  GL_DIFF_OURS="$GL_BIN render"
fi
GL_CANON=${GL_CANON:-${GL_BUILD_DIR:-$src/build}/tests/yaml_canon}
if [[ ! -x $GL_CANON ]]; then
  echo "FAIL: yaml_canon not found at $GL_CANON (set GL_CANON or GL_BUILD_DIR)" >&2
  exit 1
fi
export GL_DIFF_OURS GL_CANON GL_SOURCE_DIR=$src GL_DIFF_TIMEOUT=$timeout_s
# kubectl must not fetch remote bases: the comparison is about what can be built offline, on any machine.
if [[ ${GL_DIFF_ONLINE:-0} != 1 ]]; then
  export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
  export https_proxy=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 NO_PROXY='' no_proxy='' GIT_TERMINAL_PROMPT=0
fi

if [[ -n ${GL_DIFF_KEEP:-} ]]; then
  out=$GL_DIFF_KEEP
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

# Kustomization directories, as paths relative to the source dir.
find_dirs() {
  (cd "$src" && find "$1" \( -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization \) \
    -type f -printf '%h\n' 2>/dev/null) | sort -u
}
dirs=$(find_dirs fixtures)
corpora=../shared/corpora
if [[ -d $src/$corpora ]]; then
  dirs+=$'\n'$(find_dirs "$corpora")
  echo "corpora: $corpora"
else
  echo "NOTE: $src/$corpora is absent: only fixtures/ are compared (the real-repository part is skipped)"
fi
dirs=$(printf '%s\n' "$dirs" | grep -v '^$')
if [[ -n ${GL_DIFF_ONLY:-} ]]; then
  dirs=$(printf '%s\n' "$dirs" | grep -F -- "$GL_DIFF_ONLY" || true)
fi
if [[ -z $dirs ]]; then
  echo "FAIL: no kustomization directory found" >&2
  exit 1
fi
echo "ours: $GL_DIFF_OURS DIR    oracle: kubectl kustomize DIR ($(kubectl version --client 2>/dev/null | grep -i kustomize))"

printf '%s\n' "$dirs" | xargs -d '\n' -P "${GL_DIFF_JOBS:-2}" -I{} bash "$here/kustomize_diff.sh" --one {} "$out"
cat "$out"/*.result | sort -t$'\t' -k2,2 >"$out/results.tsv"

# Known differences: `path  reason` (whitespace separated), '#' comments.
declare -A known=()
known_file=$here/known_differences.txt
if [[ -f $known_file ]]; then
  while read -r path reason; do
    [[ -z $path || $path == \#* ]] && continue
    known[$path]=${reason:-"(no reason given)"}
  done <"$known_file"
fi

# stderr_tail WHO FILE: the last lines of a tool's stderr, indented and cut to 300 columns, for the report.
stderr_tail() {
  if [[ -s $2 ]]; then
    tail -n 5 "$2" | cut -c1-300 | sed "s/^/       $1: /"
  else
    echo "       $1: (nothing on stderr)"
  fi
}

failures=0
declare -A count=()
declare -A seen=()
problems=""
while IFS=$'\t' read -r class rel key bad note; do
  count[$class]=$((${count[$class]:-0} + 1))
  seen[$rel]=1
  ok=0
  [[ $class == identical || $class == both-fail ]] && ok=1
  [[ $bad == 1 ]] && ok=0
  if [[ -n ${known[$rel]+x} ]]; then
    if [[ $ok -eq 1 ]]; then
      problems+="FIXED  $rel is $class now: remove it from tests/diff/known_differences.txt"$'\n'
      failures=$((failures + 1))
    else
      printf 'known  %-24s %s  (%s)\n' "$class" "$rel" "${known[$rel]}"
    fi
    continue
  fi
  if [[ $ok -eq 1 ]]; then
    [[ -n $note ]] && printf 'note   %-24s %s  (%s)\n' "$class" "$rel" "$note"
    continue
  fi
  failures=$((failures + 1))
  problems+="FAIL   $class: $rel${note:+ ($note)}"$'\n'
  [[ $class == both-fail ]] && problems+="$(stderr_tail ours "$out/$key.o.err")"$'\n'
  lines=${GL_DIFF_LINES:-40}
  case $class in
    differs)
      if [[ -f $out/$key.diff ]]; then
        problems+="$(head -n "$lines" "$out/$key.diff" | sed 's/^/       /')"$'\n'
        total=$(wc -l <"$out/$key.diff")
        [[ $total -gt $lines ]] && problems+="       ... ($total diff lines in all; GL_DIFF_KEEP=DIR keeps them)"$'\n'
      fi
      ;;
    kubectl-fails-we-build) problems+="$(stderr_tail kubectl "$out/$key.k.err")"$'\n' ;;
    we-fail-kubectl-builds) problems+="$(stderr_tail ours "$out/$key.o.err")"$'\n' ;;
  esac
done <"$out/results.tsv"

# A listed fixture that no longer exists is a stale entry (corpus entries are skipped when the corpus is absent).
for path in "${!known[@]}"; do
  [[ -n ${seen[$path]+x} ]] && continue
  [[ $path == "$corpora"/* && ! -d $src/$corpora ]] && continue
  [[ -n ${GL_DIFF_ONLY:-} ]] && continue
  problems+="STALE  $path is listed in known_differences.txt but is not a kustomization directory"$'\n'
  failures=$((failures + 1))
done

[[ -n $problems ]] && printf '\n%s' "$problems"
echo
echo "| result | directories |"
echo "| --- | ---: |"
total=0
for class in identical differs both-fail kubectl-fails-we-build we-fail-kubectl-builds; do
  echo "| $class | ${count[$class]:-0} |"
  total=$((total + ${count[$class]:-0}))
done
echo "| total | $total |"
echo "(known differences listed: ${#known[@]})"
if [[ $failures -ne 0 ]]; then
  echo "$failures director(ies) not identical-or-both-fail and not listed (or listed but fixed)" >&2
  exit 1
fi
echo "diff_kustomize: all directories identical, both-fail or listed"
