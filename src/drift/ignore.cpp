#include "drift/ignore.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "core/strings.h"

namespace gl::drift {

namespace {

/// One step of a jq path: `.key`, `[]`, `[N]`, or `select(.field == "value")` on the current list item.
struct JqStep {
  enum class Type { kKey, kAnyIndex, kIndex, kSelect } type = Type::kKey;
  std::string key;  ///< kKey: the key; kSelect: the field
  long index = -1;
  std::string value;  ///< kSelect
};

/// Reads a double-quoted jq string at text[i] (i at the quote); nullopt when unterminated.
std::optional<std::string> read_string(std::string_view text, size_t& i) {
  std::string out;
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[++i];
    } else if (text[i] == '"') {
      ++i;
      return out;
    } else {
      out += text[i];
    }
  }
  return std::nullopt;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

void skip_spaces(std::string_view text, size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
}

/// Parses the simple jq paths Argo CD users write; an error message for anything else.
std::optional<std::vector<JqStep>> parse_jq(std::string_view text, std::string* error) {
  std::vector<JqStep> steps;
  size_t i = 0;
  auto fail = [&](std::string_view why) {
    if (error != nullptr) *error = fmt::format("jq path `{}`: {} (only `.a.b`, `[]`, `[N]`, `[\"k\"]` and `select(.f == \"v\")` are understood)", text, why);
    return std::nullopt;
  };
  skip_spaces(text, i);
  if (i >= text.size() || text[i] != '.') return fail("does not start with `.`");
  while (i < text.size()) {
    skip_spaces(text, i);
    if (i >= text.size()) break;
    const char c = text[i];
    if (c == '|') {
      ++i;
      continue;
    }
    if (text.substr(i).starts_with("select(")) {
      i += 7;
      skip_spaces(text, i);
      if (i >= text.size() || text[i] != '.') return fail("select() must test a field `.name`");
      ++i;
      JqStep s;
      s.type = JqStep::Type::kSelect;
      if (i < text.size() && text[i] == '"') {
        auto k = read_string(text, i);
        if (!k) return fail("unterminated string");
        s.key = *k;
      } else {
        while (i < text.size() && ident_char(text[i])) s.key += text[i++];
      }
      skip_spaces(text, i);
      if (!text.substr(i).starts_with("==")) return fail("select() must compare with `==`");
      i += 2;
      skip_spaces(text, i);
      if (i >= text.size() || text[i] != '"') return fail("select() must compare with a string");
      auto v = read_string(text, i);
      if (!v) return fail("unterminated string");
      s.value = *v;
      skip_spaces(text, i);
      if (i >= text.size() || text[i] != ')') return fail("select() is not closed");
      ++i;
      if (s.key.empty()) return fail("select() without a field");
      steps.push_back(std::move(s));
      continue;
    }
    if (c == '.') {
      ++i;
      if (i < text.size() && text[i] == '"') {
        auto k = read_string(text, i);
        if (!k) return fail("unterminated string");
        steps.push_back(JqStep{JqStep::Type::kKey, *k, -1, {}});
      } else if (i < text.size() && ident_char(text[i])) {
        std::string key;
        while (i < text.size() && ident_char(text[i])) key += text[i++];
        steps.push_back(JqStep{JqStep::Type::kKey, key, -1, {}});
      }
      continue;
    }
    if (c == '[') {
      ++i;
      skip_spaces(text, i);
      if (i < text.size() && text[i] == ']') {
        ++i;
        steps.push_back(JqStep{JqStep::Type::kAnyIndex, {}, -1, {}});
        continue;
      }
      if (i < text.size() && text[i] == '"') {
        auto k = read_string(text, i);
        if (!k) return fail("unterminated string");
        skip_spaces(text, i);
        if (i >= text.size() || text[i] != ']') return fail("`[` is not closed");
        ++i;
        steps.push_back(JqStep{JqStep::Type::kKey, *k, -1, {}});
        continue;
      }
      long n = 0;
      bool digits = false;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && n < 1000000) {
        n = n * 10 + (text[i++] - '0');
        digits = true;
      }
      skip_spaces(text, i);
      if (!digits || i >= text.size() || text[i] != ']') return fail("unsupported index");
      ++i;
      steps.push_back(JqStep{JqStep::Type::kIndex, {}, n, {}});
      continue;
    }
    return fail(fmt::format("unexpected `{}`", c));
  }
  return steps;
}

