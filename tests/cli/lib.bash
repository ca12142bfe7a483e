# Shared by the CLI test scripts (sourced, not run): a temp dir, failure counting, running the binary,
# and fixed-string assertions on its output.
: "${GL_BIN:?GL_BIN must name the gitops-lint binary}"
export NO_COLOR=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run ARGS...: stdout into $out, stderr into $err, the exit code into $rc.
out=$tmp/out
err=$tmp/err
run() {
  rc=0
  "$GL_BIN" "$@" >"$out" 2>"$err" || rc=$?
}

# expect_rc WANT WHAT: checks the last run's exit code.
expect_rc() {
  if [[ $rc -ne $1 ]]; then
    fail "$2: exit code $rc, expected $1"
    sed 's/^/  stdout: /' "$out" >&2
    sed 's/^/  stderr: /' "$err" >&2
  fi
}

# has FILE TEXT WHAT / lacks FILE TEXT WHAT: fixed-string search in a file.
has() {
  if ! grep -qF -- "$2" "$1"; then
    fail "$3: no \`$2\` in $(basename "$1")"
    sed 's/^/  | /' "$1" >&2
  fi
}
lacks() {
  if grep -qF -- "$2" "$1"; then
    fail "$3: unexpected \`$2\` in $(basename "$1")"
    sed 's/^/  | /' "$1" >&2
  fi
}

# isolated_git: Git commits made by the test get a fixed identity, and no user or system config is read.
isolated_git() {
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
  export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
}

# shop_deployment NAME [NODESELECTOR-LINE]: a Deployment in namespace `shop` whose `metadata.name` value is at 4:9,
# unpinned unless a nodeSelector line (`nodeSelector: {role: web}`) is given.
shop_deployment() {
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  namespace: shop
spec:
  template:
    spec:
${2:+      $2
}      containers:
        - name: $1
          image: nginx:1.25
          resources:
            requests: {cpu: 100m, memory: 64Mi}
EOF
}

# finish NAME: the exit status of the script.
finish() {
  if [[ $failures -ne 0 ]]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  echo "$1: all checks passed"
}
