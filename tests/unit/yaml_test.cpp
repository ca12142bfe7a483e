// Tests for src/yaml: marks, multi-document streams, scalar resolution, anchors and merges, limits, errors.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "core/source.h"
#include "yaml/node.h"
#include "yaml/parser.h"

namespace Catch {
template <>
struct StringMaker<gl::Mark> {
  static std::string convert(const gl::Mark& m) { return std::to_string(m.line) + ":" + std::to_string(m.column); }
};
}  // namespace Catch

namespace {

using gl::Mark;
using gl::yaml::NodeType;
using gl::yaml::ScalarStyle;

/// Parses `text` as the file `path` (the SourceFile outlives the result through `file`).
struct Parsed {
  explicit Parsed(std::string text, const gl::yaml::ParseLimits& limits = {})
      : file("test.yaml", std::move(text)), result(gl::yaml::parse(file, limits)) {}
  gl::SourceFile file;
  gl::yaml::ParseResult result;
  const gl::yaml::Node& root(size_t doc = 0) const { return result.documents.at(doc).root; }
};

/// The billion-laughs document: each level aliases the previous one nine times.
std::string alias_bomb() {
  std::string s = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  const std::string names = "abcdefghi";
  for (size_t i = 1; i < names.size(); ++i) {
    const char cur = names[i];
    const char prev = names[i - 1];
    s += std::string(1, cur) + ": &" + cur + " [";
    for (int k = 0; k < 9; ++k) s += std::string(k == 0 ? "" : ",") + "*" + prev;
    s += "]\n";
  }
  return s;
}

}  // namespace

TEST_CASE("marks are 1-based line and column for keys, scalars and nested nodes", "[yaml]") {
  const Parsed p(
      "apiVersion: v1\n"
      "kind: ConfigMap\n"
      "metadata:\n"
      "  name: web\n"
      "  labels:\n"
      "    app: \"shop\"\n"
      "data:\n"
      "  list:\n"
      "  - one\n"
      "  - 'two'\n");
  REQUIRE(p.result.errors.empty());
  REQUIRE(p.result.documents.size() == 1);
  const auto& root = p.root();
  REQUIRE(root.is_map());
  CHECK(root.begin == Mark{1, 1});
  CHECK(root.file == &p.file);

  CHECK(root.keys()[0].value() == "apiVersion");
  CHECK(root.keys()[0].begin == Mark{1, 1});
  CHECK(root.keys()[0].end == Mark{1, 11});
  CHECK(root.items()[0].begin == Mark{1, 13});
  CHECK(root.items()[0].end == Mark{1, 15});

  const auto* name = root.at({"metadata", "name"});
  REQUIRE(name != nullptr);
  CHECK(name->value() == "web");
  CHECK(name->begin == Mark{4, 9});
  CHECK(name->end == Mark{4, 12});

  const auto* metadata = root.get("metadata");
  REQUIRE(metadata != nullptr);
  CHECK(metadata->is_map());
  CHECK(metadata->begin == Mark{4, 3});

  const auto* app = root.at({"metadata", "labels", "app"});
  REQUIRE(app != nullptr);
  CHECK(app->value() == "shop");
  CHECK(app->begin == Mark{6, 10});  // the opening quote
  CHECK(app->style == ScalarStyle::kDoubleQuoted);
  CHECK(app->is_quoted());

  const auto* list = root.at({"data", "list"});
  REQUIRE(list != nullptr);
  REQUIRE(list->is_seq());
  CHECK(list->begin == Mark{9, 3});
  REQUIRE(list->size() == 2);
  CHECK(list->items()[0].value() == "one");
  CHECK(list->items()[0].begin == Mark{9, 5});
  CHECK(list->items()[1].value() == "two");
  CHECK(list->items()[1].begin == Mark{10, 5});
  CHECK(list->items()[1].style == ScalarStyle::kSingleQuoted);

  const gl::Span s = name->span();
  CHECK(s.valid());
  CHECK(s.file == &p.file);
  CHECK(s.begin == Mark{4, 9});
}

