#!/usr/bin/env bash
# The live cluster client (src/drift/cluster_client) against tests/drift/fake_apiserver.py over real HTTPS: token,
# client-certificate and exec-plugin auth, a wrong token (401, exit 2), a forbidden kind (403 -> note), pagination
# (3 pages), an expired continue token (410 -> restart), a slow endpoint (timeout -> retry), tls-server-name,
# KUBECONFIG merging, and that the server only ever saw GET requests. Certificates are made here with openssl.
set -uo pipefail
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"
: "${GL_BUILD_DIR:?GL_BUILD_DIR must name the build tree}"
for tool in python3 openssl; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: drift_client needs $tool"
    exit 0
  fi
done
export GL_BIN=${GL_BIN:-/bin/false}  # lib.bash wants it; this test runs the driver instead
source "$GL_SOURCE_DIR/tests/cli/lib.bash"
# The driver (tests/tools/drift_fetch.cpp); GL_DRIFT_FETCH overrides where it is.
driver=${GL_DRIFT_FETCH:-$GL_BUILD_DIR/tests/drift_fetch}
[[ -x $driver ]] || { echo "FAIL: no test driver at $driver" >&2; exit 1; }
source "$GL_SOURCE_DIR/tests/drift/server.bash"

# --- certificates: a CA, server certificates (one for 127.0.0.1, one only for a DNS name), a client certificate,
# and a second CA nobody trusts.
make_ca "$tmp/kube/pki"
ossl req -x509 "${newkey[@]}" -keyout "$pki/other-ca.key" -out "$pki/other-ca.crt" -days 2 -subj "/CN=other-ca"
sign server "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1,DNS:fake-apiserver.test"
sign server-dns "/CN=kube-apiserver" "subjectAltName=DNS:fake-apiserver.test"
sign client "/O=gitops/CN=drift-reader" "extendedKeyUsage=clientAuth"

token=tok-3f9a1c7e5b
start_server token --cert "$pki/server.crt" --key "$pki/server.key" --auth token --token "$token" --forbid secrets
start_server cert --cert "$pki/server.crt" --key "$pki/server.key" --auth cert --ca "$pki/ca.crt"
start_server slow --cert "$pki/server.crt" --key "$pki/server.key" --auth none --slow /api/v1/nodes \
  --slow-count 1 --slow-seconds 3 --throttle /api/v1/configmaps --throttle-count 1
start_server expire --cert "$pki/server.crt" --key "$pki/server.key" --auth none --expire-continue configmaps
start_server dns --cert "$pki/server-dns.crt" --key "$pki/server-dns.key" --auth none

# The kubeconfig: relative paths (pki/...) are relative to its own directory, as kubectl reads them.
kc=$tmp/kube/config
cat >"$kc" <<EOF
apiVersion: v1
kind: Config
current-context: token
clusters:
  - name: token
    cluster:
      server: https://127.0.0.1:${port[token]}
      certificate-authority: pki/ca.crt
  - name: cert
    cluster:
      server: https://127.0.0.1:${port[cert]}
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
  - name: slow
    cluster:
      server: https://127.0.0.1:${port[slow]}
      certificate-authority: pki/ca.crt
  - name: expire
    cluster:
      server: https://127.0.0.1:${port[expire]}
      certificate-authority: pki/ca.crt
  - name: dns-named
    cluster:
      server: https://127.0.0.1:${port[dns]}
      certificate-authority: pki/ca.crt
      tls-server-name: fake-apiserver.test
  - name: dns-unnamed
    cluster:
      server: https://127.0.0.1:${port[dns]}
      certificate-authority: pki/ca.crt
  - name: dns-insecure
    cluster:
      server: https://127.0.0.1:${port[dns]}
      insecure-skip-tls-verify: true
  - name: proxied
    cluster:
      server: https://127.0.0.1:${port[token]}
      certificate-authority: pki/ca.crt
      proxy-url: http://127.0.0.1:9
  - name: untrusted
    cluster:
      server: https://127.0.0.1:${port[token]}
      certificate-authority: pki/other-ca.crt
users:
  - name: reader
    user:
      token: $token
  - name: wrong
    user:
      token: wrong-9d2e6b
  - name: cert-files
    user:
      client-certificate: pki/client.crt
      client-key: pki/client.key
  - name: cert-inline
    user:
      client-certificate-data: $(base64 -w0 "$pki/client.crt")
      client-key-data: $(base64 -w0 "$pki/client.key")
  - name: plugin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: ./bin/fake-get-token
        args: [eks, get-token, --cluster-name, shop]
        env:
          - name: PLUGIN_PROFILE
            value: nightly
        interactiveMode: Never
        provideClusterInfo: true
  - name: plugin-fails
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: ./bin/fake-get-token-fails
  - name: plugin-missing
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: fake-cloud-auth-plugin-that-is-not-installed
        installHint: 'install it with \`apt-get install fake-cloud-auth\`'
  - name: nobody
    user: {}
