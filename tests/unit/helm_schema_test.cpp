// Tests for src/render/helm/schema (values.schema.json) and its use in render_chart. Expected messages come from
// Helm 3.14's chartutil.ValidateAgainstSingleSchema (gojsonschema v1.2.0 + sigs.k8s.io/yaml 1.3.0), built here
// from those Go sources and run on each case; Go visits map keys in random order, so messages are compared
// sorted. Chart-level behaviour (each chart against its own schema and coalesced values, subcharts seeing
// `global`, aliases) follows Helm's pkg/chartutil/jsonschema.go and values.go (ToRenderValues).
#include <algorithm>
#include <catch2/catch.hpp>

#include "helm_test_support.h"
#include <string>
#include <vector>

#include "render/helm/render.h"
#include "render/helm/schema.h"
#include "render/helm/values.h"
#include "repo/file_tree.h"
#include "yaml/parser.h"

namespace {

struct Checked {
  gl::SourceFile values_file;
  gl::SourceFile schema_file;
  gl::render::helm::SchemaCheck check;
  Checked(const std::string& values, const std::string& schema)
      : values_file("values.yaml", values), schema_file("values.schema.json", schema) {
    auto parsed = gl::yaml::parse(values_file);
    std::string error;
    auto m = gl::render::helm::values_from_yaml(parsed.documents.at(0).root, &error);
    REQUIRE(m);
    check = gl::render::helm::check_values_schema(schema_file, *m);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& v : check.violations) out.push_back(v.field + ": " + v.description);
    std::sort(out.begin(), out.end());
    return out;
  }
};

struct Case {
  const char* name;
  const char* values;
  const char* schema;
  std::vector<std::string> expected;
};

