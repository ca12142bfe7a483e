// Go text/template engine: every expected output and error below was produced by the oracle
// (`helm-oracle tmpl --data data.yaml t.tpl`, Go 1.19 text/template with Helm's options).
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/source.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/lex.h"
#include "render/helm/gotemplate/template.h"
#include "render/helm/gotemplate/value.h"
#include "yaml/parser.h"

namespace gt = gl::render::gotemplate;

namespace {

/// The data every case uses unless it brings its own.
constexpr const char* kDefaultData = R"(name: world
empty: ""
zero: 0
num: 3
big: 1000000
ratio: 0.5
flag: true
list: [a, b, c]
nums: [1, 2, 3]
m: {b: 2, a: 1}
nested: {svc: {name: web, ports: [80, 443]}}
emptylist: []
emptymap: {}
nul: null
)";

/// YAML -> Value the way Helm loads values (numbers are float64), keeping each scalar's origin.
gt::Value to_value(const gl::yaml::Node& n) {
  gt::Value v;
  switch (n.type) {
    case gl::yaml::NodeType::kNull:
      break;
    case gl::yaml::NodeType::kScalar: {
      std::string_view kind = n.is_quoted() ? std::string_view("str") : n.resolved_kind();
      if (kind == "null") {
        v = gt::Value::nil();
      } else if (kind == "bool") {
        v = gt::Value::boolean(*n.as_bool());
      } else if (kind == "int" || kind == "float") {
        v = gt::Value::floating(*n.as_number());
      } else {
        v = gt::Value::string(std::string(n.value()));
      }
      break;
    }
    case gl::yaml::NodeType::kSequence: {
      gt::List items;
      for (const auto& item : n.items()) items.push_back(to_value(item));
      v = gt::Value::list(std::move(items));
      break;
    }
    case gl::yaml::NodeType::kMapping: {
      gt::Map m;
      for (size_t i = 0; i < n.keys().size(); ++i) m[std::string(n.keys()[i].value())] = to_value(n.items()[i]);
      v = gt::Value::map(std::move(m));
      break;
    }
  }
  v.origin = n.span();
  return v;
}

struct Data {
  gl::SourceSet sources;
  gl::yaml::ParseResult parsed;
  gt::Value value;
  explicit Data(const char* yaml) {
    const gl::SourceFile* f = sources.add("data.yaml", yaml);
    parsed = gl::yaml::parse(*f);
    value = parsed.documents.empty() ? gt::Value::map({}) : to_value(parsed.documents[0].root);
  }
};

std::string replace_no_value(std::string s) {
  const std::string nv = "<no value>";
  for (size_t p = s.find(nv); p != std::string::npos; p = s.find(nv, p)) s.erase(p, nv.size());
  return s;
}

/// Executes include/tpl against the set being run, as Helm's engine does.
class TestContext : public gt::CallContext {
 public:
  explicit TestContext(const gt::TemplateSet* set) : set_(set) {}
  std::string include(const std::string& name, const gt::Value& data) override {
    return set_->execute(name, data, *this);
  }
  std::string tpl(const std::string& text, const gt::Value& data) override {
    gt::TemplateSet clone = set_->clone();
    try {
      clone.parse(set_->root_name(), text);
    } catch (const gt::ExecError& e) {
      gt::fail("cannot parse template " + gt::go_quote(text) + ": " + e.message);
    }
    TestContext inner(&clone);
    try {
      return replace_no_value(clone.execute(set_->root_name(), data, inner));
    } catch (const gt::ExecError& e) {
      gt::fail("error during tpl function execution for " + gt::go_quote(text) + ": " + e.message);
    }
  }

 private:
  const gt::TemplateSet* set_;
};

gt::Function fn(int min_args, int max_args, std::function<gt::Value(gt::CallContext&, std::span<const gt::Value>)> f) {
  return gt::Function{min_args, max_args, std::move(f)};
}

/// A few Sprig/Helm functions, written here to exercise function calls (the real ones live in funcs/).
const gt::FuncMap& test_funcs() {
  static const gt::FuncMap kFuncs = {
      {"list", fn(0, -1,
                  [](gt::CallContext&, std::span<const gt::Value> a) {
                    return gt::Value::list(gt::List(a.begin(), a.end()));
                  })},
      {"dict", fn(0, -1,
                  [](gt::CallContext&, std::span<const gt::Value> a) {
                    gt::Map m;
                    for (size_t i = 0; i + 1 < a.size(); i += 2) m[a[i].as_string()] = a[i + 1];
                    return gt::Value::map(std::move(m));
                  })},
      {"upper", fn(1, 1,
                   [](gt::CallContext&, std::span<const gt::Value> a) {
                     std::string s = a[0].as_string();
                     for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                     return gt::Value::string(s);
                   })},
      {"fail",
       fn(1, 1, [](gt::CallContext&, std::span<const gt::Value> a) -> gt::Value { gt::fail(a[0].as_string()); })},
      {"required", fn(2, 2,
                      [](gt::CallContext&, std::span<const gt::Value> a) {
                        if (a[1].is_nil() || (a[1].kind() == gt::Kind::kString && a[1].as_string().empty())) {
                          gt::fail(a[0].as_string());
                        }
                        return a[1];
                      })},
      {"include", fn(2, 2,
                     [](gt::CallContext& ctx, std::span<const gt::Value> a) {
                       return gt::Value::string(ctx.include(a[0].as_string(), a[1]));
                     })},
      {"tpl", fn(2, 2,
                 [](gt::CallContext& ctx, std::span<const gt::Value> a) {
                   return gt::Value::string(ctx.tpl(a[0].as_string(), a[1]));
                 })},
  };
  return kFuncs;
}