contexts:
  - {name: token, context: {cluster: token, user: reader}}
  - {name: wrong-token, context: {cluster: token, user: wrong}}
  - {name: cert-files, context: {cluster: cert, user: cert-files}}
  - {name: cert-inline, context: {cluster: cert, user: cert-inline}}
  - {name: no-cert, context: {cluster: cert, user: nobody}}
  - {name: plugin, context: {cluster: token, user: plugin}}
  - {name: plugin-fails, context: {cluster: token, user: plugin-fails}}
  - {name: plugin-missing, context: {cluster: token, user: plugin-missing}}
  - {name: slow, context: {cluster: slow, user: nobody}}
  - {name: expire, context: {cluster: expire, user: nobody}}
  - {name: dns-named, context: {cluster: dns-named, user: nobody}}
  - {name: dns-unnamed, context: {cluster: dns-unnamed, user: nobody}}
  - {name: dns-insecure, context: {cluster: dns-insecure, user: nobody}}
  - {name: untrusted, context: {cluster: untrusted, user: reader}}
  - {name: proxied, context: {cluster: proxied, user: reader}}
EOF
mkdir -p "$tmp/kube/bin"
cat >"$tmp/kube/bin/fake-get-token" <<EOF
#!/bin/sh
# Records what kubectl would pass a credential plugin, then prints an ExecCredential.
printf '%s\n' "\$*" >"$tmp/plugin.args"
printf '%s\n' "\$KUBERNETES_EXEC_INFO" >"$tmp/plugin.info"
printf '%s\n' "\$PLUGIN_PROFILE" >"$tmp/plugin.env"
[ -t 0 ] && echo tty >"$tmp/plugin.tty"
cat <<JSON
{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false},
 "status":{"expirationTimestamp":"2099-01-01T00:00:00Z","token":"$token"}}
JSON
EOF
cat >"$tmp/kube/bin/fake-get-token-fails" <<'EOF'
#!/bin/sh
echo "loading profile nightly" >&2
echo "error: the SSO session has expired" >&2
echo "run: aws sso login --profile nightly" >&2
exit 255
EOF
chmod +x "$tmp/kube/bin/"*

# fetch ARGS...: runs the driver (stdout $out, stderr $err, exit code $rc) with fast retries.
fetch() {
  rc=0
  "$driver" --kubeconfig "$kc" --backoff-ms 50 "$@" >"$out" 2>"$err" || rc=$?
  cat "$out" "$err" >>"$tmp/all-output"
}
kinds=(ConfigMap Secret apps/Deployment apps/StatefulSet Node)

# --- token auth, 403 for one kind, pagination (11 ConfigMaps in pages of 4) ---
fetch --page-size 4 "${kinds[@]}"
expect_rc 0 "token"
sed "s/127.0.0.1:${port[token]}/127.0.0.1:PORT/" "$out" >"$tmp/token.out"
cat >"$tmp/token.want" <<'EOF'
source: cluster https://127.0.0.1:PORT (context token)
ConfigMap argocd/argocd-cm v1
ConfigMap argocd/kube-root-ca.crt v1
ConfigMap default/kube-root-ca.crt v1
ConfigMap kube-node-lease/kube-root-ca.crt v1
ConfigMap kube-public/cluster-info v1
ConfigMap kube-public/kube-root-ca.crt v1
ConfigMap kube-system/coredns v1
ConfigMap kube-system/kube-proxy v1
ConfigMap kube-system/kube-root-ca.crt v1
ConfigMap shop/kube-root-ca.crt v1
ConfigMap shop/shop-config v1
Deployment argocd/argocd-server apps/v1
Deployment kube-system/coredns apps/v1
Deployment shop/api apps/v1
Deployment shop/frontend apps/v1
Deployment shop/legacy-reporter apps/v1
Node cp-1 v1
Node worker-a v1
Node worker-b v1
StatefulSet argocd/argocd-application-controller apps/v1
StatefulSet shop/cache apps/v1
complete: ConfigMap
complete: Node
complete: apps/Deployment
complete: apps/StatefulSet
note: cannot list `secrets` (403 Forbidden: secrets is forbidden: User "system:serviceaccount:gitops:drift-reader" cannot list resource "secrets" in API group "" at the cluster scope)
EOF
diff -u "$tmp/token.want" "$tmp/token.out" >&2 || fail "token: listed objects"
n=$(grep -c '^GET /api/v1/configmaps?limit=4' "$tmp/srv-token.log")
[[ $n -eq 3 ]] || fail "pagination: $n ConfigMap list requests, expected 3 pages"
has "$tmp/srv-token.log" "GET /api/v1/configmaps?limit=4&continue=" "pagination: continue token sent"
has "$tmp/srv-token.log" "GET /apis/apps/v1/deployments?limit=4&continue=" "pagination: Deployments in 2 pages"
lacks "$tmp/srv-token.log" "GET /apis/batch" "discovery: only the groups asked about are discovered"

