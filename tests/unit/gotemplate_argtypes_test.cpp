// Typed function parameters: text/template checks and converts each argument against the Go parameter type
// before the call (exec.go evalCall, evalArg, validateType). The messages below are Go's: the same checks on
// Sprig functions were run through the oracle (tests/helm/cases/48x-49x, 58x-59x, 67x-68x, 77x, 89x); the
// conversions (int constant to an int64 parameter, chartutil.Values to map[string]interface {}) are what
// reflect does with the arguments of a call.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "render/helm/funcs/funcs.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/template.h"
#include "render/helm/gotemplate/value.h"

namespace gt = gl::render::gotemplate;

namespace {

using P = gt::ParamType;

class NoCalls : public gt::CallContext {
 public:
  std::string include(const std::string&, const gt::Value&) override { return ""; }
  std::string tpl(const std::string&, const gt::Value&) override { return ""; }
};

/// A function printing the Go type of each argument it receives, "nil" for nil.
gt::Function show(int min_args, int max_args) {
  return gt::Function(min_args, max_args, [](gt::CallContext&, std::span<const gt::Value> args) {
    std::string out;
    for (const gt::Value& a : args) out += (out.empty() ? "" : " ") + (a.is_nil() ? "nil" : a.type_name());
    return gt::Value::string(out);
  });
}

gt::FuncMap typed_funcs() {
  gt::FuncMap f;
  f["nums"] = show(3, 3);
  f["maps"] = show(1, 1);
  f["strs"] = show(1, -1);
  f["list"] = show(1, 1);
  f["any"] = show(2, 2);
  CHECK(gt::set_params(f, {"nums"}, {P::kInt, P::kInt64, P::kFloat64}));
  CHECK(gt::set_params(f, {"maps"}, {P::kMap}));
  CHECK(gt::set_params(f, {"strs"}, {P::kString, P::kInt}));
  CHECK(gt::set_params(f, {"list"}, {P::kIfaceList}));
  return f;
}

gt::Value data() {
  gt::Map values{{"a", gt::Value::floating(1)}};
  gt::Map m{{"n", gt::Value::floating(8080)},
            {"i", gt::Value::integer(2)},
            {"s", gt::Value::string("x")},
            {"l", gt::Value::list({gt::Value::string("a")})},
            {"sl", gt::Value::list({gt::Value::string("a")}, gt::GoType::kStringList)},
            {"nul", gt::Value()},
            {"Values", gt::Value::map(values, gt::GoType::kValues)}};
  return gt::Value::map(m);
}

/// Output, or "error: MESSAGE".
std::string run(const std::string& text) {
  static const gt::FuncMap kFuncs = typed_funcs();
  gt::TemplateSet set(&kFuncs);
  NoCalls ctx;
  try {
    set.parse("t", text);
    return set.execute("t", data(), ctx);
  } catch (const gt::ExecError& e) {
    return "error: " + e.message;
  }
}

}  // namespace

TEST_CASE("set_params declares types only where they agree with the arity", "[helm][argtypes]") {
  gt::FuncMap f;
  f["two"] = show(2, 2);
  f["var"] = show(1, -1);
  CHECK(gt::set_params(f, {"two"}, {P::kString, P::kInt}));
  CHECK(f["two"].params == std::vector<P>{P::kString, P::kInt});
  CHECK_FALSE(gt::set_params(f, {"two"}, {P::kString}));
  CHECK(f["two"].params == std::vector<P>{P::kString, P::kInt});
  CHECK(gt::set_params(f, {"var"}, {P::kMap, P::kString}));
  CHECK(f["var"].params == std::vector<P>{P::kMap, P::kString});
  CHECK_FALSE(gt::set_params(f, {"var"}, {P::kMap}));
  CHECK_FALSE(gt::set_params(f, {"missing", "two"}, {P::kInt, P::kInt}));
  CHECK(f["two"].params == std::vector<P>{P::kInt, P::kInt});
  CHECK(gt::param_type_name(P::kMap) == "map[string]interface {}");
  CHECK(gt::param_type_name(P::kIfaceList) == "[]interface {}");
  CHECK(gt::param_type_name(P::kAny) == "interface {}");
}

