// Tests for src/core: string helpers, globs, paths, "did you mean", hashing, source files and severities.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/embedded.h"
#include "core/object_ref.h"
#include "core/severity.h"
#include "core/source.h"
#include "core/strings.h"

namespace {

std::vector<std::string> to_strings(const std::vector<std::string_view>& parts) {
  return std::vector<std::string>(parts.begin(), parts.end());
}

}  // namespace

TEST_CASE("trim removes surrounding whitespace only", "[core]") {
  CHECK(gl::trim("  a b \t\n") == "a b");
  CHECK(gl::trim("") == "");
  CHECK(gl::trim(" \t\r\n ") == "");
  CHECK(gl::trim("x") == "x");
}

TEST_CASE("split keeps empty fields", "[core]") {
  CHECK(to_strings(gl::split("a,b,c", ',')) == std::vector<std::string>{"a", "b", "c"});
  CHECK(to_strings(gl::split("a,,b,", ',')) == std::vector<std::string>{"a", "", "b", ""});
  CHECK(to_strings(gl::split("", ',')) == std::vector<std::string>{""});
  CHECK(to_strings(gl::split("abc", ',')) == std::vector<std::string>{"abc"});
}

TEST_CASE("case-insensitive helpers", "[core]") {
  CHECK(gl::to_lower("PostgreS-1") == "postgres-1");
  CHECK(gl::iequals("Redis", "rEDIS"));
  CHECK_FALSE(gl::iequals("redis", "redis2"));
  CHECK(gl::icontains("bitnami/PostgreSQL", "postgres"));
  CHECK(gl::icontains("abc", ""));
  CHECK_FALSE(gl::icontains("ab", "abc"));
  CHECK_FALSE(gl::icontains("mysql", "maria"));
}

TEST_CASE("glob_match: a pattern without a slash matches any path component", "[core]") {
  CHECK(gl::glob_match("*.yaml", "a/b/c.yaml"));
  CHECK(gl::glob_match("*.yaml", "c.yaml"));
  CHECK_FALSE(gl::glob_match("*.yaml", "a/b/c.yml"));
  CHECK(gl::glob_match("vendor", "apps/vendor/x.yaml"));
  CHECK(gl::glob_match("vendor/", "vendor/x.yaml"));
  CHECK_FALSE(gl::glob_match("vendor", "apps/vendors/x.yaml"));
}

TEST_CASE("glob_match: `*` and `?` never cross a slash", "[core]") {
  CHECK(gl::glob_match("apps/*.yaml", "apps/web.yaml"));
  CHECK_FALSE(gl::glob_match("apps/*.yaml", "apps/web/deploy.yaml"));
  CHECK(gl::glob_match("a/*/c.yaml", "a/b/c.yaml"));
  CHECK_FALSE(gl::glob_match("a/*/c.yaml", "a/b/d/c.yaml"));
  CHECK(gl::glob_match("x/a?c", "x/abc"));
  CHECK_FALSE(gl::glob_match("x/a?c", "x/a/c"));
  CHECK_FALSE(gl::glob_match("x/a?c", "x/ac"));
}

TEST_CASE("glob_match: `**` crosses directories, `**/` matches zero or more", "[core]") {
  CHECK(gl::glob_match("drafts/**", "drafts/x.yaml"));
  CHECK(gl::glob_match("drafts/**", "drafts/a/b/c.yaml"));
  CHECK_FALSE(gl::glob_match("drafts/**", "apps/drafts/x.yaml"));
  CHECK_FALSE(gl::glob_match("drafts/**", "drafts-old/x.yaml"));
  CHECK(gl::glob_match("**/secret.yaml", "secret.yaml"));
  CHECK(gl::glob_match("**/secret.yaml", "a/b/secret.yaml"));
  CHECK_FALSE(gl::glob_match("**/secret.yaml", "a/b/my-secret.yaml"));
  CHECK(gl::glob_match("a/**/c.yaml", "a/c.yaml"));
  CHECK(gl::glob_match("a/**/c.yaml", "a/b/d/c.yaml"));
  CHECK_FALSE(gl::glob_match("a/**/c.yaml", "b/a/c.yaml"));
  CHECK(gl::glob_match("**/*.enc.yaml", "x/y/z.enc.yaml"));
  CHECK_FALSE(gl::glob_match("**/*.enc.yaml", "x/y/z.yaml"));
}

