#!/usr/bin/env bash
# `gitops-lint drift` end to end on tests/drift/repo1 (one Argo CD application): against a `kubectl get -o json`
# dump and against the local HTTPS API server replaying tests/drift/api/cluster1 (the same objects), in every
# report format (goldens in tests/golden/drift/), the HTML report rendered in headless Chromium, the exit codes,
# and `check --kubeconfig` taking its node inventory from the cluster. The server must only ever see GETs.
set -uo pipefail
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"
source "$GL_SOURCE_DIR/tests/cli/lib.bash"
golden=$GL_SOURCE_DIR/tests/golden/drift
source "$GL_SOURCE_DIR/tests/drift/server.bash"

# compare NAME FILE: FILE against tests/golden/drift/NAME (UPDATE_GOLDEN=1 rewrites it).
compare() {
  if [[ -n ${UPDATE_GOLDEN:-} ]]; then
    mkdir -p "$golden"
    cp "$2" "$golden/$1"
  elif ! diff -u "$golden/$1" "$2" >"$tmp/diff"; then
    fail "$1 differs from its golden file"
    head -40 "$tmp/diff" >&2
  fi
}

# The fixture at the same place in a Git work tree of its own (its Application's path is relative to the root),
# so the test can add files to it.
root=$tmp/root
repo=$root/tests/drift/repo1
mkdir -p "$(dirname "$repo")"
cp -r "$GL_SOURCE_DIR/tests/drift/repo1" "$repo"
git -C "$root" init -q && git -C "$root" add -A &&
  git -C "$root" -c user.email=t@example.com -c user.name=t commit -qm fixture

# The dump: what `kubectl get deploy,sts,svc,cm,secret,ns,nodes -A -o json` prints for cluster1 (one List whose
# items carry apiVersion and kind), made from the server's recorded lists.
python3 - "$scenario" >"$tmp/live.json" <<'EOF'
import glob, json, os, sys
items = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.json"), recursive=True)):
    doc = json.load(open(path))
    kind = doc.get("kind", "")
    if not kind.endswith("List") or kind in ("APIGroupList", "APIResourceList"):
        continue
    for item in doc["items"]:
        items.append(dict(item, apiVersion=item.get("apiVersion", doc["apiVersion"]), kind=item.get("kind", kind[:-4])))
print(json.dumps({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}, indent=1))
EOF

cd "$repo" || exit 1
run drift . --live-file "$tmp/live.json"
expect_rc 1 "drift finds drift"
sed "s#$root#ROOT#; s#$tmp#TMP#" "$out" >"$tmp/text"
compare repo1.txt "$tmp/text"
for format in json markdown sarif html; do
  run drift . --live-file "$tmp/live.json" --format "$format" -o "$tmp/report.$format"
  expect_rc 1 "drift --format $format"
  sed -i "s#$root#ROOT#g; s#$tmp#TMP#g" "$tmp/report.$format"
  compare "repo1.$format" "$tmp/report.$format"