struct Case {
  const char* name;
  const char* tpl;
  const char* data;  ///< null: kDefaultData
  const char* expected;
  bool error;
};

// clang-format off
const Case kCases[] = {
    {R"gl(with else if is not allowed)gl", R"gl({{ with .a }}a{{ else if .b }}b{{ end }})gl", nullptr, R"gl(template: t.tpl:1: unexpected <if> in input)gl", true},
    {R"gl(comment inside action)gl", R"gl({{ /* x */ }})gl", nullptr, R"gl(template: t.tpl:1: unexpected "/" in command)gl", true},
    {R"gl(string given arguments)gl", R"gl({{ "a" "b" }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <"a">: can't give argument to non-function "a")gl", true},
    {R"gl(number given arguments)gl", R"gl({{ 1 2 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <1>: can't give argument to non-function 1)gl", true},
    {R"gl(malformed char constant)gl", R"gl({{ 'ab' }})gl", nullptr, R"gl(template: t.tpl:1: malformed character constant: 'ab')gl", true},
    {R"gl(map field with arguments)gl", R"gl({{ .m.a 1 }})gl", nullptr, R"gl(template: t.tpl:1:5: executing "t.tpl" at <.m.a>: a is not a method but has arguments)gl", true},
    {R"gl(redeclare variable)gl", R"gl({{ $x := 1 }}{{ $x := 2 }}{{ $x }})gl", nullptr, R"gl(2)gl", false},
    {R"gl(dollar inside define)gl", R"gl({{ define "d" }}{{ $.a }}/{{ .a }}{{ end }}{{ template "d" .m }})gl", nullptr, R"gl(1/1)gl", false},
    {R"gl(index dot)gl", R"gl({{ index . "name" }} {{ len .nested.svc.ports }})gl", nullptr, R"gl(world 2)gl", false},
    {R"gl(escaped delimiters)gl", R"gl({{ "{{" }}x{{ `}}` }})gl", nullptr, R"gl({{x}})gl", false},
    {R"gl(helm trim pattern)gl", R"gl(a:
{{- if .flag }}
  b: 1
{{- end }}
{{- range .list }}
  - {{ . }}
{{- end }}
)gl", nullptr, R"gl(a:
  b: 1
  - a
  - b
  - c
)gl", false},
    {R"gl(untrimmed control leaves blank lines)gl", R"gl(a
{{ if .flag }}
b
{{ end }}
c
)gl", nullptr, R"gl(a

b

c
)gl", false},
    {R"gl(not of eq)gl", R"gl({{ if not (eq .name "world") }}x{{ else }}y{{ end }})gl", nullptr, R"gl(y)gl", false},
    {R"gl(pipeline of printf into len)gl", R"gl({{ .name | printf "%s!" | len }})gl", nullptr, R"gl(6)gl", false},
    {R"gl(else if with variables)gl", R"gl({{ if $a := .missing }}{{ $a }}{{ else if $b := .name }}{{ $b }}{{ end }})gl", nullptr, R"gl(world)gl", false},
    {R"gl(variable declared in if pipeline visible in else)gl", R"gl({{ if $a := .zero }}t{{ else }}[{{ $a }}]{{ end }})gl", nullptr, R"gl([0])gl", false},
    {R"gl(range over list of lists)gl", R"gl({{ range .l }}{{ index . 0 }}{{ len . }};{{ end }})gl", R"gl(l: [[a, b], [c]]
)gl", R"gl(a2;c1;)gl", false},
    {R"gl(range map of maps)gl", R"gl({{ range $k, $v := .m }}{{ $k }}={{ $v.x }};{{ end }})gl", R"gl(m: {q: {x: 1}, p: {x: 2}}
)gl", R"gl(p=2;q=1;)gl", false},
    {R"gl(bool data and printf t)gl", R"gl({{ printf "%t %v" .flag .flag }})gl", nullptr, R"gl(true true)gl", false},
    {R"gl(deep missing through and)gl", R"gl({{ if and .a .a.b .a.b.c }}yes{{ else }}no{{ end }})gl", R"gl(a: {b: {}}
)gl", R"gl(no)gl", false},
    {R"gl(error column after multibyte)gl", R"gl(é {{ .missing.x }})gl", nullptr, R"gl(template: t.tpl:1:14: executing "t.tpl" at <.missing.x>: nil pointer evaluating interface {}.x)gl", true},
    {R"gl(text only)gl", R"gl(hello, world
)gl", nullptr, R"gl(hello, world
)gl", false},
    {R"gl(field)gl", R"gl({{ .name }})gl", nullptr, R"gl(world)gl", false},
    {R"gl(nested fields)gl", R"gl({{ .nested.svc.name }})gl", nullptr, R"gl(web)gl", false},
    {R"gl(trim both sides)gl", R"gl(a  {{- " b " -}}  c)gl", nullptr, R"gl(a b c)gl", false},
    {R"gl(trim newlines)gl", R"gl(x

  {{- .name -}}

  y
)gl", nullptr, R"gl(xworldy
)gl", false},
    {R"gl(comment)gl", R"gl(a{{/* hidden */}}b)gl", nullptr, R"gl(ab)gl", false},
    {R"gl(trimmed comment)gl", R"gl(a 
 {{- /* c */ -}} 
 b)gl", nullptr, R"gl(ab)gl", false},
    {R"gl(minus number is not trim)gl", R"gl({{-3}})gl", nullptr, R"gl(-3)gl", false},
    {R"gl(raw string)gl", R"gl({{ `a\nb` }})gl", nullptr, R"gl(a\nb)gl", false},
    {R"gl(string escapes)gl", R"gl({{ "t\tq\"\u00e9\x41\101" }})gl", nullptr, R"gl(t	q"éAA)gl", false},
    {R"gl(char constants)gl", R"gl({{ 'a' }} {{ '\n' }} {{ printf "%T" 'x' }})gl", nullptr, R"gl(97 10 int)gl", false},
    {R"gl(number syntaxes)gl", R"gl({{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 1e3 }} {{ 1.5 }} {{ -3 }} {{ .5 }} {{ 0x1p4 }} {{ +7 }})gl", nullptr, R"gl(31 15 15 5 1000 1000 1.5 -3 0.5 16 7)gl", false},
    {R"gl(number types)gl", R"gl({{ printf "%T %T %T %T" 1 1.0 1e2 0x10 }})gl", nullptr, R"gl(int float64 float64 int)gl", false},
    {R"gl(float literal prints short)gl", R"gl({{ 1.0 }} {{ 2.50 }} {{ 1e6 }})gl", nullptr, R"gl(1 2.5 1e+06)gl", false},
    {R"gl(bools)gl", R"gl({{ true }} {{ false }})gl", nullptr, R"gl(true false)gl", false},
    {R"gl(nil is not a command)gl", R"gl({{ nil }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <nil>: nil is not a command)gl", true},
    {R"gl(missing key prints nothing)gl", R"gl([{{ .missing }}])gl", nullptr, R"gl([])gl", false},
    {R"gl(missing nested is an error)gl", R"gl({{ .name }} {{ .missing.x }})gl", nullptr, R"gl(template: t.tpl:1:23: executing "t.tpl" at <.missing.x>: nil pointer evaluating interface {}.x)gl", true},
    {R"gl(field of no value is no value)gl", R"gl({{ $x := .missing }}[{{ $x.y }}])gl", nullptr, R"gl([])gl", false},
    {R"gl(field of a string)gl", R"gl({{ .name.x }})gl", nullptr, R"gl(template: t.tpl:1:8: executing "t.tpl" at <.name.x>: can't evaluate field x in type interface {})gl", true},
    {R"gl(field of a string variable)gl", R"gl({{ $n := .name }}{{ $n.x }})gl", nullptr, R"gl(template: t.tpl:1:22: executing "t.tpl" at <$n.x>: can't evaluate field x in type string)gl", true},
    {R"gl(field of a number in a map)gl", R"gl({{ .m.a.b }})gl", nullptr, R"gl(template: t.tpl:1:5: executing "t.tpl" at <.m.a.b>: can't evaluate field b in type interface {})gl", true},
    {R"gl(map printing)gl", R"gl({{ .m }} {{ .nested }})gl", nullptr, R"gl(map[a:1 b:2] map[svc:map[name:web ports:[80 443]]])gl", false},
    {R"gl(list printing)gl", R"gl({{ .list }} {{ .nums }} {{ .emptylist }} {{ .emptymap }})gl", nullptr, R"gl([a b c] [1 2 3] [] map[])gl", false},
    {R"gl(float printing)gl", R"gl({{ .big }} {{ .ratio }} {{ .num }} {{ .zero }})gl", nullptr, R"gl(1e+06 0.5 3 0)gl", false},
    {R"gl(null value)gl", R"gl([{{ .nul }}] {{ printf "%v" .nul }} {{ printf "%v" .missing }})gl", nullptr, R"gl([] <nil> <nil>)gl", false},
    {R"gl(dollar and chains)gl", R"gl({{ $.name }} {{ (.m).a }} {{ $.nested.svc.ports }})gl", nullptr, R"gl(world 1 [80 443])gl", false},
    {R"gl(variable declare and assign)gl", R"gl({{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }})gl", nullptr, R"gl(2)gl", false},
    {R"gl(variable scope ends with if)gl", R"gl({{ if true }}{{ $y := 1 }}{{ end }}{{ $y }})gl", nullptr, R"gl(template: t.tpl:1: undefined variable "$y")gl", true},
    {R"gl(assign to undeclared variable)gl", R"gl({{ $x = 1 }})gl", nullptr, R"gl(template: t.tpl:1:8: executing "t.tpl" at <1>: undefined variable: $x)gl", true},
    {R"gl(variable with fields)gl", R"gl({{ $s := .nested.svc }}{{ $s.name }}:{{ index $s.ports 1 }})gl", nullptr, R"gl(web:443)gl", false},
    {R"gl(range list)gl", R"gl({{ range .list }}<{{ . }}>{{ end }})gl", nullptr, R"gl(<a><b><c>)gl", false},
    {R"gl(range index and value)gl", R"gl({{ range $i, $e := .list }}{{ $i }}={{ $e }};{{ end }})gl", nullptr, R"gl(0=a;1=b;2=c;)gl", false},
    {R"gl(range map sorted)gl", R"gl({{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }})gl", nullptr, R"gl(a:1 b:2 )gl", false},
    {R"gl(range value only)gl", R"gl({{ range $v := .nums }}{{ $v }}{{ end }})gl", nullptr, R"gl(123)gl", false},
    {R"gl(range else empty)gl", R"gl({{ range .emptylist }}x{{ else }}empty{{ end }})gl", nullptr, R"gl(empty)gl", false},
    {R"gl(range else nil)gl", R"gl({{ range .missing }}x{{ else }}none{{ end }})gl", nullptr, R"gl(none)gl", false},
    {R"gl(range over int fails)gl", R"gl({{ range .num }}x{{ end }})gl", nullptr, R"gl(template: t.tpl:1:9: executing "t.tpl" at <.num>: range can't iterate over 3)gl", true},
    {R"gl(range over string fails)gl", R"gl({{ range .name }}x{{ end }})gl", nullptr, R"gl(template: t.tpl:1:9: executing "t.tpl" at <.name>: range can't iterate over world)gl", true},
    {R"gl(range dollar)gl", R"gl({{ range .list }}{{ $.name }}{{ end }})gl", nullptr, R"gl(worldworldworld)gl", false},
    {R"gl(range break continue)gl", R"gl({{ range .nums }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ if eq . 3.0 }}{{ break }}{{ end }}{{ . }}{{ end }}|)gl", nullptr, R"gl(1|)gl", false},
    {R"gl(nested range break)gl", R"gl({{ range $a := .list }}{{ range $.nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ $a }}{{ . }} {{ end }}{{ end }})gl", nullptr, R"gl(a1 b1 c1 )gl", false},
    {R"gl(break outside range)gl", R"gl({{ break }})gl", nullptr, R"gl(template: t.tpl:1: {{break}} outside {{range}})gl", true},
    {R"gl(continue outside range)gl", R"gl({{ if true }}{{ continue }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: {{continue}} outside {{range}})gl", true},
    {R"gl(range over nil element field)gl", R"gl({{ range .items }}{{ .x }}{{ end }})gl", R"gl(items: [null]
)gl", R"gl(template: t.tpl:1:21: executing "t.tpl" at <.x>: nil pointer evaluating interface {}.x)gl", true},
    {R"gl(range element field)gl", R"gl({{ range .items }}{{ .x }},{{ end }})gl", R"gl(items: [{x: 1}, {x: two}, {}]
)gl", R"gl(1,two,,)gl", false},
    {R"gl(with sets dot)gl", R"gl({{ with .nested.svc }}{{ .name }}{{ end }})gl", nullptr, R"gl(web)gl", false},
    {R"gl(with else)gl", R"gl({{ with .missing }}yes{{ else }}no {{ . | len }}{{ end }})gl", nullptr, R"gl(no 14)gl", false},
    {R"gl(with variable)gl", R"gl({{ with $x := .m }}{{ $x.a }}{{ .b }}{{ end }})gl", nullptr, R"gl(12)gl", false},
    {R"gl(else with is not go 1.19)gl", R"gl({{ with .a }}a{{ else with .b }}b{{ end }})gl", nullptr, R"gl(template: t.tpl:1: unexpected <with> in else)gl", true},
    {R"gl(if else if else)gl", R"gl({{ if .missing }}1{{ else if .zero }}2{{ else if .empty }}3{{ else }}4{{ end }})gl", nullptr, R"gl(4)gl", false},
    {R"gl(if truthiness)gl", R"gl({{ if .emptymap }}a{{ end }}{{ if .emptylist }}b{{ end }}{{ if .ratio }}c{{ end }}{{ if .flag }}d{{ end }}{{ if .m }}e{{ end }})gl", nullptr, R"gl(cde)gl", false},
    {R"gl(define and template)gl", R"gl({{ define "greet" }}hi {{ .name }}{{ end }}{{ template "greet" . }}!)gl", nullptr, R"gl(hi world!)gl", false},
    {R"gl(template without data)gl", R"gl({{ define "t2" }}[{{ .x }}]{{ end }}{{ template "t2" }})gl", nullptr, R"gl([])gl", false},
    {R"gl(template not defined)gl", R"gl({{ template "nope" . }})gl", nullptr, R"gl(template: t.tpl:1:12: executing "t.tpl" at <{{template "nope" .}}>: template "nope" not defined)gl", true},
    {R"gl(block)gl", R"gl({{ block "b" .m }}a={{ .a }}{{ end }})gl", nullptr, R"gl(a=1)gl", false},
    {R"gl(multiple definition)gl", R"gl({{ define "x" }}1{{ end }}{{ define "x" }}2{{ end }})gl", nullptr, R"gl(template: t.tpl:1: template: multiple definition of template "x")gl", true},
    {R"gl(template variables do not leak)gl", R"gl({{ $v := 1 }}{{ define "d" }}{{ $v }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: undefined variable "$v")gl", true},
    {R"gl(error inside define)gl", R"gl({{ define "inner" }}
  {{ .missing.y }}
{{ end }}{{ template "inner" . }})gl", nullptr, R"gl(template: t.tpl:2:13: executing "inner" at <.missing.y>: nil pointer evaluating interface {}.y)gl", true},
    {R"gl(and or operands)gl", R"gl({{ and 1 "x" }} {{ and 0 "x" }} {{ or "" 0 "z" }} {{ or "" 0 }})gl", nullptr, R"gl(x 0 z 0)gl", false},
    {R"gl(and short circuit)gl", R"gl([{{ and .missing .missing.x }}] {{ or .name .missing.x }})gl", nullptr, R"gl([] world)gl", false},
    {R"gl(and pipeline final)gl", R"gl({{ .name | and 1 }} {{ .name | or 0 }} {{ 0 | and 1 }})gl", nullptr, R"gl(world world 0)gl", false},
    {R"gl(not)gl", R"gl({{ not 0 }} {{ not .name }} {{ not .missing }})gl", nullptr, R"gl(true false true)gl", false},
    {R"gl(eq basics)gl", R"gl({{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ eq .name "world" }} {{ eq .num 3.0 }} {{ eq .flag true }})gl", nullptr, R"gl(true true true true true)gl", false},
    {R"gl(eq float int incompatible)gl", R"gl({{ eq .num 3 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <eq .num 3>: error calling eq: incompatible types for comparison)gl", true},
    {R"gl(eq nil)gl", R"gl({{ eq .missing nil }} {{ eq .missing "x" }} {{ eq nil nil }})gl", nullptr, R"gl(true false true)gl", false},
    {R"gl(eq maps)gl", R"gl({{ eq .m .m }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <eq .m .m>: error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2)]: map[string]interface {})gl", true},
    {R"gl(eq missing argument)gl", R"gl({{ eq 1 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <eq 1>: error calling eq: missing argument for comparison)gl", true},
    {R"gl(ne)gl", R"gl({{ ne 1 2 }} {{ ne "a" "a" }})gl", nullptr, R"gl(true false)gl", false},
    {R"gl(ordering)gl", R"gl({{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }} {{ lt .num 4.0 }})gl", nullptr, R"gl(true true true false true)gl", false},
    {R"gl(lt bools)gl", R"gl({{ lt true false }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <lt true false>: error calling lt: invalid type for comparison)gl", true},
    {R"gl(lt int float)gl", R"gl({{ lt 1 1.5 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <lt 1 1.5>: error calling lt: incompatible types for comparison)gl", true},
    {R"gl(lt nil)gl", R"gl({{ lt .missing 1 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <lt .missing 1>: error calling lt: invalid type for comparison)gl", true},
    {R"gl(index)gl", R"gl({{ index .m "a" }} {{ index .list 1 }} {{ index .nested "svc" "ports" 0 }} [{{ index .m "zz" }}] {{ index "abc" 1 }})gl", nullptr, R"gl(1 b 80 [] 98)gl", false},
    {R"gl(index out of range)gl", R"gl({{ index .list 5 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .list 5>: error calling index: index out of range: 5)gl", true},
    {R"gl(index at length)gl", R"gl({{ index .list 3 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .list 3>: error calling index: reflect: slice index out of range)gl", true},
    {R"gl(index nil)gl", R"gl({{ index .missing 1 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .missing 1>: error calling index: index of untyped nil)gl", true},
    {R"gl(index through missing key)gl", R"gl({{ index .m "zz" "y" }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .m "zz" "y">: error calling index: index of nil pointer)gl", true},
    {R"gl(index with float)gl", R"gl({{ index .list .num }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .list .num>: error calling index: cannot index slice/array with type float64)gl", true},
    {R"gl(index map with int)gl", R"gl({{ index .m 1 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .m 1>: error calling index: value has type int; should be string)gl", true},
    {R"gl(index scalar)gl", R"gl({{ index .num 1 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <index .num 1>: error calling index: can't index item of type float64)gl", true},
    {R"gl(len)gl", R"gl({{ len .name }} {{ len .list }} {{ len .m }} {{ len "" }})gl", nullptr, R"gl(5 3 2 0)gl", false},
    {R"gl(len of missing)gl", R"gl({{ len .missing }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <len .missing>: error calling len: len of nil pointer)gl", true},
    {R"gl(len of no value)gl", R"gl({{ $x := .missing }}{{ len $x }})gl", nullptr, R"gl(template: t.tpl:1:23: executing "t.tpl" at <len $x>: error calling len: reflect: call of reflect.Value.Type on zero Value)gl", true},
    {R"gl(len of number)gl", R"gl({{ len 3 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <len 3>: error calling len: len of type int)gl", true},
    {R"gl(print)gl", R"gl({{ print 1 2 "a" 3 .missing }}|{{ print }}|{{ print "a" "b" }})gl", nullptr, R"gl(1 2a3 <nil>||ab)gl", false},
    {R"gl(println)gl", R"gl({{ println 1 "a" }})gl", nullptr, R"gl(1 a
)gl", false},
    {R"gl(printf)gl", R"gl({{ printf "%d-%s-%v-%q" 7 "s" .list "q" }} {{ printf "%s" .num }} {{ printf "%d" .num }})gl", nullptr, R"gl(7-s-[a b c]-"q" %!s(float64=3) %!d(float64=3))gl", false},
    {R"gl(printf format from pipeline)gl", R"gl({{ "abc" | printf "%s-%s" "x" }} {{ "%d!" | printf }})gl", nullptr, R"gl(x-abc %!d(MISSING)!)gl", false},
    {R"gl(printf non-string format)gl", R"gl({{ printf .num }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <.num>: wrong type for value; expected string; got float64)gl", true},
    {R"gl(printf missing format)gl", R"gl({{ printf .missing }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <.missing>: wrong type for value; expected string; got interface {})gl", true},
    {R"gl(printf no value format)gl", R"gl({{ $x := .missing }}{{ printf $x }})gl", nullptr, R"gl(template: t.tpl:1:30: executing "t.tpl" at <$x>: invalid value; expected string)gl", true},
    {R"gl(printf number format)gl", R"gl({{ printf 3 }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <3>: expected string; found 3)gl", true},
    {R"gl(printf nil format)gl", R"gl({{ printf nil }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <nil>: cannot assign nil to string)gl", true},
    {R"gl(printf int pipeline format)gl", R"gl({{ 3 | printf }})gl", nullptr, R"gl(template: t.tpl:1:7: executing "t.tpl" at <printf>: wrong type for value; expected string; got int)gl", true},
    {R"gl(html js urlquery)gl", R"gl({{ html "<a href='x'>&\"</a>" }} {{ js "it's <b> = \"x\"\n" }} {{ urlquery "a b&c=d/é" }})gl", nullptr, R"gl(&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt; it\'s \u003Cb\u003E \u003D \"x\"\u000A a+b%26c%3Dd%2F%C3%A9)gl", false},
    {R"gl(html of nil)gl", R"gl({{ html .missing }} {{ urlquery 1 2 }})gl", nullptr, R"gl(&lt;no value&gt; 1+2)gl", false},
    {R"gl(call non function)gl", R"gl({{ call .name }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <call .name>: error calling call: non-function of type string)gl", true},
    {R"gl(call nil)gl", R"gl({{ call .missing }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <call .missing>: error calling call: call of nil)gl", true},
    {R"gl(wrong args len)gl", R"gl({{ len }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <len>: wrong number of args for len: want 1 got 0)gl", true},
    {R"gl(wrong args not)gl", R"gl({{ not 1 2 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <not>: wrong number of args for not: want 1 got 2)gl", true},
    {R"gl(wrong args and)gl", R"gl({{ and }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <and>: wrong number of args for and: want at least 1 got 0)gl", true},
    {R"gl(wrong args in pipeline)gl", R"gl({{ 1 | ne 2 3 }})gl", nullptr, R"gl(template: t.tpl:1:7: executing "t.tpl" at <ne>: wrong number of args for ne: want 2 got 3)gl", true},
    {R"gl(unknown function)gl", R"gl({{ nosuchfunc 1 }})gl", nullptr, R"gl(template: t.tpl:1: function "nosuchfunc" not defined)gl", true},
    {R"gl(pipeline)gl", R"gl({{ .list | len | printf "%03d" }})gl", nullptr, R"gl(003)gl", false},
    {R"gl(non executable pipeline stage)gl", R"gl({{ 1 | 2 }})gl", nullptr, R"gl(template: t.tpl:1: non executable command in pipeline stage 2)gl", true},
    {R"gl(field given arguments)gl", R"gl({{ .name | .m.a }})gl", nullptr, R"gl(template: t.tpl:1:13: executing "t.tpl" at <.m.a>: a is not a method but has arguments)gl", true},
    {R"gl(variable given arguments)gl", R"gl({{ $x := 1 }}{{ $x 2 }})gl", nullptr, R"gl(template: t.tpl:1:16: executing "t.tpl" at <$x>: can't give argument to non-function $x)gl", true},
    {R"gl(parenthesized)gl", R"gl({{ (len "abc") }} {{ printf "%d" (len .list) }} {{ (index .nested "svc").name }})gl", nullptr, R"gl(3 3 web)gl", false},
    {R"gl(parse unclosed action)gl", R"gl(a {{ .name )gl", nullptr, R"gl(template: t.tpl:1: unclosed action)gl", true},
    {R"gl(parse unclosed action multiline)gl", R"gl(a {{ .name

)gl", nullptr, R"gl(template: t.tpl:3: unclosed action started at t.tpl:1)gl", true},
    {R"gl(parse missing end)gl", R"gl({{ if true }}x)gl", nullptr, R"gl(template: t.tpl:1: unexpected EOF)gl", true},
    {R"gl(parse unexpected end)gl", R"gl(x{{ end }})gl", nullptr, R"gl(template: t.tpl:1: unexpected {{end}})gl", true},
    {R"gl(parse unexpected else)gl", R"gl({{ else }})gl", nullptr, R"gl(template: t.tpl:1: unexpected {{else}})gl", true},
    {R"gl(parse bad number)gl", R"gl({{ 3x }})gl", nullptr, R"gl(template: t.tpl:1: bad number syntax: "3x")gl", true},
    {R"gl(parse unterminated string)gl", R"gl({{ "abc }})gl", nullptr, R"gl(template: t.tpl:1: unterminated quoted string)gl", true},
    {R"gl(parse missing if value)gl", R"gl({{ if }}x{{ end }})gl", nullptr, R"gl(template: t.tpl:1: missing value for if)gl", true},
    {R"gl(parse too many declarations)gl", R"gl({{ range $a, $b, $c := .list }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: too many declarations in range)gl", true},
    {R"gl(parse range variables only)gl", R"gl({{ range $a, 1 }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: range can only initialize variables)gl", true},
    {R"gl(parse undefined variable)gl", R"gl({{ $nope }})gl", nullptr, R"gl(template: t.tpl:1: undefined variable "$nope")gl", true},
    {R"gl(parse dot after literal)gl", R"gl({{ "a".b }})gl", nullptr, R"gl(template: t.tpl:1: unexpected . after term "\"a\"")gl", true},
    {R"gl(parse unclosed comment)gl", R"gl({{/* abc)gl", nullptr, R"gl(template: t.tpl:1: unclosed comment)gl", true},
    {R"gl(parse comment without delimiter)gl", R"gl({{/* abc */ .x }})gl", nullptr, R"gl(template: t.tpl:1: comment ends before closing delimiter)gl", true},
    {R"gl(parse empty action)gl", R"gl({{ }})gl", nullptr, R"gl(template: t.tpl:1: missing value for command)gl", true},
    {R"gl(parse unexpected paren)gl", R"gl({{ ) }})gl", nullptr, R"gl(template: t.tpl:1: unexpected ")" in command)gl", true},
    {R"gl(parse unclosed paren)gl", R"gl({{ (1 }})gl", nullptr, R"gl(template: t.tpl:1: unclosed left paren)gl", true},
    {R"gl(parse define in action)gl", R"gl({{ if true }}{{ define "x" }}{{ end }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: unexpected <define> in command)gl", true},
    {R"gl(parse template needs string)gl", R"gl({{ template .name }})gl", nullptr, R"gl(template: t.tpl:1: unexpected ".name" in template clause)gl", true},
    {R"gl(parse integer overflow)gl", R"gl({{ 99999999999999999999 }})gl", nullptr, R"gl(template: t.tpl:1: integer overflow: "99999999999999999999")gl", true},
    {R"gl(parse leading zero)gl", R"gl({{ 08 }})gl", nullptr, R"gl(template: t.tpl:1: integer overflow: "08")gl", true},
    {R"gl(parse float overflow)gl", R"gl({{ 1e400 }})gl", nullptr, R"gl(template: t.tpl:1: illegal number syntax: "1e400")gl", true},
    {R"gl(parse bad char)gl", R"gl({{ .a# }})gl", nullptr, R"gl(template: t.tpl:1: bad character U+0023 '#')gl", true},
    {R"gl(parse error on later line)gl", R"gl(line1
{{ if .x }}
line3
{{ .y | }}
)gl", nullptr, R"gl(template: t.tpl:5: unexpected EOF)gl", true},
    {R"gl(uint overflows int)gl", R"gl({{ 9223372036854775808 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <9223372036854775808>: 9223372036854775808 overflows int)gl", true},
    {R"gl(exec error position on line 3)gl", R"gl(a
b
  x {{ index .list 9 }}
)gl", nullptr, R"gl(template: t.tpl:3:7: executing "t.tpl" at <index .list 9>: error calling index: index out of range: 9)gl", true},
    {R"gl(unicode text)gl", R"gl(héllo {{ .name }} ✓
)gl", nullptr, R"gl(héllo world ✓
)gl", false},
    {R"gl(parse long token)gl", R"gl({{ end "this is a long string" }})gl", nullptr, R"gl(template: t.tpl:1: unexpected "\"this is a"... in end)gl", true},
    {R"gl(parse range trailing comma)gl", R"gl({{ range $i, }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1: missing value for range)gl", true},
    {R"gl(parse trailing pipe)gl", R"gl({{ .name | }})gl", nullptr, R"gl(world)gl", false},
    {R"gl(func required error)gl", R"gl({{ required "name2 is required" .name2 }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <required "name2 is required" .name2>: error calling required: name2 is required)gl", true},
    {R"gl(func fail)gl", R"gl({{ if true }}{{ fail "boom" }}{{ end }})gl", nullptr, R"gl(template: t.tpl:1:16: executing "t.tpl" at <fail "boom">: error calling fail: boom)gl", true},
    {R"gl(func include pipeline)gl", R"gl({{ define "u" }}{{ .name }}!{{ end }}{{ include "u" . | upper }})gl", nullptr, R"gl(WORLD!)gl", false},
    {R"gl(func include missing)gl", R"gl({{ include "zz" . }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <include "zz" .>: error calling include: template: no template "zz" associated with template "gotpl")gl", true},
    {R"gl(func list and dict)gl", R"gl({{ list 1 "a" .ratio }} {{ (dict "k" .name).k }} {{ len (list) }})gl", nullptr, R"gl([1 a 0.5] world 0)gl", false},
    {R"gl(func tpl)gl", R"gl({{ tpl "{{ .name | upper }}" . }})gl", nullptr, R"gl(WORLD)gl", false},
    {R"gl(func wrong args)gl", R"gl({{ upper }})gl", nullptr, R"gl(template: t.tpl:1:3: executing "t.tpl" at <upper>: wrong number of args for upper: want 1 got 0)gl", true},
    {R"gl(func error as argument)gl", R"gl({{ print (fail "inner") }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <fail "inner">: error calling fail: inner)gl", true},
    {R"gl(whole data)gl", R"gl({{ $ }})gl", R"gl(a: 1
b: [x]
)gl", R"gl(map[a:1 b:[x]])gl", false},
    {R"gl(assign in range persists)gl", R"gl({{ $s := "" }}{{ range .list }}{{ $s = print $s . }}{{ end }}{{ $s }})gl", nullptr, R"gl(abc)gl", false},
    {R"gl(range variable reset)gl", R"gl({{ range $i, $v := .list }}{{ end }}{{ $i := 5 }}{{ $i }})gl", nullptr, R"gl(5)gl", false},
    {R"gl(continue with else)gl", R"gl({{ range .nums }}{{ if gt . 1.0 }}{{ continue }}{{ end }}{{ . }}{{ else }}none{{ end }})gl", nullptr, R"gl(1)gl", false},
    {R"gl(chained field on variable map)gl", R"gl({{ $m := .nested }}{{ $m.svc.ports }})gl", nullptr, R"gl([80 443])gl", false},
    {R"gl(method on values missing)gl", R"gl({{ .nested.svc.name.first }})gl", nullptr, R"gl(template: t.tpl:1:10: executing "t.tpl" at <.nested.svc.name.first>: can't evaluate field first in type interface {})gl", true},
    {R"gl(ideal constant in comparison)gl", R"gl({{ eq 'a' 97 }} {{ lt 0x10 17 }})gl", nullptr, R"gl(true true)gl", false},
    {R"gl(dot in template call)gl", R"gl({{ define "p" }}<{{ . }}>{{ end }}{{ template "p" .name }}{{ template "p" 3 }})gl", nullptr, R"gl(<world><3>)gl", false},
};
// clang-format on

