#pragma once
// Kustomize's ConfigMap and Secret generators (configMapGenerator, secretGenerator, generatorOptions), the
// content hash kustomize appends to generated names, and the create/merge/replace behaviors that fold a
// generated object into the resources accumulated so far.
#include <string>
#include <vector>

#include "render/kustomize/resource.h"
#include "render/render.h"
#include "render/tree.h"

namespace gl::render::kustomize {

/// Runs the kustomization's configMapGenerator entries, then its secretGenerator entries, and absorbs each
/// generated object into `resources` as kustomize does: behavior create (default) appends and fails on an
/// existing id, merge/replace fold into the one resource matching by any id and fail when none does.
/// A failing entry adds a RenderError at the line that caused it and generates nothing; the rest still run.
/// `.env` lines without `=` get an empty value (kustomize v5 never reads the process environment).
void run_generators(const MNode& kustomization, const FileLoader& loader, std::vector<Resource>& resources,
                    std::vector<RenderError>& errors);

/// Kustomize's 10-character content hash of a ConfigMap or Secret (api/hasher): sha256 of a JSON encoding
/// of kind, data, binaryData (ConfigMap) or type, data, stringData (Secret); any other kind hashes its
/// whole JSON. The name is not part of it (kustomize looks it up by a path that never matches).
std::string content_hash(const MNode& cm_or_secret);

/// Appends "-<content hash>" to the name of every resource with needs_hash (recording the previous id).
/// Call once, on the top-level build, after every transformer and before fix_name_references.
void add_hash_suffixes(std::vector<Resource>& resources);

}  // namespace gl::render::kustomize
