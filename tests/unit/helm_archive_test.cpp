// Tests for src/render/helm/archive: chart archives read in memory, and hostile archives refused.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "render/helm/archive.h"

namespace {

std::string tar_member(const std::string& name, const std::string& content, char type = '0') {
  std::string header(512, '\0');
  std::memcpy(header.data(), name.data(), std::min<size_t>(name.size(), 100));
  std::snprintf(header.data() + 100, 8, "%07o", 0644);
  std::snprintf(header.data() + 124, 12, "%011zo", content.size());
  header[156] = type;
  std::memcpy(header.data() + 257, "ustar", 5);
  std::string out = header + content;
  out.resize((out.size() + 511) / 512 * 512, '\0');
  return out;
}

std::string gzip(const std::string& data) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

TEST_CASE("archive: the fixture chart archive", "[helm][archive]") {
  std::ifstream in(std::string(GL_SOURCE_DIR) + "/fixtures/helm/shop-archived/charts/cache-0.2.0.tgz", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  auto files = gl::render::helm::read_tgz(ss.str(), &error);
  INFO(error);
  REQUIRE(files);
  std::vector<std::string> names;
  for (const auto& [path, content] : *files) names.push_back(path);
  CHECK(std::find(names.begin(), names.end(), "cache/Chart.yaml") != names.end());
  CHECK(std::find(names.begin(), names.end(), "cache/templates/statefulset.yaml") != names.end());
}

TEST_CASE("archive: long names, links skipped, hostile archives refused", "[helm][archive]") {
  std::string error;
  const std::string long_name(150, 'a');
  auto ok = gl::render::helm::read_tgz(gzip(tar_member("././@LongLink", "c/" + long_name, 'L') + tar_member("short", "x") +
                                            tar_member("c/link", "", '2') + tar_member("c/b.yaml", "b: 1\n") +
                                            std::string(1024, '\0')),
                                       &error);
  REQUIRE(ok);
  REQUIRE(ok->size() == 2);
  CHECK((*ok)[0].first == "c/" + long_name);
  CHECK((*ok)[1].first == "c/b.yaml");
  CHECK((*ok)[1].second == "b: 1\n");

  CHECK_FALSE(gl::render::helm::read_tgz(gzip(tar_member("../../etc/x", "x")), &error));
  CHECK(error == "archive member `../../etc/x` leaves the archive");
  CHECK_FALSE(gl::render::helm::read_tgz("not gzip at all", &error));
  CHECK(error.find("not a valid gzip stream") == 0);
  // An archive bomb: 8 MiB of zeros inside a tiny gzip, refused past the limit.
  gl::render::helm::ArchiveLimits small;
  small.max_total_bytes = 1 << 20;
  CHECK_FALSE(gl::render::helm::read_tgz(gzip(tar_member("c/big", std::string(8 << 20, '\0'))), &error, small));
  CHECK(error == "archive expands past 1048576 bytes");
  CHECK_FALSE(gl::render::helm::read_tgz(gzip(tar_member("c/x", "abc")).substr(0, 20), &error));
}
