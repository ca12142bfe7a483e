// Tests for kustomize generators, content hashes and name-reference fix-ups
// (src/render/kustomize/{generators,nameref}). Every expected document, name and hash was produced by
// `kubectl kustomize` (kustomize v5.5.0) on the same files.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/object.h"
#include "render/kustomize/generators.h"
#include "render/kustomize/nameref.h"
#include "render/kustomize/resource.h"
#include "render/render.h"
#include "render/tree.h"
#include "repo/file_tree.h"
#include "yaml/parser.h"

namespace {

namespace kz = gl::render::kustomize;
using gl::render::MNode;
using Files = std::vector<std::pair<std::string, std::string>>;

struct Fixture {
  gl::SourceSet sources;
  std::unique_ptr<gl::repo::FileTree> tree;
  std::unique_ptr<gl::render::Context> ctx;
  std::vector<kz::Resource> resources;
  std::vector<gl::render::RenderError> errors;

  explicit Fixture(const Files& files) {
    tree = gl::repo::open_memory_tree(files);
    ctx = std::make_unique<gl::render::Context>(*tree, sources, 1 << 20, gl::yaml::ParseLimits{});
  }

  /// Appends every document of `path` as a resource.
  void add(const std::string& path) {
    auto loaded = ctx->yaml(path);
    REQUIRE(loaded->errors.empty());
    for (const auto& d : loaded->documents) {
      kz::Resource r;
      r.root = MNode::from(d.root);
      r.origin = d.root.span();
      resources.push_back(std::move(r));
    }
  }

  /// Runs the generators of `dir`/kustomization.yaml over the resources so far.
  void generate(const std::string& dir) {
    auto k = ctx->yaml(dir + "/kustomization.yaml");
    REQUIRE(k->errors.empty());
    REQUIRE(!k->documents.empty());
    const MNode root = MNode::from(k->documents.front().root);
    kz::run_generators(root, kz::FileLoader{*ctx, dir}, resources, errors);
  }

  const kz::Resource& find(std::string_view kind, std::string_view name) const {
    for (const auto& r : resources) {
      if (r.kind() == kind && r.name() == name) return r;
    }
    FAIL("no " << kind << " " << name);
    return resources.front();
  }
};

/// Every resource must equal, as emitted YAML, the kubectl document with the same kind, namespace and name,
/// and every kubectl document must have a resource.
void expect_same_docs(const std::vector<kz::Resource>& ours, const std::string& kubectl) {
  std::vector<std::string> docs;
  size_t start = 0;
  while (start < kubectl.size()) {
    size_t sep = kubectl.find("\n---\n", start);
    if (sep == std::string::npos) {
      docs.push_back(kubectl.substr(start));
      break;
    }
    docs.push_back(kubectl.substr(start, sep + 1 - start));
    start = sep + 5;
  }
  REQUIRE(ours.size() == docs.size());
  for (const auto& doc : docs) {
    gl::SourceFile file("expected.yaml", doc);
    auto parsed = gl::yaml::parse(file, gl::yaml::ParseLimits{});
    REQUIRE(parsed.documents.size() == 1);
    const kz::ResId want = kz::id_of(MNode::from(parsed.documents.front().root));
    const kz::Resource* match = nullptr;
    for (const auto& r : ours) {
      const kz::ResId id = r.id();
      if (id.kind == want.kind && id.name == want.name && id.ns == want.ns) match = &r;
    }
    INFO(want.display());
    REQUIRE(match != nullptr);
    // Compared through one emitter, so quoting styles do not matter but values and their types do.
    const MNode expected = MNode::from(parsed.documents.front().root);
    CHECK(gl::render::to_yaml({&match->root}) == gl::render::to_yaml({&expected}));
    CHECK(match->root.same_value(expected));
  }
}

// --------------------------------------------------------------------------------------------------------

const Files kHashFiles = {
    {"app/kustomization.yaml", R"(configMapGenerator:
- name: lit
  literals:
  - a=1
  - b="quoted"
  - c='single'
  - d=x=y
  - e="unbalanced
  - f=
- name: files
  files:
  - app.properties
  - renamed=app.properties
  - sub/data.txt
- name: envs
  envs:
  - a.env
- name: empty
- name: opts
  literals:
  - k=v
  options:
    labels:
      l1: v1
    annotations:
      a1: x
    immutable: true
- name: nohash
  literals:
  - k=v
  options:
    disableNameSuffixHash: true
- name: withns
  namespace: other
  literals:
  - k=v
- name: binary
  files:
  - bin.dat
secretGenerator:
- name: sec
  literals:
  - user=admin
  - pass=s3cr3t
- name: tls
  type: kubernetes.io/tls
  files:
  - tls.crt=app.properties
  - tls.key=sub/data.txt
- name: longsec
  literals:
  - long=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
- name: envsec
  env: a.env
)"},
    {"app/app.properties", "x=1\ny=two words\n"},
    {"app/sub/data.txt", "line1\nline2"},
    {"app/a.env",
     "\xef\xbb\xbf# comment\nFOO=bar\n\n   BAZ=qux = z\nEMPTY=\nNOVAL\n  # indented comment\nQ=\"quoted\"\n"},
    {"app/bin.dat", std::string("\x00\x01\x02\xff", 4)},
};

// kubectl kustomize app
constexpr const char* kHashExpected = R"(apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: withns-bdg947hgcc
  namespace: other
---
apiVersion: v1
binaryData:
  bin.dat: AAEC/w==
kind: ConfigMap
metadata:
  name: binary-g52cgk529h
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: empty-6ct58987ht
---
apiVersion: v1
data:
  BAZ: qux = z
  EMPTY: ""
  FOO: bar
  NOVAL: ""
  Q: '"quoted"'
kind: ConfigMap
metadata:
  name: envs-t9g9mhh84d
---
apiVersion: v1
data:
  app.properties: |
    x=1
    y=two words
  data.txt: |-
    line1
    line2
  renamed: |
    x=1
    y=two words
kind: ConfigMap
metadata:
  name: files-td8fkc2t54
---
apiVersion: v1
data:
  a: "1"
  b: quoted
  c: single
  d: x=y
  e: '"unbalanced'
  f: ""
kind: ConfigMap
metadata:
  name: lit-mmgmd72fdh
---
apiVersion: v1
data:
  k: v
kind: ConfigMap
metadata:
  name: nohash
---
apiVersion: v1
data:
  k: v
immutable: true
kind: ConfigMap
metadata:
  annotations:
    a1: x
  labels:
    l1: v1
  name: opts-bdg947hgcc
---
apiVersion: v1
data:
  BAZ: cXV4ID0geg==
  EMPTY: ""
  FOO: YmFy
  NOVAL: ""
  Q: InF1b3RlZCI=
kind: Secret
metadata:
  name: envsec-mg2h7m8m76
type: Opaque
---
apiVersion: v1
data:
  long: |
    YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYW
    FhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ==
kind: Secret
metadata:
  name: longsec-7f66gfc895
type: Opaque
---
apiVersion: v1
data:
  pass: czNjcjN0
  user: YWRtaW4=
kind: Secret
metadata:
  name: sec-27b7dg5m6t
type: Opaque
---
apiVersion: v1
data:
  tls.crt: eD0xCnk9dHdvIHdvcmRzCg==
  tls.key: bGluZTEKbGluZTI=
kind: Secret
metadata:
  name: tls-72g9t86kbt
type: kubernetes.io/tls
)";

