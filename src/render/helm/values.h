#pragma once
// Helm values: read from YAML the way Helm reads them (yaml.v2's YAML 1.1 types, then a trip through JSON,
// so every number is float64 and keys are strings), merged and coalesced as Helm does, and `--set`
// expressions in Helm's strvals syntax. Every scalar keeps the span of the line that set it.
#include <string>
#include <string_view>

#include "render/helm/gotemplate/value.h"
#include "yaml/node.h"

namespace gl::render::helm {

using gotemplate::Map;
using gotemplate::Value;

/// A values document as a map (an empty or null document gives an empty map); nullopt with `error` set
/// when Helm would refuse it (not a map, .inf/.nan which JSON cannot hold).
std::optional<Map> values_from_yaml(const yaml::Node& root, std::string* error);

/// Merges `src` into `dst` as Helm merges `-f` files: maps recursively, anything else replaced by `src`.
void merge_values(Map& dst, const Map& src);

/// Helm's CoalesceValues for one chart: `defaults` (the chart's values.yaml) under `values` (what the
/// user supplied), merged into `values`; a user null deletes a key the chart has, other nulls stay.
void coalesce_values(Map& values, const Map& defaults);

/// Helm's MergeTables: adds what `src` has and `dst` lacks, recursing where both hold maps; `dst` wins
/// everywhere else, and its nulls are kept (MergeValues, the import-values step, coalesces this way).
void merge_tables(Map& dst, const Map& src);

/// Applies one `--set` (typed: int64, bool, null, else string) or `--set-string` expression, e.g.
/// `a.b=1,c[0].d={x,y}`; false with `error` set when it does not parse. Values get span `origin`.
bool apply_set(Map& values, std::string_view expr, bool as_string, Span origin, std::string* error);

}  // namespace gl::render::helm
