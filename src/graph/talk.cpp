#include "graph/talk.h"

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

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alnum(char c) { return ascii_alpha(c) || ascii_digit(c); }

struct UrlMatch {
  std::string_view scheme;
  std::string_view host;
  std::string_view port;
  size_t end = 0;
};

/// The leftmost match at or after `from` of
/// `([A-Za-z][A-Za-z0-9+.\-]*)://(?:[^@/\s]*@)?([A-Za-z0-9][A-Za-z0-9.\-]*)(?::(\d{1,5}))?`, as RE2 finds it
/// (leftmost-first), by hand: RE2 spends some 14,000 instructions per URL extracting the groups, and every
/// URL of every ConfigMap and env value goes through here. tests/unit/talk_url_test.cpp holds it to RE2.
std::optional<UrlMatch> next_url(std::string_view text, size_t from) {
  const auto scheme_char = [](char c) { return ascii_alnum(c) || c == '+' || c == '.' || c == '-'; };
  const auto host_char = [](char c) { return ascii_alnum(c) || c == '.' || c == '-'; };
  // One character of `[^@/\s]`: an ASCII byte other than those, or a UTF-8 sequence as RE2 reads one inside a
  // class that holds all of U+0080-U+10FFFF (a lead byte C2-DF, E0-EF or F0-F4 and its continuation bytes, which
  // it does not check further); a stray byte matches nothing. Returns its length, 0 when it does not match.
  const auto userinfo_char = [](std::string_view t, size_t i) -> size_t {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c < 0x80) return c != '@' && c != '/' && c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\r' ? 1 : 0;
    const size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len == 0 || i + len > t.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(t[i + k]) & 0xc0) != 0x80) return 0;
    }
    return len;
  };
  const size_t n = text.size();
  for (size_t k = text.find("://", from); k != std::string_view::npos; k = text.find("://", k + 1)) {
    // The scheme: from the first letter of the run of scheme characters that ends at `://`.
    size_t p = k;
    while (p > from && scheme_char(text[p - 1])) --p;
    while (p < k && !ascii_alpha(text[p])) ++p;
    if (p == k) continue;
    // The host: after `user:password@` when one is there and a host follows it, else right after `://`.
    const size_t after = k + 3;
    size_t at = after;
    for (size_t len = 0; at < n && (len = userinfo_char(text, at)) > 0;) at += len;
    size_t host = std::string_view::npos;
    if (at + 1 < n && text[at] == '@' && ascii_alnum(text[at + 1])) {
      host = at + 1;
    } else if (after < n && ascii_alnum(text[after])) {
      host = after;
    }
    if (host == std::string_view::npos) continue;
    size_t end = host + 1;
    while (end < n && host_char(text[end])) ++end;
    UrlMatch m{text.substr(p, k - p), text.substr(host, end - host), {}, end};
    if (end + 1 < n && text[end] == ':' && ascii_digit(text[end + 1])) {
      constexpr size_t kMaxPortDigits = 5;
      size_t q = end + 1;
      while (q < n && q - (end + 1) < kMaxPortDigits && ascii_digit(text[q])) ++q;
      m.port = text.substr(end + 1, q - (end + 1));
      m.end = q;
    }
    return m;
  }
  return std::nullopt;
}

}  // namespace

std::vector<HostMention> find_hosts(std::string_view value) {
  std::vector<HostMention> out;
  std::string_view trimmed = trim(value);
  if (trimmed.empty() || trimmed.size() > 4096) return out;
  const size_t lead = static_cast<size_t>(trimmed.data() - value.data());
  if (trimmed.find("://") != std::string_view::npos) {
    size_t from = 0;
    while (const auto url = next_url(trimmed, from)) {
      from = url->end;
      HostMention m;
      m.scheme = to_lower(url->scheme);
      m.host = to_lower(url->host);
      if (!m.host.empty() && m.host.back() == '.') m.host.pop_back();
      m.offset = lead + static_cast<size_t>(url->host.data() - trimmed.data());
      if (!url->port.empty()) m.port = to_port(url->port);
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