TEST_CASE("generators: literals, files, envs, options and secrets match kubectl, hashes included",
          "[kustomize][generators]") {
  Fixture f(kHashFiles);
  f.generate("app");
  REQUIRE(f.errors.empty());
  REQUIRE(f.resources.size() == 12);
  // Generation order: every ConfigMap entry, then every Secret entry.
  CHECK(f.resources[0].name() == "lit");
  CHECK(f.resources[8].name() == "sec");
  CHECK(f.find("ConfigMap", "nohash").needs_hash == false);
  CHECK(f.find("ConfigMap", "lit").needs_hash == true);
  CHECK(f.find("ConfigMap", "lit").behavior == "create");
  kz::add_hash_suffixes(f.resources);
  expect_same_docs(f.resources, kHashExpected);
  // The hash rename is recorded, so references to the old name can be fixed.
  const auto& lit = f.find("ConfigMap", "lit-mmgmd72fdh");
  REQUIRE(lit.prev_ids.size() == 1);
  CHECK(lit.prev_ids.front().name == "lit");
  CHECK(f.find("ConfigMap", "nohash").prev_ids.empty());
}

TEST_CASE("generators: generated nodes point at the kustomization or env file line that made them",
          "[kustomize][generators]") {
  Fixture f(kHashFiles);
  f.generate("app");
  REQUIRE(f.errors.empty());
  const auto& lit = f.find("ConfigMap", "lit");
  const MNode* name = lit.root.at({"metadata", "name"});
  REQUIRE(name != nullptr);
  CHECK(name->span.file->path() == "app/kustomization.yaml");
  CHECK(name->span.begin.line == 2);  // - name: lit
  CHECK(lit.root.get("kind")->span.begin.line == 2);
  CHECK(lit.root.at({"data", "a"})->span.begin.line == 4);  // - a=1
  CHECK(lit.root.at({"data", "e"})->span.begin.line == 8);  // - e="unbalanced
  const auto& files = f.find("ConfigMap", "files");
  CHECK(files.root.at({"data", "renamed"})->span.begin.line == 13);
  const auto& envs = f.find("ConfigMap", "envs");
  const MNode* baz = envs.root.at({"data", "BAZ"});
  REQUIRE(baz != nullptr);
  CHECK(baz->span.file->path() == "app/a.env");
  CHECK(baz->span.begin.line == 4);
  const auto& opts = f.find("ConfigMap", "opts");
  CHECK(opts.root.at({"metadata", "labels", "l1"})->span.begin.line == 24);
  CHECK(opts.root.get("immutable")->span.begin.line == 27);
  const auto& tls = f.find("Secret", "tls");
  CHECK(tls.root.get("type")->span.begin.line == 46);
  CHECK(f.find("Secret", "sec").root.get("type")->span.begin.line == 41);  // default type: the entry line
}

