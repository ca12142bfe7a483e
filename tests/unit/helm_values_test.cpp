// Tests for src/render/helm/values: Helm's value typing, merging, coalescing and --set. Expected values
// come from the reference renderer (`helm-oracle values` / `template` with `{{ .Values | toJson }}`).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "core/source.h"
#include "render/helm/values.h"
#include "yaml/parser.h"

namespace {

using gl::render::gotemplate::Kind;
using gl::render::gotemplate::Map;
using gl::render::gotemplate::Value;

/// JSON as Go's encoding/json prints these values (enough for the tests: floats in shortest form).
std::string json(const Value& v) {
  switch (v.kind()) {
    case Kind::kNil: return "null";
    case Kind::kBool: return v.as_bool() ? "true" : "false";
    case Kind::kInt: return std::to_string(v.as_int());
    case Kind::kFloat: {
      const double d = v.as_float();
      if (d == std::floor(d) && std::fabs(d) < 1e21) return std::to_string(static_cast<int64_t>(d));
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", d);
      std::string s = buf;
      for (int p = 1; p <= 17; ++p) {
        std::snprintf(buf, sizeof buf, "%.*g", p, d);
        if (std::strtod(buf, nullptr) == d) {
          s = buf;
          break;
        }
      }
      return s;
    }
    case Kind::kString: return "\"" + v.as_string() + "\"";
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.as_list().size(); ++i) out += (i ? "," : "") + json(v.as_list()[i]);
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, i] : v.as_map()) {
        out += (first ? "\"" : ",\"") + k + "\":" + json(i);
        first = false;
      }
      return out + "}";
    }
    case Kind::kObject: return "{}";
  }
  return "?";
}

std::string json(const Map& m) { return json(Value::map(m)); }

struct Loaded {
  gl::SourceFile file;
  Map values;
  std::string error;
  explicit Loaded(std::string text) : file("values.yaml", std::move(text)) {
    auto parsed = gl::yaml::parse(file);
    REQUIRE(parsed.errors.empty());
    const gl::yaml::Node none;
    auto v = gl::render::helm::values_from_yaml(parsed.documents.empty() ? none : parsed.documents.front().root,
                                                &error);
    if (v) values = std::move(*v);
  }
};

std::string set(std::string_view expr, bool as_string = false) {
  Map m;
  std::string error;
  if (!gl::render::helm::apply_set(m, expr, as_string, {}, &error)) return "ERROR";
  return json(m);
}

}  // namespace

TEST_CASE("values: YAML 1.1 types through JSON, as Helm reads values files", "[helm][values]") {
  Loaded l(
      "a: 1000000\nb: 0777\nc: 0x1F\nd: 1_000\ne: yes\nf: \"yes\"\nn: -0\ng: 2024-01-01\nh: 1.5e3\ni: ~\n"
      "l: [1, \"2\", on]\nm: {1: one, true: t}\no: 0o17\np: 0b101\nq: +12\nr: 1.0\ns: 3.25\nt: 5e\nu: 1.\nv: .5\n"
      "w: Off\nx: 'on'\ny: 1E-7\n");
  // `y` as a key is YAML 1.1's true, so Helm sees the key "true".
  REQUIRE(l.error.empty());
  CHECK(json(l.values) ==
        R"({"a":1000000,"b":511,"c":31,"d":1000,"e":true,"f":"yes","false":0,"g":"2024-01-01","h":1500,"i":null,)"
        R"("l":[1,"2",true],"m":{"1":"one","true":"t"},"o":15,"p":5,"q":12,"r":1,"s":3.25,"t":"5e",)"
        R"("true":1e-07,"u":1,"v":0.5,"w":false,"x":"on"})");
  CHECK(l.values.at("a").go_type() == gl::render::gotemplate::GoType::kFloat64);
  // Provenance: each value knows its line.
  CHECK(l.values.at("c").origin.begin.line == 3);
  CHECK(l.values.at("l").as_list()[2].origin.begin.line == 11);
}

TEST_CASE("values: what Helm refuses", "[helm][values]") {
  Loaded inf("a: .inf\n");
  // Helm's own words (helm template: "cannot load values.yaml: error converting YAML to JSON: ...").
  CHECK(inf.error == "error converting YAML to JSON: json: unsupported value: +Inf");
  Loaded list("- a\n- b\n");
  CHECK(list.error == "values must be a mapping at the top level");
  Loaded empty("");
  CHECK(empty.error.empty());
  CHECK(empty.values.empty());
}

TEST_CASE("values: --set and --set-string (strvals)", "[helm][values]") {
  CHECK(set("a=") == R"({"a":""})");
  CHECK(set("a=-5") == R"({"a":-5})");
  CHECK(set("a=+5") == R"({"a":5})");
  CHECK(set("a=0") == R"({"a":0})");
  CHECK(set("a=TRUE") == R"({"a":true})");
  CHECK(set("a=Null") == R"({"a":null})");
  CHECK(set("a.b.c=1") == R"({"a":{"b":{"c":1}}})");
  CHECK(set("a[0]=1,a[2]=3") == R"({"a":[1,null,3]})");
  CHECK(set("a={}") == R"({"a":[""]})");
  CHECK(set("a={1,2}") == R"({"a":[1,2]})");
  CHECK(set(R"(a\.b=1)") == R"({"a.b":1})");
  CHECK(set(R"(a=x\,y)") == R"({"a":"x,y"})");
  CHECK(set("a=x=y") == R"({"a":"x=y"})");
  CHECK(set("a[0].b[1]=2") == R"({"a":[{"b":[null,2]}]})");
  CHECK(set("a=1e3") == R"({"a":"1e3"})");
  CHECK(set("a=00") == R"({"a":"00"})");
  CHECK(set("a=9223372036854775808") == R"({"a":"9223372036854775808"})");
  CHECK(set("a={a,b},c=d") == R"({"a":["a","b"],"c":"d"})");
  CHECK(set("a[1]=x,a[0]=y") == R"({"a":["y","x"]})");
  CHECK(set("name=with space") == R"({"name":"with space"})");
  CHECK(set("a.b=1,a.b.c=2") == "ERROR");
  CHECK(set("a=true,b=null,c={1,2}", true) == R"({"a":"true","b":"null","c":["1","2"]})");
  CHECK(set("s1=007,s2=1000000,s3=true,s4=null,s5=1.5") == R"({"s1":"007","s2":1000000,"s3":true,"s4":null,"s5":"1.5"})");
}

TEST_CASE("values: -f files merge, chart defaults coalesce under user values", "[helm][values]") {
  Loaded defaults("image:\n  repo: nginx\n  tag: \"1.25\"\nreplicas: 1\nresources: {limits: {cpu: 1}}\nextra: x\n");
  Loaded file1("image:\n  tag: \"1.27\"\nreplicas: 3\n");
  Loaded file2("replicas: 5\nextra: null\nresources: {limits: {memory: 1Gi}}\n");
  Map user = file1.values;
  gl::render::helm::merge_values(user, file2.values);
  gl::render::helm::coalesce_values(user, defaults.values);
  CHECK(json(user) ==
        R"({"image":{"repo":"nginx","tag":"1.27"},"replicas":5,"resources":{"limits":{"cpu":1,"memory":"1Gi"}}})");
  // Provenance: the winning value points at the file that set it.
  CHECK(user.at("replicas").origin.begin.line == 1);
  CHECK(user.at("replicas").origin.file->path() == "values.yaml");
}