TEST_CASE("marks inside flow collections", "[yaml]") {
  const Parsed p("ports: [{port: 80, name: http}, {port: 443}]\n");
  REQUIRE(p.result.errors.empty());
  const auto* ports = p.root().get("ports");
  REQUIRE(ports != nullptr);
  REQUIRE(ports->size() == 2);
  CHECK(ports->begin == Mark{1, 8});
  CHECK(ports->items()[0].begin == Mark{1, 9});
  CHECK(ports->items()[0].get("port")->begin == Mark{1, 16});
  CHECK(ports->items()[1].get("port")->begin == Mark{1, 40});
}

TEST_CASE("multi-document streams keep every document and its index", "[yaml]") {
  const Parsed p("a: 1\n---\nb: 2\n---\n# only a comment\nc: 3\n");
  REQUIRE(p.result.errors.empty());
  REQUIRE(p.result.documents.size() == 3);
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(p.result.documents[i].index == i);
    CHECK(p.result.documents[i].file == &p.file);
  }
  CHECK(p.root(0).get("a")->value() == "1");
  CHECK(p.root(1).get("b")->begin == Mark{3, 4});
  CHECK(p.root(2).get("c")->begin == Mark{6, 4});
}

TEST_CASE("empty streams and empty documents", "[yaml]") {
  SECTION("empty text has no documents") {
    const Parsed p("");
    CHECK(p.result.errors.empty());
    CHECK(p.result.documents.empty());
  }
  SECTION("comments only have no documents") {
    const Parsed p("# nothing here\n\n");
    CHECK(p.result.errors.empty());
    CHECK(p.result.documents.empty());
  }
  SECTION("explicit empty documents are null roots") {
    const Parsed p("---\n---\na: 1\n---\n");
    CHECK(p.result.errors.empty());
    REQUIRE(p.result.documents.size() == 3);
    CHECK(p.root(0).is_null());
    CHECK(p.root(0).file == &p.file);
    CHECK(p.root(0).begin.line >= 1);
    CHECK(p.root(1).is_map());
    CHECK(p.root(2).is_null());
  }
}

TEST_CASE("null resolution depends on style and tag", "[yaml]") {
  const Parsed p(
      "a:\n"
      "b: ~\n"
      "c: null\n"
      "d: NULL\n"
      "e: 'null'\n"
      "f: \"\"\n"
      "g: !!null x\n"
      "h: nullable\n"
      "i: !!str\n");
  REQUIRE(p.result.errors.empty());
  const auto& r = p.root();
  for (auto key : {"a", "b", "c", "d", "g"}) {
    INFO(key);
    REQUIRE(r.get(key) != nullptr);
    CHECK(r.get(key)->is_null());
    CHECK(r.get(key)->resolved_kind() == "null");
  }
  CHECK(r.get("b")->value() == "~");
  CHECK(r.get("e")->is_scalar());
  CHECK(r.get("e")->value() == "null");
  CHECK(r.get("e")->resolved_kind() == "str");
  CHECK(r.get("f")->is_scalar());
  CHECK(r.get("f")->value().empty());
  CHECK(r.get("h")->is_scalar());
  CHECK(r.get("i")->is_scalar());
  CHECK(r.get("i")->is_quoted());
  CHECK(r.get("a")->str().empty());
}

