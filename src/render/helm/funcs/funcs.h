#pragma once
// The function map Helm gives templates: Sprig's TxtFuncMap (without env/expandenv) plus Helm's own
// (toYaml, fromYaml, toJson, fromJson, toToml, include, tpl, required, lookup, ...).
#include "render/helm/gotemplate/function.h"

namespace gl::render::helm {

/// Sprig: strings, lists, dicts, defaults, conversions, math, types (sprig_core.cpp).
void add_sprig_core(gotemplate::FuncMap& funcs);
/// Sprig: encoding, hashes, crypto (derivePassword, AES; key generators are placeholders), semver, regex, dates, random, paths, network (sprig_extra.cpp).
void add_sprig_extra(gotemplate::FuncMap& funcs);
/// Helm: toYaml, fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, toToml, include, tpl,
/// required, fail, lookup (helm_funcs.cpp).
void add_helm_functions(gotemplate::FuncMap& funcs);
/// Everything above: the map a chart's templates are parsed and executed with.
gotemplate::FuncMap helm_func_map();

}  // namespace gl::render::helm
