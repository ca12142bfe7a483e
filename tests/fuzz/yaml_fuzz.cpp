// libFuzzer target: any bytes through the YAML front end and the object model must never crash, hang
// or read out of bounds. Build and run with tests/fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "k8s/object.h"
#include "yaml/parser.h"

namespace {

size_t touch(const gl::yaml::Node& n) {
  size_t sum = n.value.size() + n.resolved_kind().size();
  if (n.as_int()) ++sum;
  if (n.as_bool()) ++sum;
  for (const auto& k : n.keys) sum += touch(k);
  for (const auto& i : n.items) sum += touch(i);
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gl::SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  gl::yaml::ParseLimits limits;
  limits.max_alias_nodes = 100000;
  auto result = gl::yaml::parse(file, limits);
  volatile size_t sink = 0;
  for (const auto& e : result.errors) sink = sink + e.mark.line + file.line(e.mark.line).size();
  for (auto& doc : result.documents) {
    sink = sink + touch(doc.root);
    if (auto obj = gl::k8s::make_object(std::move(doc))) sink = sink + obj->name.size() + obj->anchor().begin.line;
  }
  return 0;
}
