#!/usr/bin/env bash
# Hostile and broken inputs: each in its own repository next to a good manifest. Every run must finish
# in under 2 s without a crash, exit 1 with a load-error that names the file and a line, and still
# report the good manifest's finding. Symlinks out of the repository are never followed.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

# A manifest that is fine to read and has one known finding (it is pinned to no node).
good_manifest() {
  cat <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: good
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: good
          image: shop/good:1
EOF
}

# new_repo NAME: a fresh repository holding good.yaml; prints its path.
new_repo() {
  local dir=$tmp/$1
  mkdir -p "$dir"
  good_manifest >"$dir/good.yaml"
  echo "$dir"
}

# check_repo NAME DIR BAD_FILE LINE [MESSAGE]: runs `check --format concise` on DIR under `timeout 2` and
# checks the exit code, the load-error (or $RULE) at BAD_FILE:LINE (with MESSAGE, if given) and the good
# finding.
check_repo() {
  local name=$1 dir=$2 bad=$3 line=$4 message=${5:-}
  local out=$tmp/$name.out err=$tmp/$name.err rc=0
  timeout 2 "$GL_BIN" check "$dir" --format concise >"$out" 2>"$err" || rc=$?
  if [[ $rc -eq 124 ]]; then
    fail "$name: did not finish within 2 s"
    return 0
  fi
  if [[ $rc -ge 128 ]]; then
    fail "$name: crashed (exit code $rc)"
    sed 's/^/  stderr: /' "$err" >&2
    return 0
  fi
  if [[ $rc -ne 1 ]]; then
    fail "$name: exit code $rc, expected 1"
    sed 's/^/  stderr: /' "$err" >&2
  fi
  local want="$bad:$line:"
  if ! grep -E "^[^ ]+:[0-9]+:[0-9]+: error\[${RULE:-load-error}\] " "$out" | grep -qF -- "$want"; then
    fail "$name: no ${RULE:-load-error} at \`$want\`"
    sed 's/^/  | /' "$out" >&2
  fi
  if [[ -n $message ]] && ! grep -F -- "$want" "$out" | grep -qF -- "$message"; then
    fail "$name: the load-error does not say \`$message\`"
    sed 's/^/  | /' "$out" >&2
  fi
  if ! grep -qF "good.yaml:4:9: error[node-pinning]" "$out"; then
    fail "$name: the good file next to it was not checked"
    sed 's/^/  | /' "$out" >&2
  fi
  if [[ -s $err ]]; then
    fail "$name: unexpected stderr"
    sed 's/^/  stderr: /' "$err" >&2
  fi
  return 0
}

# Malformed YAML: the error is on line 4.
dir=$(new_repo malformed)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n' >"$dir/broken.yaml"
check_repo malformed "$dir" broken.yaml 4 "mapping values are not allowed"

# A file over the 5 MiB default size limit is not read.
dir=$(new_repo too-big)
python3 - "$dir/big.yaml" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("data:\n")
    for i in range(6 * 1024):
        f.write("  k%d: %s\n" % (i, "x" * 1000))
EOF
check_repo too-big "$dir" big.yaml 1 "over the 5Mi limit"

# Billion laughs: stops at the alias-expansion limit.
dir=$(new_repo alias-bomb)
python3 - "$dir/bomb.yaml" <<'EOF'
import sys
names = "abcdefghi"
with open(sys.argv[1], "w") as f:
    f.write('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n')
    for i in range(1, len(names)):
        f.write("%s: &%s [%s]\n" % (names[i], names[i], ",".join("*" + names[i - 1] for _ in range(9))))
EOF
# Level g (line 7) is the first whose aliases expand past 1,000,000 nodes.
check_repo alias-bomb "$dir" bomb.yaml 7 "alias expansion exceeds"

# Nesting 10,000 deep.
dir=$(new_repo deep)
python3 -c 'import sys; open(sys.argv[1], "w").write("[" * 10000 + "]" * 10000 + "\n")' "$dir/deep.yaml"
check_repo deep "$dir" deep.yaml 1 "nesting deeper than"

# A binary file with a YAML name.
dir=$(new_repo binary)
printf 'apiVersion: v1\n\0\0\0\1\2\3binary\n' >"$dir/x.yaml"
check_repo binary "$dir" x.yaml 1 "binary"

# A symlink to /etc/passwd: reported, never read.
dir=$(new_repo passwd-link)
ln -s /etc/passwd "$dir/leak.yaml"
check_repo passwd-link "$dir" leak.yaml 1 "outside the repository"
while IFS= read -r line; do
  [[ -z $line ]] && continue
  if grep -qF -- "$line" "$tmp/passwd-link.out"; then
    fail "passwd-link: a line of /etc/passwd appears in the output: $line"
    break
  fi
done </etc/passwd
for format in text json sarif github markdown; do
  "$GL_BIN" check "$dir" --format "$format" >"$tmp/passwd.$format" 2>&1 || true
  if grep -qE "^root:|:/bin/(ba)?sh$|/usr/sbin/nologin" "$tmp/passwd.$format"; then
    fail "passwd-link: --format $format shows /etc/passwd contents"
  fi
done