/// True when the steps match `path` or a prefix of it (the difference lies at or under the ignored field).
bool jq_covers(const std::vector<JqStep>& steps, const FieldPath& path) {
  size_t p = 0;
  for (const auto& s : steps) {
    switch (s.type) {
      case JqStep::Type::kKey:
        if (p >= path.size() || path[p].key.empty() || path[p].key != s.key) return false;
        ++p;
        break;
      case JqStep::Type::kAnyIndex:
        if (p >= path.size() || !path[p].key.empty()) return false;
        ++p;
        break;
      case JqStep::Type::kIndex:
        if (p >= path.size() || !path[p].key.empty() || path[p].index != s.index) return false;
        ++p;
        break;
      case JqStep::Type::kSelect:
        // Applies to the list item just matched; only its merge key is known.
        if (p == 0 || !path[p - 1].key.empty() || path[p - 1].item_key != s.key || path[p - 1].item_value != s.value)
          return false;
        break;
    }
  }
  return true;
}

/// True when the pointer names `path` or one of its ancestors. List items match by index.
bool pointer_covers(std::string_view pointer, const FieldPath& path) {
  if (pointer.empty() || pointer == "/") return true;
  if (pointer.front() != '/') return false;
  const auto tokens = split(pointer.substr(1), '/');
  if (tokens.size() > path.size()) return false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string token = decode_json_pointer_token(tokens[i]);
    if (!path[i].key.empty()) {
      if (path[i].key != token) return false;
    } else if (token != std::to_string(path[i].index)) {
      return false;
    }
  }
  return true;
}

/// True when a manager's fieldsV1 set owns `path` (a leaf of the set at or above it).
bool fields_own(const nlohmann::json& fields, const FieldPath& path, size_t at = 0) {
  if (!fields.is_object()) return false;
  if (at == path.size()) return true;
  // A field set whose only entry is "." (or none) is a leaf: the whole value is owned.
  if (fields.empty() || (fields.size() == 1 && fields.contains("."))) return true;
  const PathStep& step = path[at];
  if (!step.key.empty()) {
    auto it = fields.find("f:" + step.key);
    return it != fields.end() && fields_own(*it, path, at + 1);
  }
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const std::string& k = it.key();
    if (k.starts_with("k:") && !step.item_key.empty()) {
      const auto key = nlohmann::json::parse(k.substr(2), nullptr, false);
      if (key.is_object()) {
        auto v = key.find(step.item_key);
        if (v != key.end() && ((v->is_string() && v->get<std::string>() == step.item_value) ||
                               (v->is_number() && v->dump() == step.item_value))) {
          return fields_own(it.value(), path, at + 1);
        }
      }
    } else if (k.starts_with("i:") && k.substr(2) == std::to_string(step.index)) {
      return fields_own(it.value(), path, at + 1);
    }
  }
  return false;
}

bool owned_by_managers(const std::vector<std::string>& managers, const FieldPath& path, const nlohmann::json* live) {
  if (live == nullptr || managers.empty()) return false;
  auto md = live->find("metadata");
  if (md == live->end() || !md->is_object()) return false;
  auto mf = md->find("managedFields");
  if (mf == md->end() || !mf->is_array()) return false;
  for (const auto& entry : *mf) {
    if (!entry.is_object()) continue;
    auto manager = entry.find("manager");
    if (manager == entry.end() || !manager->is_string()) continue;
    if (std::find(managers.begin(), managers.end(), manager->get<std::string>()) == managers.end()) continue;
    auto fields = entry.find("fieldsV1");
    if (fields != entry.end() && fields_own(*fields, path)) return true;
  }
  return false;
}

bool glob_or_equal(std::string_view pattern, std::string_view value) {
  if (pattern == "*") return true;
  if (pattern.find_first_of("*?[") != std::string_view::npos) return glob_match(pattern, value);
  return pattern == value;
}

}  // namespace

std::string check_jq_path(std::string_view expression) {
  std::string error;
  return parse_jq(expression, &error) ? std::string() : error;
}

bool ignore_applies(const Ignore& ignore, std::string_view group, std::string_view kind, std::string_view ns,
                    std::string_view name, const std::vector<std::string>& app_chain) {
  if (!ignore.application.empty() && (app_chain.empty() || app_chain.back() != ignore.application)) return false;
  if (!glob_or_equal(ignore.group, group)) return false;
  if (!ignore.kind.empty() && !glob_or_equal(ignore.kind, kind)) return false;
  if (!ignore.name.empty() && ignore.name != name) return false;
  if (!ignore.name_space.empty() && ignore.name_space != ns) return false;
  return true;
}

bool ignores_path(const Ignore& ignore, const FieldPath& path, const nlohmann::json* live_object) {
  for (const auto& p : ignore.json_pointers) {
    if (pointer_covers(p, path)) return true;
  }
  for (const auto& expr : ignore.jq_path_expressions) {
    auto steps = parse_jq(expr, nullptr);
    if (steps && jq_covers(*steps, path)) return true;
  }
  return owned_by_managers(ignore.managed_fields_managers, path, live_object);
}

}  // namespace gl::drift