TEST_CASE("generators: content_hash equals kubectl's for ConfigMaps and Secrets", "[kustomize][generators]") {
  auto hash = [](const std::string& text) {
    gl::SourceFile file("x.yaml", text);
    auto parsed = gl::yaml::parse(file, gl::yaml::ParseLimits{});
    REQUIRE(parsed.documents.size() == 1);
    return kz::content_hash(MNode::from(parsed.documents.front().root));
  };
  // The name, namespace, labels and `immutable` are not hashed.
  CHECK(hash("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: opts}\ndata: {k: v}\n") == "bdg947hgcc");
  CHECK(hash("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: n, labels: {a: b}}\nimmutable: true\n"
             "data: {k: v}\n") == "bdg947hgcc");
  CHECK(hash("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: empty}\n") == "6ct58987ht");
  CHECK(hash("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\ndata: {}\n") == "46f8b28mk5");
  CHECK(hash("apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\ntype: Opaque\n"
             "data: {pass: czNjcjN0, user: YWRtaW4=}\n") == "27b7dg5m6t");
  // Go's JSON escaping of the hashed text: <, > and & as \u00XX, \b and \f short, \u2028, control characters.
  auto file_cm = [&](const std::string& value) {
    MNode root = MNode::map();
    root.set("apiVersion", MNode::string("v1"));
    root.set("kind", MNode::string("ConfigMap"));
    root.ensure_map("metadata")->set("name", MNode::string("esc"));
    root.ensure_map("data")->set("f.txt", MNode::string(value));
    return kz::content_hash(root);
  };
  CHECK(file_cm("plain") == "4d8tk9gb8m");
  CHECK(file_cm("a<b>&c") == "h5kh7h2bdb");
  CHECK(file_cm("x\by") == "b59cf2477g");
  CHECK(file_cm("x\fy") == "cktb2tb5ff");
  CHECK(file_cm("x\x1by") == "c84f42k9t5");
  CHECK(file_cm("x\x7fy") == "65ch592mgd");
  CHECK(file_cm("x\r\ny") == "76827gk4kb");
  CHECK(file_cm("q\"\\") == "67ghb72dmh");
  CHECK(file_cm("u\xe2\x80\xa8v") == "thcbc7g44d");
}

// --------------------------------------------------------------------------------------------------------

const Files kBehaviorFiles = {
    {"base/kustomization.yaml", R"(configMapGenerator:
- name: cfg
  literals:
  - a=1
  - b=2
  options:
    labels:
      base: "yes"
    annotations:
      note: base
secretGenerator:
- name: sec
  literals:
  - u=1
- name: nh
  literals:
  - u=1
  options:
    disableNameSuffixHash: true
resources:
- plain.yaml
)"},
    {"base/plain.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
  labels:
    p: "1"
data:
  x: "1"
  y: two
)"},
    {"ov/kustomization.yaml", R"(resources:
- ../base
configMapGenerator:
- name: cfg
  behavior: merge
  literals:
  - b=3
  - c=4
  options:
    labels:
      ov: "yes"
- name: plain
  behavior: merge
  literals:
  - y=three
secretGenerator:
- name: sec
  behavior: replace
  literals:
  - v=2
- name: nh
  behavior: merge
  literals:
  - w=2
)"},
    {"e4/kustomization.yaml", R"(resources:
- ../base
configMapGenerator:
- name: cfg
  namespace: default
  behavior: merge
  literals:
  - z=3
  options:
    disableNameSuffixHash: true
    immutable: true
- name: plain
  behavior: replace
  literals:
  - q=1
  options:
    labels:
      p: "2"
      r: "3"
)"},
    {"e1/kustomization.yaml", "resources:\n- ../base\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - b=3\n"},
    {"e2/kustomization.yaml",
     "resources:\n- ../base\nconfigMapGenerator:\n- name: nothere\n  behavior: merge\n  literals:\n  - b=3\n"},
    {"e3/kustomization.yaml",
     "resources:\n- ../base\nsecretGenerator:\n- name: nothere\n  behavior: replace\n  literals:\n  - b=3\n"},
    {"e5/kustomization.yaml", "configMapGenerator:\n- name: cfg\n  behavior: bogus\n  literals:\n  - b=3\n"},
};

/// The base: plain.yaml, then the base's generators (kustomize accumulates resources before generating).
void load_base(Fixture& f) {
  f.add("base/plain.yaml");
  f.generate("base");
  REQUIRE(f.errors.empty());
}