# A symlink to a directory outside the repository: reported, not followed (its manifest is not read).
dir=$(new_repo dir-link)
outside=$tmp/outside
mkdir -p "$outside"
good_manifest | sed 's/name: good/name: outside-secret/' >"$outside/o.yaml"
ln -s "$outside" "$dir/linked"
check_repo dir-link "$dir" linked 1 "outside the repository"
grep -qF "outside-secret" "$tmp/dir-link.out" && fail "dir-link: the directory outside the repository was read"

# Duplicate keys: reported at the duplicate, naming the first.
dir=$(new_repo duplicate)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' >"$dir/dup.yaml"
check_repo duplicate "$dir" dup.yaml 5 "first at line 4"

# A huge single line (4 MiB key: longer than YAML allows for an implicit key).
dir=$(new_repo long-line)
python3 -c 'import sys; open(sys.argv[1], "w").write("k" * (4 * 1024 * 1024) + ": v\n")' "$dir/long.yaml"
check_repo long-line "$dir" long.yaml 1

# Invalid UTF-8 on line 4.
dir=$(new_repo utf8)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n' >"$dir/bad-utf8.yaml"
check_repo utf8 "$dir" bad-utf8.yaml 4 "UTF-8"


# Kustomizations with hostile inputs: render-errors at the kustomization line, the rest still checked.
export RULE=render-error
dir=$(new_repo kz-cycle)
mkdir -p "$dir/app"
printf 'resources:\n  - ../app\n' >"$dir/app/kustomization.yaml"
check_repo kz-cycle "$dir" app/kustomization.yaml 2 "cycle detected"

dir=$(new_repo kz-bomb)
mkdir -p "$dir/app"
{
  echo 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'
  for i in b c d e f g h i; do echo "$i: &$i [*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a},*${prev:-a}]"; prev=$i; done
  echo 'resources: []'
} >"$dir/app/kustomization.yaml"
check_repo kz-bomb "$dir" app/kustomization.yaml 6 "alias expansion exceeds"

dir=$(new_repo kz-symlink)
mkdir -p "$dir/app"
ln -s /etc/passwd "$dir/app/passwd.yaml"
printf 'resources:\n  - passwd.yaml\n' >"$dir/app/kustomization.yaml"
check_repo kz-symlink "$dir" app/kustomization.yaml 2 "symbolic link leading outside the repository"

dir=$(new_repo kz-huge)
mkdir -p "$dir/app"
head -c 6000000 /dev/zero | tr '\0' 'a' >"$dir/app/big.yaml"
printf 'resources:\n  - big.yaml\n' >"$dir/app/kustomization.yaml"
check_repo kz-huge "$dir" app/kustomization.yaml 2 "cannot read"

# Hostile Helm charts: each ends with a render-error at the template line, quickly.
new_chart() {
  local dir
  dir=$(new_repo "$1")
  mkdir -p "$dir/chart/templates"
  printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' "$1" >"$dir/chart/Chart.yaml"
  echo "$dir"
}
dir=$(new_chart helm-include-loop)
printf '{{ define "loop" }}{{ include "loop" . }}{{ end }}x: {{ include "loop" . }}\n' >"$dir/chart/templates/a.yaml"
check_repo helm-include-loop "$dir" chart/templates/a.yaml 1 "rendering template has a nested reference name: loop"

dir=$(new_chart helm-tpl-loop)
printf 't: "{{ tpl .Values.t . }}"\n' >"$dir/chart/values.yaml"
printf 'x: {{ tpl .Values.t . }}\n' >"$dir/chart/templates/a.yaml"
check_repo helm-tpl-loop "$dir" chart/templates/a.yaml 1 "error calling tpl"

dir=$(new_chart helm-huge-output)
printf 'data: |\n{{- range until 1000000 }}\n  {{ repeat 100 "a" }}\n{{- end }}\n' >"$dir/chart/templates/a.yaml"
check_repo helm-huge-output "$dir" chart/templates/a.yaml 1 "over the 67108864 byte limit"

# .Files never reads outside the chart: a `..` path is simply not a chart file.
dir=$(new_chart helm-files-escape)
printf 'kind: ConfigMap\nmetadata:\n  name: f\ndata:\n  x: {{ .Files.Get "../../../../etc/passwd" | quote }}\n  y: {{ required "no" .Values.nope }}\n' \
  >"$dir/chart/templates/a.yaml"
check_repo helm-files-escape "$dir" chart/templates/a.yaml 6 "error calling required: no"
grep -q "root:" "$tmp/helm-files-escape.out" && fail "helm-files-escape: /etc/passwd was read"
unset RULE

# All of them at once in one repository.
dir=$(new_repo all)
for name in malformed too-big alias-bomb deep binary passwd-link dir-link duplicate long-line utf8; do
  for f in "$tmp/$name"/*; do
    [[ $(basename "$f") == good.yaml ]] && continue
    cp -P "$f" "$dir/$name-$(basename "$f")"
  done
done
rc=0
timeout 2 "$GL_BIN" check "$dir" --format concise >"$tmp/all.out" 2>"$tmp/all.err" || rc=$?
[[ $rc -eq 1 ]] || fail "all bad inputs together: exit code $rc, expected 1"
errors=$(grep -c "error\[load-error\]" "$tmp/all.out" || true)
[[ $errors -ge 10 ]] || fail "all bad inputs together: $errors load-errors, expected at least 10"
grep -qF "good.yaml:4:9: error[node-pinning]" "$tmp/all.out" || fail "all bad inputs together: good.yaml not checked"

finish bad_inputs
