#pragma once
// The YAML front end: libyaml's event parser -> our Node tree with marks, with limits against hostile input.
#include <cstddef>
#include <string>
#include <vector>

#include "core/source.h"
#include "yaml/node.h"

namespace gl::yaml {

struct ParseLimits {
  size_t max_depth = 128;             ///< nesting of collections
  size_t max_alias_nodes = 1000000;   ///< nodes created by expanding aliases, per file
  bool reject_duplicate_keys = true;  ///< report duplicate mapping keys as errors
};

struct ParseError {
  Mark mark;
  std::string message;
};

struct ParseResult {
  std::vector<Document> documents;  ///< every document read before the first fatal error
  std::vector<ParseError> errors;   ///< fatal syntax/limit errors end the stream; duplicate keys do not
};

/// Parses every document of `file`. Never throws on bad input.
ParseResult parse(const SourceFile& file, const ParseLimits& limits = {});

/// True when the text looks binary (a NUL byte in its first 8 KiB).
bool looks_binary(std::string_view text);

}  // namespace gl::yaml