const Case kCases[] = {
    {"types and required",
     "replicas: \"3\"\nname: x\nport: 80\nratio: 0.5\nbig: 1000000\non: true\n",
     "{\"type\":\"object\",\"required\":[\"image\",\"name\"],\"properties\":{\"replicas\":{\"type\":\"integer\"},"
     "\"name\":{\"type\":\"string\",\"minLength\":3},\"port\":{\"type\":\"integer\"},\"ratio\":{\"type\":\"integer\"},"
     "\"big\":{\"type\":\"integer\"},\"true\":{\"type\":[\"string\",\"number\"]}}}",
     {"(root): image is required", "name: String length must be greater than or equal to 3",
      "ratio: Invalid type. Expected: integer, given: number",
      "replicas: Invalid type. Expected: integer, given: string",
      "true: Invalid type. Expected: [string,number], given: boolean"}},
    {"null values",
     "a: null\nb: ~\nc: 1\n",
     "{\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":[\"string\",\"null\"]},\"c\":{\"type\":\"null\"}}}",
     {"a: Invalid type. Expected: string, given: null", "c: Invalid type. Expected: null, given: integer"}},
    {"numbers",
     "a: 3\nb: 5\nc: 5\nd: 10\ne: 0.3\nf: 1e-7\n",
     "{\"properties\":{\"a\":{\"minimum\":5},\"b\":{\"exclusiveMinimum\":5},\"c\":{\"exclusiveMaximum\":5,\"maximum\":"
     "4.5},\"d\":{\"multipleOf\":0.01,\"maximum\":1e-5},\"e\":{\"multipleOf\":0.1},\"f\":{\"minimum\":0.000001,"
     "\"exclusiveMaximum\":1000000}}}",
     {"a: Must be greater than or equal to 5", "b: Must be greater than 5", "c: Must be less than 5",
      "c: Must be less than or equal to 4.5", "d: Must be less than or equal to 1e-05",
      "f: Must be greater than or equal to 1e-06"}},
    {"draft-04 exclusive bounds",
     "a: 5\nb: 5\n",
     "{\"$schema\":\"http://json-schema.org/draft-04/"
     "schema#\",\"properties\":{\"a\":{\"minimum\":5,\"exclusiveMinimum\":true},\"b\":{\"maximum\":5,"
     "\"exclusiveMaximum\":false}}}",
     {"a: Must be greater than 5"}},
    {"strings",
     "s: \"h\u00e9llo\"\nt: abc\nu: x\n",
     "{\"properties\":{\"s\":{\"maxLength\":4},\"t\":{\"pattern\":\"^[0-9]+$\"},\"u\":{\"pattern\":\"x\"}}}",
     {"s: String length must be less than or equal to 4", "t: Does not match pattern '^[0-9]+$'"}},
    {"enum and const",
     "p: Never\nq: 2\nr: {x: 1}\ns: \"<b>\"\n",
     "{\"properties\":{\"p\":{\"enum\":[\"Always\",\"IfNotPresent\"]},\"q\":{\"enum\":[1,\"2\",2.0]},\"r\":{\"const\":{"
     "\"x\":2}},\"s\":{\"enum\":[\"<a>\",\"x&y\"]}}}",
     {"p: p must be one of the following: \"Always\", \"IfNotPresent\"", "r: r does not match: {\"x\":2}",
      "s: s must be one of the following: \"\\u003ca\\u003e\", \"x\\u0026y\""}},
    {"arrays",
     "l: [1, 1, 2]\nm: [1, \"a\", true]\nn: []\no: [1, 2]\n",
     "{\"properties\":{\"l\":{\"type\":\"array\",\"uniqueItems\":true,\"maxItems\":2,\"items\":{\"type\":\"string\"}},"
     "\"m\":{\"items\":[{\"type\":\"integer\"},{\"type\":\"integer\"}],\"additionalItems\":false},\"n\":{\"minItems\":"
     "1},\"o\":{\"contains\":{\"type\":\"string\"}}}}",
     {"l.0: Invalid type. Expected: string, given: integer", "l.1: Invalid type. Expected: string, given: integer",
      "l.2: Invalid type. Expected: string, given: integer", "l: Array must have at most 2 items",
      "l: array items[0,1] must be unique", "m.1: Invalid type. Expected: integer, given: string",
      "m: No additional items allowed on array", "o.0: Invalid type. Expected: string, given: integer",
      "o: At least one of the items must match"}},
    {"objects",
     "a: 1\nextra: 2\nx-foo: s\nm: {Foo: 1}\nd: {a: 1, b: 2}\n",
     "{\"additionalProperties\":false,\"properties\":{\"a\":{},\"m\":{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"},"
     "\"minProperties\":2},\"d\":{\"dependencies\":{\"a\":[\"c\"],\"b\":{\"required\":[\"e\"]}}}},"
     "\"patternProperties\":{\"^x-\":{\"type\":\"integer\"},\"^d$\":{}}}",
     {"(root): Additional property extra is not allowed", "d: Has a dependency on c", "d: e is required",
      "m: Does not match pattern '^[a-z]+$'", "m: Must have at least 2 properties",
      "m: Property name of \"Foo\" does not match", "x-foo: Invalid type. Expected: integer, given: string"}},
    {"additionalProperties schema",
     "a: 1\nextra: 2\n",
     "{\"additionalProperties\":{\"type\":\"string\"},\"properties\":{\"a\":{}}}",
     {"extra: Invalid type. Expected: string, given: integer"}},
    {"anyOf oneOf allOf not",
     "a: 5\nb: x\nc: 5\nd: {x: 1, y: s}\n",
     "{\"properties\":{\"a\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\",\"maximum\":3}]},\"b\":{\"oneOf\":"
     "[{\"type\":\"integer\",\"minimum\":1},{\"type\":\"string\",\"minLength\":3}]},\"c\":{\"allOf\":[{\"type\":"
     "\"integer\"},{\"maximum\":3},{\"not\":{\"type\":\"integer\"}}]},\"d\":{\"oneOf\":[{\"properties\":{\"x\":{"
     "\"type\":\"string\"},\"y\":{\"type\":\"string\"}}},{\"properties\":{\"x\":{\"type\":\"boolean\"},\"y\":{\"type\":"
     "\"integer\"}},\"required\":[\"z\"]}]}}}",
     {"a: Must be less than or equal to 3", "a: Must validate at least one schema (anyOf)",
      "b: Must validate one and only one schema (oneOf)", "b: String length must be greater than or equal to 3",
      "c: Must be less than or equal to 3", "c: Must not validate the schema (not)",
      "c: Must validate all the schemas (allOf)", "d.x: Invalid type. Expected: string, given: integer",
      "d: Must validate one and only one schema (oneOf)"}},
    {"oneOf with two matches",
     "a: 5\n",
     "{\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"number\"}]}}}",
     {"a: Must validate one and only one schema (oneOf)"}},
    {"if then else",
     "a: {kind: x}\nb: {kind: y}\n",
     "{\"properties\":{\"a\":{\"$ref\":\"#/definitions/k\"},\"b\":{\"$ref\":\"#/definitions/"
     "k\"}},\"definitions\":{\"k\":{\"if\":{\"properties\":{\"kind\":{\"const\":\"x\"}}},\"then\":{\"required\":["
     "\"name\"]},\"else\":{\"required\":[\"other\"]}}}}",
     {"a: Must validate \"then\" as \"if\" was valid", "a: name is required",
      "b: Must validate \"else\" as \"if\" was not valid", "b: other is required"}},
    {"$ref to definitions and $defs, recursive",
     "img: {tag: 1}\ntree: {name: a, children: [{name: b, children: [{name: 3}]}]}\n",
     "{\"properties\":{\"img\":{\"$ref\":\"#/$defs/image\"},\"tree\":{\"$ref\":\"#/definitions/"
     "node\"}},\"$defs\":{\"image\":{\"required\":[\"repository\"],\"properties\":{\"tag\":{\"$ref\":\"#/$defs/"
     "str\"}}},\"str\":{\"type\":\"string\"}},\"definitions\":{\"node\":{\"type\":\"object\",\"properties\":{\"name\":{"
     "\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/node\"}}}}}}",
     {"img.tag: Invalid type. Expected: string, given: integer", "img: repository is required",
      "tree.children.0.children.0.name: Invalid type. Expected: string, given: integer"}},
    {"formats",
     "e: not-mail\nd: \"2024-02-30\"\nt: \"25:00:00\"\nh: -bad-\nip: \"1.2.3\"\nu: relative/path\nid: ABC\nnum: "
     "3\nok1: \"2024-01-02T10:00:00Z\"\nok2: a@b.io\nok3: \"::1\"\nok4: \"10.0.0.1\"\nok5: \"https://x.io/a?b\"\nok6: "
     "\"2024-02-29\"\nz: anything\n",
     "{\"properties\":{\"e\":{\"format\":\"email\"},\"d\":{\"format\":\"date\"},\"t\":{\"format\":\"time\"},\"h\":{"
     "\"format\":\"hostname\"},\"ip\":{\"format\":\"ipv4\"},\"u\":{\"format\":\"uri\"},\"id\":{\"format\":\"uuid\"},"
     "\"num\":{\"format\":\"ipv4\"},\"ok1\":{\"format\":\"date-time\"},\"ok2\":{\"format\":\"email\"},\"ok3\":{"
     "\"format\":\"ipv6\"},\"ok4\":{\"format\":\"ipv4\"},\"ok5\":{\"format\":\"uri\"},\"ok6\":{\"format\":\"date\"},"
     "\"z\":{\"format\":\"no-such-format\"}}}",
     {"d: Does not match format 'date'", "e: Does not match format 'email'", "h: Does not match format 'hostname'",
      "id: Does not match format 'uuid'", "ip: Does not match format 'ipv4'", "num: Does not match format 'ipv4'",
      "t: Does not match format 'time'", "u: Does not match format 'uri'"}},
    {"boolean schemas",
     "a: 1\nc: 2\n",
     "{\"properties\":{\"a\":true,\"c\":false}}",
     {"c: False always fails validation"}},
    {"valid",
     "image: {repository: nginx, tag: \"1.25\"}\nreplicas: 3\n",
     "{\"$schema\":\"http://json-schema.org/draft-07/"
     "schema#\",\"type\":\"object\",\"properties\":{\"image\":{\"type\":\"object\",\"properties\":{\"repository\":{"
     "\"type\":\"string\"},\"tag\":{\"type\":\"string\"}},\"required\":[\"repository\"]},\"replicas\":{\"type\":"
     "\"integer\",\"minimum\":1}}}",
     {}},
};