TEST_CASE("constants are converted to the parameter type", "[helm][argtypes]") {
  CHECK(run("{{ nums 1 2 3 }}") == "int int64 float64");
  CHECK(run("{{ nums 1.0 2e1 3.5 }}") == "int int64 float64");
  CHECK(run("{{ nums 'a' 0x10 1 }}") == "int int64 float64");
  CHECK(run("{{ any 1 2.5 }}") == "int float64");
  CHECK(run("{{ strs \"a\" 1 2 3 }}") == "string int int int");
  CHECK(run("{{ maps nil }}|{{ list nil }}|{{ any nil nil }}") == "nil|nil|nil nil");
}

TEST_CASE("constants that do not suit the parameter are refused at the constant", "[helm][argtypes]") {
  CHECK(run("{{ nums 1.5 2 3 }}") == "error: template: t:1:8: executing \"t\" at <1.5>: expected integer; found 1.5");
  CHECK(run("{{ nums 1 2 \"x\" }}") ==
        "error: template: t:1:12: executing \"t\" at <\"x\">: expected float; found \"x\"");
  CHECK(run("{{ strs 1 }}") == "error: template: t:1:8: executing \"t\" at <1>: expected string; found 1");
  CHECK(run("{{ strs \"a\" 1 true }}") ==
        "error: template: t:1:14: executing \"t\" at <true>: expected integer; found true");
  CHECK(run("{{ strs nil }}") == "error: template: t:1:8: executing \"t\" at <nil>: cannot assign nil to string");
  CHECK(
      run("{{ maps \"a\" }}") ==
      "error: template: t:1:8: executing \"t\" at <\"a\">: can't handle \"a\" for arg of type map[string]interface {}");
  CHECK(run("{{ list 1 }}") ==
        "error: template: t:1:8: executing \"t\" at <1>: can't handle 1 for arg of type []interface {}");
}

TEST_CASE("computed values must have the parameter type", "[helm][argtypes]") {
  CHECK(run("{{ nums .i 2 .n }}") == "int int64 float64");
  CHECK(run("{{ nums .n 2 3 }}") ==
        "error: template: t:1:8: executing \"t\" at <.n>: wrong type for value; expected int; got float64");
  CHECK(run("{{ $x := 1 }}{{ nums 1 $x 3 }}") ==
        "error: template: t:1:23: executing \"t\" at <$x>: wrong type for value; expected int64; got int");
  CHECK(run("{{ list .l }}") == "[]interface {}");
  CHECK(
      run("{{ list .sl }}") ==
      "error: template: t:1:8: executing \"t\" at <.sl>: wrong type for value; expected []interface {}; got []string");
  CHECK(run("{{ strs . }}") ==
        "error: template: t:1:8: executing \"t\" at <.>: wrong type for value; expected string; got "
        "map[string]interface {}");
}

TEST_CASE("chartutil.Values is passed as a plain map", "[helm][argtypes]") {
  CHECK(run("{{ maps .Values }}") == "map[string]interface {}");
  CHECK(run("{{ .Values | maps }}") == "map[string]interface {}");
  CHECK(run("{{ any .Values 1 }}") == "chartutil.Values int");
}

TEST_CASE("nil: a missing key is an interface {}, no value fits nilable parameters", "[helm][argtypes]") {
  CHECK(run("{{ maps .nul }}") ==
        "error: template: t:1:8: executing \"t\" at <.nul>: wrong type for value; expected map[string]interface {}; "
        "got interface {}");
  CHECK(run("{{ maps .missing }}") ==
        "error: template: t:1:8: executing \"t\" at <.missing>: wrong type for value; expected map[string]interface "
        "{}; got interface {}");
  CHECK(run("{{ maps (.missing) }}|{{ .missing | maps }}|{{ $v := .nul }}{{ list $v }}") == "nil|nil|nil");
  CHECK(run("{{ strs (.missing) }}") ==
        "error: template: t:1:9: executing \"t\" at <.missing>: invalid value; expected string");
  CHECK(run("{{ .missing | strs }}") ==
        "error: template: t:1:14: executing \"t\" at <strs>: invalid value; expected string");
}

TEST_CASE("the piped value is checked against the parameter it lands on, at the last node", "[helm][argtypes]") {
  CHECK(run("{{ 3.5 | nums 1 2 }}") == "int int64 float64");
  CHECK(run("{{ 3 | nums 1 2 }}") ==
        "error: template: t:1:14: executing \"t\" at <2>: wrong type for value; expected float64; got int");
  CHECK(run("{{ 3 | strs \"a\" 1 2 }}") == "string int int int");
  CHECK(run("{{ \"a\" | strs }}") == "string");
  CHECK(run("{{ .s | nums 1 2 }}") ==
        "error: template: t:1:15: executing \"t\" at <2>: wrong type for value; expected float64; got string");
  CHECK(run("{{ .n | strs }}") ==
        "error: template: t:1:8: executing \"t\" at <strs>: wrong type for value; expected string; got float64");
  CHECK(run("{{ .n | strs \"a\" }}") ==
        "error: template: t:1:13: executing \"t\" at <\"a\">: wrong type for value; expected int; got float64");
}