# --- all kinds: every listable resource of every group's preferred version, no events, no subresources; a group
# whose discovery fails (503, retried) is a note ---
fetch --all-kinds
expect_rc 0 "all kinds"
has "$out" "Application argocd/shop argoproj.io/v1alpha1" "all kinds: custom resources listed"
has "$out" "complete: autoscaling/HorizontalPodAutoscaler" "all kinds: preferred version of autoscaling"
has "$out" "complete: rbac.authorization.k8s.io/ClusterRole" "all kinds: empty lists are complete"
has "$out" 'note: cannot discover `metrics.k8s.io/v1beta1` (503 Service Unavailable: the server is currently unable to handle the request (after 4 attempts))' \
  "all kinds: aggregated API down"
has "$out" 'note: cannot list `secrets` (403 Forbidden:' "all kinds: 403 note"
lacks "$out" "Event" "all kinds: no events"
n=$(grep -c '^GET /apis/metrics.k8s.io/v1beta1$' "$tmp/srv-token.log")
[[ $n -eq 4 ]] || fail "all kinds: $n discovery requests for metrics.k8s.io, expected 4 (503 retried)"
lacks "$tmp/srv-token.log" "/events?" "all kinds: events not listed"
lacks "$tmp/srv-token.log" "/scale" "all kinds: subresources not listed"
lacks "$tmp/srv-token.log" "GET /apis/autoscaling/v1" "all kinds: only preferred versions"
lacks "$tmp/srv-token.log" "GET /api/v1/bindings" "all kinds: resources without list not listed"

# --- a wrong token: 401 stops the run with exit code 2 and says so, without printing the token ---
fetch --context wrong-token "${kinds[@]}"
expect_rc 2 "wrong token"
has "$err" 'drift_fetch: error: the API server https://127.0.0.1:' "wrong token: error"
has "$err" 'rejected the credentials of user `wrong` (context `wrong-token`): 401 Unauthorized: Unauthorized' \
  "wrong token: 401 explained"
lacks "$err" "wrong-9d2e6b" "wrong token: token not printed"
[[ ! -s $out ]] || fail "wrong token: nothing on stdout"

# --- client certificates, from files (relative to the kubeconfig) and inline; none -> 401 ---
for ctx in cert-files cert-inline; do
  fetch --context "$ctx" --page-size 4 "${kinds[@]}"
  expect_rc 0 "$ctx"
  has "$out" "complete: ConfigMap" "$ctx: ConfigMaps"
  has "$out" "complete: Secret" "$ctx: Secrets listed (no 403 on this server)"
  n=$(grep -c '^Secret ' "$out")
  [[ $n -eq 3 ]] || fail "$ctx: $n Secrets, expected 3"
done
fetch --context no-cert Node
expect_rc 2 "no client certificate"
has "$err" 'rejected the credentials of user `nobody` (context `no-cert`): 401 Unauthorized' "no-cert: 401"

# --- exec credential plugin: token from the plugin, kubectl's environment and arguments ---
fetch --context plugin Node
expect_rc 0 "exec plugin"
has "$out" "Node worker-b v1" "exec plugin: nodes listed"
has "$tmp/plugin.args" "eks get-token --cluster-name shop" "exec plugin: arguments"
has "$tmp/plugin.env" "nightly" "exec plugin: env from the kubeconfig"
has "$tmp/plugin.info" '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:' \
  "exec plugin: KUBERNETES_EXEC_INFO with the cluster"
has "$tmp/plugin.info" '"certificate-authority-data":"' "exec plugin: CA data passed"
has "$tmp/plugin.info" '"interactive":false}}' "exec plugin: not interactive"
[[ ! -e $tmp/plugin.tty ]] || fail "exec plugin: stdin must not be a terminal"
fetch --context plugin-fails Node
expect_rc 2 "exec plugin fails"
has "$err" 'exec credential plugin `'"$tmp"'/kube/bin/fake-get-token-fails` failed with exit status 255:' \
  "exec plugin fails: status"
has "$err" "run: aws sso login --profile nightly" "exec plugin fails: its stderr"
fetch --context plugin-missing Node
expect_rc 2 "exec plugin missing"
has "$err" 'exec credential plugin `fake-cloud-auth-plugin-that-is-not-installed` was not found in PATH' \
  "exec plugin missing: error"
has "$err" 'install it with `apt-get install fake-cloud-auth`' "exec plugin missing: install hint"

