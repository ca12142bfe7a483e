#!/usr/bin/env bash
# Module boundaries (DESIGN.md): each src/ folder may include only the folders listed for it here.
# Data flows one way; a new include across a boundary fails this test and needs a reason in the design.
set -euo pipefail
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"

declare -A allowed=(
  [core]="core"
  [yaml]="core yaml"
  [repo]="core repo"
  [k8s]="core yaml k8s"
  [render]="core yaml repo k8s render"
  [graph]="core yaml k8s graph"
  [diag]="core diag"
  [rules]="core yaml k8s graph diag rules"
  [config]="core yaml k8s graph rules config"
  [report]="core diag rules report"
  [drift]="core yaml k8s diag drift"
  [cli]="core yaml repo k8s render graph diag rules config report drift cli"
)

failures=0
for dir in "$GL_SOURCE_DIR"/src/*/; do
  folder=$(basename "$dir")
  if [[ -z ${allowed[$folder]+x} ]]; then
    echo "FAIL: src/$folder is not in the layering table" >&2
    failures=$((failures + 1))
    continue
  fi
  while IFS=: read -r file line include; do
    used=$(sed -E 's/.*#include "([a-z0-9_]+)\/.*/\1/' <<<"$include")
    if [[ " ${allowed[$folder]} " != *" $used "* ]]; then
      echo "FAIL: ${file#"$GL_SOURCE_DIR"/}:$line: src/$folder may not include $used/ ($include)" >&2
      failures=$((failures + 1))
    fi
  done < <(grep -rnE '^#include "[a-z0-9_]+/' "$dir" || true)
done

if [[ $failures -ne 0 ]]; then
  echo "$failures layering violation(s)" >&2
  exit 1
fi
echo "layering: all includes respect the module boundaries"