struct SchemaErrorCase {
  const char* name;
  const char* schema;
  const char* expected;
};

const SchemaErrorCase kSchemaErrors[] = {
    {"unknown type", "{\"properties\":{\"a\":{\"type\":\"strin\"}}}",
     "has a primitive type that is NOT VALID -- given: /strin/ Expected valid values are:[array boolean integer number "
     "null object string]"},
    {"minimum not a number", "{\"properties\":{\"a\":{\"minimum\":\"1\"}}}", "minimum must be of a number"},
    {"pattern with lookahead", "{\"properties\":{\"a\":{\"pattern\":\"(?!x)\"}}}", "pattern must be a valid regex"},
    {"minLength 1.0", "{\"properties\":{\"a\":{\"minLength\":1.0}}}", "minLength must be of an integer"},
    {"missing definition", "{\"properties\":{\"a\":{\"$ref\":\"#/definitions/nope\"}}}",
     "Object has no key 'definitions'"},
    {"required not array", "{\"required\":\"a\"}", "required must be of an array"},
    {"duplicate enum", "{\"properties\":{\"a\":{\"enum\":[1,1.0]}}}", "enum items must be unique"},
    {"not an object", "[]", "schema is invalid"},
    {"exclusiveMinimum without minimum", "{\"exclusiveMinimum\":true}",
     "exclusiveMinimum cannot be used without minimum"},
    {"trailing comma", "{\"properties\":{\"a\":{\"type\":\"integer\"},}}",
     "invalid character '}' looking for beginning of object key string"},
    {"truncated", "{\"properties\":\n  {\"a\": {\"type\": \"integer\"}}", "unexpected EOF"},
    {"empty", "", "EOF"},
    {"bad literal", "{\"a\": tru}", "invalid character '}' in literal true (expecting 'e')"},
    {"bad string", "{\"a\": \"x\ny\"}", "invalid character '\\n' in string literal"},
};

}  // namespace

