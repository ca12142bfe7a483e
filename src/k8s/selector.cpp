#include "k8s/selector.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace gl::k8s {
namespace {

std::optional<int64_t> to_int(const std::string& s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<Requirement> parse_expressions(const yaml::Node* exprs) {
  std::vector<Requirement> out;
  if (exprs == nullptr || !exprs->is_seq()) return out;
  for (const auto& e : exprs->items) {
    Requirement r;
    if (const auto* k = e.get("key")) r.key = k->value;
    if (const auto* op = e.get("operator")) r.op = op->value;
    if (const auto* vals = e.get("values"); vals != nullptr && vals->is_seq()) {
      for (const auto& v : vals->items) r.values.emplace_back(v.value);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

bool Requirement::matches(const Labels& labels) const {
  auto it = labels.find(key);
  const bool has = it != labels.end();
  if (op == "=" || op == "In") {
    return has && std::find(values.begin(), values.end(), it->second) != values.end();
  }
  if (op == "NotIn") return !has || std::find(values.begin(), values.end(), it->second) == values.end();
  if (op == "Exists") return has;
  if (op == "DoesNotExist") return !has;
  if (op == "Gt" || op == "Lt") {
    if (!has || values.size() != 1) return false;
    auto a = to_int(it->second);
    auto b = to_int(values[0]);
    if (!a || !b) return false;
    return op == "Gt" ? *a > *b : *a < *b;
  }
  return false;
}

bool LabelSelector::matches(const Labels& labels) const {
  return std::all_of(reqs.begin(), reqs.end(), [&](const Requirement& r) { return r.matches(labels); });
}

std::string LabelSelector::display() const {
  std::string out;
  for (const auto& r : reqs) {
    if (!out.empty()) out += ",";
    if (r.op == "=") {
      out += r.key + "=" + r.values.front();
    } else if (r.op == "Exists") {
      out += r.key;
    } else if (r.op == "DoesNotExist") {
      out += "!" + r.key;
    } else {
      std::string vals;
      for (const auto& v : r.values) vals += (vals.empty() ? "" : ",") + v;
      out += r.key + " " + (r.op == "In" ? "in" : r.op == "NotIn" ? "notin" : r.op) + " (" + vals + ")";
    }
  }
  return out;
}

LabelSelector selector_from_map(const Labels& m) {
  LabelSelector s;
  for (const auto& [k, v] : m) s.reqs.push_back(Requirement{k, "=", {v}});
  return s;
}

std::optional<LabelSelector> parse_label_selector(const yaml::Node* node) {
  if (node == nullptr || !node->is_map()) return std::nullopt;
  LabelSelector s = selector_from_map(read_string_map(node->get("matchLabels")));
  auto exprs = parse_expressions(node->get("matchExpressions"));
  s.reqs.insert(s.reqs.end(), exprs.begin(), exprs.end());
  return s;
}

bool NodeSelectorTerm::matches(const std::string& node_name, const Labels& labels) const {
  if (exprs.empty() && fields.empty()) return false;  // an empty term matches no objects
  for (const auto& e : exprs) {
    if (!e.matches(labels)) return false;
  }
  for (const auto& f : fields) {
    Labels name{{"metadata.name", node_name}};
    if (!f.matches(name)) return false;
  }
  return true;
}

bool Taint::tolerated_by(const std::vector<Toleration>& tolerations) const {
  for (const auto& t : tolerations) {
    if (!t.effect.empty() && t.effect != effect) continue;
    if (t.op == "Exists") {
      if (t.key.empty() || t.key == key) return true;
      continue;
    }
    if (t.key == key && t.value == value) return true;
  }
  return false;
}

std::string Taint::display() const { return key + (value.empty() ? "" : "=" + value) + ":" + effect; }

bool Placement::admits(const std::string& name, const Labels& labels) const {
  if (!node_name.empty() && node_name != name) return false;
  for (const auto& [k, v] : node_selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  if (required_terms.empty()) return true;
  return std::any_of(required_terms.begin(), required_terms.end(),
                     [&](const NodeSelectorTerm& t) { return t.matches(name, labels); });
}

Placement read_placement(const yaml::Node* spec) {
  Placement p;
  if (spec == nullptr) return p;
  p.node_selector_node = spec->get("nodeSelector");
  p.node_selector = read_string_map(p.node_selector_node);
  if (const auto* n = spec->get("nodeName"); n != nullptr && n->is_scalar()) p.node_name = n->value;
  const auto* req = spec->at({"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"});
  if (req != nullptr) {
    p.affinity_node = req;
    if (const auto* terms = req->get("nodeSelectorTerms"); terms != nullptr && terms->is_seq()) {
      for (const auto& t : terms->items) {
        NodeSelectorTerm term;
        term.exprs = parse_expressions(t.get("matchExpressions"));
        term.fields = parse_expressions(t.get("matchFields"));
        p.required_terms.push_back(std::move(term));
      }
    }
  }
  if (const auto* tols = spec->get("tolerations"); tols != nullptr && tols->is_seq()) {
    for (const auto& t : tols->items) {
      Toleration tol;
      if (const auto* k = t.get("key")) tol.key = k->value;
      if (const auto* op = t.get("operator"); op != nullptr && op->is_scalar()) tol.op = op->value;
      if (const auto* v = t.get("value")) tol.value = v->value;
      if (const auto* e = t.get("effect")) tol.effect = e->value;
      p.tolerations.push_back(std::move(tol));
    }
  }
  return p;
}

std::vector<Taint> parse_taints(const yaml::Node* node) {
  std::vector<Taint> out;
  if (node == nullptr || !node->is_seq()) return out;
  for (const auto& t : node->items) {
    Taint taint;
    if (const auto* k = t.get("key")) taint.key = k->value;
    if (const auto* v = t.get("value")) taint.value = v->value;
    if (const auto* e = t.get("effect")) taint.effect = e->value;
    out.push_back(std::move(taint));
  }
  return out;
}

namespace {

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits on commas outside parentheses.
std::vector<std::string_view> split_terms(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      out.push_back(trim_ws(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return out;
}

}  // namespace

std::optional<LabelSelector> parse_selector_string(std::string_view text, std::string* error) {
  LabelSelector sel;
  if (trim_ws(text).empty()) return sel;
  auto fail = [&](std::string_view term) -> std::optional<LabelSelector> {
    if (error != nullptr) *error = fmt::format("malformed label selector term `{}`", term);
    return std::nullopt;
  };
  for (auto term : split_terms(text)) {
    if (term.empty()) return fail(term);
    Requirement r;
    if (term.front() == '!') {
      r.key = std::string(trim_ws(term.substr(1)));
      r.op = "DoesNotExist";
    } else if (auto p = term.find("!="); p != std::string_view::npos) {
      r.key = std::string(trim_ws(term.substr(0, p)));
      r.op = "NotIn";
      r.values.emplace_back(trim_ws(term.substr(p + 2)));
    } else if (auto q = term.find("=="); q != std::string_view::npos) {
      r.key = std::string(trim_ws(term.substr(0, q)));
      r.op = "=";
      r.values.emplace_back(trim_ws(term.substr(q + 2)));
    } else if (auto e = term.find('='); e != std::string_view::npos) {
      r.key = std::string(trim_ws(term.substr(0, e)));
      r.op = "=";
      r.values.emplace_back(trim_ws(term.substr(e + 1)));
    } else if (auto open = term.find('('); open != std::string_view::npos) {
      if (term.back() != ')') return fail(term);
      const auto head = trim_ws(term.substr(0, open));
      const auto sp = head.find_last_of(" \t");
      if (sp == std::string_view::npos) return fail(term);
      const auto op = trim_ws(head.substr(sp + 1));
      r.key = std::string(trim_ws(head.substr(0, sp)));
      if (op == "in") {
        r.op = "In";
      } else if (op == "notin") {
        r.op = "NotIn";
      } else {
        return fail(term);
      }
      for (auto v : split_terms(term.substr(open + 1, term.size() - open - 2))) r.values.emplace_back(v);
    } else {
      r.key = std::string(term);
      r.op = "Exists";
    }
    if (r.key.empty()) return fail(term);
    sel.reqs.push_back(std::move(r));
  }
  return sel;
}

}  // namespace gl::k8s