TEST_CASE("quoted and plain scalars resolve differently", "[yaml]") {
  const Parsed p(
      "plain_int: 42\n"
      "quoted_int: \"42\"\n"
      "tagged_int: !!str 42\n"
      "hex: 0x1F\n"
      "octal: 0o17\n"
      "under: 1_000\n"
      "neg: -7\n"
      "float: 1.5\n"
      "exp: 1e3\n"
      "bool: true\n"
      "yes_word: yes\n"
      "quoted_bool: 'true'\n"
      "word: hello\n"
      "inf: inf\n"
      "literal: |\n"
      "  text\n"
      "folded: >\n"
      "  text\n");
  REQUIRE(p.result.errors.empty());
  const auto& r = p.root();
  CHECK(r.get("plain_int")->as_int() == 42);
  CHECK(r.get("plain_int")->resolved_kind() == "int");
  CHECK_FALSE(r.get("plain_int")->is_quoted());
  CHECK(r.get("quoted_int")->resolved_kind() == "str");
  CHECK(r.get("quoted_int")->is_quoted());
  CHECK(r.get("tagged_int")->is_quoted());
  CHECK(r.get("tagged_int")->resolved_kind() == "str");
  CHECK(r.get("hex")->as_int() == 31);
  CHECK(r.get("octal")->as_int() == 15);
  CHECK(r.get("under")->as_int() == 1000);
  CHECK(r.get("neg")->as_int() == -7);
  CHECK_FALSE(r.get("float")->as_int().has_value());
  CHECK(r.get("float")->as_number() == Approx(1.5));
  CHECK(r.get("float")->resolved_kind() == "float");
  CHECK(r.get("exp")->as_number() == Approx(1000.0));
  CHECK(r.get("bool")->as_bool() == true);
  CHECK(r.get("bool")->resolved_kind() == "bool");
  CHECK(r.get("yes_word")->as_bool() == true);
  CHECK_FALSE(r.get("quoted_bool")->as_bool().has_value());
  CHECK(r.get("quoted_bool")->resolved_kind() == "str");
  CHECK_FALSE(r.get("word")->as_bool().has_value());
  CHECK_FALSE(r.get("word")->as_number().has_value());
  CHECK(r.get("word")->resolved_kind() == "str");
  CHECK_FALSE(r.get("inf")->as_number().has_value());
  CHECK(r.get("literal")->style == ScalarStyle::kLiteral);
  CHECK(r.get("literal")->value() == "text\n");
  CHECK(r.get("folded")->style == ScalarStyle::kFolded);
  CHECK(r.get("literal")->resolved_kind() == "str");
  CHECK(r.resolved_kind() == "map");
  CHECK(p.root().count_nodes() == 1 + 2 * 16);
}

TEST_CASE("lookups on the node tree", "[yaml]") {
  const Parsed p("a:\n  b:\n    c: deep\nlist: [1, 2]\n");
  const auto& r = p.root();
  CHECK(r.at({"a", "b", "c"})->value() == "deep");
  CHECK(r.at({"a", "x", "c"}) == nullptr);
  CHECK(r.at({"list", "0"}) == nullptr);  // sequences are not indexed by key
  CHECK(r.get("missing") == nullptr);
  CHECK(r.get("list")->get("1") == nullptr);
  CHECK(r.get("list")->str().empty());
  CHECK(r.get("a")->get("b")->size() == 1);
}

TEST_CASE("a node is one payload: text for scalars and nulls, items, or keys then values", "[yaml]") {
  const Parsed p("k1: v1\nk2: [a, b, c]\nk3: ~\nk4: !custom x\nk5: !!str 12\n");
  const auto& r = p.root();
  REQUIRE(r.is_map());
  CHECK(r.size() == 5);
  CHECK(r.value().empty());  // a container has no text
  REQUIRE(r.keys().size() == 5);
  REQUIRE(r.items().size() == 5);
  CHECK(r.items().data() == r.keys().data() + 5);  // one array: the keys, then the values
  CHECK(r.keys()[1].value() == "k2");
  CHECK(r.items()[0].value() == "v1");
  CHECK(&r.items()[1] == r.get("k2"));
  const auto& seq = *r.get("k2");
  CHECK(seq.keys().empty());
  REQUIRE(seq.items().size() == 3);
  CHECK(seq.items()[2].value() == "c");
  CHECK(seq.items()[2].items().empty());  // a scalar has no children
  CHECK(seq.items()[2].size() == 0);
  const auto& null = *r.get("k3");
  CHECK(null.is_null());
  CHECK(null.value() == "~");  // a null keeps the text it was written with
  CHECK(null.items().empty());
  CHECK(r.get("k4")->tag() == "!custom");
  CHECK(r.get("k4")->tag().data() == gl::yaml::intern_tag("!custom").data());  // interned once
  CHECK(r.get("k1")->tag().empty());
  CHECK(r.get("k5")->is_quoted());  // !!str, though plain
  CHECK(r.get("k5")->resolved_kind() == "str");
  CHECK_FALSE(r.get("k1")->is_quoted());
}