TEST_CASE("glob_match: a pattern with a slash is anchored and matches everything under a directory", "[core]") {
  CHECK(gl::glob_match("apps/legacy", "apps/legacy/deploy.yaml"));
  CHECK_FALSE(gl::glob_match("apps/legacy", "other/apps/legacy/deploy.yaml"));
  CHECK(gl::glob_match("/drafts", "drafts/x.yaml"));
  CHECK_FALSE(gl::glob_match("/drafts", "a/drafts/x.yaml"));
  CHECK(gl::glob_match("apps/*", "apps/web/deploy.yaml"));
}

TEST_CASE("glob_match: character classes", "[core]") {
  CHECK(gl::glob_match("[abc].yaml", "b.yaml"));
  CHECK_FALSE(gl::glob_match("[abc].yaml", "d.yaml"));
  CHECK(gl::glob_match("[a-c]x.yaml", "bx.yaml"));
  CHECK_FALSE(gl::glob_match("[a-c]x.yaml", "dx.yaml"));
  CHECK(gl::glob_match("[!a]x.yaml", "bx.yaml"));
  CHECK_FALSE(gl::glob_match("[!a]x.yaml", "ax.yaml"));
  CHECK(gl::glob_match("v[0-9]/app.yaml", "v2/app.yaml"));
}

TEST_CASE("normalize_path resolves . and .. and detects escapes", "[core]") {
  bool ok = false;
  CHECK(gl::normalize_path("a/./b/../c", &ok) == "a/c");
  CHECK(ok);
  CHECK(gl::normalize_path("/a//b/", &ok) == "a/b");
  CHECK(ok);
  CHECK(gl::normalize_path("a/..", &ok).empty());
  CHECK(ok);
  CHECK(gl::normalize_path("", &ok).empty());
  CHECK(ok);

  gl::normalize_path("../x", &ok);
  CHECK_FALSE(ok);
  gl::normalize_path("a/../../x", &ok);
  CHECK_FALSE(ok);
  gl::normalize_path("apps/web/../../../etc/passwd", &ok);
  CHECK_FALSE(ok);
  // A later `..` that stays inside does not count as an escape.
  CHECK(gl::normalize_path("a/b/../../c", &ok) == "c");
  CHECK(ok);
  // No out-parameter: still returns the normalised path.
  CHECK(gl::normalize_path("x/./y") == "x/y");
}

TEST_CASE("join_path, dirname and basename", "[core]") {
  CHECK(gl::join_path("", "a.yaml") == "a.yaml");
  CHECK(gl::join_path("apps", "") == "apps");
  CHECK(gl::join_path("apps", "a.yaml") == "apps/a.yaml");
  CHECK(gl::join_path("apps/", "a.yaml") == "apps/a.yaml");
  CHECK(gl::dirname("a/b/c.yaml") == "a/b");
  CHECK(gl::dirname("c.yaml") == "");
  CHECK(gl::basename("a/b/c.yaml") == "c.yaml");
  CHECK(gl::basename("c.yaml") == "c.yaml");
}

TEST_CASE("edit_distance is Levenshtein distance", "[core]") {
  CHECK(gl::edit_distance("kitten", "sitting") == 3);
  CHECK(gl::edit_distance("", "abc") == 3);
  CHECK(gl::edit_distance("abc", "") == 3);
  CHECK(gl::edit_distance("same", "same") == 0);
  CHECK(gl::edit_distance("node-pining", "node-pinning") == 1);
}

TEST_CASE("closest_match suggests near candidates only", "[core]") {
  const std::vector<std::string> ids = {"load-error", "netpol-egress", "node-pinning", "requests-fit"};
  CHECK(gl::closest_match("node-pining", ids) == "node-pinning");
  CHECK(gl::closest_match("request-fit", ids) == "requests-fit");
  CHECK(gl::closest_match("NODE-PINNING", ids).empty());  // case matters: 11 edits
  CHECK(gl::closest_match("zzzzzz", ids).empty());
  CHECK(gl::closest_match("x", {}).empty());
  // Short words still get suggestions within distance 2.
  CHECK(gl::closest_match("exclud", {"exclude", "limits", "rules"}) == "exclude");
  CHECK(gl::closest_match("rule", {"exclude", "limits", "rules"}) == "rules");
  // A long word allows a third of its length.
  CHECK(gl::closest_match("maxAliasNodez", {"maxAliasNodes", "maxDepth"}) == "maxAliasNodes");
  CHECK(gl::closest_match("abc", {"xyz"}).empty());
  // Ties go to the first candidate.
  CHECK(gl::closest_match("ab", {"ax", "ay"}) == "ax");
}