// kubectl kustomize ov
constexpr const char* kMergeExpected = R"(apiVersion: v1
data:
  a: "1"
  b: "3"
  c: "4"
kind: ConfigMap
metadata:
  annotations:
    note: base
  labels:
    base: "yes"
    ov: "yes"
  name: cfg-fbcmkbc66h
---
apiVersion: v1
data:
  x: "1"
  "y": three
kind: ConfigMap
metadata:
  labels:
    p: "1"
  name: plain
---
apiVersion: v1
data:
  u: MQ==
  w: Mg==
kind: Secret
metadata:
  name: nh
type: Opaque
---
apiVersion: v1
data:
  v: Mg==
kind: Secret
metadata:
  name: sec-4g46hbtk6d
type: Opaque
)";

// kubectl kustomize e4
constexpr const char* kMergeOptionsExpected = R"(apiVersion: v1
data:
  a: "1"
  b: "2"
  z: "3"
immutable: true
kind: ConfigMap
metadata:
  annotations:
    note: base
  labels:
    base: "yes"
  name: cfg
---
apiVersion: v1
data:
  q: "1"
kind: ConfigMap
metadata:
  labels:
    p: "2"
    r: "3"
  name: plain
---
apiVersion: v1
data:
  u: MQ==
kind: Secret
metadata:
  name: nh
type: Opaque
---
apiVersion: v1
data:
  u: MQ==
kind: Secret
metadata:
  name: sec-92t5g9b22t
type: Opaque
)";

TEST_CASE("generators: behavior merge and replace fold into generated and plain objects", "[kustomize][generators]") {
  SECTION("merge keeps old data, labels and annotations; replace drops data; plain targets get no hash") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("ov");
    REQUIRE(f.errors.empty());
    REQUIRE(f.resources.size() == 4);
    // Folded objects keep their position.
    CHECK(f.resources[0].name() == "plain");
    CHECK(f.resources[1].name() == "cfg");
    CHECK(f.find("ConfigMap", "plain").needs_hash == false);
    CHECK(f.find("Secret", "nh").needs_hash == false);
    // Merged data keeps its provenance: `a` from the base, `b` from the overlay.
    const auto& cfg = f.find("ConfigMap", "cfg");
    CHECK(cfg.root.at({"data", "a"})->span.file->path() == "base/kustomization.yaml");
    CHECK(cfg.root.at({"data", "b"})->span.file->path() == "ov/kustomization.yaml");
    kz::add_hash_suffixes(f.resources);
    expect_same_docs(f.resources, kMergeExpected);
  }
  SECTION("merge under an explicit default namespace, local options, replace merging labels") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("e4");
    REQUIRE(f.errors.empty());
    kz::add_hash_suffixes(f.resources);
    expect_same_docs(f.resources, kMergeOptionsExpected);
  }
}

TEST_CASE("generators: create over an existing id and merge/replace of nothing are errors", "[kustomize][generators]") {
  SECTION("create collides") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("e1");
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0].message == "ConfigMap `cfg` already exists");
    CHECK(f.errors[0].help == "set `behavior: merge` or `behavior: replace` to change it");
    CHECK(f.errors[0].at.file->path() == "e1/kustomization.yaml");
    CHECK(f.errors[0].at.begin.line == 4);
    CHECK(f.resources.size() == 4);
  }
  SECTION("merge finds nothing") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("e2");
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0].message == "cannot merge ConfigMap `nothere`: no such object in the resources so far");
    CHECK(f.errors[0].at.begin.line == 4);
  }
  SECTION("replace finds nothing") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("e3");
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0].message == "cannot replace Secret `nothere`: no such object in the resources so far");
  }
  SECTION("an unknown behavior acts as create") {
    Fixture f(kBehaviorFiles);
    load_base(f);
    f.generate("e5");
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0].message == "ConfigMap `cfg` already exists");
    Fixture g(kBehaviorFiles);
    g.generate("e5");
    CHECK(g.errors.empty());
    CHECK(g.resources.size() == 1);
  }
}

