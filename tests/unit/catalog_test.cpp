// The shipped instance catalog carries every family the issue names, with AWS's published sizes.
#include <catch2/catch.hpp>

#include "k8s/inventory.h"

namespace {

constexpr int64_t kGi = 1024LL * 1024 * 1024;

void expect_type(const char* name, int64_t vcpu, int64_t mem_mib) {
  INFO(name);
  const auto* t = gl::k8s::InstanceCatalog::builtin().find(name);
  REQUIRE(t != nullptr);
  CHECK(t->cpu_milli == vcpu * 1000);
  CHECK(t->memory_bytes == mem_mib * 1024 * 1024);
}

}  // namespace

TEST_CASE("instance catalog: every named family, sizes as AWS publishes them", "[k8s][catalog]") {
  for (const char* family : {"t2", "t3", "t3a", "t4g", "m5", "m6i", "m7i", "c5", "c6i", "r5", "r6i"}) {
    INFO(family);
    CHECK(gl::k8s::InstanceCatalog::builtin().find(std::string(family) + ".large") != nullptr);
  }
  expect_type("t2.micro", 1, 1024);
  expect_type("t3.nano", 2, 512);
  expect_type("t3.micro", 2, 1024);
  expect_type("t3.small", 2, 2048);
  expect_type("t3a.medium", 2, 4096);
  expect_type("t4g.xlarge", 4, 16 * 1024);
  expect_type("m5.large", 2, 8 * 1024);
  expect_type("m6i.32xlarge", 128, 512 * 1024);
  expect_type("m7i.48xlarge", 192, 768 * 1024);
  expect_type("c5.9xlarge", 36, 72 * 1024);
  expect_type("c6i.large", 2, 4 * 1024);
  expect_type("r5.large", 2, 16 * 1024);
  expect_type("r6i.32xlarge", 128, 1024 * 1024);
  CHECK(gl::k8s::InstanceCatalog::builtin().find("t3.mega") == nullptr);
  CHECK(gl::k8s::InstanceCatalog::builtin().find("t3.micro")->memory_bytes == kGi);
}