TEST_CASE("fnv1a64 and hex64 are stable", "[core]") {
  CHECK(gl::hex64(gl::fnv1a64("")) == "cbf29ce484222325");
  CHECK(gl::hex64(gl::fnv1a64("a")) == "af63dc4c8601ec8c");
  CHECK(gl::hex64(gl::fnv1a64("foobar")) == "85944171f73967e8");
  CHECK(gl::fnv1a64("a") != gl::fnv1a64("b"));
  CHECK(gl::fnv1a64("a", 1) != gl::fnv1a64("a"));
  CHECK(gl::hex64(0) == "0000000000000000");
  CHECK(gl::hex64(0xdeadbeefULL) == "00000000deadbeef");
  CHECK(gl::hex64(~0ULL) == "ffffffffffffffff");
}

TEST_CASE("SourceFile indexes lines", "[core]") {
  const gl::SourceFile f("apps/a.yaml", "one\ntwo\r\n\nfour");
  CHECK(f.path() == "apps/a.yaml");
  CHECK(f.line_count() == 4);
  CHECK(f.line(1) == "one");
  CHECK(f.line(2) == "two");
  CHECK(f.line(3) == "");
  CHECK(f.line(4) == "four");
  CHECK(f.line(0).empty());
  CHECK(f.line(5).empty());

  const gl::SourceFile trailing("t.yaml", "a: 1\nb: 2\n");
  CHECK(trailing.line_count() == 2);
  CHECK(trailing.line(2) == "b: 2");
  CHECK(trailing.line(3).empty());
}

TEST_CASE("SourceSet keeps files at stable addresses", "[core]") {
  gl::SourceSet set;
  const gl::SourceFile* a = set.add("a.yaml", "a");
  std::vector<const gl::SourceFile*> more;
  for (int i = 0; i < 100; ++i) more.push_back(set.add("f" + std::to_string(i), "x"));
  CHECK(a->path() == "a.yaml");
  CHECK(a->text() == "a");
  CHECK(more[42]->path() == "f42");
}

TEST_CASE("Span validity", "[core]") {
  const gl::SourceFile f("a.yaml", "x");
  CHECK_FALSE(gl::Span{}.valid());
  CHECK_FALSE((gl::Span{&f, {0, 0}, {0, 0}}.valid()));
  CHECK((gl::Span{&f, {1, 1}, {1, 2}}.valid()));
  CHECK((gl::Mark{1, 5} < gl::Mark{2, 1}));
  CHECK((gl::Mark{2, 1} < gl::Mark{2, 3}));
}

TEST_CASE("severities are ordered and round-trip through text", "[core]") {
  CHECK(gl::Severity::kNote < gl::Severity::kWarning);
  CHECK(gl::Severity::kWarning < gl::Severity::kError);
  for (auto s : {gl::Severity::kNote, gl::Severity::kWarning, gl::Severity::kError}) {
    CHECK(gl::parse_severity(gl::to_string(s)) == s);
  }
  CHECK_FALSE(gl::parse_severity("Error").has_value());
  CHECK_FALSE(gl::parse_severity("info").has_value());
  CHECK_FALSE(gl::parse_severity("").has_value());
}

TEST_CASE("ObjectRef display", "[core]") {
  CHECK((gl::ObjectRef{"apps/v1", "Deployment", "shop", "web"}.display()) == "Deployment/shop/web");
  CHECK((gl::ObjectRef{"v1", "Namespace", "", "shop"}.display()) == "Namespace/shop");
}

TEST_CASE("rule docs and the instance catalog are embedded", "[core]") {
  auto doc = gl::embedded_file("node-pinning.md");
  REQUIRE(doc.has_value());
  CHECK(doc->find("node-pinning") != std::string_view::npos);
  auto catalog = gl::embedded_file("instance-types.yaml");
  REQUIRE(catalog.has_value());
  CHECK(catalog->find("t3.micro") != std::string_view::npos);
  CHECK_FALSE(gl::embedded_file("no-such-file.md").has_value());
}
