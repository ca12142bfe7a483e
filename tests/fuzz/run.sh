#!/usr/bin/env bash
# Builds the YAML fuzz target with clang (libFuzzer, ASan, UBSan) and runs it for SECONDS (default 120),
# seeded with every YAML file of fixtures/. Not part of ctest: run it by hand or nightly.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-/tmp/gitops-lint-fuzz}
seconds=${1:-120}
mkdir -p "$out/corpus"
find "$root/fixtures" -name '*.yaml' -exec cp {} "$out/corpus/" \; 2>/dev/null || true
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/src" "$root/tests/fuzz/yaml_fuzz.cpp" "$root/src/yaml/parser.cpp" "$root/src/yaml/node.cpp" \
  "$root/src/core/source.cpp" "$root/src/core/strings.cpp" "$root/src/k8s/object.cpp" \
  $(pkg-config --cflags --libs yaml-0.1) -lfmt -o "$out/yaml_fuzz"
cd "$out"
./yaml_fuzz -max_total_time="$seconds" -max_len=65536 -timeout=5 -rss_limit_mb=2048 corpus