TEST_CASE("arity errors come before type errors", "[helm][argtypes]") {
  CHECK(run("{{ nums \"a\" }}") ==
        "error: template: t:1:3: executing \"t\" at <nums>: wrong number of args for nums: want 3 got 1");
  CHECK(run("{{ strs }}") ==
        "error: template: t:1:3: executing \"t\" at <strs>: wrong number of args for strs: want at least 1 got 0");
}

namespace {

/// Go parameter types spelled as in Go source.
P parse_param(std::string_view go) {
  static const std::map<std::string_view, P> kNames = {{"interface {}", P::kAny},
                                                       {"string", P::kString},
                                                       {"int", P::kInt},
                                                       {"int64", P::kInt64},
                                                       {"uint32", P::kUint32},
                                                       {"float64", P::kFloat64},
                                                       {"bool", P::kBool},
                                                       {"[]interface {}", P::kIfaceList},
                                                       {"map[string]interface {}", P::kMap},
                                                       {"time.Time", P::kTime},
                                                       {"sprig.certificate", P::kCertificate}};
  auto it = kNames.find(go);
  REQUIRE(it != kNames.end());
  return it->second;
}

/// "int, ...string" -> {kInt, kString} and whether the last parameter is variadic.
std::vector<P> parse_signature(std::string_view sig, bool* variadic) {
  std::vector<P> out;
  *variadic = false;
  while (!sig.empty()) {
    size_t comma = sig.find(", ");
    std::string_view p = sig.substr(0, comma);
    if (p.starts_with("...")) {
      *variadic = true;
      p.remove_prefix(3);
    }
    out.push_back(parse_param(p));
    sig = comma == std::string_view::npos ? std::string_view() : sig.substr(comma + 2);
  }
  return out;
}

}  // namespace

