#!/usr/bin/env bash
# Builds a fuzz target with clang (libFuzzer, ASan, UBSan) and runs it for SECONDS (default 120), seeded
# with every YAML file of fixtures/. Targets: yaml (the YAML front end and object model), rules (graph
# and every rule) and kustomize (the Kustomize builder, seeded with fixtures/kustomize cases). Needs a configured CMake build dir (BUILD, default build/) for the embedded rule files.
# Not part of ctest: run it by hand or nightly.   Usage: tests/fuzz/run.sh [yaml|rules|kustomize] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:-yaml}
seconds=${2:-120}
build=${BUILD:-$root/build}
out=${FUZZ_DIR:-/tmp/gitops-lint-fuzz}/$target
mkdir -p "$out/corpus"
find "$root/fixtures" -name '*.yaml' -exec cp {} "$out/corpus/" \; 2>/dev/null || true
srcs=("$root/src/yaml/parser.cpp" "$root/src/yaml/node.cpp" "$root/src/core/source.cpp" "$root/src/core/strings.cpp"
      "$root/src/k8s/object.cpp")
if [[ $target == rules ]]; then
  cmake --build "$build" --target gl_core >/dev/null  # generates embedded_files.cpp
  srcs=("$root"/src/core/*.cpp "$root"/src/yaml/*.cpp "$root"/src/k8s/*.cpp "$root"/src/graph/*.cpp
        "$root"/src/diag/*.cpp "$root"/src/rules/*.cpp "$root"/src/rules/support/*.cpp "$build/embedded_files.cpp")
fi
if [[ $target == kustomize ]]; then
  cmake --build "$build" --target gl_core >/dev/null  # generates embedded_files.cpp
  srcs=("$build/embedded_files.cpp" "$root"/src/core/*.cpp "$root"/src/yaml/*.cpp "$root"/src/k8s/*.cpp "$root"/src/repo/*.cpp
        "$root"/src/render/*.cpp "$root"/src/render/kustomize/*.cpp)
  # Seeds: each fixture kustomization with its first files, in the target's "--8<--" format.
  for k in $(find "$root/fixtures/kustomize" -name kustomization.yaml); do
    d=$(dirname "$k")
    {
      cat "$k"
      for f in $(find "$d" -maxdepth 1 -name '*.yaml' ! -name kustomization.yaml | sort | head -2); do
        printf '\n--8<--\n'
        cat "$f"
      done
    } >"$out/corpus/$(echo "$d" | tr '/' '_').seed"
  done
fi
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/src" "$root/tests/fuzz/${target}_fuzz.cpp" "${srcs[@]}" \
  $(pkg-config --cflags --libs yaml-0.1 re2) $([[ $target == kustomize ]] && pkg-config --cflags --libs libgit2) \
  -lfmt -lpthread -o "$out/fuzz"
cd "$out"
./fuzz -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 corpus
