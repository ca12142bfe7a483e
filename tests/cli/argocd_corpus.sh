#!/usr/bin/env bash
# End to end on the real repositories of ../shared/corpora/ (Argo CD app of apps, ApplicationSets, Kustomize,
# Helm, Terraform and Ansible): the Applications that would exist (`apps --format json`), every object, the node
# inventory and every finding of `check` are compared with reviewed golden files in tests/golden/argocd/ (UPDATE_GOLDEN=1 rewrites them; review the diff).
# Skipped, saying so, when the corpus folder is absent.
set -uo pipefail
source "$(dirname "$0")/lib.bash"

corpus=${GL_CORPUS_DIR:-$GL_SOURCE_DIR/../shared/corpora}
golden_dir=$GL_SOURCE_DIR/tests/golden/argocd
if [[ ! -d $corpus ]]; then
  echo "argocd_corpus: skipped: the corpus $corpus is absent"
  exit 0
fi

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

for repo in sesacthon-c2afd9df sesacthon-9a0c35f9; do
  dir=$corpus/$repo
  [[ -d $dir ]] || { echo "argocd_corpus: $repo absent, skipped"; continue; }
  run apps "$dir" --format json
  expect_rc 0 "$repo: apps"
  golden "$repo.apps.json" "$out"
  cp "$out" "$tmp/apps1"
  run apps "$dir" --format json
  cmp -s "$out" "$tmp/apps1" || fail "$repo: two runs of apps differ"
  run check "$dir" --format concise --fail-on never
  expect_rc 0 "$repo: check"
  golden "$repo.check.txt" "$out"
  # Every object the applications deploy (and the undeployed manifests), with the file:line it comes from.
  run graph "$dir" --format json
  expect_rc 0 "$repo: graph"
  python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))
for o in g["objects"]:
    print(o["id"], o["file"], o["line"])' "$out" >"$tmp/objects.txt" || fail "$repo: graph JSON"
  golden "$repo.objects.txt" "$tmp/objects.txt"
  # The nodes read from the repository's Terraform and Ansible (issue 6), with the lines that declare them.
  run inventory "$dir" --format json
  expect_rc 0 "$repo: inventory"
  golden "$repo.inventory.json" "$out"
done

# What the two snapshots must show whatever else changes (reviewed by hand, see the issue notes).
if [[ -d $corpus/sesacthon-c2afd9df ]]; then
  run apps "$corpus/sesacthon-c2afd9df" --format json
  has "$out" '"generatedBy": "ApplicationSet/api-services"' "c2afd9df: the api-services ApplicationSet generates apps"
  run check "$corpus/sesacthon-c2afd9df" --format concise --fail-on never
  has "$out" "Application \`argocd/platform\` appears twice in Argo CD application \`root-app\`" \
    "c2afd9df: two Applications named platform"
  has "$out" "StatefulSet \`atlantis/atlantis\` is deployed by two Argo CD applications, \`platform\` and \`gitops-tools\`" \
    "c2afd9df: the atlantis chart deployed by two applications"
  has "$out" "directory source applies \`argocd/apps/apis/workers/flower/kustomization.yaml\` as an object" \
    "c2afd9df: a kustomization inside a directory application"
  has "$out" "sync-wave on the Applications that ApplicationSet \`api-services\` generates has no effect" \
    "c2afd9df: phase waves in an ApplicationSet template"
fi
if [[ -d $corpus/sesacthon-9a0c35f9 ]]; then
  run apps "$corpus/sesacthon-9a0c35f9" --format json
  has "$out" '"name": "prod-api-auth"' "9a0c35f9: prod apps generated"
  has "$out" '"name": "dev-ingress-grafana"' "9a0c35f9: dev ingresses generated"
  # The dev PostgreSQL Service comes from the dev-postgresql chart application: a base that names it is
  # wrong only in prod.
  run check "$corpus/sesacthon-9a0c35f9" --fail-on never
  has "$out" "= note: only in the \`prod\` environment" "9a0c35f9: dev-postgresql host reported for prod only"
  has "$out" "root applications in \`clusters/dev\`, \`clusters/prod\` deploy objects with the same kind" \
    "9a0c35f9: dev and prod roots are environments"
fi

[[ $failures -eq 0 ]] || exit 1
echo "argocd_corpus: ok"
