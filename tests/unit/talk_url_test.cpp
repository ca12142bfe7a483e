// find_hosts' hand-written URL scanner against the RE2 pattern it replaced, on chosen and random values.
#include <random>

#include <catch2/catch.hpp>
#include <re2/re2.h>

#include "core/strings.h"
#include "graph/talk.h"

namespace {

using gl::graph::HostMention;

/// The URL branch of find_hosts as it was written with RE2 (the reference).
std::vector<HostMention> reference_urls(std::string_view value) {
  static const RE2 kUrl(R"(([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^@/\s]*@)?([A-Za-z0-9][A-Za-z0-9.\-]*)(?::(\d{1,5}))?)");
  std::vector<HostMention> out;
  const std::string_view trimmed = gl::trim(value);
  if (trimmed.empty() || trimmed.size() > 4096 || trimmed.find("://") == std::string_view::npos) return out;
  const size_t lead = static_cast<size_t>(trimmed.data() - value.data());
  re2::StringPiece input(trimmed.data(), trimmed.size());
  re2::StringPiece scheme, host, port;
  while (RE2::FindAndConsume(&input, kUrl, &scheme, &host, &port)) {
    HostMention m;
    m.scheme = gl::to_lower(std::string_view(scheme.data(), scheme.size()));
    m.host = gl::to_lower(std::string_view(host.data(), host.size()));
    if (!m.host.empty() && m.host.back() == '.') m.host.pop_back();
    m.offset = lead + static_cast<size_t>(host.data() - trimmed.data());
    int p = 0;
    const std::string digits(port.data(), port.size());
    if (!digits.empty() && (p = std::stoi(digits)) > 0 && p <= 65535) m.port = p;
    if (!m.port) m.port = gl::graph::default_port(m.scheme);
    // find_hosts also drops invalid host names (empty labels, labels with a leading or trailing dash).
    bool valid = !m.host.empty() && m.host.size() <= 253;
    for (auto label : gl::split(m.host, '.')) {
      valid = valid && !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-';
    }
    if (valid) out.push_back(std::move(m));
  }
  return out;
}

std::string show(const std::vector<HostMention>& hosts) {
  std::string out;
  for (const auto& h : hosts) {
    out += h.scheme + "|" + h.host + "|" + (h.port ? std::to_string(*h.port) : "-") + "|" + std::to_string(h.offset) + ";";
  }
  return out;
}

}  // namespace

TEST_CASE("find_hosts reads URLs as the RE2 pattern did", "[talk-url]") {
  const std::vector<std::string> values = {
      "postgres://app:s3cret@db.data.svc.cluster.local:5432/orders?sslmode=disable",
      "redis://redis-master.data:6379/0",
      "amqp://guest:guest@rabbitmq:5672/",
      "  mongodb+srv://u@cluster0.example.com/db  ",
      "http://a.b:123456/x",  // six digits: the port takes five
      "x://@host",            // empty user
      "x://user@",            // no host after @: the host is `user`
      "x://u@-bad",           // a host cannot start with a dash: the host is `u`
      "1http://host",         // the scheme starts at its first letter
      "a://b://c",            // the second URL's scheme would overlap the first match
      "jdbc:postgresql://db:5432/app",
      "see https://example.com and ftp://files.example.com:21 too",
      "://nohost",
      "ab+c.d-e://H0ST.Example.:80",
      "u://x y@z",  // whitespace ends the user part
      "s://a/b@c",
  };
  for (const auto& v : values) {
    INFO(v);
    CHECK(show(gl::graph::find_hosts(v)) == show(reference_urls(v)));
  }
  CHECK(show(gl::graph::find_hosts(values[0])) == "postgres|db.data.svc.cluster.local|5432|22;");
}

TEST_CASE("find_hosts agrees with the RE2 pattern on 30,000 random values", "[talk-url]") {
  std::mt19937 random(7);
  // Pieces of URLs, separators, and UTF-8: well-formed (e-acute, a surrogate, U+10FFFF) and not (overlong,
  // past U+10FFFF, stray bytes).
  const std::vector<std::string> pieces = {
      "http", "Redis", "x+y", "://", "http://", "pg://", "u:p@", "@", "host", "db.data", "db", "a.b", "-a", ".", ":", "5432", "123456",
      "/", " ", "\t", "9", "\xc3\xa9", "\xed\xa0\x80", "\xf4\x8f\xbf\xbf", "\xc0\xaf", "\xf4\x90\x80\x80",
      "\x80", "\xe2\x82", "\xff", "\xe0\x80\x80", "\xc1\x81", "\xf5\x80\x80\x80"};
  size_t mismatches = 0;
  size_t with_urls = 0;
  for (int n = 0; n < 30000; ++n) {
    std::string v;
    const size_t length = 2 + random() % 9;
    for (size_t i = 0; i < length; ++i) v += pieces[random() % pieces.size()];
    const auto expected = reference_urls(v);
    with_urls += expected.empty() ? 0 : 1;
    if (show(gl::graph::find_hosts(v)) != show(expected) && v.find("://") != std::string::npos) {
      ++mismatches;
      UNSCOPED_INFO(v);
    }
  }
  CHECK(with_urls > 1000);
  CHECK(mismatches == 0);
}