/// Parses and runs one template the way `helm-oracle tmpl` does; returns output or the error message.
std::string run(const char* tpl, const char* data, bool* failed) {
  Data d(data != nullptr ? data : kDefaultData);
  gt::TemplateSet set(&test_funcs());
  TestContext ctx(&set);
  *failed = false;
  try {
    set.parse("t.tpl", tpl);
    return replace_no_value(set.execute("t.tpl", d.value, ctx));
  } catch (const gt::ExecError& e) {
    *failed = true;
    return e.message;
  }
}

}  // namespace

TEST_CASE("Go templates render as Go 1.19 text/template does", "[helm][engine]") {
  for (const Case& c : kCases) {
    INFO("case: " << c.name << "\ntemplate: " << c.tpl);
    bool failed = false;
    std::string got = run(c.tpl, c.data, &failed);
    CHECK(failed == c.error);
    CHECK(got == c.expected);
  }
}

TEST_CASE("Go templates: a later definition replaces an earlier one, an empty one does not", "[helm][engine]") {
  gt::TemplateSet set(nullptr);
  gt::Value data = gt::Value::map({});
  TestContext ctx(&set);
  set.parse("a.tpl", R"({{ define "x" }}one{{ end }})");
  set.parse("b.tpl", R"({{ define "x" }}two{{ end }}{{ define "y" }}y{{ end }})");
  set.parse("c.tpl", R"({{ define "y" }}  {{ end }})");
  set.parse("main", R"({{ template "x" }}/{{ template "y" }})");
  CHECK(set.execute("main", data, ctx) == "two/y");
  CHECK(set.has("x"));
  CHECK(set.has("a.tpl"));
  CHECK_FALSE(set.has("z"));
}