done
python3 - "$tmp/report.json" <<'EOF' || fail "JSON report shape"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["version"] == 1
assert r["summary"] == {"missing": 1, "extra": 1, "modified": 2, "in_sync": 7}, r["summary"]
by = {(d["status"], d["object"]["kind"], d["object"]["name"]): d for d in r["drift"]}
m = by[("modified", "Deployment", "frontend")]
assert m["application"] == "shop" and m["file"] == "tests/drift/repo1/shop/frontend.yaml"
assert {"path": "/spec/replicas", "desired": 2, "live": 3, "file": "tests/drift/repo1/shop/frontend.yaml", "line": 10} in m["diffs"]
s = by[("modified", "Secret", "shop-db")]["diffs"][0]
assert s["secret"] and s["desired"].startswith("sha256:") and s["live"].startswith("sha256:")
assert ("missing", "Deployment", "worker") in by and ("extra", "Deployment", "legacy-reporter") in by
EOF
# Secret values never appear, in any format (the Git password, and the live one, decoded or base64).
for f in "$tmp/text" "$tmp"/report.*; do
  git_password=$(grep -o 'password: .*' "$repo/shop/secret.yaml" | cut -d' ' -f2)
  for secret in "$git_password" "$(base64 -d <<<"$git_password")" \
    $(python3 -c "import json,sys,base64
for i in json.load(open(sys.argv[1]))['items']:
  if i['kind']=='Secret':
    v = i.get('data', {}).get('password')
    if v: print(v, base64.b64decode(v).decode())" "$tmp/live.json"); do
    [[ ${#secret} -ge 4 ]] && lacks "$f" "$secret" "secret value in $(basename "$f")"
  done
done

# ignoreDifferences: the Application's (replicas, by JSON pointer) and the config's (the nginx image, by a jq
# path selecting the container by name) leave frontend with nothing but ignored differences: in sync. The
# Application itself now differs from the live one by its new ignoreDifferences.
cp "$repo/apps/shop.yaml" "$tmp/shop.yaml.orig"
cat >>"$repo/apps/shop.yaml" <<'YAML'
  ignoreDifferences:
    - group: apps
      kind: Deployment
      name: frontend
      jsonPointers: [/spec/replicas]
YAML
cat >"$root/.gitops-lint.yaml" <<'YAML'
drift:
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "nginx") | .image']
    - group: ""
      kind: ConfigMap
      jqPathExpressions: [".data | keys"]
YAML
run drift . --live-file "$tmp/live.json" --format json
expect_rc 1 "drift with ignoreDifferences"
python3 - "$out" <<'PY' || fail "ignoreDifferences not honoured"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["summary"] == {"missing": 1, "extra": 1, "modified": 2, "in_sync": 7}, r["summary"]
assert not [d for d in r["drift"] if d["object"]["name"] == "frontend"]
app = [d for d in r["drift"] if d["object"]["kind"] == "Application"][0]
assert [x["path"] for x in app["diffs"]] == ["/spec/ignoreDifferences"], app
assert any("jq path `.data | keys`" in n and "not applied" in n for n in r["notes"]), r["notes"]
PY
cp "$tmp/shop.yaml.orig" "$repo/apps/shop.yaml"
rm "$root/.gitops-lint.yaml"

run drift . --live-file "$tmp/live.json" --fail-on never
expect_rc 0 "--fail-on never"
run drift . --live-file "$tmp/live.json" --app shop --format json
expect_rc 1 "--app shop"
has "$out" '"missing": 1' "--app shop keeps the application's objects"
run drift . --live-file "$tmp/live.json" --app nope
expect_rc 2 "unknown --app"
has "$err" "no such Argo CD application" "unknown --app message"
run drift . --live-file "$tmp/absent.json"
expect_rc 2 "missing live file"
has "$err" "cannot read the live objects file" "missing live file message"
run drift . --live-file "$tmp/live.json" --format xml
expect_rc 2 "unknown format"

# The same cluster over the Kubernetes API: the local HTTPS server replays cluster1 (token auth, a CA made
# here). The report must be the one from the dump but for the live side's description.
if ! command -v openssl >/dev/null; then
  echo "SKIP: no openssl: drift against the API server not run"
else
  make_ca "$tmp/pki"
  sign server "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1"
  token=drift-e2e-token-5d1c
  start_server e2e --cert "$pki/server.crt" --key "$pki/server.key" --auth token --token "$token"
  cat >"$tmp/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
current-context: test
clusters:
  - name: test
    cluster:
      server: https://127.0.0.1:${port[e2e]}
      certificate-authority: pki/ca.crt
users:
  - name: reader
    user:
      token: $token
contexts:
  - name: test
    context: {cluster: test, user: reader}
KUBECONFIG
  run drift . --kubeconfig "$tmp/kubeconfig" --format json
  expect_rc 1 "drift against the API server"
  python3 - "$out" "$tmp/report.json" <<'PY' || fail "the API server's drift differs from the dump's"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["live"].startswith("cluster https://127.0.0.1:"), a["live"]
for r in (a, b):
    r.pop("live"); r.pop("notes"); r.pop("desired")
assert a == b, (a, b)
PY
  KUBECONFIG=$tmp/kubeconfig run drift . --context test --format markdown
  expect_rc 1 "drift with KUBECONFIG and --context"
  has "$out" "| 1 | 1 | 2 | 7 |" "drift summary through KUBECONFIG"
  # Inside a pod (a nightly CronJob) with no kubeconfig: the service account's token and CA.
  mkdir -p "$tmp/sa" "$tmp/nohome"
  printf '%s' "$token" >"$tmp/sa/token"
  cp "$pki/ca.crt" "$tmp/sa/ca.crt"
  rc=0
  env -u KUBECONFIG HOME="$tmp/nohome" KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="${port[e2e]}" \
    GITOPS_LINT_SERVICEACCOUNT_DIR="$tmp/sa" "$GL_BIN" drift . --format json >"$out" 2>"$err" || rc=$?
  expect_rc 1 "drift with the in-cluster service account"
  has "$out" '"missing": 1' "in-cluster drift summary"
  rc=0
  env -u KUBECONFIG -u KUBERNETES_SERVICE_HOST HOME="$tmp/nohome" "$GL_BIN" drift . >"$out" 2>"$err" || rc=$?
  expect_rc 2 "no kubeconfig and not in a pod"
  has "$err" "no kubeconfig found" "no kubeconfig named"

  sed -i "s#token: $token#token: wrong-token-value#" "$tmp/kubeconfig"
  run drift . --kubeconfig "$tmp/kubeconfig"
  expect_rc 2 "a wrong token stops the run"
  has "$err" "401" "a wrong token is named"
  lacks "$err" "wrong-token-value" "the token is not printed"
  sed -i "s#token: wrong-token-value#token: $token#" "$tmp/kubeconfig"

  # check --kubeconfig: the cluster's nodes are the inventory. worker-a/b (m5.xlarge, role=worker) take a pinned
  # workload but not its 64Gi request; a selector for role=db matches no live node.
  cat >"$repo/shop/pinned.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: shop}
spec:
  template:
    spec:
      nodeSelector: {role: worker}
      containers:
        - name: batch
          image: ghcr.io/example/batch:1.0.0
          resources: {requests: {cpu: 100m, memory: 64Gi}, limits: {memory: 64Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db-tool, namespace: shop}
spec:
  template:
    spec:
      nodeSelector: {role: db}
      containers:
        - name: db-tool
          image: ghcr.io/example/db-tool:1.0.0
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}
YAML
  run check . --kubeconfig "$tmp/kubeconfig" --format concise --fail-on never
  expect_rc 0 "check --kubeconfig"
  cp "$out" "$tmp/check-live"
  has "$tmp/check-live" "tests/drift/repo1/shop/pinned.yaml:11:" "requests-fit judged by the live m5.xlarge nodes"
  has "$tmp/check-live" "tests/drift/repo1/shop/pinned.yaml:19:" "node-pinning: no live node has role=db"
  run check . --kubeconfig "$tmp/kubeconfig" --format json --fail-on never
  has "$out" "node inventory: 3 nodes read from cluster https://127.0.0.1:" "the live inventory is named"
  run check . --format concise --fail-on never
  lacks "$out" "tests/drift/repo1/shop/pinned.yaml:11:" "without a cluster there is no inventory to judge requests by"
  rm "$repo/shop/pinned.yaml"
  grep -v '^GET ' "$tmp/srv-e2e.log" >"$tmp/not-get" && fail "the server saw requests other than GET: $(cat "$tmp/not-get")"
  [[ -s $tmp/srv-e2e.log ]] || fail "the server log is empty"
fi

# In sync: a cluster that runs exactly Git's objects (plus what the server adds) is no drift, exit 0.
python3 - "$repo" "$tmp/live.json" >"$tmp/live-sync.json" <<'EOF'
import glob, json, sys
import yaml
live = json.load(open(sys.argv[2]))
items = [i for i in live["items"] if i["kind"] in ("Node", "Application")]
for path in sorted(glob.glob(sys.argv[1] + "/shop/*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if doc["kind"] != "Namespace":
            doc["metadata"].setdefault("namespace", "shop")
        doc["metadata"].update({"uid": "u-" + doc["metadata"]["name"], "resourceVersion": "7",
                                "labels": dict(doc["metadata"].get("labels", {}), **{"app.kubernetes.io/instance": "shop"})})
        doc["status"] = {"observedGeneration": 1}
        items.append(doc)
live["items"] = items
print(json.dumps(live))
EOF
run drift . --live-file "$tmp/live-sync.json" --format html -o "$tmp/sync.html"
expect_rc 0 "no drift"
has "$tmp/sync.html" 'id="no-drift"' "the HTML report says there is no drift"
run drift . --live-file "$tmp/live-sync.json"
has "$out" "summary: 0 missing, 0 extra, 0 modified, 10 in sync" "in-sync summary"

# The HTML report as a browser shows it: headless Chromium (no network) renders it; the rendered DOM must
# show the summary counts and every drifted object. A screenshot is kept beside the test output.
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  echo "SKIP: no chromium: the HTML report was not rendered in a browser"
else
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --user-data-dir="$tmp/chromium" --proxy-server=127.0.0.1:9
         --virtual-time-budget=2000)
  timeout 60 "$chromium" "${flags[@]}" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>"$tmp/chromium.log" ||
    fail "chromium --dump-dom failed: $(tail -3 "$tmp/chromium.log")"
  python3 - "$tmp/dom.html" <<'EOF' || fail "the rendered HTML report lacks counts or objects"
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.counts = {}; self.objects = {}; self.cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id", "").startswith("count-"): self.cur = a["id"][6:]
        if "data-object" in a: self.objects[a["data-object"]] = a["data-status"]
    def handle_data(self, data):
        if self.cur and data.strip().isdigit():
            self.counts[self.cur] = int(data); self.cur = None
p = P(); p.feed(open(sys.argv[1]).read())
assert p.counts == {"missing": 1, "extra": 1, "modified": 2, "in_sync": 7}, p.counts
assert p.objects == {"Deployment shop/frontend": "modified", "Deployment shop/legacy-reporter": "extra",
                     "Deployment shop/worker": "missing", "Secret shop/shop-db": "modified"}, p.objects
EOF
  shot=${GL_BUILD_DIR:-$tmp}/drift-report.png
  rm -f "$shot"
  timeout 60 "$chromium" "${flags[@]}" --window-size=1200,1400 --screenshot="$shot" "file://$tmp/report.html" \
    >/dev/null 2>>"$tmp/chromium.log" || fail "chromium --screenshot failed"
  [[ -s $shot ]] || fail "no screenshot at $shot"
fi

# Environments: the corpus repository deploys dev and prod from sibling root applications; drift must be told
# which one the cluster runs.
corpus=$GL_SOURCE_DIR/../shared/corpora/sesacthon-9a0c35f9
if [[ -d $corpus ]]; then
  cd "$corpus" || exit 1
  run drift . --live-file "$tmp/live.json"
  expect_rc 2 "drift of a repository with environments needs --env"
  has "$err" 'several environments (`dev`, `prod`): name the one this cluster runs with --env' "--env asked for"
  run drift . --live-file "$tmp/live.json" --env staging
  expect_rc 2 "unknown --env"
  has "$err" 'unknown environment `staging` (the repository has `dev`, `prod`)' "unknown --env named"
  run drift . --live-file "$tmp/live.json" --env prod --format json
  expect_rc 1 "drift of the prod environment"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['summary']['missing'] > 40, r['summary']" "$out" ||
    fail "the prod environment's objects are missing from cluster1"
else
  echo "SKIP: ../shared/corpora absent: environments not tested"
fi

finish drift