TEST_CASE("generators: kustomize's source and field errors", "[kustomize][generators]") {
  auto errors_of = [](const std::string& kustomization, const Files& extra = {}) {
    Files files = extra;
    files.emplace_back("k/kustomization.yaml", kustomization);
    Fixture f(files);
    f.generate("k");
    CHECK(f.resources.empty());
    std::vector<std::string> out;
    for (const auto& e : f.errors) out.push_back(std::to_string(e.at.begin.line) + ": " + e.message);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(
      errors_of("configMapGenerator:\n- name: k\n  literals:\n  - a b=1\n  - =3\n  - noeq\n") ==
      V{"5: invalid literal source `=3`: expected key=value", "6: invalid literal source `noeq`: expected key=value"});
  CHECK(errors_of("configMapGenerator:\n- name: k\n  literals:\n  - a b=1\n  - a b=2\n") ==
        V{"5: configmap `k` repeats the key `a b`"});
  CHECK(errors_of("secretGenerator:\n- name: s\n  literals:\n  - k=1\n  files:\n  - k=f.txt\n", {{"k/f.txt", "x"}}) ==
        V{"6: secret `s` repeats the key `k`"});
  CHECK(errors_of("configMapGenerator:\n- name: k\n  files:\n  - =x\n  - y=\n  - a=b=c\n") ==
        V{"4: missing key name for file path `x` in source `=x`",
          "5: missing file path for key name `y` in source `y=`",
          "6: source `a=b=c`: the key name or the file path contains '='"});
  const auto missing = errors_of("configMapGenerator:\n- name: k\n  files:\n  - missing.txt\n");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].starts_with("4: cannot read file source `missing.txt`"));
  const auto escape = errors_of("configMapGenerator:\n- name: k\n  envs:\n  - ../outside.env\n");
  REQUIRE(escape.size() == 1);
  CHECK(escape[0].starts_with("4: cannot read env file `../outside.env`"));
  CHECK(errors_of("configMapGenerator:\n- literals:\n  - a=b\n") == V{"2: a `configMapGenerator` entry has no `name`"});
  CHECK(errors_of("configMapGenerator:\n- name: t\n  literal:\n  - a=b\n") ==
        V{"3: unknown field `literal` in a `configMapGenerator` entry"});
  CHECK(errors_of("configMapGenerator:\n- name: t\n  type: foo\n") ==
        V{"3: unknown field `type` in a `configMapGenerator` entry"});
  CHECK(errors_of("configMapGenerator:\n- name: t\n  literals:\n  - 5\n") ==
        V{"4: each `literals` item must be a string"});
  CHECK(errors_of("configMapGenerator:\n- name: t\n  options:\n    labels:\n      n: 1\n") ==
        V{"5: the value of `n` in `labels` must be a string"});
  CHECK(errors_of("configMapGenerator:\n- name: t\n  options:\n    immutable: \"true\"\n") ==
        V{"4: `immutable` must be true or false"});
  CHECK(errors_of("configMapGenerator:\n- name: 5\n") == V{"2: `name` must be a string"});
  CHECK(errors_of("configMapGenerator:\n- name: e\n  envs: [bad.env]\n", {{"k/bad.env", "OK=1\nX=\xff\n"}}) ==
        V{"2: line 2 of `bad.env` is not valid UTF-8"});
}

TEST_CASE("generators: keys are not validated and env lines with an empty key are skipped", "[kustomize][generators]") {
  // kubectl: data `A B: "1"`, `x/y: "2"`, nothing for "=skipped"; name e-... from the same content.
  Fixture f(Files{{"k/kustomization.yaml", "configMapGenerator:\n- name: e\n  envs: [ok.env]\n  literals: [x/y=2]\n"},
                  {"k/ok.env", "A B=1\r\n=skipped\n"}});
  f.generate("k");
  REQUIRE(f.errors.empty());
  REQUIRE(f.resources.size() == 1);
  const MNode* data = f.resources[0].root.get("data");
  REQUIRE(data != nullptr);
  REQUIRE(data->keys.size() == 2);
  CHECK(data->get("A B")->value == "1");
  CHECK(data->get("x/y")->value == "2");
  kz::add_hash_suffixes(f.resources);
  CHECK(f.resources[0].name() == "e-528966967g");
}

