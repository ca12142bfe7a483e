#include "diag/diagnostic.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/strings.h"

namespace gl::diag {

void DiagnosticSink::report(Diagnostic d) {
  std::lock_guard<std::mutex> lock(mu_);
  diags_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::take() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(diags_);
}

size_t DiagnosticSink::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return diags_.size();
}

void redact_secrets(std::vector<Diagnostic>& diags, SourceSet& sources) {
  std::map<const SourceFile*, std::vector<Span>> by_file;
  for (const auto& d : diags) {
    for (const auto& r : d.redact) {
      if (r.file != nullptr) by_file[r.file].push_back(r);
    }
  }
  if (by_file.empty()) return;
  std::map<const SourceFile*, const SourceFile*> copies;
  for (const auto& [file, spans] : by_file) {
    std::string text = file->text();
    for (const auto& s : spans) {
      const size_t end = std::min(text.size(), file->offset(s.end));
      for (size_t i = file->offset(s.begin); i < end; ++i) {
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r') text[i] = '*';
      }
    }
    copies[file] = sources.add(file->path(), std::move(text));
  }
  auto repoint = [&](Span& s) {
    if (auto it = copies.find(s.file); it != copies.end()) s.file = it->second;
  };
  for (auto& d : diags) {
    repoint(d.primary.span);
    for (auto& l : d.secondary) repoint(l.span);
    for (auto& r : d.redact) repoint(r);
  }
}

void finalize(std::vector<Diagnostic>& diags) {
  for (auto& d : diags) {
    if (!d.fingerprint.empty()) continue;
    std::string key = d.rule;
    key += '\x1f';
    key += d.file();
    key += '\x1f';
    if (d.object) key += d.object->display();
    key += '\x1f';
    key += d.fingerprint_key.empty() ? d.message : d.fingerprint_key;
    d.fingerprint = hex64(fnv1a64(key));
  }
  auto tie = [](const Diagnostic& d) {
    return std::make_tuple(d.file(), d.line(), d.column(), std::string_view(d.rule), std::string_view(d.message),
                           static_cast<int>(d.severity));
  };
  std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) { return tie(a) < tie(b); });
  diags.erase(std::unique(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) { return tie(a) == tie(b); }),
              diags.end());
}

Summary summarize(const std::vector<Diagnostic>& diags) {
  Summary s;
  for (const auto& d : diags) {
    switch (d.severity) {
      case Severity::kError: ++s.error; break;
      case Severity::kWarning: ++s.warning; break;
      case Severity::kNote: ++s.note; break;
    }
  }
  return s;
}

}  // namespace gl::diag
