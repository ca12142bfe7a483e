#include "graph/talk.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/strings.h"

namespace gl::graph {
namespace {

constexpr int kMaxPort = 65535;

std::optional<int> to_port(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0 || v > kMaxPort) return std::nullopt;
  return v;
}

bool valid_host(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (auto label : split(h, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  }
  return true;
}

}  // namespace

std::optional<int> default_port(std::string_view scheme) {
  static constexpr std::array<std::pair<std::string_view, int>, 14> kPorts = {{
      {"postgres", 5432}, {"postgresql", 5432}, {"redis", 6379}, {"rediss", 6379}, {"amqp", 5672},
      {"amqps", 5671}, {"mysql", 3306}, {"mariadb", 3306}, {"mongodb", 27017}, {"kafka", 9092},
      {"http", 80}, {"https", 443}, {"nats", 4222}, {"memcached", 11211},
  }};
  for (const auto& [s, p] : kPorts) {
    if (s == scheme) return p;
  }
  if (scheme == "mongodb+srv") return 27017;
  return std::nullopt;
}

namespace {

/// `([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.?)(?::(\d{1,5}))?` as a full match, by hand: env values are checked
/// by the thousand and most are not host names, which a byte loop rejects at once.
bool match_host_port(std::string_view text, std::string& host, std::string& port) {
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  const size_t colon = text.find(':');
  const std::string_view h = text.substr(0, colon);
  if (h.empty() || !lower_alnum(h.front())) return false;
  for (size_t i = 1; i < h.size(); ++i) {
    const char c = h[i];
    if (c == '.') {
      if (h[i - 1] == '.') return false;  // an empty label
    } else if (!lower_alnum(c) && c != '-') {
      return false;
    }
  }
  std::string_view p;
  if (colon != std::string_view::npos) {
    p = text.substr(colon + 1);
    constexpr size_t kMaxPortDigits = 5;
    if (p.empty() || p.size() > kMaxPortDigits) return false;
    if (!std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  }
  host.assign(h);
  port.assign(p);
  return true;
}

}  // namespace

std::vector<HostMention> find_hosts(std::string_view value) {
  static const RE2 kUrl(R"(([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^@/\s]*@)?([A-Za-z0-9][A-Za-z0-9.\-]*)(?::(\d{1,5}))?)");
  std::vector<HostMention> out;
  std::string_view trimmed = trim(value);
  if (trimmed.empty() || trimmed.size() > 4096) return out;
  const size_t lead = static_cast<size_t>(trimmed.data() - value.data());
  if (trimmed.find("://") != std::string_view::npos) {
    re2::StringPiece input(trimmed.data(), trimmed.size());
    re2::StringPiece scheme, host, port;
    while (RE2::FindAndConsume(&input, kUrl, &scheme, &host, &port)) {
      HostMention m;
      m.scheme = to_lower(std::string_view(scheme.data(), scheme.size()));
      m.host = to_lower(std::string_view(host.data(), host.size()));
      if (!m.host.empty() && m.host.back() == '.') m.host.pop_back();
      m.offset = lead + static_cast<size_t>(host.data() - trimmed.data());
      if (!port.empty()) m.port = to_port(std::string_view(port.data(), port.size()));
      if (!m.port) m.port = default_port(m.scheme);
      if (valid_host(m.host)) out.push_back(std::move(m));
    }
    return out;
  }
  // `host`, `host:port`, or a comma-separated list of them (Redis sentinels, Kafka brokers).
  size_t pos = 0;
  for (auto part : split(trimmed, ',')) {
    std::string_view p = trim(part);
    const size_t offset = lead + pos + static_cast<size_t>(p.data() - part.data());
    pos += part.size() + 1;
    std::string host, port;
    if (!match_host_port(p, host, port)) {
      if (split(trimmed, ',').size() == 1) return out;
      continue;
    }
    HostMention m;
    m.host = host;
    if (!m.host.empty() && m.host.back() == '.') m.host.pop_back();
    m.offset = offset;
    if (!port.empty()) m.port = to_port(port);
    if (valid_host(m.host)) out.push_back(std::move(m));
  }
  return out;
}

std::optional<ServiceDns> parse_service_dns(std::string_view host) {
  std::string h = to_lower(host);
  if (!h.empty() && h.back() == '.') h.pop_back();
  ServiceDns dns;
  for (std::string_view suffix : {".svc.cluster.local", ".svc"}) {
    if (h.size() > suffix.size() && std::string_view(h).ends_with(suffix)) {
      h.resize(h.size() - suffix.size());
      dns.certain = true;
      break;
    }
  }
  auto labels = split(h, '.');
  if (labels.size() == 1) {
    if (dns.certain) return std::nullopt;  // "x.svc": not a valid service name form
    dns.service = std::string(labels[0]);
  } else if (labels.size() == 2) {
    dns.service = std::string(labels[0]);
    dns.name_space = std::string(labels[1]);
  } else if (labels.size() == 3 && dns.certain) {
    dns.service = std::string(labels[1]);
    dns.name_space = std::string(labels[2]);
  } else {
    return std::nullopt;
  }
  return dns;
}

}  // namespace gl::graph
