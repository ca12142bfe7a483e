#!/usr/bin/env bash
# The command line itself: subcommands, flag errors, exit codes and --fail-on, --enable/--disable, config
# errors, --output, the ignore annotation, `graph` in every format (golden files in tests/golden/cli/,
# UPDATE_GOLDEN=1 rewrites them), determinism, a PATH that does not exist, and run notes.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"

golden_dir=$GL_SOURCE_DIR/tests/golden/cli

# golden NAME FILE: compares FILE with tests/golden/cli/NAME (or rewrites it with UPDATE_GOLDEN=1).
golden() {
  local want=$golden_dir/$1
  if [[ ${UPDATE_GOLDEN:-0} == 1 ]]; then
    mkdir -p "$golden_dir"
    cp "$2" "$want"
    echo "updated $want"
  elif [[ ! -f $want ]]; then
    fail "golden file $want is missing (UPDATE_GOLDEN=1 creates it)"
  elif ! diff -u "$want" "$2" >"$tmp/golden.diff"; then
    fail "$1 differs from its golden file"
    cat "$tmp/golden.diff" >&2
  fi
}

rule_ids=(app-source-missing appset-generates-nothing duplicate-resource load-error netpol-egress node-pinning
          plaintext-secret render-error requests-fit sync-wave-order)

# ------------------------------------------------------------------------------------------ rules, explain

run rules
expect_rc 0 "rules"
for id in "${rule_ids[@]}"; do
  grep -qE "^$id " "$out" || fail "rules: \`$id\` is not listed"