TEST_CASE("schema: keywords and messages as Helm's gojsonschema reports them", "[helm][schema]") {
  for (const auto& c : kCases) {
    SECTION(c.name) {
      Checked r(c.values, c.schema);
      CHECK_FALSE(r.check.schema_error);
      CHECK(r.lines() == c.expected);
    }
  }
}

TEST_CASE("schema: a file that is not JSON or not a schema is one error, nothing is checked", "[helm][schema]") {
  for (const auto& c : kSchemaErrors) {
    SECTION(c.name) {
      Checked r("a: 1\n", c.schema);
      REQUIRE(r.check.schema_error);
      CHECK(*r.check.schema_error == c.expected);
      CHECK(r.check.violations.empty());
      CHECK(r.check.schema_error_at.file == &r.schema_file);
    }
  }
}

TEST_CASE("schema: a violation points at the values line that set the value, else at the schema keyword",
          "[helm][schema]") {
  Checked r("image:\n  tag: 1\nreplicas: \"3\"\n",
            "{\n  \"required\": [\"name\"],\n  \"properties\": {\n"
            "    \"image\": {\"properties\": {\"tag\": {\"type\": \"string\"}}},\n"
            "    \"replicas\": {\"type\": \"integer\"}\n  }\n}\n");
  REQUIRE(r.check.violations.size() == 3);
  std::vector<std::string> at;
  for (const auto& v : r.check.violations) {
    at.push_back(v.field + " " + v.at.file->path() + ":" + std::to_string(v.at.begin.line) + ":" +
                 std::to_string(v.at.begin.column));
  }
  std::sort(at.begin(), at.end());
  // The top-level map has no values line: the `required` keyword of the schema is the place.
  CHECK(at == std::vector<std::string>{"(root) values.schema.json:2:15", "image.tag values.yaml:2:8",
                                       "replicas values.yaml:3:11"});
}