TEST_CASE("nodes built by hand: set_text, set_sequence, set_mapping", "[yaml]") {
  gl::yaml::Node kids[4];
  kids[0].set_text(NodeType::kScalar, "a");
  kids[1].set_text(NodeType::kScalar, "b");
  kids[2].set_text(NodeType::kScalar, "1");
  kids[3].set_text(NodeType::kNull, "");
  gl::yaml::Node m;
  m.set_mapping(kids);
  CHECK(m.is_map());
  CHECK(m.size() == 2);
  CHECK(m.get("b")->is_null());
  CHECK(m.get("a")->as_int() == 1);
  gl::yaml::Node s;
  s.set_sequence(std::span<gl::yaml::Node>(kids, 3));
  CHECK(s.is_seq());
  CHECK(s.size() == 3);
  CHECK(s.keys().empty());
  CHECK(s.get("a") == nullptr);
  s.set_text(NodeType::kScalar, "now a scalar");
  CHECK(s.items().empty());
  CHECK(s.str() == "now a scalar");
  s.set_tag("!!str");
  CHECK(s.is_quoted());
}

TEST_CASE("a document's arena keeps its text and children alive after the parse result is gone", "[yaml]") {
  const gl::SourceFile file("t.yaml",
                            "a: \"a value too long to fit in any small-string buffer\"\nb: [x, 'y']\n---\nc: 1\n");
  gl::yaml::Document doc;
  {
    auto result = gl::yaml::parse(file);
    REQUIRE(result.documents.size() == 2);
    CHECK(result.documents[0].storage == result.documents[1].storage);  // one arena per file
    doc = result.documents[0];
  }
  REQUIRE(doc.storage != nullptr);
  CHECK(doc.storage->used() > 0);
  const std::string_view a = doc.root.get("a")->value();
  CHECK(a == "a value too long to fit in any small-string buffer");
  CHECK(a.data()[a.size()] == '\0');
  const gl::yaml::Node* b = doc.root.get("b");
  REQUIRE(b != nullptr);
  REQUIRE(b->size() == 2);
  CHECK(b->items()[1].value() == "y");
  CHECK(b->items()[1].style == ScalarStyle::kSingleQuoted);
  const gl::yaml::Node copy = *b;  // a copy shares the children
  CHECK(copy.items().data() == b->items().data());
}

TEST_CASE("anchors and aliases copy the anchored node", "[yaml]") {
  const Parsed p(
      "base: &b\n"
      "  x: 1\n"
      "  y: [a, b]\n"
      "copy: *b\n"
      "scalar: &s hello\n"
      "again: *s\n");
  REQUIRE(p.result.errors.empty());
  const auto& r = p.root();
  const auto* copy = r.get("copy");
  REQUIRE(copy != nullptr);
  REQUIRE(copy->is_map());
  CHECK(copy->get("x")->value() == "1");
  CHECK(copy->get("y")->size() == 2);
  CHECK(r.get("again")->value() == "hello");
}

TEST_CASE("unknown aliases are errors", "[yaml]") {
  const Parsed p("a: 1\nb: *nope\n");
  REQUIRE_FALSE(p.result.errors.empty());
  CHECK(p.result.errors[0].mark.line == 2);
  CHECK(p.result.errors[0].message.find("nope") != std::string::npos);
}

