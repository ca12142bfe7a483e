#pragma once
// values.schema.json as Helm 3 (3.12-3.16) checks it: JSON Schema through github.com/xeipuuv/gojsonschema v1.2.0
// (draft-04/06/07 picked by `$schema`, else its "hybrid" mode), with gojsonschema's messages, e.g.
// "image.tag: Invalid type. Expected: string, given: integer". Values are checked as Helm sees them after its
// YAML -> JSON round trip: every number is a JSON number, and a number without a fraction is a valid `integer`.
// Patterns are RE2 (Go's regexp is RE2 too; RE2 also accepts `\C`, which Go rejects). `$ref` is followed inside
// the schema (`#`, `#/definitions/...`, `#/$defs/...`, any JSON pointer); a reference to another document
// (Helm would load it by URL) counts as satisfied, since gitops-lint reads nothing outside the repository.
#include <optional>
#include <string>
#include <vector>

#include "core/source.h"
#include "render/helm/gotemplate/value.h"

namespace gl::render::helm {

/// One way values break a schema, as gojsonschema reports it ("FIELD: DESCRIPTION").
struct SchemaViolation {
  std::string field;        ///< "(root)", "image.tag", "hosts.0"
  std::string description;  ///< "Invalid type. Expected: integer, given: string"
  /// The values line that set the failing value, else the schema keyword that failed.
  Span at;
};

struct SchemaCheck {
  std::vector<SchemaViolation> violations;
  /// Set when the file is not JSON or not a schema gojsonschema accepts; then nothing was checked.
  std::optional<std::string> schema_error;
  bool not_json = false;  ///< the error is a JSON syntax error (Go's text, e.g. "unexpected EOF")
  Span schema_error_at;   ///< where in the schema file
};

/// Checks `values` (a chart's coalesced values) against the JSON schema in `schema`.
SchemaCheck check_values_schema(const SourceFile& schema, const gotemplate::Map& values);

}  // namespace gl::render::helm