TEST_CASE("schema: JSON syntax and schema errors point into the schema file", "[helm][schema]") {
  Checked comma("a: 1\n", "{\n  \"a\": 1,\n}\n");
  REQUIRE(comma.check.schema_error);
  CHECK(comma.check.not_json);
  CHECK(*comma.check.schema_error == "invalid character '}' looking for beginning of object key string");
  CHECK(comma.check.schema_error_at.begin.line == 3);
  CHECK(comma.check.schema_error_at.begin.column == 1);

  Checked bad_min("a: 1\n", "{\n  \"properties\": {\n    \"a\": {\"minimum\": \"1\"}\n  }\n}\n");
  REQUIRE(bad_min.check.schema_error);
  CHECK_FALSE(bad_min.check.not_json);
  CHECK(*bad_min.check.schema_error == "minimum must be of a number");
  CHECK(bad_min.check.schema_error_at.begin.line == 3);
  CHECK(bad_min.check.schema_error_at.begin.column == 22);

  // A reference to another document (Helm would fetch it) is taken as satisfied.
  Checked external("a: 1\n", R"({"properties": {"a": {"$ref": "https://example.com/s.json#/x"}}})");
  CHECK_FALSE(external.check.schema_error);
  CHECK(external.check.violations.empty());
}

TEST_CASE("schema: hostile schemas end with an error, quickly", "[helm][schema][errors]") {
  // gojsonschema would recurse until Go's stack limit kills Helm.
  Checked self_ref("a: 1\n", R"({"$ref": "#"})");
  REQUIRE(self_ref.check.schema_error);
  CHECK(*self_ref.check.schema_error == "the schema is too deep or too costly to check (a `$ref` that loops?)");
  Checked loop(
      "a: 1\n",
      R"({"properties": {"a": {"$ref": "#/definitions/x"}}, "definitions": {"x": {"$ref": "#/definitions/x"}}})");
  REQUIRE(loop.check.schema_error);

  Checked deep("a: 1\n", std::string(100000, '['));
  REQUIRE(deep.check.schema_error);
  CHECK(*deep.check.schema_error == "exceeded max depth");

  // anyOf of anyOf (through definitions) whose branches all fail: 2^40 checks for a naive validator, cut by a
  // step budget.
  std::string defs = R"("d0": {"type": "string"})";
  for (int i = 1; i <= 40; ++i) {
    defs += ", \"d" + std::to_string(i) + R"(": {"anyOf": [{"$ref": "#/definitions/d)" + std::to_string(i - 1) +
            R"("}, {"$ref": "#/definitions/d)" + std::to_string(i - 1) + "\"}]}";
  }
  Checked wide("a: 1\n", R"({"properties": {"a": {"$ref": "#/definitions/d40"}}, "definitions": {)" + defs + "}}");
  REQUIRE(wide.check.schema_error);
  CHECK(*wide.check.schema_error == "the schema is too deep or too costly to check (a `$ref` that loops?)");
}

namespace {

using Files = gl::test::Files;

using Rendered = gl::test::RenderedChart;

/// "FILE:LINE: MESSAGE" per error, sorted (Helm's own order is random).
std::vector<std::string> sorted_errors(const Rendered& r) {
  auto out = r.error_lines();
  std::sort(out.begin(), out.end());
  return out;
}

const Files kChart = {
    {"c/Chart.yaml",
     "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n  - name: sub\n    alias: db\n  - name: other\n"
     "    condition: other.enabled\n"},
    {"c/values.yaml", "replicas: 2\nglobal:\n  region: eu\ndb:\n  size: 1\n"},
    {"c/values.schema.json",
     R"({"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}, "required": ["replicas"]})"},
    {"c/templates/cm.yaml", "kind: ConfigMap\nreplicas: {{ .Values.replicas }}\n"},
    {"c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"},
    {"c/charts/sub/values.yaml", "size: 3\n"},
    // No `global` property: every subchart's values hold `global`, so Helm rejects this schema's chart.
    {"c/charts/sub/values.schema.json",
     "{\n  \"additionalProperties\": false,\n  \"properties\": {\"size\": {\"type\": \"integer\", \"maximum\": "
     "5}}\n}\n"},
    {"c/charts/sub/templates/svc.yaml", "kind: Service\nsize: {{ .Values.size }}\n"},
    {"c/charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n"},
    {"c/charts/other/values.yaml", "enabled: false\n"},
    // A disabled subchart is not validated (Helm validates the charts that remain).
    {"c/charts/other/values.schema.json", R"({"required": ["never"]})"},
    {"env/prod.yaml", "replicas: \"3\"\ndb:\n  size: 9\n"},
};

}  // namespace

TEST_CASE("schema: each chart is checked against its own schema with its coalesced values; the chart still renders",
          "[helm][schema]") {
  gl::render::helm::RenderOptions options;
  options.value_files = {"env/prod.yaml"};
  Rendered r(kChart, options);
  // Helm 3.14 would stop with:
  //   values don't meet the specifications of the schema(s) in the following chart(s):
  //   c:
  //   - replicas: Invalid type. Expected: integer, given: string
  //   db:
  //   - (root): Additional property global is not allowed
  //   - size: Must be less than or equal to 5
  CHECK(sorted_errors(r) ==
        std::vector<std::string>{
            "c/charts/sub/values.schema.json:2: values don't meet the schema of chart `db`: (root): Additional "
            "property global is not allowed",
            "env/prod.yaml:1: values don't meet the schema of chart `c`: replicas: Invalid type. Expected: integer, "
            "given: string",
            "env/prod.yaml:3: values don't meet the schema of chart `db`: size: Must be less than or equal to 5"});
  REQUIRE(r.result.manifests.size() == 2);
  CHECK(r.result.text() ==
        "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\nreplicas: 3\n"
        "---\n# Source: c/charts/db/templates/svc.yaml\nkind: Service\nsize: 9\n");
  CHECK(r.result.errors.at(0).help ==
        "change the value or `c/values.schema.json`: Helm refuses to render the chart with these values");
}

TEST_CASE("schema: clean values give no error; a broken schema file is one error and the chart renders",
          "[helm][schema]") {
  Files clean = kChart;
  clean.emplace_back("env/ok.yaml", "global: null\n");
  clean[6].second =
      R"({"properties": {"global": {}, "size": {"type": "integer", "maximum": 5}}, "additionalProperties": false})";
  Rendered ok(clean);
  CHECK(sorted_errors(ok).empty());

  Files broken = kChart;
  broken[2].second = "{\n  \"type\": \"object\",\n  \"properties\": {\n}\n";
  broken[6].second = R"({"properties": {"size": {"type": "int"}}})";
  Rendered r(broken);
  CHECK(sorted_errors(r) == std::vector<std::string>{
                          "c/charts/sub/values.schema.json:1: `c/charts/sub/values.schema.json` is not a valid JSON "
                          "schema: has a primitive type that is NOT VALID -- given: /int/ Expected valid values "
                          "are:[array boolean integer number null object string]",
                          "c/values.schema.json:4: `c/values.schema.json` is not valid JSON: unexpected EOF"});
  CHECK(r.result.manifests.size() == 2);
}

TEST_CASE("schema: sees the nulls Helm's coalescing keeps", "[helm][schema]") {
  // `helm-oracle values` on this chart with env/null.yaml prints `a: null`, `c: null` and `m: {x: null}`: a
  // null of the chart's own values stays, and so does a user null for a key the chart lacks; a user null for a
  // key the chart has (`b`, `m.y`) deletes it. The messages are gojsonschema's on those values. `m` is the
  // user's map (its line is its first key's).
  const Files files = {
      {"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"},
      {"c/values.yaml", "a: null\nb: 1\nm:\n  x: null\n  y: 2\n"},
      {"c/values.schema.json",
       R"({"properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "string"},)"
       R"( "m": {"properties": {"x": {"type": "string"}}, "required": ["y"]}}})"},
      {"c/templates/cm.yaml", "kind: ConfigMap\n"},
      {"env/null.yaml", "b: null\nc: null\nm:\n  y: null\n"},
  };
  gl::render::helm::RenderOptions options;
  options.value_files = {"env/null.yaml"};
  Rendered r(files, options);
  CHECK(sorted_errors(r) == std::vector<std::string>{
                          "c/values.yaml:1: values don't meet the schema of chart `c`: a: Invalid type. Expected: "
                          "string, given: null",
                          "c/values.yaml:4: values don't meet the schema of chart `c`: m.x: Invalid type. Expected: "
                          "string, given: null",
                          "env/null.yaml:2: values don't meet the schema of chart `c`: c: Invalid type. Expected: "
                          "string, given: null",
                          "env/null.yaml:4: values don't meet the schema of chart `c`: m: y is required"});
}