TEST_CASE("Sprig and Helm functions declare their Go signatures", "[helm][argtypes]") {
  // Every function of Helm's map with a parameter that is not interface {}, with its Go parameter list
  // (Sprig 3.2.3's functions.go, crypto.go, ..., and Helm's engine/funcs.go).
  const std::map<std::string, std::string> kSignatures = {
      {"abbrev", "int, string"},
      {"abbrevboth", "int, int, string"},
      {"adler32sum", "string"},
      {"atoi", "string"},
      {"b32dec", "string"},
      {"b32enc", "string"},
      {"b64dec", "string"},
      {"b64enc", "string"},
      {"base", "string"},
      {"bcrypt", "string"},
      {"buildCustomCert", "string, string"},
      {"camelcase", "string"},
      {"chunk", "int, interface {}"},
      {"clean", "string"},
      {"contains", "string, string"},
      {"date", "string, interface {}"},
      {"dateInZone", "string, interface {}, string"},
      {"date_in_zone", "string, interface {}, string"},
      {"dateModify", "string, time.Time"},
      {"date_modify", "string, time.Time"},
      {"decryptAES", "string, string"},
      {"derivePassword", "uint32, string, string, string, string"},
      {"dir", "string"},
      {"encryptAES", "string, string"},
      {"ext", "string"},
      {"fail", "string"},
      {"fromJson", "string"},
      {"fromJsonArray", "string"},
      {"fromYaml", "string"},
      {"fromYamlArray", "string"},
      {"genCA", "string, int"},
      {"genCAWithKey", "string, int, string"},
      {"genPrivateKey", "string"},
      {"genSelfSignedCert", "string, []interface {}, []interface {}, int"},
      {"genSelfSignedCertWithKey", "string, []interface {}, []interface {}, int, string"},
      {"genSignedCert", "string, []interface {}, []interface {}, int, sprig.certificate"},
      {"genSignedCertWithKey", "string, []interface {}, []interface {}, int, sprig.certificate, string"},
      {"get", "map[string]interface {}, string"},
      {"getHostByName", "string"},
      {"hasKey", "map[string]interface {}, string"},
      {"hasPrefix", "string, string"},
      {"hasSuffix", "string, string"},
      {"htmlDateInZone", "interface {}, string"},
      {"htpasswd", "string, string"},
      {"include", "string, interface {}"},
      {"indent", "int, string"},
      {"initials", "string"},
      {"isAbs", "string"},
      {"join", "string, interface {}"},
      {"kebabcase", "string"},
      {"keys", "...map[string]interface {}"},
      {"kindIs", "string, interface {}"},
      {"lookup", "string, string, string, string"},
      {"lower", "string"},
      {"merge", "map[string]interface {}, ...map[string]interface {}"},
      {"mergeOverwrite", "map[string]interface {}, ...map[string]interface {}"},
      {"mustChunk", "int, interface {}"},
      {"mustDateModify", "string, time.Time"},
      {"must_date_modify", "string, time.Time"},
      {"mustFromJson", "string"},
      {"mustMerge", "map[string]interface {}, ...map[string]interface {}"},
      {"mustMergeOverwrite", "map[string]interface {}, ...map[string]interface {}"},
      {"mustRegexFind", "string, string"},
      {"mustRegexFindAll", "string, string, int"},
      {"mustRegexMatch", "string, string"},
      {"mustRegexReplaceAll", "string, string, string"},
      {"mustRegexReplaceAllLiteral", "string, string, string"},
      {"mustRegexSplit", "string, string, int"},
      {"mustToDate", "string, string"},
      {"nindent", "int, string"},
      {"nospace", "string"},
      {"omit", "map[string]interface {}, ...string"},
      {"osBase", "string"},
      {"osClean", "string"},
      {"osDir", "string"},
      {"osExt", "string"},
      {"osIsAbs", "string"},
      {"pick", "map[string]interface {}, ...string"},
      {"plural", "string, string, int"},
      {"pluck", "string, ...map[string]interface {}"},
      {"randAlpha", "int"},
      {"randAlphaNum", "int"},
      {"randAscii", "int"},
      {"randBytes", "int"},
      {"randInt", "int, int"},
      {"randNumeric", "int"},
      {"regexFind", "string, string"},
      {"regexFindAll", "string, string, int"},
      {"regexMatch", "string, string"},
      {"regexQuoteMeta", "string"},
      {"regexReplaceAll", "string, string, string"},
      {"regexReplaceAllLiteral", "string, string, string"},
      {"regexSplit", "string, string, int"},
      {"repeat", "int, string"},
      {"replace", "string, string, string"},
      {"required", "string, interface {}"},
      {"round", "interface {}, int, ...float64"},
      {"semver", "string"},
      {"semverCompare", "string, string"},
      {"seq", "...int"},
      {"set", "map[string]interface {}, string, interface {}"},
      {"sha1sum", "string"},
      {"sha256sum", "string"},
      {"shuffle", "string"},
      {"snakecase", "string"},
      {"split", "string, string"},
      {"splitList", "string, string"},
      {"splitn", "string, int, string"},
      {"substr", "int, int, string"},
      {"swapcase", "string"},
      {"ternary", "interface {}, interface {}, bool"},
      {"title", "string"},
      {"toDate", "string, string"},
      {"tpl", "string, interface {}"},
      {"trim", "string"},
      {"trimAll", "string, string"},
      {"trimPrefix", "string, string"},
      {"trimSuffix", "string, string"},
      {"trimall", "string, string"},
      {"trunc", "int, string"},
      {"typeIs", "string, interface {}"},
      {"typeIsLike", "string, interface {}"},
      {"unixEpoch", "time.Time"},
      {"unset", "map[string]interface {}, string"},
      {"untitle", "string"},
      {"until", "int"},
      {"untilStep", "int, int, int"},
      {"upper", "string"},
      {"urlJoin", "map[string]interface {}"},
      {"urlParse", "string"},
      {"values", "map[string]interface {}"},
      {"wrap", "int, string"},
      {"wrapWith", "int, string, string"},
  };
  const gt::FuncMap funcs = gl::render::helm::helm_func_map();
  for (const auto& [name, sig] : kSignatures) {
    INFO(name << "(" << sig << ")");
    auto it = funcs.find(name);
    REQUIRE(it != funcs.end());
    bool variadic = false;
    const std::vector<P> want = parse_signature(sig, &variadic);
    CHECK(it->second.params == want);
    CHECK((it->second.max_args < 0) == variadic);
  }
  // Everything else takes only interface {} parameters: it declares nothing.
  for (const auto& [name, fn] : funcs) {
    INFO(name);
    if (kSignatures.count(name) == 0) CHECK(fn.params.empty());
  }
}
