#include "report/json_read.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/hash.h"

namespace gl::report {
namespace {

using Json = nlohmann::json;

constexpr size_t kDigestChars = 16;

/// A shape error: where in the document (a JSON pointer) and what was expected.
struct ShapeError {
  std::string at;
  std::string what;
};

class Reader {
 public:
  explicit Reader(const FileLookup& files) : files_(files) {}

  std::optional<ShapeError> error() const { return error_; }

  JsonReport read(const Json& root) {
    JsonReport out;
    if (!root.is_object()) {
      fail("", "expected an object with `findings`");
      return out;
    }
    const Json* version = member(root, "version", "");
    if (version != nullptr && (!version->is_number_integer() || version->get<int>() != 1)) {
      fail("/version", "expected report format version 1");
    }
    const Json* findings = member(root, "findings", "");
    if (findings != nullptr && !findings->is_array()) fail("/findings", "expected an array");
    if (findings != nullptr && findings->is_array()) {
      for (size_t i = 0; i < findings->size() && !error_; ++i) {
        out.diagnostics.push_back(finding((*findings)[i], fmt::format("/findings/{}", i), out.redact_checks));
      }
    }
    if (const auto it = root.find("notes"); it != root.end() && !error_) {
      out.notes = strings(*it, "/notes");
    }
    return out;
  }

 private:
  void fail(std::string at, std::string what) {
    if (!error_) error_ = ShapeError{at.empty() ? std::string("/") : std::move(at), std::move(what)};
  }

  const Json* member(const Json& j, const char* key, const std::string& at) {
    const auto it = j.find(key);
    if (it == j.end()) {
      fail(fmt::format("{}/{}", at, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  std::string string(const Json& j, const char* key, const std::string& at, bool required = true) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) fail(fmt::format("{}/{}", at, key), "missing");
      return {};
    }
    if (!it->is_string()) {
      fail(fmt::format("{}/{}", at, key), "expected a string");
      return {};
    }
    return it->get<std::string>();
  }

  /// A positive integer, or 0 when absent or null.
  uint32_t number(const Json& j, const char* key, const std::string& at) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return 0;
    if (!it->is_number_unsigned() || it->get<uint64_t>() > UINT32_MAX) {
      fail(fmt::format("{}/{}", at, key), "expected a positive integer or null");
      return 0;
    }
    return it->get<uint32_t>();
  }

  std::vector<std::string> strings(const Json& j, const std::string& at) {
    std::vector<std::string> out;
    if (!j.is_array()) {
      fail(at, "expected an array of strings");
      return out;
    }
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        fail(fmt::format("{}/{}", at, i), "expected a string");
        return out;
      }
      out.push_back(j[i].get<std::string>());
    }
    return out;
  }

  const SourceFile* file(const std::string& path) {
    if (auto it = cache_.find(path); it != cache_.end()) return it->second;
    const SourceFile* f = files_(path);
    cache_.emplace(path, f);
    return f;
  }

  /// file/line/column (+ endLine/endColumn when `with_end`) as a span.
  Span span(const Json& j, const std::string& at) {
    Span s;
    const std::string path = string(j, "file", at, false);
    if (path.empty()) return s;
    s.file = file(path);
    s.begin = Mark{number(j, "line", at), number(j, "column", at)};
    s.end = s.begin;
    const uint32_t end_line = number(j, "endLine", at);
    if (end_line != 0) s.end = Mark{end_line, number(j, "endColumn", at)};
    return s;
  }

  diag::Diagnostic finding(const Json& j, const std::string& at, std::vector<RedactCheck>& checks) {
    diag::Diagnostic d;
    if (!j.is_object()) {
      fail(at, "expected an object");
      return d;
    }
    d.rule = string(j, "rule", at);
    const std::string severity = string(j, "severity", at);
    if (auto s = parse_severity(severity)) {
      d.severity = *s;
    } else if (!error_) {
      fail(at + "/severity", "expected `error`, `warning` or `note`");
    }
    d.message = string(j, "message", at);
    d.primary.span = span(j, at);
    if (const auto it = j.find("object"); it != j.end() && !it->is_null()) {
      const std::string oat = at + "/object";
      if (!it->is_object()) {
        fail(oat, "expected an object");
      } else {
        d.object = ObjectRef{string(*it, "apiVersion", oat), string(*it, "kind", oat), string(*it, "namespace", oat),
                             string(*it, "name", oat)};
      }
    }
    if (const auto it = j.find("notes"); it != j.end()) d.notes = strings(*it, at + "/notes");
    d.help = string(j, "help", at, false);
    if (const auto it = j.find("applicationChain"); it != j.end())
      d.application = strings(*it, at + "/applicationChain");
    d.fingerprint = string(j, "fingerprint", at);
    if (const auto it = j.find("related"); it != j.end()) {
      if (!it->is_array()) fail(at + "/related", "expected an array");
      for (size_t i = 0; it->is_array() && i < it->size() && !error_; ++i) {
        const std::string rat = fmt::format("{}/related/{}", at, i);
        const Json& r = (*it)[i];
        if (!r.is_object()) {
          fail(rat, "expected an object");
          break;
        }
        d.secondary.push_back(diag::Label{span(r, rat), string(r, "message", rat, false)});
      }
    }
    if (const auto it = j.find("new"); it != j.end()) {
      if (!it->is_boolean()) {
        fail(at + "/new", "expected true or false");
      } else {
        d.is_new = it->get<bool>();
      }
    }
    d.primary.text = string(j, "label", at, false);
    if (const auto it = j.find("redact"); it != j.end()) {
      if (!it->is_array()) fail(at + "/redact", "expected an array");
      for (size_t i = 0; it->is_array() && i < it->size() && !error_; ++i) {
        const std::string rat = fmt::format("{}/redact/{}", at, i);
        const Json& r = (*it)[i];
        if (!r.is_object()) {
          fail(rat, "expected an object");
          break;
        }
        const Span s = span(r, rat);
        if (s.file == nullptr || !s.valid()) {
          fail(rat, "expected a file and a line");
          break;
        }
        d.redact.push_back(s);
        checks.push_back(RedactCheck{s.file->path(), {s}, string(r, "digest", rat)});
      }
    }
    return d;
  }

  const FileLookup& files_;
  std::map<std::string, const SourceFile*> cache_;
  std::optional<ShapeError> error_;
};

}  // namespace

std::optional<JsonReport> read_json(std::string_view text, const FileLookup& files, std::string* error) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // The library reports a byte offset: say it as a line and column.
    const size_t offset = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const SourceFile where("", std::string(text.substr(0, offset)));
    const Mark m = where.mark_at(offset);
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    if (error != nullptr) *error = fmt::format("line {}, column {}: not JSON ({})", m.line, m.column, what);
    return std::nullopt;
  }
  Reader reader(files);
  JsonReport report = reader.read(root);
  if (auto e = reader.error()) {
    if (error != nullptr) *error = fmt::format("at {}: {}", e->at, e->what);
    return std::nullopt;
  }
  return report;
}

std::string redaction_digest(std::string_view blanked_text) {
  return hash::sha256_hex(blanked_text).substr(0, kDigestChars);
}

}  // namespace gl::report