TEST_CASE("generators: generatorOptions merge into every entry, local values win", "[kustomize][generators]") {
  Fixture f(Files{{"k/kustomization.yaml", R"(generatorOptions:
  labels:
    g: "1"
    l: global
  annotations:
    ga: x
  immutable: true
configMapGenerator:
- name: t
  literals:
  - a=yes
  options:
    labels:
      l: local
    disableNameSuffixHash: false
- name: u
  literals:
  - a=yes
  options: {}
)"}});
  f.generate("k");
  REQUIRE(f.errors.empty());
  kz::add_hash_suffixes(f.resources);
  // kubectl kustomize k
  expect_same_docs(f.resources, R"(apiVersion: v1
data:
  a: "yes"
immutable: true
kind: ConfigMap
metadata:
  annotations:
    ga: x
  labels:
    g: "1"
    l: local
  name: t-gch8tgd8kh
---
apiVersion: v1
data:
  a: "yes"
immutable: true
kind: ConfigMap
metadata:
  annotations:
    ga: x
  labels:
    g: "1"
    l: global
  name: u-gch8tgd8kh
)");
  // The global label keeps the global line; the local one its own.
  const auto& t = f.find("ConfigMap", "t-gch8tgd8kh");
  CHECK(t.root.at({"metadata", "labels", "g"})->span.begin.line == 3);
  CHECK(t.root.at({"metadata", "labels", "l"})->span.begin.line == 14);
}

// --------------------------------------------------------------------------------------------------------
// Name references.

const Files kRefFiles = {
    {"base/kustomization.yaml", R"(resources:
- res.yaml
configMapGenerator:
- name: cfg
  literals:
  - a=1
secretGenerator:
- name: sec
  literals:
  - p=1
)"},
    {"base/res.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: sa
      imagePullSecrets:
      - name: sec
      - name: other
      containers:
      - name: c
        envFrom:
        - configMapRef:
            name: cfg
        - secretRef:
            name: sec
        env:
        - name: X
          valueFrom:
            configMapKeyRef:
              name: cfg
              key: a
        - name: Y
          valueFrom:
            secretKeyRef:
              name: sec
              key: p
      volumes:
      - name: v1
        configMap:
          name: cfg
      - name: v2
        secret:
          secretName: sec
      - name: v3
        projected:
          sources:
          - configMap:
              name: cfg
          - secret:
              name: sec
      - name: v4
        persistentVolumeClaim:
          claimName: data
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: fast
---
apiVersion: v1
kind: Service
metadata:
  name: svc
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
  annotations:
    nginx.ingress.kubernetes.io/auth-secret: sec
spec:
  defaultBackend:
    service:
      name: svc
  tls:
  - secretName: sec
  rules:
  - http:
      paths:
      - path: /
        backend:
          service:
            name: svc
            port:
              number: 80
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["cfg", "unrelated"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: role
subjects:
- kind: ServiceAccount
  name: sa
- kind: ServiceAccount
  name: sa
  namespace: elsewhere
- kind: User
  name: sa
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: role
subjects:
- kind: ServiceAccount
  name: sa
  namespace: default
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: hpa
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
)"},
};

// kubectl kustomize ov, where ov/kustomization.yaml is `resources: [../base]`, `namePrefix: p-`,
// `namespace: ns1`.
constexpr const char* kRefExpected = R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: p-fast
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: p-sa
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: p-role
  namespace: ns1
rules:
- apiGroups:
  - ""
  resourceNames:
  - p-cfg-h29d89cmmt
  - unrelated
  resources:
  - configmaps
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: p-rb
  namespace: ns1
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: p-role
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: ns1
- kind: ServiceAccount
  name: sa
  namespace: elsewhere
- kind: User
  name: p-sa
  namespace: ns1
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: p-crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: role
subjects:
- kind: ServiceAccount
  name: p-sa
  namespace: ns1
---
apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  name: p-cfg-h29d89cmmt
  namespace: ns1
---
apiVersion: v1
data:
  p: MQ==
kind: Secret
metadata:
  name: p-sec-fcd7kg2454
  namespace: ns1
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  name: p-svc
  namespace: ns1
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: p-data
  namespace: ns1
spec:
  storageClassName: p-fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-web
  namespace: ns1
spec:
  template:
    spec:
      containers:
      - env:
        - name: X
          valueFrom:
            configMapKeyRef:
              key: a
              name: p-cfg-h29d89cmmt
        - name: "Y"
          valueFrom:
            secretKeyRef:
              key: p
              name: p-sec-fcd7kg2454
        envFrom:
        - configMapRef:
            name: p-cfg-h29d89cmmt
        - secretRef:
            name: p-sec-fcd7kg2454
        name: c
      imagePullSecrets:
      - name: p-sec-fcd7kg2454
      - name: other
      serviceAccountName: p-sa
      volumes:
      - configMap:
          name: p-cfg-h29d89cmmt
        name: v1
      - name: v2
        secret:
          secretName: p-sec-fcd7kg2454
      - name: v3
        projected:
          sources:
          - configMap:
              name: p-cfg-h29d89cmmt
          - secret:
              name: p-sec-fcd7kg2454
      - name: v4
        persistentVolumeClaim:
          claimName: p-data
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: p-hpa
  namespace: ns1
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: p-web
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/auth-secret: p-sec-fcd7kg2454
  name: p-ing
  namespace: ns1
spec:
  defaultBackend:
    service:
      name: p-svc
  rules:
  - http:
      paths:
      - backend:
          service:
            name: p-svc
            port:
              number: 80
        path: /
  tls:
  - secretName: p-sec-fcd7kg2454
)";

/// kustomize's namespace then prefix transformers, reduced to the renames they record.
void rename_all(std::vector<kz::Resource>& resources, const std::string& ns, const std::string& prefix) {
  for (auto& r : resources) {
    if (!ns.empty() && !gl::k8s::is_cluster_scoped(r.kind())) r.set_namespace(ns, r.origin);
    if (!prefix.empty()) r.set_name(prefix + r.name(), r.origin);
  }
}

TEST_CASE("nameref: references follow a prefix, a namespace and the hash suffix", "[kustomize][generators]") {
  Fixture f(kRefFiles);
  f.add("base/res.yaml");
  f.generate("base");
  REQUIRE(f.errors.empty());
  rename_all(f.resources, "ns1", "p-");
  kz::add_hash_suffixes(f.resources);
  kz::fix_name_references(f.resources, f.errors);
  CHECK(f.errors.empty());
  expect_same_docs(f.resources, kRefExpected);
  // A rewritten reference keeps the line of the referring field.
  const auto& dep = f.find("Deployment", "p-web");
  const MNode* sa = dep.root.at({"spec", "template", "spec", "serviceAccountName"});
  REQUIRE(sa != nullptr);
  CHECK(sa->span.file->path() == "base/res.yaml");
  CHECK(sa->span.begin.line == 8);
}

TEST_CASE("nameref: without renames nothing changes; after hashing only", "[kustomize][generators]") {
  SECTION("no rename") {
    Fixture f(kRefFiles);
    f.add("base/res.yaml");
    f.generate("base");
    for (auto& r : f.resources) r.needs_hash = false;
    const std::string before = [&] {
      std::vector<const MNode*> docs;
      for (const auto& r : f.resources) docs.push_back(&r.root);
      return gl::render::to_yaml(docs);
    }();
    kz::fix_name_references(f.resources);
    std::vector<const MNode*> docs;
    for (const auto& r : f.resources) docs.push_back(&r.root);
    CHECK(gl::render::to_yaml(docs) == before);
  }
  SECTION("hash only: configMapRef, secretKeyRef, volumes, Role resourceNames and Ingress TLS") {
    Fixture f(kRefFiles);
    f.add("base/res.yaml");
    f.generate("base");
    kz::add_hash_suffixes(f.resources);
    kz::fix_name_references(f.resources);
    const auto& dep = f.find("Deployment", "web");
    const MNode* pod = dep.root.at({"spec", "template", "spec"});
    REQUIRE(pod != nullptr);
    // kubectl kustomize base
    CHECK(pod->get("containers")->items[0].get("envFrom")->items[0].at({"configMapRef", "name"})->value ==
          "cfg-h29d89cmmt");
    CHECK(pod->get("containers")->items[0].get("env")->items[1].at({"valueFrom", "secretKeyRef", "name"})->value ==
          "sec-fcd7kg2454");
    CHECK(pod->get("volumes")->items[1].at({"secret", "secretName"})->value == "sec-fcd7kg2454");
    CHECK(pod->get("serviceAccountName")->value == "sa");
    CHECK(f.find("Role", "role").root.get("rules")->items[0].get("resourceNames")->items[0].value == "cfg-h29d89cmmt");
    CHECK(f.find("Ingress", "ing").root.at({"spec", "tls"})->items[0].get("secretName")->value == "sec-fcd7kg2454");
    const auto& rb = f.find("RoleBinding", "rb");
    CHECK(rb.root.get("subjects")->items[0].get("namespace") == nullptr);
  }
}

const Files kTwoPrefixFiles = {
    {"base/kustomization.yaml", "resources:\n- dep.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - a=1\n"},
    {"base/dep.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap:
          name: cfg
)"},
    {"top/dep2.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: top
spec:
  template:
    spec:
      volumes:
      - name: v
        configMap:
          name: cfg
)"},
};

TEST_CASE("nameref: name prefixes pick the referral among same-named candidates", "[kustomize][generators]") {
  // top/kustomization.yaml lists ../a (namePrefix a-) and ../b (namePrefix b-), both on ../base, and
  // dep2.yaml. kubectl: a-web -> a-cfg-h29d89cmmt, b-web -> b-cfg-h29d89cmmt, top keeps `cfg`.
  Fixture a(kTwoPrefixFiles);
  a.add("base/dep.yaml");
  a.generate("base");
  rename_all(a.resources, "", "a-");
  Fixture b(kTwoPrefixFiles);
  b.add("base/dep.yaml");
  b.generate("base");
  rename_all(b.resources, "", "b-");
  std::vector<kz::Resource> all;
  for (auto& r : a.resources) all.push_back(std::move(r));
  for (auto& r : b.resources) all.push_back(std::move(r));
  a.resources.clear();
  a.add("top/dep2.yaml");
  all.push_back(std::move(a.resources.front()));
  kz::add_hash_suffixes(all);
  std::vector<gl::render::RenderError> errors;
  kz::fix_name_references(all, errors);
  CHECK(errors.empty());
  auto volume_ref = [&](std::string_view dep) {
    for (const auto& r : all) {
      if (r.kind() == "Deployment" && r.name() == dep) {
        return std::string(
            r.root.at({"spec", "template", "spec"})->get("volumes")->items[0].at({"configMap", "name"})->value);
      }
    }
    return std::string("?");
  };
  CHECK(volume_ref("a-web") == "a-cfg-h29d89cmmt");
  CHECK(volume_ref("b-web") == "b-cfg-h29d89cmmt");
  CHECK(volume_ref("top") == "cfg");
}

TEST_CASE("nameref: an unchanged name recorded by the namespace transformer is still a candidate",
          "[kustomize][generators]") {
  // pb: namePrefix p- on ConfigMap x/a. top: resources ../pb, ConfigMap x/a, Deployment x/d mounting `a`.
  // kubectl with `namespace: x` in top keeps `a` (its namespace transformer records every object's id, so
  // the top-level `a` is a candidate too and the referrer's empty prefix list picks it); without it, `p-a`.
  auto parse = [](const std::string& text) {
    gl::SourceFile file("x.yaml", text);
    auto parsed = gl::yaml::parse(file, gl::yaml::ParseLimits{});
    REQUIRE(parsed.documents.size() == 1);
    kz::Resource r;
    r.root = MNode::from(parsed.documents.front().root);
    r.root.set_span_deep({});
    return r;
  };
  auto build = [&](bool namespace_transformer) {
    std::vector<kz::Resource> res;
    res.push_back(parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n"));
    res.back().set_name("p-a", {});
    res.push_back(parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n"));
    res.push_back(
        parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: x}\n"
              "spec: {template: {spec: {volumes: [{name: v, configMap: {name: a}}]}}}\n"));
    if (namespace_transformer) {
      for (auto& r : res) r.prev_ids.push_back(r.id());  // kustomize's StorePreviousId, namespace unchanged
    }
    std::vector<gl::render::RenderError> errors;
    kz::fix_name_references(res, errors);
    CHECK(errors.empty());
    return std::string(
        res[2].root.at({"spec", "template", "spec"})->get("volumes")->items[0].at({"configMap", "name"})->value);
  };
  CHECK(build(true) == "a");
  CHECK(build(false) == "p-a");
}

TEST_CASE("nameref: different candidates for one cluster-scoped referrer are an error", "[kustomize][generators]") {
  // kubectl: found multiple possible referrals: ConfigMap.v1.[noGrp]/cfg-h29d89cmmt.n1,
  // ConfigMap.v1.[noGrp]/cfg-6gtghh96k8.n2
  Fixture f(Files{{"k/kustomization.yaml", R"(resources:
- cr.yaml
configMapGenerator:
- name: cfg
  namespace: n1
  literals: [a=1]
- name: cfg
  namespace: n2
  literals: [a=2]
)"},
                  {"k/cr.yaml", R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
rules:
- resourceNames: [cfg]
)"}});
  f.add("k/cr.yaml");
  f.generate("k");
  REQUIRE(f.errors.empty());
  kz::add_hash_suffixes(f.resources);
  CHECK(f.resources[1].name() == "cfg-h29d89cmmt");
  CHECK(f.resources[2].name() == "cfg-6gtghh96k8");
  kz::fix_name_references(f.resources, f.errors);
  REQUIRE(f.errors.size() == 1);
  CHECK(f.errors[0].message ==
        "name reference in `rules/resourceNames` of ClusterRole `cr`: `cfg` could refer to any of ConfigMap "
        "`n1/cfg-h29d89cmmt`, ConfigMap `n2/cfg-6gtghh96k8`");
  CHECK(f.errors[0].at.begin.line == 6);
  CHECK(f.resources[0].root.get("rules")->items[0].get("resourceNames")->items[0].value == "cfg");
}

TEST_CASE("nameref: webhook services take name and namespace; IngressClass is never rewritten",
          "[kustomize][generators]") {
  Fixture f(Files{{"k/res.yaml", R"(apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  ingressClassName: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: hook
  namespace: sys
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: vwc
webhooks:
- name: a
  clientConfig:
    service:
      name: hook
      namespace: sys
- name: b
  clientConfig:
    service:
      name: hook
- name: c
  clientConfig:
    url: https://x
)"}});
  f.add("k/res.yaml");
  rename_all(f.resources, "", "p-");
  kz::fix_name_references(f.resources, f.errors);
  CHECK(f.errors.empty());
  // kubectl kustomize k (resources: [res.yaml], namePrefix: p-)
  expect_same_docs(f.resources, R"(apiVersion: v1
kind: Service
metadata:
  name: p-hook
  namespace: sys
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: p-ing
spec:
  ingressClassName: nginx
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: p-nginx
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: p-vwc
webhooks:
- clientConfig:
    service:
      name: p-hook
      namespace: sys
  name: a
- clientConfig:
    service:
      name: p-hook
      namespace: sys
  name: b
- clientConfig:
    url: https://x
  name: c
)");
}

TEST_CASE("nameref: the table transcribes kustomize's", "[kustomize][generators]") {
  const auto table = kz::name_reference_table();
  size_t fields = 0;
  for (const auto& back : table) fields += back.referrers.size();
  // namereference.go: 16 referral kinds and 167 referring fields (counted on the upstream file).
  CHECK(table.size() == 16);
  CHECK(fields == 167);
  CHECK(table[4].kind == "ConfigMap");
  CHECK(table[4].referrers.size() == 52);
  CHECK(table[5].kind == "Secret");
  CHECK(table[5].referrers.size() == 70);
}

}  // namespace