done
[[ $(wc -l <"$out") -eq ${#rule_ids[@]} ]] || fail "rules: expected ${#rule_ids[@]} lines, got $(wc -l <"$out")"
[[ $(cut -d' ' -f1 "$out" | sort | tr '\n' ' ') == "$(printf '%s ' "${rule_ids[@]}")" ]] ||
  fail "rules: not sorted by id"

run explain node-pinning
expect_rc 0 "explain node-pinning"
cmp -s "$out" "$GL_SOURCE_DIR/rules/node-pinning.md" || fail "explain node-pinning does not print rules/node-pinning.md"
has "$out" "node-pinning" "explain node-pinning"

run explain nope
expect_rc 2 "explain nope"
has "$err" "gitops-lint: error:" "explain nope"
has "$err" "nope" "explain nope"
[[ -s $out ]] && fail "explain nope: wrote to stdout"

run explain
expect_rc 2 "explain without an id"
has "$err" "gitops-lint: error:" "explain without an id"

run
expect_rc 2 "no subcommand"

# ------------------------------------------------------------------------------------------ a small repository

repo=$tmp/repo
mkdir -p "$repo/apps" "$repo/drafts"
git init -q "$repo"  # so that a PATH inside it is located relative to its top level
cat >"$repo/apps/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1
EOF
cat >"$repo/apps/quiet.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: quiet
  namespace: shop
  annotations:
    gitops-lint.io/ignore: "node-pinning"
spec:
  template:
    spec:
      containers:
        - name: quiet
          image: shop/quiet:1
EOF
cat >"$repo/drafts/draft.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: draft
  namespace: shop
spec:
  template:
    spec:
      containers: [{name: draft, image: shop/draft:1}]
EOF
# The inventory comes from a config outside the repository, so only node-pinning fires.
cat >"$tmp/error.yaml" <<'EOF'
inventory:
  nodeGroups:
    - name: api
      instanceType: t3.small
      labels: {role: api}
EOF
cp "$tmp/error.yaml" "$tmp/warning.yaml"
printf 'rules:\n  node-pinning: {severity: warning}\n' >>"$tmp/warning.yaml"
cp "$tmp/error.yaml" "$tmp/note.yaml"
printf 'rules:\n  node-pinning: {severity: note}\n' >>"$tmp/note.yaml"

run check "$repo" --format concise --config "$tmp/error.yaml"
expect_rc 1 "check with an error finding"
has "$out" "apps/web.yaml:4:9: error[node-pinning]" "check"
has "$out" "drafts/draft.yaml:4:9: error[node-pinning]" "check"
[[ -s $err ]] && fail "check: unexpected stderr: $(cat "$err")"

# The ignore annotation removes that rule's finding for that object only.
lacks "$out" "apps/quiet.yaml" "gitops-lint.io/ignore annotation"
sed -i 's/gitops-lint.io\/ignore: "node-pinning"/gitops-lint.io\/ignore: "requests-fit"/' "$repo/apps/quiet.yaml"
run check "$repo" --format concise --config "$tmp/error.yaml"
has "$out" "apps/quiet.yaml:4:9: error[node-pinning]" "an annotation naming another rule"
sed -i 's/gitops-lint.io\/ignore: "requests-fit"/gitops-lint.io\/ignore: "requests-fit, node-pinning"/' \
  "$repo/apps/quiet.yaml"
run check "$repo" --format concise --config "$tmp/error.yaml"
lacks "$out" "apps/quiet.yaml" "an annotation listing two rules"

# --fail-on thresholds against error, warning and note findings.
for case in "error error 1" "error warning 1" "error note 1" "error never 0" \
            "warning error 0" "warning warning 1" "warning note 1" "warning never 0" \
            "note error 0" "note warning 0" "note note 1" "note never 0"; do
  read -r level threshold want <<<"$case"
  run check "$repo" --format concise --config "$tmp/$level.yaml" --fail-on "$threshold"
  expect_rc "$want" "$level finding with --fail-on $threshold"
  has "$out" "apps/web.yaml:4:9: $level[node-pinning]" "$level finding with --fail-on $threshold"
done

run check "$repo" --fail-on sometimes --config "$tmp/error.yaml"
expect_rc 2 "--fail-on sometimes"
has "$err" "gitops-lint: error:" "--fail-on sometimes"

# --enable / --disable
run check "$repo" --format concise --config "$tmp/error.yaml" --disable node-pinning
expect_rc 0 "--disable node-pinning"
lacks "$out" "node-pinning" "--disable node-pinning"
printf 'rules:\n  node-pinning: {enabled: false}\n' >"$tmp/off.yaml"
run check "$repo" --format concise --config "$tmp/off.yaml"
expect_rc 0 "node-pinning disabled in the config"
run check "$repo" --format concise --config "$tmp/off.yaml" --enable node-pinning
expect_rc 1 "--enable over a config that disables the rule"
has "$out" "error[node-pinning]" "--enable over a config that disables the rule"
for flag in --enable --disable; do
  run check "$repo" "$flag" node-pining
  expect_rc 2 "$flag node-pining"
  has "$err" "gitops-lint: error:" "$flag node-pining"
  has "$err" "did you mean \`node-pinning\`?" "$flag node-pining"
done

# Usage errors.
run check "$repo" --no-such-flag
expect_rc 2 "check --no-such-flag"
has "$err" "gitops-lint: error:" "check --no-such-flag"
run check "$repo" --format nope
expect_rc 2 "--format nope"
has "$err" "gitops-lint: error:" "--format nope"
has "$err" "nope" "--format nope"
[[ -s $out ]] && fail "--format nope: wrote a report"
run check "$tmp/does-not-exist"
expect_rc 2 "a PATH that does not exist"
has "$err" "gitops-lint: error:" "a PATH that does not exist"
run graph "$tmp/does-not-exist"
expect_rc 2 "graph on a PATH that does not exist"
run check "$repo" --config "$tmp/no-such-config.yaml"
expect_rc 2 "--config naming a missing file"
has "$err" "no-such-config.yaml" "--config naming a missing file"

# --output FILE writes the report there and nothing to stdout.
run check "$repo" --format concise --config "$tmp/error.yaml"
cp "$out" "$tmp/expected-report"
run check "$repo" --format concise --config "$tmp/error.yaml" --output "$tmp/report.txt"
expect_rc 1 "--output"
[[ -s $out ]] && fail "--output: the report also went to stdout"
cmp -s "$tmp/report.txt" "$tmp/expected-report" || fail "--output: the file differs from the stdout report"
run check "$repo" --format concise --config "$tmp/error.yaml" -o "$tmp/no-such-dir/report.txt"
expect_rc 2 "--output into a missing directory"

# .gitops-lint.yaml at the root: exclude works, and an unknown key is a located error.
cat >"$repo/.gitops-lint.yaml" <<'EOF'
# drafts are not synced
exclude:
  - drafts/**
EOF
run check "$repo" --format concise
expect_rc 1 "check with .gitops-lint.yaml"
lacks "$out" "drafts/" "exclude: drafts/**"
has "$out" "apps/web.yaml" "exclude: drafts/**"
cat >"$repo/.gitops-lint.yaml" <<'EOF'
exclude:
  - drafts/**
limits:
  maxDepth: 64
  maxAliasNodez: 10
EOF
run check "$repo" --format concise
expect_rc 2 "unknown key in .gitops-lint.yaml"
has "$err" "gitops-lint: error: .gitops-lint.yaml:5:3:" "unknown key in .gitops-lint.yaml"
has "$err" "did you mean \`maxAliasNodes\`?" "unknown key in .gitops-lint.yaml"
[[ -s $out ]] && fail "unknown key in .gitops-lint.yaml: wrote a report"
printf 'rules:\n  node-pinning:\n    severity: fatal\n' >"$repo/.gitops-lint.yaml"
run check "$repo"
expect_rc 2 "bad severity in .gitops-lint.yaml"
has "$err" ".gitops-lint.yaml:3:15:" "bad severity in .gitops-lint.yaml"
# The nearest config above PATH wins, and its errors name its repository-relative path.
printf 'bogus: 1\n' >"$repo/apps/.gitops-lint.yaml"
run check "$repo/apps"
expect_rc 2 "unknown key in apps/.gitops-lint.yaml"
has "$err" "apps/.gitops-lint.yaml:1:1:" "unknown key in apps/.gitops-lint.yaml"
rm "$repo/.gitops-lint.yaml" "$repo/apps/.gitops-lint.yaml"

# ------------------------------------------------------------------------------------------ graph

g=$tmp/graphrepo
mkdir -p "$g/nodes" "$g/shop"
cat >"$g/nodes/nodes.yaml" <<'EOF'
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: node-api
      labels: {role: api, node.kubernetes.io/instance-type: t3.small}
  - apiVersion: v1
    kind: Node
    metadata:
      name: node-db
      labels: {role: db, node.kubernetes.io/instance-type: t3.large}
    spec:
      taints: [{key: dedicated, value: db, effect: NoSchedule}]
EOF
cat >"$g/shop/app.yaml" <<'EOF'
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  DATABASE_HOST: postgres
  DATABASE_PORT: "5432"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {role: api}
      containers:
        - name: web
          image: shop/web:1
          envFrom: [{configMapRef: {name: web-config}}]
          resources: {requests: {cpu: 100m, memory: 128Mi}}
      volumes: [{name: config, configMap: {name: web-config}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres, namespace: shop}
spec:
  template:
    metadata: {labels: {app: postgres}}
    spec:
      nodeSelector: {role: db}
      containers:
        - name: postgres
          image: postgres:16
          resources: {requests: {cpu: 500m, memory: 1Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: shop}
spec:
  selector: {app: postgres}
  ports: [{port: 5432}]
EOF
for format in dot mermaid json; do
  run graph "$g" --format "$format"
  expect_rc 0 "graph --format $format"
  [[ -s $err ]] && fail "graph --format $format: unexpected stderr: $(cat "$err")"
  cp "$out" "$tmp/graph.$format"
  golden "graph.$format" "$tmp/graph.$format"
  run graph "$g" --format "$format"
  cmp -s "$out" "$tmp/graph.$format" || fail "graph --format $format: two runs differ"
done
has "$tmp/graph.dot" "digraph" "graph --format dot"
has "$tmp/graph.mermaid" "graph LR" "graph --format mermaid"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/graph.json" || fail "graph --format json: not JSON"
run graph "$g"
cmp -s "$out" "$tmp/graph.dot" || fail "graph: dot is not the default format"
run graph "$g" --format json --output "$tmp/graph-out.json"
expect_rc 0 "graph --output"
cmp -s "$tmp/graph-out.json" "$tmp/graph.json" || fail "graph --output: differs from stdout"
run graph "$g" --format png
expect_rc 2 "graph --format png"
has "$err" "gitops-lint: error:" "graph --format png"

# ------------------------------------------------------------------------------------------ determinism

for format in json sarif text; do
  run check "$g" --format "$format" --threads 1
  cp "$out" "$tmp/det1"
  rc1=$rc
  run check "$g" --format "$format" --threads 4
  cmp -s "$out" "$tmp/det1" || fail "check --format $format: --threads 1 and --threads 4 differ"
  run check "$g" --format "$format"
  cmp -s "$out" "$tmp/det1" || fail "check --format $format: two runs differ"
  [[ $rc -eq $rc1 ]] || fail "check --format $format: exit codes differ between runs"
done

# ------------------------------------------------------------------------------------------ run notes

# Argo CD Applications are expanded: the chart the application points at is rendered as the application
# deploys it (release name = application name, destination namespace), and the run says so in text and JSON.
# A template that includes an undefined template is a render-error at its line, and the chart's other
# templates are still checked; findings name the application.
argo=$tmp/argo
mkdir -p "$argo/apps" "$argo/charts/web/templates"
cat >"$argo/apps/web.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/team/gitops.git
    path: charts/web
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
YAML
printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' >"$argo/charts/web/Chart.yaml"
printf 'kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . | nindent 4 }}\n' \
  >"$argo/charts/web/templates/cm.yaml"
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-db\nstringData:\n  password: {{ .Values.dbPassword | default "Zx9-kLm2-Qp7r" }}\n' \
  >"$argo/charts/web/templates/secret.yaml"
run check "$argo"
expect_rc 1 "check with an Argo CD Application and a Helm chart"
has "$out" "Argo CD: 1 application(s) (0 generated by ApplicationSets) from 1 root(s)" "Argo CD run note (text)"
has "$out" "secret \`shop/web-db\` holds plaintext value" "the chart is rendered as the application deploys it"
has "$out" "deployed by Argo CD application \`web\`" "the finding names the application"
lacks "$out" "Zx9-kLm2-Qp7r" "the secret value is never printed"
run check "$argo" --format concise
has "$out" "charts/web/templates/cm.yaml:4:" "render-error at the failing template line"
has "$out" "error[render-error]" "render-error for the failing template"
has "$out" "charts/web/templates/secret.yaml:6:" "the chart's other template is still checked (plaintext secret)"
lacks "$out" "load-error" "Helm templates are not parsed as YAML"
run check "$argo" --format json --fail-on never
has "$out" '"notes": [' "run notes in JSON"
has "$out" "Argo CD: 1 application" "Argo CD run note (JSON)"
has "$out" '"application": "web"' "findings carry the application in JSON"
run apps "$argo" --format json
expect_rc 0 "apps --format json"
has "$out" '"generatedBy": null' "apps JSON: an Application written in the repository"
has "$out" '"status": "error"' "apps JSON: the chart's failing template makes the status error"
run apps "$argo"
has "$out" "web   default  0     -             in-cluster/shop" "apps table"

# The repository's own remotes (read with libgit2) say which repoURLs are this repository, whatever URL form.
git -C "$argo" init -q 2>/dev/null && git -C "$argo" remote add origin git@git.example.com:team/GitOps.git
run apps "$argo"
lacks "$err" "is not a remote of this checkout" "a remote in scp form matches the https repoURL"
git -C "$argo" remote set-url origin https://git.example.com/other/repo.git
run apps "$argo"
has "$err" "repoURL \`https://git.example.com/team/gitops.git\` is not a remote of this checkout (remotes: git.example.com/other/repo)" \
  "another remote: rendered from the tree with a note"
run apps "$argo" --strict-repos --format json
has "$out" '"status": "external"' "--strict-repos: an unknown URL is external"
rm -rf "$argo/.git"

# A chart from a registry is external unless --chart-dir holds it (`helm pull` archives or directories).
cat >"$argo/apps/cache.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cache
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://charts.example.com/stable
    chart: cache
    targetRevision: 0.2.0
    helm:
      valuesObject:
        replicas: 3
  destination:
    server: https://kubernetes.default.svc
    namespace: data
YAML
run apps "$argo" --format json
has "$out" '"status": "external"' "registry chart without --chart-dir"
mkdir -p "$tmp/pulled"
cp "$GL_SOURCE_DIR/fixtures/helm/shop-archived/charts/cache-0.2.0.tgz" "$tmp/pulled/"
run apps "$argo" --chart-dir "$tmp/pulled"
expect_rc 0 "apps --chart-dir"
has "$out" "cache  default  0     -             in-cluster/data  " "apps: the registry chart renders from --chart-dir"
lacks "$out" "external" "apps: no external source left"
has "$err" "chart \`cache\` 0.2.0 rendered from --chart-dir" "apps: a note names the chart directory"
run graph "$argo" --chart-dir "$tmp/pulled" --format json
has "$out" '"file": "chart-dir/cache-0.2.0.tgz/cache/templates/statefulset.yaml"' "objects of a --chart-dir chart name the archive"
has "$out" '"id": "StatefulSet/data/cache-cache"' "the registry chart renders with the application's release and namespace"
run apps "$argo" --chart-dir "$tmp/nowhere"
expect_rc 2 "apps --chart-dir with a missing directory"
rm "$argo/apps/cache.yaml"

# A value set in values.yaml and printed by a template: the finding is at the values line, with the template
# line as a secondary span (issue 4).
run check "$GL_SOURCE_DIR/fixtures/rules/requests-fit/helm" --format json --fail-on never
python3 - "$out" <<'PY' || fail "Helm value finding: values line primary, template line secondary"
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
hits = [f for f in findings if f["rule"] == "requests-fit" and f["file"].endswith("helm/reports/values.yaml")]
assert len(hits) == 1 and hits[0]["line"] == 3, hits
related = [(r["file"].split("requests-fit/")[-1], r["line"], r["column"], r["message"]) for r in hits[0]["related"]]
assert ("helm/reports/templates/deployment.yaml", 22, 26, "rendered by this template line") in related, related
PY

# `inventory` lists the nodes the checks assume, with the lines that declare them.
run inventory "$GL_SOURCE_DIR/fixtures/example" --format json
expect_rc 0 "inventory --format json"
python3 - "$out" <<'PY' || fail "inventory JSON: the example's 14 nodes with instance types and sources"
import json, sys
inv = json.load(open(sys.argv[1]))
assert inv["version"] == 1
nodes = {n["name"]: n for n in inv["nodes"]}
assert len(nodes) == 14, len(nodes)
auth = nodes["k8s-api-auth"]
assert auth["instanceType"] == "t3.micro" and auth["labels"]["domain"] == "auth", auth
assert auth["allocatable"]["memory"] and auth["sources"][0]["file"] == "fixtures/example/nodes/nodes.yaml", auth
PY
run inventory "$GL_SOURCE_DIR/fixtures/example"
has "$out" "k8s-api-auth" "inventory table"
run inventory "$GL_SOURCE_DIR/fixtures/example" --format yaml
expect_rc 2 "inventory: unknown format"

# Nodes from Terraform (issue 6): a request too big for the instance points at the line that sets the
# instance type; a selector that matches no node points at the line that labels the closest node.
tf=$tmp/tf
mkdir -p "$tf/terraform" "$tf/apps"
cat >"$tf/terraform/main.tf" <<'HCL'
locals {
  worker_labels = "role=worker,tier=batch"
}

resource "aws_instance" "worker" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    /etc/eks/bootstrap.sh --kubelet-extra-args '--node-labels=${local.worker_labels}'
  EOT
  tags = {
    Name = "k8s-worker"
  }
}
HCL
deployment() { # NAME ROLE MEMORY
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  namespace: batch\nspec:\n  selector:\n    matchLabels:\n      app: %s\n  template:\n    metadata:\n      labels:\n        app: %s\n    spec:\n      nodeSelector:\n        role: %s\n      containers:\n        - name: c\n          image: example/c:1.0\n          resources:\n            requests:\n              memory: %s\n' "$1" "$1" "$1" "$2" "$3"
}
deployment report worker 4Gi >"$tf/apps/report.yaml"
deployment typo workr 64Mi >"$tf/apps/typo.yaml"
run inventory "$tf"
has "$out" "k8s-worker  t3.micro" "inventory: the Terraform instance"
has "$out" "role=worker,tier=batch" "inventory: labels from the kubelet flags in user data"
run check "$tf" --format json
expect_rc 1 "check with a Terraform inventory"
python3 - "$out" <<'PY' || fail "findings point at the Terraform lines"
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
fit = [f for f in findings if f["rule"] == "requests-fit"]
assert len(fit) == 1 and fit[0]["file"].endswith("apps/report.yaml"), fit
assert any(r["file"] == "terraform/main.tf" and r["line"] == 7 for r in fit[0]["related"]), fit[0]["related"]
pin = [f for f in findings if f["rule"] == "node-pinning"]
assert len(pin) == 1 and pin[0]["file"].endswith("apps/typo.yaml"), pin
assert any(r["file"] == "terraform/main.tf" and r["line"] == 2 and "role=worker" in r["message"]
           for r in pin[0]["related"]), pin[0]["related"]
PY

# ------------------------------------------------------------------------------------------ render

# `render DIR` prints the built objects (YAML like `kubectl kustomize`, or JSON), render errors on stderr
# with exit 1, and exit 2 when DIR holds no kustomization.
kz=$tmp/kz
mkdir -p "$kz/base" "$kz/dev" "$kz/broken"
printf 'resources:\n  - cm.yaml\n' >"$kz/base/kustomization.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LOG_LEVEL: info\n' >"$kz/base/cm.yaml"
printf 'namespace: shop\nnamePrefix: dev-\nresources:\n  - ../base\n' >"$kz/dev/kustomization.yaml"
printf 'resources:\n  - ../base\n  - missing.yaml\n' >"$kz/broken/kustomization.yaml"
cat >"$tmp/kz-dev.yaml" <<'YAML'
apiVersion: v1
data:
  LOG_LEVEL: info
kind: ConfigMap
metadata:
  name: dev-settings
  namespace: shop
YAML
pushd "$kz" >/dev/null
run render dev
expect_rc 0 "render"
diff -u "$tmp/kz-dev.yaml" "$out" >&2 || fail "render: output differs"
[[ ! -s $err ]] || fail "render: unexpected stderr"
run render dev --format json
expect_rc 0 "render --format json"
has "$out" '{"apiVersion":"v1","data":{"LOG_LEVEL":"info"},"kind":"ConfigMap","metadata":{"name":"dev-settings","namespace":"shop"}}' "render json"
run render dev base
expect_rc 0 "render of two directories"
[[ $(grep -c '^---$' "$out") -eq 1 && $(grep -c 'name: ' "$out") -eq 2 ]] || fail "render of two directories: two builds"
run render broken
expect_rc 1 "render of a failing kustomization"
[[ ! -s $out ]] || fail "render: a failed build prints no objects"
has "$err" "error[render-error]: \`missing.yaml\` does not exist" "render error message"
has "$err" "broken/kustomization.yaml:3:5" "render error location"
run render "$kz/dev" --root "$kz"
expect_rc 0 "render --root"
run render "$kz/base/.."
expect_rc 2 "render of a directory without a kustomization"
has "$err" "gitops-lint: error:" "render usage error"
run render "$kz/dev" --format xml
expect_rc 2 "render --format xml"

# A Helm chart renders as `helm template` does; a subchart vendored as charts/*.tgz renders like the same
# subchart as a directory.
pushd "$GL_SOURCE_DIR/fixtures/helm" >/dev/null
run render shop --release-name shop
expect_rc 0 "render of a Helm chart"
cp "$out" "$tmp/shop-dir.yaml"
has "$out" "# Source: shop/charts/cache/templates/statefulset.yaml" "helm template's Source lines"
run render shop-archived --release-name shop
expect_rc 0 "render of a Helm chart with a .tgz subchart"
diff -u "$tmp/shop-dir.yaml" "$out" >&2 || fail "a .tgz subchart renders like the directory"
run render shop --set replicaCount=7 --set-string image.tag=9.9.9 -f shop/values-prod.yaml -n shop
expect_rc 0 "render with values"
has "$out" "replicas: 7" "--set wins over -f"
has "$out" 'image: "registry.example.com/shop/api:9.9.9"' "--set-string"
lacks "$out" "kind: StatefulSet" "-f disables the cache subchart"
popd >/dev/null

# Helm value sets in .gitops-lint.yaml: each is an environment; a finding only one has says so, and a
# finding lands on the values line of the set's file.
hv=$tmp/helm-values
mkdir -p "$hv/charts/api/templates" "$hv/envs"
printf 'apiVersion: v2\nname: api\nversion: 0.1.0\n' >"$hv/charts/api/Chart.yaml"
printf 'pin: false\nmemory: 128Mi\n' >"$hv/charts/api/values.yaml"
cat >"$hv/charts/api/templates/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      {{- if .Values.pin }}
      nodeSelector:
        role: api
      {{- end }}
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          resources:
            requests:
              memory: {{ .Values.memory }}
YAML
printf 'pin: true\nmemory: 256Mi\n' >"$hv/envs/prod.yaml"
cat >"$hv/.gitops-lint.yaml" <<'YAML'
helm:
  charts:
    charts/api:
      - name: dev
      - name: prod
        valueFiles: [envs/prod.yaml]
        releaseName: api
YAML
run check "$hv" --format text --fail-on never
expect_rc 0 "check with Helm value sets"
has "$out" "\`shop/api\` is not pinned to any node" "the dev value set is unpinned"
has "$out" "only in the \`dev\` environment" "the finding names its environment"
printf 'helm:\n  charts:\n    charts/api:\n      - valueFiles: [x.yaml]\n' >"$hv/.gitops-lint.yaml"
run check "$hv"
expect_rc 2 "a value set without a name"
has "$err" "a value set needs a \`name\`" "value set error"

# A chart rendered by a kustomization's helmCharts is checked as that build renders it (its namespace), once.
kh=$tmp/kustomize-helm
mkdir -p "$kh/app/charts/db/templates"
printf 'apiVersion: v2\nname: db\nversion: 0.1.0\n' >"$kh/app/charts/db/Chart.yaml"
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Uu8-Ii9o-Pp0a\n' \
  >"$kh/app/charts/db/templates/secret.yaml"
printf 'namespace: data\nhelmCharts:\n  - name: db\n    releaseName: db\n' >"$kh/app/kustomization.yaml"
run check "$kh" --format concise --fail-on never
has "$out" "secret \`data/db\` holds plaintext value" "helmCharts objects get the kustomization's namespace"
[[ $(grep -c "plaintext-secret" "$out") -eq 1 ]] || fail "helmCharts: the chart is not also checked on its own"

# check builds the overlays: the base's files are not checked again as plain manifests, and a failing
# build is a render-error at its line while the rest is still checked.
run check "$kz" --format concise --fail-on never
expect_rc 0 "check with kustomizations"
has "$out" "broken/kustomization.yaml:3:5: error[render-error]" "render-error in check"
lacks "$out" "load-error" "no load errors from kustomize files"

# Sibling overlays that build the same objects are environments checked apart: a finding that only one
# has says so, and the run notes the split.
envs=$tmp/envs
mkdir -p "$envs/app/base" "$envs/app/dev" "$envs/app/prod"
printf 'resources:\n  - deployment.yaml\n' >"$envs/app/base/kustomization.yaml"
cat >"$envs/app/base/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      nodeSelector:
        role: api
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
YAML
printf 'resources:\n  - ../base\n' >"$envs/app/dev/kustomization.yaml"
printf 'resources:\n  - ../base\npatches:\n  - path: requests.yaml\n' >"$envs/app/prod/kustomization.yaml"
cat >"$envs/app/prod/requests.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          resources:
            requests:
              memory: 128Mi
YAML
run check "$envs" --fail-on never
expect_rc 0 "check with sibling overlays"
has "$out" "each environment (\`dev\`, \`prod\`) was checked as its own cluster" "environments run note"
has "$out" "container \`api\` of pinned \`shop/api\` has no memory request" "finding in dev"
has "$out" "only in the \`dev\` environment" "finding names its environment"
[[ $(grep -c "has no memory request" "$out") -eq 1 ]] || fail "environments: one finding, not one per environment"

finish cli
