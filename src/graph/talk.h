#pragma once
// Finding the network peers a workload names in its configuration (env values, ConfigMap/Secret values).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gl::graph {

/// One host a configuration value names: from a URL (`postgres://u:p@db.data:5432/x`) or `host[:port]`.
struct HostMention {
  std::string scheme;  ///< lowercased, "" when none
  std::string host;    ///< lowercased, trailing dot removed
  std::optional<int> port;
  size_t offset = 0;  ///< byte offset of the host within the value
};

/// Hosts named by a configuration value. Plain words are returned too (`postgres`); callers decide
/// whether a Service of that name exists.
std::vector<HostMention> find_hosts(std::string_view value);

/// Default port of a URL scheme (postgres 5432, redis 6379, amqp 5672, ...), if known.
std::optional<int> default_port(std::string_view scheme);

/// An in-cluster DNS name split into parts: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`,
/// `pod.svc.ns.svc[.cluster.local]`.
struct ServiceDns {
  std::string service;
  std::string name_space;  ///< empty: the caller's namespace
  bool certain = false;    ///< ends in `.svc` or `.svc.cluster.local`: certainly in-cluster
};
std::optional<ServiceDns> parse_service_dns(std::string_view host);

}  // namespace gl::graph