TEST_CASE("Go templates: clone is independent of the original", "[helm][engine]") {
  gt::TemplateSet set(nullptr);
  gt::Value data = gt::Value::map({});
  TestContext ctx(&set);
  set.parse("main", R"({{ define "x" }}one{{ end }}{{ template "x" }})");
  gt::TemplateSet copy = set.clone();
  copy.parse("other", R"({{ define "x" }}two{{ end }})");
  CHECK(copy.execute("main", data, ctx) == "two");
  CHECK(set.execute("main", data, ctx) == "one");
  CHECK_FALSE(set.has("other"));
}

TEST_CASE("Go templates: a failed parse leaves the set unchanged", "[helm][engine]") {
  gt::TemplateSet set(nullptr);
  set.parse("main", R"({{ define "x" }}one{{ end }})");
  CHECK_THROWS_AS(set.parse("bad", R"({{ define "x" }}two{{ end }}{{ if }})"), gt::ExecError);
  gt::Value data = gt::Value::map({});
  TestContext ctx(&set);
  CHECK(set.execute("x", data, ctx) == "one");
  CHECK_FALSE(set.has("bad"));
}

TEST_CASE("Go templates: output chunks map back to template nodes and value origins", "[helm][engine]") {
  Data d("image: nginx\nport: 80\n");
  gt::TemplateSet set(nullptr);
  TestContext ctx(&set);
  set.parse("deploy.yaml",
            "{{- define \"img\" }}{{ .image }}{{ end -}}\nimage: {{ template \"img\" . }}\nport: {{ .port }}\n");
  std::vector<gt::OutputChunk> chunks;
  std::string out = set.execute("deploy.yaml", d.value, ctx, &chunks);
  REQUIRE(out == "image: nginx\nport: 80\n");
  REQUIRE(chunks.size() == 5);
  // "image: " text, the value printed inside the define, "\nport: " text, the port, the final newline.
  CHECK(chunks[0].is_text);
  CHECK(out.substr(chunks[1].offset, chunks[1].length) == "nginx");
  CHECK_FALSE(chunks[1].is_text);
  CHECK(chunks[1].source->parse_name == "deploy.yaml");
  CHECK(chunks[1].pos.line == 1);
  CHECK(chunks[1].pos.column == 23);
  CHECK(chunks[1].origin.valid());
  CHECK(chunks[1].origin.begin.line == 1);
  CHECK(chunks[1].origin.begin.column == 8);
  CHECK(out.substr(chunks[3].offset, chunks[3].length) == "80");
  CHECK(chunks[3].pos.line == 3);
  CHECK(chunks[3].pos.column == 10);
  CHECK(chunks[3].origin.begin.line == 2);
  CHECK(chunks[4].is_text);
  CHECK(chunks[4].offset + chunks[4].length == out.size());
}