TEST_CASE("`<<` merge keys merge mappings; own keys win; earlier sources win", "[yaml]") {
  const Parsed p(
      "defaults: &d\n"
      "  cpu: 100m\n"
      "  memory: 128Mi\n"
      "big: &big\n"
      "  memory: 1Gi\n"
      "  disk: 10Gi\n"
      "one:\n"
      "  <<: *d\n"
      "  memory: 256Mi\n"
      "two:\n"
      "  <<: [*big, *d]\n"
      "  name: two\n");
  REQUIRE(p.result.errors.empty());
  const auto& r = p.root();
  const auto* one = r.get("one");
  REQUIRE(one != nullptr);
  CHECK(one->get("<<") == nullptr);
  CHECK(one->get("cpu")->value() == "100m");
  CHECK(one->get("memory")->value() == "256Mi");
  CHECK(one->keys().size() == 2);
  CHECK(one->keys().size() == one->items().size());

  const auto* two = r.get("two");
  REQUIRE(two != nullptr);
  CHECK(two->get("<<") == nullptr);
  CHECK(two->get("name")->value() == "two");
  CHECK(two->get("memory")->value() == "1Gi");  // *big comes first in the list
  CHECK(two->get("disk")->value() == "10Gi");
  CHECK(two->get("cpu")->value() == "100m");
  CHECK(two->keys().size() == 4);
}

TEST_CASE("a quoted `<<` is an ordinary key", "[yaml]") {
  const Parsed p("a: &a {x: 1}\nb:\n  '<<': *a\n");
  REQUIRE(p.result.errors.empty());
  const auto* b = p.root().get("b");
  REQUIRE(b->get("<<") != nullptr);
  CHECK(b->get("x") == nullptr);
}

TEST_CASE("duplicate keys are reported at the duplicate with the line of the first", "[yaml]") {
  SECTION("small mapping") {
    const Parsed p("a: 1\nb: 2\na: 3\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark == Mark{3, 1});
    CHECK(p.result.errors[0].message.find("duplicate key `a`") != std::string::npos);
    CHECK(p.result.errors[0].message.find("first at line 1") != std::string::npos);
    // Not fatal: the document is still there.
    CHECK(p.result.documents.size() == 1);
  }
  SECTION("nested mapping") {
    const Parsed p("metadata:\n  name: x\n  labels: {}\n  name: y\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark == Mark{4, 3});
    CHECK(p.result.errors[0].message.find("first at line 2") != std::string::npos);
  }
  SECTION("large mapping uses the same report") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": v\n";
    text += "k7: again\n";  // line 41
    text += "k7: third\n";  // line 42
    const Parsed p(text);
    REQUIRE(p.result.errors.size() == 2);
    CHECK(p.result.errors[0].mark == Mark{41, 1});
    CHECK(p.result.errors[0].message.find("first at line 8") != std::string::npos);
    CHECK(p.result.errors[1].mark == Mark{42, 1});
    CHECK(p.result.errors[1].message.find("first at line 8") != std::string::npos);
  }
  SECTION("duplicate keys can be allowed") {
    gl::yaml::ParseLimits limits;
    limits.reject_duplicate_keys = false;
    const Parsed p("a: 1\na: 2\n", limits);
    CHECK(p.result.errors.empty());
  }
  SECTION("keys that differ only in quoting are duplicates") {
    const Parsed p("a: 1\n\"a\": 2\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark == Mark{2, 1});
  }
  SECTION("two merge keys are not duplicates") {
    const Parsed p("x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: *x\n  <<: *y\n");
    CHECK(p.result.errors.empty());
    CHECK(p.root().get("z")->get("b") != nullptr);
  }
}

TEST_CASE("an alias bomb stops just past the limit, quickly", "[yaml]") {
  SECTION("default limit") {
    const auto start = std::chrono::steady_clock::now();
    const Parsed p(alias_bomb());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].message.find("alias") != std::string::npos);
    CHECK(p.result.errors[0].message.find("1000000") != std::string::npos);
    CHECK(p.result.errors[0].mark.line >= 2);
    CHECK(p.result.documents.empty());
    CHECK(elapsed < std::chrono::seconds(2));
  }
  SECTION("a small limit stops at the first alias over it") {
    gl::yaml::ParseLimits limits;
    limits.max_alias_nodes = 25;
    // Each *a is 4 nodes: 6 aliases = 24 nodes pass, the 7th (line 3) goes over.
    const Parsed p("a: &a [1, 2, 3]\nb: [*a, *a, *a, *a, *a, *a]\nc: [*a]\n", limits);
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark == Mark{3, 5});
    CHECK(p.result.errors[0].message.find("25") != std::string::npos);
  }
  SECTION("the count restarts with each document") {
    gl::yaml::ParseLimits limits;
    limits.max_alias_nodes = 10;
    const Parsed p("a: &a [1, 2]\nb: [*a, *a, *a]\n---\na: &a [1, 2]\nb: [*a, *a, *a]\n", limits);
    CHECK(p.result.errors.empty());
    CHECK(p.result.documents.size() == 2);
  }
}

