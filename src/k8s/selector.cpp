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
  for (const auto& e : exprs->items()) {
    Requirement r;
    if (const auto* k = e.get("key")) r.key = k->value();
    if (const auto* op = e.get("operator")) r.op = op->value();
    if (const auto* vals = e.get("values"); vals != nullptr && vals->is_seq()) {
      for (const auto& v : vals->items()) r.values.emplace_back(v.value());
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
  if (const auto* n = spec->get("nodeName"); n != nullptr && n->is_scalar()) p.node_name = n->value();
  const auto* req = spec->at({"affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"});
  if (req != nullptr) {
    p.affinity_node = req;
    if (const auto* terms = req->get("nodeSelectorTerms"); terms != nullptr && terms->is_seq()) {
      for (const auto& t : terms->items()) {
        NodeSelectorTerm term;
        term.exprs = parse_expressions(t.get("matchExpressions"));
        term.fields = parse_expressions(t.get("matchFields"));
        p.required_terms.push_back(std::move(term));
      }
    }
  }
  if (const auto* tols = spec->get("tolerations"); tols != nullptr && tols->is_seq()) {
    for (const auto& t : tols->items()) {
      Toleration tol;
      if (const auto* k = t.get("key")) tol.key = k->value();
      if (const auto* op = t.get("operator"); op != nullptr && op->is_scalar()) tol.op = op->value();
      if (const auto* v = t.get("value")) tol.value = v->value();
      if (const auto* e = t.get("effect")) tol.effect = e->value();
      p.tolerations.push_back(std::move(tol));
    }
  }
  return p;
}

std::vector<Taint> parse_taints(const yaml::Node* node) {
  std::vector<Taint> out;
  if (node == nullptr || !node->is_seq()) return out;
  for (const auto& t : node->items()) {
    Taint taint;
    if (const auto* k = t.get("key")) taint.key = k->value();
    if (const auto* v = t.get("value")) taint.value = v->value();
    if (const auto* e = t.get("effect")) taint.effect = e->value();
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

}  // namespace

std::optional<LabelSelector> parse_selector_string(std::string_view text, std::string* error) {
  LabelSelector sel;
  std::vector<std::string_view> pieces;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '(') ++depth;
    if (i < text.size() && text[i] == ')') --depth;
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      pieces.push_back(trim_ws(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (pieces.size() == 1 && pieces[0].empty()) return sel;
  auto bad = [&](std::string_view piece) -> std::optional<LabelSelector> {
    if (error != nullptr) *error = fmt::format("unable to parse requirement `{}` in selector `{}`", piece, text);
    return std::nullopt;
  };
  auto valid_key = [](std::string_view k) {
    return !k.empty() && k.find_first_of(" \t=!(),<>") == std::string_view::npos;
  };
  for (auto piece : pieces) {
    Requirement r;
    if (piece.starts_with("!")) {
      r.key = std::string(trim_ws(piece.substr(1)));
      r.op = "DoesNotExist";
      if (!valid_key(r.key)) return bad(piece);
      sel.reqs.push_back(std::move(r));
      continue;
    }
    const size_t space = piece.find_first_of(" \t");
    const size_t paren = piece.find('(');
    if (paren != std::string_view::npos && space != std::string_view::npos && space < paren) {
      r.key = std::string(piece.substr(0, space));
      const auto op = trim_ws(piece.substr(space, paren - space));
      if (op == "in") {
        r.op = "In";
      } else if (op == "notin") {
        r.op = "NotIn";
      } else {
        return bad(piece);
      }
      if (!piece.ends_with(")") || !valid_key(r.key)) return bad(piece);
      std::string_view list = piece.substr(paren + 1, piece.size() - paren - 2);
      size_t s = 0;
      for (;;) {
        const size_t comma = list.find(',', s);
        r.values.emplace_back(
            trim_ws(list.substr(s, comma == std::string_view::npos ? std::string_view::npos : comma - s)));
        if (comma == std::string_view::npos) break;
        s = comma + 1;
      }
      sel.reqs.push_back(std::move(r));
      continue;
    }
    size_t op_at = piece.find_first_of("=!<>");
    if (op_at == std::string_view::npos) {
      r.key = std::string(piece);
      r.op = "Exists";
      if (!valid_key(r.key)) return bad(piece);
      sel.reqs.push_back(std::move(r));
      continue;
    }
    r.key = std::string(trim_ws(piece.substr(0, op_at)));
    std::string_view rest = piece.substr(op_at);
    if (rest.starts_with("!=")) {
      r.op = "NotIn";
      rest.remove_prefix(2);
    } else if (rest.starts_with("==")) {
      r.op = "In";
      rest.remove_prefix(2);
    } else if (rest.starts_with("=")) {
      r.op = "In";
      rest.remove_prefix(1);
    } else if (rest.starts_with(">")) {
      r.op = "Gt";
      rest.remove_prefix(1);
    } else if (rest.starts_with("<")) {
      r.op = "Lt";
      rest.remove_prefix(1);
    } else {
      return bad(piece);
    }
    if (!valid_key(r.key)) return bad(piece);
    r.values.emplace_back(trim_ws(rest));
    sel.reqs.push_back(std::move(r));
  }
  return sel;
}


}  // namespace gl::k8s
