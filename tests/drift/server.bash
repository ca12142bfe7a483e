# Shared by the drift CLI tests (sourced after tests/cli/lib.bash, which sets $tmp): a CA and certificates made with
# openssl, and fake Kubernetes API servers (fake_apiserver.py) replaying tests/drift/api/cluster1, stopped on exit.
server_py=$GL_SOURCE_DIR/tests/drift/fake_apiserver.py
scenario=$GL_SOURCE_DIR/tests/drift/api/cluster1
# The client must reach 127.0.0.1 directly whatever proxy the machine running the tests uses.
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# make_ca DIR: DIR/ca.key and DIR/ca.crt; `sign` then issues certificates from it into $pki (= DIR).
ossl() { openssl "$@" 2>>"$tmp/openssl.log" || { echo "FAIL: openssl $1" >&2; cat "$tmp/openssl.log" >&2; exit 1; }; }
newkey=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
make_ca() {
  pki=$1
  mkdir -p "$pki"
  ossl req -x509 "${newkey[@]}" -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 -subj "/CN=fake-cluster-ca"
}
sign() {  # sign NAME SUBJECT EXTENSIONS
  ossl req "${newkey[@]}" -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2"
  printf '%s\n' "$3" >"$pki/$1.ext"
  ossl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out "$pki/$1.crt" \
    -days 2 -extfile "$pki/$1.ext"
}

# start_server NAME ARGS...: starts a fake API server; its port goes to ${port[NAME]}, its log to $tmp/srv-NAME.log.
declare -A port
start_server() {
  local name=$1
  shift
  python3 "$server_py" --dir "$scenario" --log "$tmp/srv-$name.log" --port-file "$tmp/$name.port" "$@" \
    2>"$tmp/$name.stderr" &
  pids+=($!)
  for _ in $(seq 100); do
    [[ -s $tmp/$name.port ]] && break
    sleep 0.1
  done
  [[ -s $tmp/$name.port ]] || { echo "FAIL: server $name did not start" >&2; cat "$tmp/$name.stderr" >&2; exit 1; }
  port[$name]=$(cat "$tmp/$name.port")
}