TEST_CASE("Go templates: executing an unknown template names the set", "[helm][engine]") {
  gt::TemplateSet set(nullptr);
  TestContext ctx(&set);
  try {
    set.execute("nope", gt::Value::map({}), ctx);
    FAIL("no error");
  } catch (const gt::ExecError& e) {
    CHECK(e.message == R"(template: no template "nope" associated with template "gotpl")");
  }
}

TEST_CASE("Go templates: objects expose fields and methods", "[helm][engine]") {
  class Caps : public gt::Object {
   public:
    std::string type_name() const override { return "chartutil.Capabilities"; }
    std::optional<gt::Value> field(std::string_view name) const override {
      if (name == "KubeVersion") return gt::Value::string("v1.29.0");
      return std::nullopt;
    }
    bool has_method(std::string_view name) const override { return name == "Has"; }
    gt::Value call_method(std::string_view, std::span<const gt::Value> args, std::string* error) const override {
      if (args.size() != 1) {
        *error = "wrong number of args";
        return {};
      }
      return gt::Value::boolean(args[0].as_string() == "apps/v1");
    }
  };
  gt::Map m;
  m["Capabilities"] = gt::Value::object(std::make_shared<Caps>());
  gt::Value data = gt::Value::map(std::move(m));
  gt::TemplateSet set(nullptr);
  TestContext ctx(&set);
  set.parse("t", R"({{ .Capabilities.KubeVersion }} {{ .Capabilities.Has "apps/v1" }} {{ "x" | .Capabilities.Has }})");
  CHECK(set.execute("t", data, ctx) == "v1.29.0 true false");
  set.parse("u", R"({{ .Capabilities.Nope }})");
  try {
    set.execute("u", data, ctx);
    FAIL("no error");
  } catch (const gt::ExecError& e) {
    CHECK(e.message ==
          R"(template: u:1:16: executing "u" at <.Capabilities.Nope>: can't evaluate field Nope in type interface {})");
  }
}

TEST_CASE("Go templates: endless template recursion is an error, not a crash", "[helm][engine]") {
  gt::TemplateSet set(nullptr);
  TestContext ctx(&set);
  set.parse("t", R"({{ define "r" }}x{{ if true }}{{ range .l }}{{ template "r" $ }}{{ end }}{{ end }}{{ end }})"
                 R"({{ template "r" . }})");
  gt::Map m;
  m["l"] = gt::Value::list({gt::Value::integer(1)});
  try {
    set.execute("t", gt::Value::map(std::move(m)), ctx);
    FAIL("no error");
  } catch (const gt::ExecError& e) {
    CHECK_THAT(e.message, Catch::Contains("exceeded maximum template depth (1000)"));
  }
}