TEST_CASE("nesting past the depth limit is an error, not a crash", "[yaml]") {
  SECTION("10,000 nested flow sequences") {
    const std::string text = std::string(10000, '[') + std::string(10000, ']') + "\n";
    const auto start = std::chrono::steady_clock::now();
    const Parsed p(text);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].message.find("nesting deeper than 128") != std::string::npos);
    CHECK(p.result.errors[0].mark == Mark{1, 129});
    CHECK(elapsed < std::chrono::seconds(2));
  }
  SECTION("exactly at the limit is fine, one more is not") {
    gl::yaml::ParseLimits limits;
    limits.max_depth = 3;
    CHECK(Parsed("[[[1]]]\n", limits).result.errors.empty());
    const Parsed deep("a:\n  b:\n    c:\n      d: 1\n", limits);
    REQUIRE(deep.result.errors.size() == 1);
    CHECK(deep.result.errors[0].mark == Mark{4, 7});
  }
}

TEST_CASE("malformed YAML reports the problem mark and keeps earlier documents", "[yaml]") {
  SECTION("mapping value in a plain scalar") {
    const Parsed p("kind: Pod\nmetadata:\n  name: a: b\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark == Mark{3, 10});
    CHECK(p.result.errors[0].message.find("mapping values are not allowed") != std::string::npos);
  }
  SECTION("earlier documents survive") {
    const Parsed p("a: 1\n---\nb: [1, 2\nc: 3\n");
    REQUIRE(p.result.errors.size() == 1);
    REQUIRE(p.result.documents.size() == 1);
    CHECK(p.root(0).get("a")->value() == "1");
    CHECK(p.result.errors[0].mark.line >= 3);
  }
  SECTION("end-of-stream errors point at the last line") {
    const Parsed p("a: 1\nb: \"unterminated\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark.line == 2);
    CHECK(p.result.errors[0].mark.column >= 1);
    CHECK(p.result.errors[0].message.find("quoted scalar") != std::string::npos);
  }
  SECTION("a tab used for indentation") {
    const Parsed p("a:\n\tb: 1\n");
    REQUIRE(p.result.errors.size() == 1);
    CHECK(p.result.errors[0].mark.line == 2);
  }
  SECTION("invalid UTF-8") {
    const Parsed p("a: 1\nb: \xff\xfe\n");
    REQUIRE(p.result.errors.size() == 1);
    // A reader error: the mark comes from the byte offset, not the scanner.
    CHECK(p.result.errors[0].mark == Mark{2, 4});
    CHECK(p.result.errors[0].message.find("UTF-8") != std::string::npos);
  }
}

TEST_CASE("looks_binary checks for NUL in the first 8 KiB", "[yaml]") {
  const std::string nul(1, '\0');
  CHECK(gl::yaml::looks_binary("a: 1\n" + nul + "b"));
  CHECK_FALSE(gl::yaml::looks_binary("a: 1\n"));
  CHECK_FALSE(gl::yaml::looks_binary(""));
  CHECK_FALSE(gl::yaml::looks_binary(std::string(9000, 'a') + nul));
  CHECK(gl::yaml::looks_binary(std::string(8191, 'a') + nul));
}