# --- a slow endpoint: the first GET of /api/v1/nodes outlasts the 1 s timeout, the retry succeeds ---
fetch --context slow --timeout-ms 1000 Node ConfigMap
expect_rc 0 "slow endpoint"
has "$out" "complete: Node" "slow endpoint: nodes read after a retry"
n=$(grep -c '^GET /api/v1/nodes?' "$tmp/srv-slow.log")
[[ $n -eq 2 ]] || fail "slow endpoint: $n node list requests, expected 2 (timeout, retry)"
# The same server answers the first ConfigMap list with 429 Retry-After: 1; the client waits and asks again.
has "$out" "complete: ConfigMap" "429: ConfigMaps read after waiting"
n=$(grep -c '^GET /api/v1/configmaps?' "$tmp/srv-slow.log")
[[ $n -eq 2 ]] || fail "429: $n ConfigMap list requests, expected 2"
# Without retries the timeout is a note for that kind and the run goes on.
start_server slow2 --cert "$pki/server.crt" --key "$pki/server.key" --auth none --slow /api/v1/nodes \
  --slow-count 1 --slow-seconds 3
sed -i "s/127.0.0.1:${port[slow]}\$/127.0.0.1:${port[slow2]}/" "$kc"
fetch --context slow --timeout-ms 1000 --attempts 1 Node ConfigMap
expect_rc 0 "slow endpoint, no retry"
has "$out" "note: cannot list \`nodes\` (Operation timed out after" "slow endpoint, no retry: note"
has "$out" "complete: ConfigMap" "slow endpoint, no retry: other kinds read"
lacks "$out" "complete: Node" "slow endpoint, no retry: nodes not complete"

# --- an expired continue token (410 Gone) restarts the list once ---
fetch --context expire --page-size 4 ConfigMap
expect_rc 0 "expired continue"
n=$(grep -c '^ConfigMap ' "$out")
[[ $n -eq 11 ]] || fail "expired continue: $n ConfigMaps, expected 11 (no duplicates)"
n=$(grep -c '^GET /api/v1/configmaps?' "$tmp/srv-expire.log")
[[ $n -eq 5 ]] || fail "expired continue: $n list requests, expected 5 (1, 410, restart 1, 2, 3)"

# --- TLS: tls-server-name, a certificate without the IP, insecure-skip-tls-verify, an untrusted CA ---
fetch --context dns-named Node
expect_rc 0 "tls-server-name"
has "$out" "Node cp-1 v1" "tls-server-name: nodes listed"
fetch --context dns-unnamed Node
expect_rc 2 "certificate for another name"
has "$err" "cannot read the API of cluster https://127.0.0.1:${port[dns]} (context dns-unnamed) (GET /api:" \
  "certificate for another name: error"
fetch --context dns-insecure Node
expect_rc 0 "insecure-skip-tls-verify"
fetch --context untrusted Node
expect_rc 2 "untrusted CA"
has "$err" "(context untrusted) (GET /api: SSL certificate problem" "untrusted CA: error"

# --- proxy-url is used (nothing listens on its port, so the otherwise working cluster cannot be reached) ---
fetch --context proxied --attempts 2 Node
expect_rc 2 "proxy-url"
has "$err" "(context proxied) (GET /api: no response after 2 attempts: Failed to connect to 127.0.0.1 port 9" \
  "proxy-url: connection through the proxy attempted"

# --- KUBECONFIG list: the first file to set an entry or current-context wins; a missing file is skipped ---
cat >"$tmp/kube/first.yaml" <<EOF
current-context: merged
contexts:
  - {name: merged, context: {cluster: token, user: reader}}
clusters:
  - name: token
    cluster: {server: "https://127.0.0.1:${port[token]}", certificate-authority: pki/ca.crt}
EOF
cat >"$tmp/kube/second.yaml" <<EOF
current-context: other
clusters:
  - name: token
    cluster: {server: "https://127.0.0.1:9", certificate-authority: pki/ca.crt}
users:
  - {name: reader, user: {token: $token}}
EOF
rc=0
KUBECONFIG="$tmp/kube/first.yaml:$tmp/kube/absent.yaml:$tmp/kube/second.yaml" "$driver" Node >"$out" 2>"$err" || rc=$?
expect_rc 0 "KUBECONFIG merge"
has "$out" "source: cluster https://127.0.0.1:${port[token]} (context merged)" "KUBECONFIG merge: first file wins"
has "$out" "Node worker-a v1" "KUBECONFIG merge: nodes listed"

# --- the server only ever saw GET requests, and no output ever showed a token ---
cat "$tmp"/srv-*.log >"$tmp/requests"
[[ -s $tmp/requests ]] || fail "no request logged"
if grep -v '^GET ' "$tmp/requests" >&2; then fail "a request other than GET reached the server"; fi
lacks "$tmp/all-output" "$token" "no output shows the token"

finish drift_client
