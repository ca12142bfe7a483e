// Sprig core functions (src/render/helm/funcs/sprig_core.cpp) called directly through the function map.
// Every expected output comes from helm-oracle (Go 1.19 text/template + Sprig 3.2.3): each row's template,
// rendered as `{{ $r := CALL }}{{ printf "%v|%T" $r $r }}`, gave the row's value and Go type, or the error
// after "error calling FN: " (or after "at <...>: " for argument type errors). "*" marks errors Go words
// differently for literal arguments ("expected string; found 1"), where only the failure is checked.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/gotemplate/function.h"
#include "render/helm/gotemplate/gofmt.h"

namespace {

namespace gt = gl::render::gotemplate;
using gt::GoType;
using gt::Value;

class TestContext : public gt::CallContext {
 public:
  std::string include(const std::string& name, const Value&) override { gt::fail("no template " + name); }
  std::string tpl(const std::string&, const Value&) override { gt::fail("no tpl"); }
};

Value I(int64_t i) { return Value::integer(i, GoType::kInt); }
Value I64(int64_t i) { return Value::integer(i, GoType::kInt64); }
Value F(double d) { return Value::floating(d); }
Value S(std::string s) { return Value::string(std::move(s)); }
Value B(bool b) { return Value::boolean(b); }
Value N() { return Value::nil(); }
Value L(std::vector<Value> items) { return Value::list(std::move(items)); }
Value SL(std::vector<std::string> items) {
  gt::List out;
  for (auto& s : items) out.push_back(S(s));
  return Value::list(std::move(out), GoType::kStringList);
}
Value M(std::vector<std::pair<std::string, Value>> kvs) {
  gt::Map m;
  for (auto& [k, v] : kvs) m[k] = v;
  return Value::map(std::move(m));
}

struct Case {
  const char* tpl;
  const char* fn;
  std::vector<Value> args;
  const char* out;    ///< printf "%v" of the result
  const char* type;   ///< printf "%T" of the result
  const char* error;  ///< the error message, "*" for any
};

/// The value model has no []int, map[string]string or [][]interface {}: those results are modelled as
/// []interface {} and map[string]interface {} (same printing, different %T).
std::string modelled_type(const std::string& go_type) {
  if (go_type == "[]int" || go_type == "[][]interface {}") return "[]interface {}";
  if (go_type == "map[string]string") return "map[string]interface {}";
  return go_type;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"{{ upper \"hello World\" }}", "upper", {S("hello World")}, "HELLO WORLD", "string", nullptr},
      {"{{ upper \"h\303\251llo w\303\266rld stra\303\237e \307\206\" }}", "upper", {S("h\303\251llo w\303\266rld stra\303\237e \307\206")}, "H\303\211LLO W\303\226RLD STRA\303\237E \307\204", "string", nullptr},
      {"{{ upper (int64 3) }}", "upper", {I64(3)}, nullptr, nullptr, "wrong type for value; expected string; got int64"},
      {"{{ upper (first list) }}", "upper", {N()}, nullptr, nullptr, "invalid value; expected string"},
      {"{{ lower \"HeLLo \303\200\303\211\303\216 \316\243\316\221\316\243\" }}", "lower", {S("HeLLo \303\200\303\211\303\216 \316\243\316\221\316\243")}, "hello \303\240\303\251\303\256 \317\203\316\261\317\203", "string", nullptr},
      {"{{ title \"hello world-foo_bar baz.qux 3rd \303\251lan\" }}", "title", {S("hello world-foo_bar baz.qux 3rd \303\251lan")}, "Hello World-Foo_bar Baz.Qux 3rd \303\211lan", "string", nullptr},
      {"{{ title \"\307\206emal \307\263 x\" }}", "title", {S("\307\206emal \307\263 x")}, "\307\205emal \307\262 X", "string", nullptr},
      {"{{ title \"\" }}", "title", {S("")}, "", "string", nullptr},
      {"{{ untitle \"Hello World  FOO\" }}", "untitle", {S("Hello World  FOO")}, "hello world  fOO", "string", nullptr},
      {"{{ untitle \"\303\211COLE \303\234nter\" }}", "untitle", {S("\303\211COLE \303\234nter")}, "\303\251COLE \303\274nter", "string", nullptr},
      {"{{ substr 1 3 \"abcdef\" }}", "substr", {I(1), I(3), S("abcdef")}, "bc", "string", nullptr},
      {"{{ substr -1 2 \"abcdef\" }}", "substr", {I(-1), I(2), S("abcdef")}, "ab", "string", nullptr},
      {"{{ substr 2 -1 \"abcdef\" }}", "substr", {I(2), I(-1), S("abcdef")}, "cdef", "string", nullptr},
      {"{{ substr 2 100 \"abcdef\" }}", "substr", {I(2), I(100), S("abcdef")}, "cdef", "string", nullptr},
      {"{{ substr -1 10 \"abc\" }}", "substr", {I(-1), I(10), S("abc")}, nullptr, nullptr, "runtime error: slice bounds out of range [:10] with length 3"},
      {"{{ substr -1 -1 \"abc\" }}", "substr", {I(-1), I(-1), S("abc")}, nullptr, nullptr, "runtime error: slice bounds out of range [:-1]"},
      {"{{ substr 5 -1 \"abc\" }}", "substr", {I(5), I(-1), S("abc")}, nullptr, nullptr, "runtime error: slice bounds out of range [5:3]"},
      {"{{ substr 2 1 \"abc\" }}", "substr", {I(2), I(1), S("abc")}, nullptr, nullptr, "runtime error: slice bounds out of range [2:1]"},
      {"{{ substr 0 2 \"h\303\251llo\" }}", "substr", {I(0), I(2), S("h\303\251llo")}, "h\303", "string", nullptr},
      {"{{ repeat 3 \"ab\" }}", "repeat", {I(3), S("ab")}, "ababab", "string", nullptr},
      {"{{ repeat 0 \"ab\" }}", "repeat", {I(0), S("ab")}, "", "string", nullptr},
      {"{{ repeat -1 \"ab\" }}", "repeat", {I(-1), S("ab")}, nullptr, nullptr, "strings: negative Repeat count"},
      {"{{ repeat (int64 2) \"ab\" }}", "repeat", {I64(2), S("ab")}, nullptr, nullptr, "wrong type for value; expected int; got int64"},
      {"{{ trunc 3 \"abcdef\" }}", "trunc", {I(3), S("abcdef")}, "abc", "string", nullptr},
      {"{{ trunc -2 \"abcdef\" }}", "trunc", {I(-2), S("abcdef")}, "ef", "string", nullptr},
      {"{{ trunc -10 \"abcdef\" }}", "trunc", {I(-10), S("abcdef")}, "abcdef", "string", nullptr},
      {"{{ trunc 10 \"abc\" }}", "trunc", {I(10), S("abc")}, "abc", "string", nullptr},
      {"{{ trunc 0 \"abc\" }}", "trunc", {I(0), S("abc")}, "", "string", nullptr},
      {"{{ abbrev 5 \"hello world\" }}", "abbrev", {I(5), S("hello world")}, "he...", "string", nullptr},
      {"{{ abbrev 3 \"hello world\" }}", "abbrev", {I(3), S("hello world")}, "hello world", "string", nullptr},
      {"{{ abbrev 20 \"hello world\" }}", "abbrev", {I(20), S("hello world")}, "hello world", "string", nullptr},
      {"{{ abbrev 4 \"\" }}", "abbrev", {I(4), S("")}, "", "string", nullptr},
      {"{{ abbrevboth 5 10 \"1234 5678 9123 4567\" }}", "abbrevboth", {I(5), I(10), S("1234 5678 9123 4567")}, "...5678...", "string", nullptr},
      {"{{ abbrevboth 0 10 \"1234 5678 9123 4567\" }}", "abbrevboth", {I(0), I(10), S("1234 5678 9123 4567")}, "1234 56...", "string", nullptr},
      {"{{ abbrevboth 1 6 \"1234 5678 9123 4567\" }}", "abbrevboth", {I(1), I(6), S("1234 5678 9123 4567")}, "1234 5678 9123 4567", "string", nullptr},
      {"{{ abbrevboth 15 10 \"1234 5678 9123 4567\" }}", "abbrevboth", {I(15), I(10), S("1234 5678 9123 4567")}, "...23 4567", "string", nullptr},
      {"{{ abbrevboth 10 8 \"abcdefghijklmnopqrstuvwxyz\" }}", "abbrevboth", {I(10), I(8), S("abcdefghijklmnopqrstuvwxyz")}, "...kl...", "string", nullptr},
      {"{{ initials \"First Try\" }}", "initials", {S("First Try")}, "FT", "string", nullptr},
      {"{{ initials \"  hello   big world \" }}", "initials", {S("  hello   big world ")}, "hbw", "string", nullptr},
      {"{{ initials \"\303\251lan vital\" }}", "initials", {S("\303\251lan vital")}, "\303\203v", "string", nullptr},
      {"{{ nospace \" h e\\tl\\nlo \" }}", "nospace", {S(" h e\tl\nlo ")}, "hello", "string", nullptr},
      {"{{ nospace \"h\303\251llo w\303\266rld\" }}", "nospace", {S("h\303\251llo w\303\266rld")}, "h\303\203\302\251llow\303\203\302\266rld", "string", nullptr},
      {"{{ nospace \"h\303\251llo\" }}", "nospace", {S("h\303\251llo")}, "h\303\251llo", "string", nullptr},
      {"{{ swapcase \"This Is A.Test ok\" }}", "swapcase", {S("This Is A.Test ok")}, "tHIS iS a.tEST OK", "string", nullptr},
      {"{{ swapcase \"hello wORLD \307\206x\" }}", "swapcase", {S("hello wORLD \307\206x")}, "HELLO World \307\205X", "string", nullptr},
      {"{{ snakecase \"FirstName\" }}", "snakecase", {S("FirstName")}, "first_name", "string", nullptr},
      {"{{ snakecase \"HTTPServer\" }}", "snakecase", {S("HTTPServer")}, "http_server", "string", nullptr},
      {"{{ snakecase \"NoHTTPS\" }}", "snakecase", {S("NoHTTPS")}, "no_https", "string", nullptr},
      {"{{ snakecase \"GO_PATH\" }}", "snakecase", {S("GO_PATH")}, "go_path", "string", nullptr},
      {"{{ snakecase \"GO PATH\" }}", "snakecase", {S("GO PATH")}, "go_path", "string", nullptr},
      {"{{ snakecase \"http2xx\" }}", "snakecase", {S("http2xx")}, "http_2xx", "string", nullptr},
      {"{{ snakecase \"HTTP20xOK\" }}", "snakecase", {S("HTTP20xOK")}, "http_20x_ok", "string", nullptr},
      {"{{ snakecase \"Duration2m3s\" }}", "snakecase", {S("Duration2m3s")}, "duration_2m3s", "string", nullptr},
      {"{{ snakecase \"Bld4Floor3rd\" }}", "snakecase", {S("Bld4Floor3rd")}, "bld4_floor_3rd", "string", nullptr},
      {"{{ snakecase \"a.b-c__d  e\" }}", "snakecase", {S("a.b-c__d  e")}, "a.b_c__d__e", "string", nullptr},
      {"{{ snakecase \"myAPIKey2\" }}", "snakecase", {S("myAPIKey2")}, "my_api_key2", "string", nullptr},
      {"{{ snakecase \"\303\211coleNormale\" }}", "snakecase", {S("\303\211coleNormale")}, "\303\251cole_normale", "string", nullptr},
      {"{{ snakecase \"fooBar!!Baz\" }}", "snakecase", {S("fooBar!!Baz")}, "foo_bar!!baz", "string", nullptr},
      {"{{ snakecase \"x\" }}", "snakecase", {S("x")}, "x", "string", nullptr},
      {"{{ kebabcase \"FirstName\" }}", "kebabcase", {S("FirstName")}, "first-name", "string", nullptr},
      {"{{ kebabcase \"HTTPServer\" }}", "kebabcase", {S("HTTPServer")}, "http-server", "string", nullptr},
      {"{{ kebabcase \"GO_PATH and more\" }}", "kebabcase", {S("GO_PATH and more")}, "go-path-and-more", "string", nullptr},
      {"{{ kebabcase \"releaseName123Suffix\" }}", "kebabcase", {S("releaseName123Suffix")}, "release-name123-suffix", "string", nullptr},
      {"{{ camelcase \"some_words\" }}", "camelcase", {S("some_words")}, "SomeWords", "string", nullptr},
      {"{{ camelcase \"http_server\" }}", "camelcase", {S("http_server")}, "HttpServer", "string", nullptr},
      {"{{ camelcase \"_complex__case_\" }}", "camelcase", {S("_complex__case_")}, "_Complex_Case_", "string", nullptr},
      {"{{ camelcase \"some words-here\" }}", "camelcase", {S("some words-here")}, "SomeWordsHere", "string", nullptr},
      {"{{ camelcase \"__\" }}", "camelcase", {S("__")}, "___", "string", nullptr},
      {"{{ camelcase \"x\" }}", "camelcase", {S("x")}, "X", "string", nullptr},
      {"{{ camelcase \"HELLO_WORLD\" }}", "camelcase", {S("HELLO_WORLD")}, "HelloWorld", "string", nullptr},
      {"{{ wrap 10 \"The quick brown fox jumps over the lazy dog\" }}", "wrap", {I(10), S("The quick brown fox jumps over the lazy dog")}, "The quick\nbrown fox\njumps over\nthe lazy\ndog", "string", nullptr},
      {"{{ wrap 3 \"abcdefgh ij klmnop\" }}", "wrap", {I(3), S("abcdefgh ij klmnop")}, "abcdefgh\nij\nklmnop", "string", nullptr},
      {"{{ wrap 0 \"a b c\" }}", "wrap", {I(0), S("a b c")}, "a\nb\nc", "string", nullptr},
      {"{{ wrap 5 \"  leading spaces here\" }}", "wrap", {I(5), S("  leading spaces here")}, "leading\nspaces\nhere", "string", nullptr},
      {"{{ wrapWith 5 \"\\t\" \"Hello World\" }}", "wrapWith", {I(5), S("\t"), S("Hello World")}, "Hello\tWorld", "string", nullptr},
      {"{{ wrapWith 3 \"<br>\" \"abcdefgh ij\" }}", "wrapWith", {I(3), S("<br>"), S("abcdefgh ij")}, "abc<br>def<br>gh<br>ij", "string", nullptr},
      {"{{ contains \"cat\" \"catch\" }}", "contains", {S("cat"), S("catch")}, "true", "bool", nullptr},
      {"{{ contains \"dog\" \"catch\" }}", "contains", {S("dog"), S("catch")}, "false", "bool", nullptr},
      {"{{ contains \"\" \"x\" }}", "contains", {S(""), S("x")}, "true", "bool", nullptr},
      {"{{ hasPrefix \"cat\" \"catch\" }}", "hasPrefix", {S("cat"), S("catch")}, "true", "bool", nullptr},
      {"{{ hasPrefix \"x\" \"catch\" }}", "hasPrefix", {S("x"), S("catch")}, "false", "bool", nullptr},
      {"{{ hasSuffix \"ch\" \"catch\" }}", "hasSuffix", {S("ch"), S("catch")}, "true", "bool", nullptr},
      {"{{ hasSuffix \"x\" \"catch\" }}", "hasSuffix", {S("x"), S("catch")}, "false", "bool", nullptr},
      {"{{ quote \"a\\\"b\\\\c\\n\" }}", "quote", {S("a\"b\\c\n")}, "\"a\\\"b\\\\c\\n\"", "string", nullptr},
      {"{{ quote \"x\" nil 3 1.5 true }}", "quote", {S("x"), N(), I(3), F(1.5), B(true)}, "\"x\" \"3\" \"1.5\" \"true\"", "string", nullptr},
      {"{{ quote 1000000.0 (list 1 \"a\") (dict \"k\" 1) }}", "quote", {F(1000000.0), L({I(1), S("a")}), M({{"k", I(1)}})}, "\"1e+06\" \"[1 a]\" \"map[k:1]\"", "string", nullptr},
      {"{{ quote \"h\303\251llo\\x01\\x7f\" }}", "quote", {S("h\303\251llo\001\177")}, "\"h\303\251llo\\x01\\x7f\"", "string", nullptr},
      {"{{ quote }}", "quote", {}, "", "string", nullptr},
      {"{{ squote \"a\\\"b\" nil 3 0.5 }}", "squote", {S("a\"b"), N(), I(3), F(0.5)}, "'a\"b' '3' '0.5'", "string", nullptr},
      {"{{ squote (list \"x\" 2) }}", "squote", {L({S("x"), I(2)})}, "'[x 2]'", "string", nullptr},
      {"{{ cat \"a\" 1 nil 2.5 false (list 1 2) }}", "cat", {S("a"), I(1), N(), F(2.5), B(false), L({I(1), I(2)})}, "a 1 2.5 false [1 2]", "string", nullptr},
      {"{{ cat }}", "cat", {}, "", "string", nullptr},
      {"{{ cat nil }}", "cat", {N()}, "", "string", nullptr},
      {"{{ indent 2 \"a\\nb\\n\" }}", "indent", {I(2), S("a\nb\n")}, "  a\n  b\n  ", "string", nullptr},
      {"{{ indent 0 \"a\" }}", "indent", {I(0), S("a")}, "a", "string", nullptr},
      {"{{ indent -1 \"a\" }}", "indent", {I(-1), S("a")}, nullptr, nullptr, "strings: negative Repeat count"},
      {"{{ nindent 4 \"x: 1\\ny: 2\" }}", "nindent", {I(4), S("x: 1\ny: 2")}, "\n    x: 1\n    y: 2", "string", nullptr},
      {"{{ replace \"a\" \"b\" \"banana\" }}", "replace", {S("a"), S("b"), S("banana")}, "bbnbnb", "string", nullptr},
      {"{{ replace \"\" \"-\" \"h\303\251llo\" }}", "replace", {S(""), S("-"), S("h\303\251llo")}, "-h-\303\251-l-l-o-", "string", nullptr},
      {"{{ replace \"an\" \"\" \"banana\" }}", "replace", {S("an"), S(""), S("banana")}, "ba", "string", nullptr},
      {"{{ plural \"one\" \"many\" 1 }}", "plural", {S("one"), S("many"), I(1)}, "one", "string", nullptr},
      {"{{ plural \"one\" \"many\" 2 }}", "plural", {S("one"), S("many"), I(2)}, "many", "string", nullptr},
      {"{{ plural \"one\" \"many\" 0 }}", "plural", {S("one"), S("many"), I(0)}, "many", "string", nullptr},
      {"{{ trim \"  \\t hello \\n \" }}", "trim", {S("  \t hello \n ")}, "hello", "string", nullptr},
      {"{{ trim \"\302\240\342\200\203x\343\200\200\" }}", "trim", {S("\302\240\342\200\203x\343\200\200")}, "x", "string", nullptr},
      {"{{ trimAll \"$\" \"$$5.00$\" }}", "trimAll", {S("$"), S("$$5.00$")}, "5.00", "string", nullptr},
      {"{{ trimAll \"ab\" \"abcba\" }}", "trimAll", {S("ab"), S("abcba")}, "c", "string", nullptr},
      {"{{ trimAll \"\303\251\" \"\303\251a\303\251\" }}", "trimAll", {S("\303\251"), S("\303\251a\303\251")}, "a", "string", nullptr},
      {"{{ trimAll \"\" \" a \" }}", "trimAll", {S(""), S(" a ")}, " a ", "string", nullptr},
      {"{{ trimall \"-\" \"--x--\" }}", "trimall", {S("-"), S("--x--")}, "x", "string", nullptr},
      {"{{ trimPrefix \"foo\" \"foobar\" }}", "trimPrefix", {S("foo"), S("foobar")}, "bar", "string", nullptr},
      {"{{ trimPrefix \"bar\" \"foobar\" }}", "trimPrefix", {S("bar"), S("foobar")}, "foobar", "string", nullptr},
      {"{{ trimSuffix \"-\" \"release-name-\" }}", "trimSuffix", {S("-"), S("release-name-")}, "release-name", "string", nullptr},
      {"{{ trimSuffix \"x\" \"abc\" }}", "trimSuffix", {S("x"), S("abc")}, "abc", "string", nullptr},
      {"{{ split \"$\" \"foo$bar$baz\" }}", "split", {S("$"), S("foo$bar$baz")}, "map[_0:foo _1:bar _2:baz]", "map[string]string", nullptr},
      {"{{ split \"\" \"abc\" }}", "split", {S(""), S("abc")}, "map[_0:a _1:b _2:c]", "map[string]string", nullptr},
      {"{{ split \",\" \"\" }}", "split", {S(","), S("")}, "map[_0:]", "map[string]string", nullptr},
      {"{{ splitList \",\" \"a,b,,c\" }}", "splitList", {S(","), S("a,b,,c")}, "[a b  c]", "[]string", nullptr},
      {"{{ splitList \"\" \"h\303\251y\" }}", "splitList", {S(""), S("h\303\251y")}, "[h \303\251 y]", "[]string", nullptr},
      {"{{ splitList \",\" \"\" }}", "splitList", {S(","), S("")}, "[]", "[]string", nullptr},
      {"{{ splitn \"$\" 2 \"foo$bar$baz\" }}", "splitn", {S("$"), I(2), S("foo$bar$baz")}, "map[_0:foo _1:bar$baz]", "map[string]string", nullptr},
      {"{{ splitn \"$\" 0 \"foo$bar$baz\" }}", "splitn", {S("$"), I(0), S("foo$bar$baz")}, "map[]", "map[string]string", nullptr},
      {"{{ splitn \"$\" -1 \"foo$bar$baz\" }}", "splitn", {S("$"), I(-1), S("foo$bar$baz")}, "map[_0:foo _1:bar _2:baz]", "map[string]string", nullptr},
      {"{{ splitn \"\" 2 \"abc\" }}", "splitn", {S(""), I(2), S("abc")}, "map[_0:a _1:bc]", "map[string]string", nullptr},
      {"{{ join \"-\" (list \"a\" 1 nil 2.5) }}", "join", {S("-"), L({S("a"), I(1), N(), F(2.5)})}, "a-1-2.5", "string", nullptr},
      {"{{ join \", \" (toStrings (list \"x\" \"y\")) }}", "join", {S(", "), SL({"x", "y"})}, "x, y", "string", nullptr},
      {"{{ join \"-\" \"abc\" }}", "join", {S("-"), S("abc")}, "abc", "string", nullptr},
      {"{{ join \"-\" nil }}", "join", {S("-"), N()}, "", "string", nullptr},
      {"{{ join \"-\" (dict \"a\" 1) }}", "join", {S("-"), M({{"a", I(1)}})}, "map[a:1]", "string", nullptr},
      {"{{ sortAlpha (list \"b\" \"a\" 10 9 \"B\") }}", "sortAlpha", {L({S("b"), S("a"), I(10), I(9), S("B")})}, "[10 9 B a b]", "[]string", nullptr},
      {"{{ sortAlpha (toStrings (list \"z\" \"y\")) }}", "sortAlpha", {SL({"z", "y"})}, "[y z]", "[]string", nullptr},
      {"{{ sortAlpha \"abc\" }}", "sortAlpha", {S("abc")}, "[abc]", "[]string", nullptr},
      {"{{ sortAlpha nil }}", "sortAlpha", {N()}, "[<nil>]", "[]string", nullptr},
      {"{{ sortAlpha 3 }}", "sortAlpha", {I(3)}, "[3]", "[]string", nullptr},
      {"{{ toString 3 }}", "toString", {I(3)}, "3", "string", nullptr},
      {"{{ toString 1000000.0 }}", "toString", {F(1000000.0)}, "1e+06", "string", nullptr},
      {"{{ toString 0.1 }}", "toString", {F(0.1)}, "0.1", "string", nullptr},
      {"{{ toString nil }}", "toString", {N()}, "<nil>", "string", nullptr},
      {"{{ toString true }}", "toString", {B(true)}, "true", "string", nullptr},
      {"{{ toString (list 1 \"a\") }}", "toString", {L({I(1), S("a")})}, "[1 a]", "string", nullptr},
      {"{{ toString (dict \"a\" (dict \"b\" \"c\")) }}", "toString", {M({{"a", M({{"b", S("c")}})}})}, "map[a:map[b:c]]", "string", nullptr},
      {"{{ toString (int64 -7) }}", "toString", {I64(-7)}, "-7", "string", nullptr},
      {"{{ toStrings (list 1 nil \"x\" 2.5) }}", "toStrings", {L({I(1), N(), S("x"), F(2.5)})}, "[1 x 2.5]", "[]string", nullptr},
      {"{{ toStrings (toStrings (list \"a\" \"b\")) }}", "toStrings", {SL({"a", "b"})}, "[a b]", "[]string", nullptr},
      {"{{ toStrings nil }}", "toStrings", {N()}, "[]", "[]string", nullptr},
      {"{{ toStrings 5 }}", "toStrings", {I(5)}, "[5]", "[]string", nullptr},
      {"{{ toStrings \"abc\" }}", "toStrings", {S("abc")}, "[abc]", "[]string", nullptr},
      {"{{ int \"42\" }}", "int", {S("42")}, "42", "int", nullptr},
      {"{{ int \"4.0\" }}", "int", {S("4.0")}, "4", "int", nullptr},
      {"{{ int \"4.5\" }}", "int", {S("4.5")}, "0", "int", nullptr},
      {"{{ int \"0x1F\" }}", "int", {S("0x1F")}, "31", "int", nullptr},
      {"{{ int \"010\" }}", "int", {S("010")}, "8", "int", nullptr},
      {"{{ int \"1_000\" }}", "int", {S("1_000")}, "1000", "int", nullptr},
      {"{{ int \" 5\" }}", "int", {S(" 5")}, "0", "int", nullptr},
      {"{{ int \"-12\" }}", "int", {S("-12")}, "-12", "int", nullptr},
      {"{{ int 2.9 }}", "int", {F(2.9)}, "2", "int", nullptr},
      {"{{ int -2.9 }}", "int", {F(-2.9)}, "-2", "int", nullptr},
      {"{{ int (float64 \"1e19\") }}", "int", {F(std::stod("1e19"))}, "-9223372036854775808", "int", nullptr},
      {"{{ int (float64 \"nan\") }}", "int", {F(std::nan(""))}, "-9223372036854775808", "int", nullptr},
      {"{{ int true }}", "int", {B(true)}, "1", "int", nullptr},
      {"{{ int nil }}", "int", {N()}, "0", "int", nullptr},
      {"{{ int (list 1) }}", "int", {L({I(1)})}, "0", "int", nullptr},
      {"{{ int64 \"9223372036854775807\" }}", "int64", {S("9223372036854775807")}, "9223372036854775807", "int64", nullptr},
      {"{{ int64 \"9223372036854775808\" }}", "int64", {S("9223372036854775808")}, "0", "int64", nullptr},
      {"{{ int64 7 }}", "int64", {I(7)}, "7", "int64", nullptr},
      {"{{ int64 1000000.0 }}", "int64", {F(1000000.0)}, "1000000", "int64", nullptr},
      {"{{ int64 \"0b101\" }}", "int64", {S("0b101")}, "5", "int64", nullptr},
      {"{{ int64 \"+7\" }}", "int64", {S("+7")}, "7", "int64", nullptr},
      {"{{ float64 \"1.5\" }}", "float64", {S("1.5")}, "1.5", "float64", nullptr},
      {"{{ float64 \"1e3\" }}", "float64", {S("1e3")}, "1000", "float64", nullptr},
      {"{{ float64 \"0x1p4\" }}", "float64", {S("0x1p4")}, "16", "float64", nullptr},
      {"{{ float64 \"0x10\" }}", "float64", {S("0x10")}, "0", "float64", nullptr},
      {"{{ float64 \"1_000.5\" }}", "float64", {S("1_000.5")}, "1000.5", "float64", nullptr},
      {"{{ float64 \"_1\" }}", "float64", {S("_1")}, "0", "float64", nullptr},
      {"{{ float64 \"inf\" }}", "float64", {S("inf")}, "+Inf", "float64", nullptr},
      {"{{ float64 \"-Infinity\" }}", "float64", {S("-Infinity")}, "-Inf", "float64", nullptr},
      {"{{ float64 \"nan\" }}", "float64", {S("nan")}, "NaN", "float64", nullptr},
      {"{{ float64 \"1e400\" }}", "float64", {S("1e400")}, "0", "float64", nullptr},
      {"{{ float64 \"1e-400\" }}", "float64", {S("1e-400")}, "0", "float64", nullptr},
      {"{{ float64 \".5\" }}", "float64", {S(".5")}, "0.5", "float64", nullptr},
      {"{{ float64 \"5.\" }}", "float64", {S("5.")}, "5", "float64", nullptr},
      {"{{ float64 \"abc\" }}", "float64", {S("abc")}, "0", "float64", nullptr},
      {"{{ float64 3 }}", "float64", {I(3)}, "3", "float64", nullptr},
      {"{{ float64 (int64 3) }}", "float64", {I64(3)}, "3", "float64", nullptr},
      {"{{ float64 true }}", "float64", {B(true)}, "1", "float64", nullptr},
      {"{{ float64 nil }}", "float64", {N()}, "0", "float64", nullptr},
      {"{{ atoi \"42\" }}", "atoi", {S("42")}, "42", "int", nullptr},
      {"{{ atoi \"-42\" }}", "atoi", {S("-42")}, "-42", "int", nullptr},
      {"{{ atoi \"4.0\" }}", "atoi", {S("4.0")}, "0", "int", nullptr},
      {"{{ atoi \"0x10\" }}", "atoi", {S("0x10")}, "0", "int", nullptr},
      {"{{ atoi \"1_000\" }}", "atoi", {S("1_000")}, "0", "int", nullptr},
      {"{{ atoi \"\" }}", "atoi", {S("")}, "0", "int", nullptr},
      {"{{ toDecimal \"0777\" }}", "toDecimal", {S("0777")}, "511", "int64", nullptr},
      {"{{ toDecimal \"777\" }}", "toDecimal", {S("777")}, "511", "int64", nullptr},
      {"{{ toDecimal 777 }}", "toDecimal", {I(777)}, "511", "int64", nullptr},
      {"{{ toDecimal \"8\" }}", "toDecimal", {S("8")}, "0", "int64", nullptr},
      {"{{ toDecimal 0.5 }}", "toDecimal", {F(0.5)}, "0", "int64", nullptr},
      {"{{ seq 5 }}", "seq", {I(5)}, "1 2 3 4 5", "string", nullptr},
      {"{{ seq -3 }}", "seq", {I(-3)}, "1 0 -1 -2 -3", "string", nullptr},
      {"{{ seq 0 }}", "seq", {I(0)}, "1 0", "string", nullptr},
      {"{{ seq 2 5 }}", "seq", {I(2), I(5)}, "2 3 4 5", "string", nullptr},
      {"{{ seq 5 2 }}", "seq", {I(5), I(2)}, "5 4 3 2", "string", nullptr},
      {"{{ seq 1 2 10 }}", "seq", {I(1), I(2), I(10)}, "1 3 5 7 9", "string", nullptr},
      {"{{ seq 10 -3 1 }}", "seq", {I(10), I(-3), I(1)}, "10 7 4 1", "string", nullptr},
      {"{{ seq 10 3 1 }}", "seq", {I(10), I(3), I(1)}, "", "string", nullptr},
      {"{{ seq }}", "seq", {}, "", "string", nullptr},
      {"{{ seq 1 2 3 4 }}", "seq", {I(1), I(2), I(3), I(4)}, "", "string", nullptr},
      {"{{ seq (int64 3) }}", "seq", {I64(3)}, nullptr, nullptr, "wrong type for value; expected int; got int64"},
      {"{{ until 5 }}", "until", {I(5)}, "[0 1 2 3 4]", "[]int", nullptr},
      {"{{ until -3 }}", "until", {I(-3)}, "[0 -1 -2]", "[]int", nullptr},
      {"{{ until 0 }}", "until", {I(0)}, "[]", "[]int", nullptr},
      {"{{ untilStep 0 10 3 }}", "untilStep", {I(0), I(10), I(3)}, "[0 3 6 9]", "[]int", nullptr},
      {"{{ untilStep 10 0 -4 }}", "untilStep", {I(10), I(0), I(-4)}, "[10 6 2]", "[]int", nullptr},
      {"{{ untilStep 10 0 4 }}", "untilStep", {I(10), I(0), I(4)}, "[]", "[]int", nullptr},
      {"{{ untilStep 0 10 0 }}", "untilStep", {I(0), I(10), I(0)}, "[]", "[]int", nullptr},
      {"{{ add 1 2 }}", "add", {I(1), I(2)}, "3", "int64", nullptr},
      {"{{ add 1 2.7 \"3\" true nil }}", "add", {I(1), F(2.7), S("3"), B(true), N()}, "7", "int64", nullptr},
      {"{{ add }}", "add", {}, "0", "int64", nullptr},
      {"{{ add (int64 9223372036854775807) 1 }}", "add", {I64(9223372036854775807), I(1)}, "-9223372036854775808", "int64", nullptr},
      {"{{ add1 1.9 }}", "add1", {F(1.9)}, "2", "int64", nullptr},
      {"{{ add1 \"x\" }}", "add1", {S("x")}, "1", "int64", nullptr},
      {"{{ sub 10 3.5 }}", "sub", {I(10), F(3.5)}, "7", "int64", nullptr},
      {"{{ sub \"10\" \"3\" }}", "sub", {S("10"), S("3")}, "7", "int64", nullptr},
      {"{{ div 7 2 }}", "div", {I(7), I(2)}, "3", "int64", nullptr},
      {"{{ div -7 2 }}", "div", {I(-7), I(2)}, "-3", "int64", nullptr},
      {"{{ div 7 0 }}", "div", {I(7), I(0)}, nullptr, nullptr, "runtime error: integer divide by zero"},
      {"{{ div (int64 -9223372036854775808) -1 }}", "div", {I64(-9223372036854775808), I(-1)}, "-9223372036854775808", "int64", nullptr},
      {"{{ mod 7 3 }}", "mod", {I(7), I(3)}, "1", "int64", nullptr},
      {"{{ mod -7 3 }}", "mod", {I(-7), I(3)}, "-1", "int64", nullptr},
      {"{{ mod 7 0 }}", "mod", {I(7), I(0)}, nullptr, nullptr, "runtime error: integer divide by zero"},
      {"{{ mul 2 3 \"4\" }}", "mul", {I(2), I(3), S("4")}, "24", "int64", nullptr},
      {"{{ mul 5 }}", "mul", {I(5)}, "5", "int64", nullptr},
      {"{{ mul (int64 4611686018427387904) 4 }}", "mul", {I64(4611686018427387904), I(4)}, "0", "int64", nullptr},
      {"{{ max 1 5.5 \"3\" }}", "max", {I(1), F(5.5), S("3")}, "5", "int64", nullptr},
      {"{{ biggest -1 -5 }}", "biggest", {I(-1), I(-5)}, "-1", "int64", nullptr},
      {"{{ min 1 -5.5 \"3\" }}", "min", {I(1), F(-5.5), S("3")}, "-5", "int64", nullptr},
      {"{{ maxf 1 5.5 \"3\" }}", "maxf", {I(1), F(5.5), S("3")}, "5.5", "float64", nullptr},
      {"{{ maxf 1.0 (float64 \"nan\") }}", "maxf", {F(1.0), F(std::nan(""))}, "NaN", "float64", nullptr},
      {"{{ maxf -0.0 0.0 }}", "maxf", {F(-0.0), F(0.0)}, "0", "float64", nullptr},
      {"{{ minf 1 -5.5 \"3\" }}", "minf", {I(1), F(-5.5), S("3")}, "-5.5", "float64", nullptr},
      {"{{ minf 0.0 -0.0 }}", "minf", {F(0.0), F(-0.0)}, "-0", "float64", nullptr},
      {"{{ floor 2.7 }}", "floor", {F(2.7)}, "2", "float64", nullptr},
      {"{{ floor -2.2 }}", "floor", {F(-2.2)}, "-3", "float64", nullptr},
      {"{{ floor \"3.9\" }}", "floor", {S("3.9")}, "3", "float64", nullptr},
      {"{{ ceil 2.1 }}", "ceil", {F(2.1)}, "3", "float64", nullptr},
      {"{{ ceil 2 }}", "ceil", {I(2)}, "2", "float64", nullptr},
      {"{{ round 3.14159 2 }}", "round", {F(3.14159), I(2)}, "3.14", "float64", nullptr},
      {"{{ round 2.5 0 }}", "round", {F(2.5), I(0)}, "3", "float64", nullptr},
      {"{{ round -2.5 0 }}", "round", {F(-2.5), I(0)}, "-3", "float64", nullptr},
      {"{{ round 2.345 2 }}", "round", {F(2.345), I(2)}, "2.35", "float64", nullptr},
      {"{{ round 1.23 1 0.3 }}", "round", {F(1.23), I(1), F(0.3)}, "1.3", "float64", nullptr},
      {"{{ round \"12.5\" -1 }}", "round", {S("12.5"), I(-1)}, "10", "float64", nullptr},
      {"{{ addf 0.1 0.2 }}", "addf", {F(0.1), F(0.2)}, "0.3", "float64", nullptr},
      {"{{ addf 1 \"2.5\" nil }}", "addf", {I(1), S("2.5"), N()}, "3.5", "float64", nullptr},
      {"{{ addf }}", "addf", {}, "0", "float64", nullptr},
      {"{{ add1f 0.1 }}", "add1f", {F(0.1)}, "1.1", "float64", nullptr},
      {"{{ subf 1.1 0.9 }}", "subf", {F(1.1), F(0.9)}, "0.2", "float64", nullptr},
      {"{{ subf 5.0 }}", "subf", {F(5.0)}, "5", "float64", nullptr},
      {"{{ mulf 1.1 3 }}", "mulf", {F(1.1), I(3)}, "3.3", "float64", nullptr},
      {"{{ mulf 0.1 0.1 0.1 }}", "mulf", {F(0.1), F(0.1), F(0.1)}, "0.001", "float64", nullptr},
      {"{{ divf 1 3 }}", "divf", {I(1), I(3)}, "0.3333333333333333", "float64", nullptr},
      {"{{ divf 2 3 }}", "divf", {I(2), I(3)}, "0.6666666666666667", "float64", nullptr},
      {"{{ divf -2 3 }}", "divf", {I(-2), I(3)}, "-0.6666666666666667", "float64", nullptr},
      {"{{ divf 10.0 4.0 }}", "divf", {F(10.0), F(4.0)}, "2.5", "float64", nullptr},
      {"{{ divf 1 0 }}", "divf", {I(1), I(0)}, nullptr, nullptr, "decimal division by 0"},
      {"{{ divf 1e+300 1e-300 }}", "divf", {F(1e+300), F(1e-300)}, "+Inf", "float64", nullptr},
      {"{{ addf 1e+300 1e-300 }}", "addf", {F(1e+300), F(1e-300)}, "1e+300", "float64", nullptr},
      {"{{ addf 1 (float64 \"nan\") }}", "addf", {I(1), F(std::nan(""))}, nullptr, nullptr, "Cannot create a Decimal from NaN"},
      {"{{ mulf 1e+200 1e+200 }}", "mulf", {F(1e+200), F(1e+200)}, "+Inf", "float64", nullptr},
      {"{{ default \"d\" \"\" }}", "default", {S("d"), S("")}, "d", "string", nullptr},
      {"{{ default \"d\" \"x\" }}", "default", {S("d"), S("x")}, "x", "string", nullptr},
      {"{{ default \"d\" 0 }}", "default", {S("d"), I(0)}, "d", "string", nullptr},
      {"{{ default \"d\" 0.0 }}", "default", {S("d"), F(0.0)}, "d", "string", nullptr},
      {"{{ default \"d\" false }}", "default", {S("d"), B(false)}, "d", "string", nullptr},
      {"{{ default \"d\" nil }}", "default", {S("d"), N()}, "d", "string", nullptr},
      {"{{ default \"d\" (list) }}", "default", {S("d"), L({})}, "d", "string", nullptr},
      {"{{ default \"d\" (dict) }}", "default", {S("d"), M({})}, "d", "string", nullptr},
      {"{{ default \"d\" }}", "default", {S("d")}, "d", "string", nullptr},
      {"{{ default \"d\" (list 1) }}", "default", {S("d"), L({I(1)})}, "[1]", "[]interface {}", nullptr},
      {"{{ default 5 true \"ignored\" }}", "default", {I(5), B(true), S("ignored")}, "true", "bool", nullptr},
      {"{{ empty \"\" }}", "empty", {S("")}, "true", "bool", nullptr},
      {"{{ empty 0 }}", "empty", {I(0)}, "true", "bool", nullptr},
      {"{{ empty (int64 0) }}", "empty", {I64(0)}, "true", "bool", nullptr},
      {"{{ empty 0.1 }}", "empty", {F(0.1)}, "false", "bool", nullptr},
      {"{{ empty nil }}", "empty", {N()}, "true", "bool", nullptr},
      {"{{ empty (list) }}", "empty", {L({})}, "true", "bool", nullptr},
      {"{{ empty (list nil) }}", "empty", {L({N()})}, "false", "bool", nullptr},
      {"{{ empty (dict) }}", "empty", {M({})}, "true", "bool", nullptr},
      {"{{ empty false }}", "empty", {B(false)}, "true", "bool", nullptr},
      {"{{ empty (toStrings (list)) }}", "empty", {SL({})}, "true", "bool", nullptr},
      {"{{ coalesce nil \"\" 0 \"x\" \"y\" }}", "coalesce", {N(), S(""), I(0), S("x"), S("y")}, "x", "string", nullptr},
      {"{{ coalesce nil \"\" }}", "coalesce", {N(), S("")}, "<nil>", "<nil>", nullptr},
      {"{{ coalesce }}", "coalesce", {}, "<nil>", "<nil>", nullptr},
      {"{{ all 1 \"a\" true }}", "all", {I(1), S("a"), B(true)}, "true", "bool", nullptr},
      {"{{ all 1 \"\" }}", "all", {I(1), S("")}, "false", "bool", nullptr},
      {"{{ all }}", "all", {}, "true", "bool", nullptr},
      {"{{ any 0 \"\" (list 1) }}", "any", {I(0), S(""), L({I(1)})}, "true", "bool", nullptr},
      {"{{ any 0 nil }}", "any", {I(0), N()}, "false", "bool", nullptr},
      {"{{ any }}", "any", {}, "false", "bool", nullptr},
      {"{{ ternary \"yes\" \"no\" true }}", "ternary", {S("yes"), S("no"), B(true)}, "yes", "string", nullptr},
      {"{{ ternary \"yes\" \"no\" false }}", "ternary", {S("yes"), S("no"), B(false)}, "no", "string", nullptr},
      {"{{ ternary 1 2 \"true\" }}", "ternary", {I(1), I(2), S("true")}, nullptr, nullptr, "*"},
      {"{{ ternary 1 2 (first list) }}", "ternary", {I(1), I(2), N()}, nullptr, nullptr, "invalid value; expected bool"},
      {"{{ compact (list 0 \"\" nil \"a\" false 1 (list) (dict)) }}", "compact", {L({I(0), S(""), N(), S("a"), B(false), I(1), L({}), M({})})}, "[a 1]", "[]interface {}", nullptr},
      {"{{ compact (toStrings (list \"a\" \"\" \"b\")) }}", "compact", {SL({"a", "", "b"})}, "[a b]", "[]interface {}", nullptr},
      {"{{ compact \"abc\" }}", "compact", {S("abc")}, nullptr, nullptr, "Cannot compact on type string"},
      {"{{ mustCompact 3 }}", "mustCompact", {I(3)}, nullptr, nullptr, "Cannot compact on type int"},
      {"{{ deepCopy (dict \"a\" (list 1 (dict \"b\" \"c\"))) }}", "deepCopy", {M({{"a", L({I(1), M({{"b", S("c")}})})}})}, "map[a:[1 map[b:c]]]", "map[string]interface {}", nullptr},
      {"{{ deepCopy 5 }}", "deepCopy", {I(5)}, "5", "int", nullptr},
      {"{{ deepCopy nil }}", "deepCopy", {N()}, nullptr, nullptr, "reflect: call of reflect.Value.Type on zero Value"},
      {"{{ mustDeepCopy (toStrings (list \"a\")) }}", "mustDeepCopy", {SL({"a"})}, "[a]", "[]string", nullptr},
      {"{{ typeOf 1 }}", "typeOf", {I(1)}, "int", "string", nullptr},
      {"{{ typeOf 1.0 }}", "typeOf", {F(1.0)}, "float64", "string", nullptr},
      {"{{ typeOf nil }}", "typeOf", {N()}, "<nil>", "string", nullptr},
      {"{{ typeOf (list) }}", "typeOf", {L({})}, "[]interface {}", "string", nullptr},
      {"{{ typeOf (toStrings (list \"a\")) }}", "typeOf", {SL({"a"})}, "[]string", "string", nullptr},
      {"{{ typeOf (dict) }}", "typeOf", {M({})}, "map[string]interface {}", "string", nullptr},
      {"{{ typeOf (int64 1) }}", "typeOf", {I64(1)}, "int64", "string", nullptr},
      {"{{ typeIs \"int\" 1 }}", "typeIs", {S("int"), I(1)}, "true", "bool", nullptr},
      {"{{ typeIs \"string\" 1 }}", "typeIs", {S("string"), I(1)}, "false", "bool", nullptr},
      {"{{ typeIsLike \"float64\" 1.5 }}", "typeIsLike", {S("float64"), F(1.5)}, "true", "bool", nullptr},
      {"{{ kindOf 1 }}", "kindOf", {I(1)}, "int", "string", nullptr},
      {"{{ kindOf nil }}", "kindOf", {N()}, "invalid", "string", nullptr},
      {"{{ kindOf (list) }}", "kindOf", {L({})}, "slice", "string", nullptr},
      {"{{ kindOf (toStrings (list)) }}", "kindOf", {SL({})}, "slice", "string", nullptr},
      {"{{ kindOf (dict) }}", "kindOf", {M({})}, "map", "string", nullptr},
      {"{{ kindOf \"x\" }}", "kindOf", {S("x")}, "string", "string", nullptr},
      {"{{ kindOf true }}", "kindOf", {B(true)}, "bool", "string", nullptr},
      {"{{ kindOf 1.0 }}", "kindOf", {F(1.0)}, "float64", "string", nullptr},
      {"{{ kindIs \"map\" (dict) }}", "kindIs", {S("map"), M({})}, "true", "bool", nullptr},
      {"{{ kindIs \"invalid\" nil }}", "kindIs", {S("invalid"), N()}, "true", "bool", nullptr},
      {"{{ kindIs \"slice\" \"x\" }}", "kindIs", {S("slice"), S("x")}, "false", "bool", nullptr},
      {"{{ deepEqual 1 1 }}", "deepEqual", {I(1), I(1)}, "true", "bool", nullptr},
      {"{{ deepEqual 1 (int64 1) }}", "deepEqual", {I(1), I64(1)}, "false", "bool", nullptr},
      {"{{ deepEqual 1 1.0 }}", "deepEqual", {I(1), F(1.0)}, "false", "bool", nullptr},
      {"{{ deepEqual (list 1 (dict \"a\" \"b\")) (list 1 (dict \"a\" \"b\")) }}", "deepEqual", {L({I(1), M({{"a", S("b")}})}), L({I(1), M({{"a", S("b")}})})}, "true", "bool", nullptr},
      {"{{ deepEqual (list 1) (toStrings (list \"1\")) }}", "deepEqual", {L({I(1)}), SL({"1"})}, "false", "bool", nullptr},
      {"{{ deepEqual nil nil }}", "deepEqual", {N(), N()}, "true", "bool", nullptr},
      {"{{ deepEqual (float64 \"nan\") (float64 \"nan\") }}", "deepEqual", {F(std::nan("")), F(std::nan(""))}, "false", "bool", nullptr},
      {"{{ deepEqual (dict \"a\" 1) (dict \"a\" 2) }}", "deepEqual", {M({{"a", I(1)}}), M({{"a", I(2)}})}, "false", "bool", nullptr},
      {"{{ list }}", "list", {}, "[]", "[]interface {}", nullptr},
      {"{{ list 1 \"a\" nil 2.5 }}", "list", {I(1), S("a"), N(), F(2.5)}, "[1 a <nil> 2.5]", "[]interface {}", nullptr},
      {"{{ tuple 1 2 }}", "tuple", {I(1), I(2)}, "[1 2]", "[]interface {}", nullptr},
      {"{{ append (list 1) 2 }}", "append", {L({I(1)}), I(2)}, "[1 2]", "[]interface {}", nullptr},
      {"{{ append (toStrings (list \"a\")) 2 }}", "append", {SL({"a"}), I(2)}, "[a 2]", "[]interface {}", nullptr},
      {"{{ append nil 2 }}", "append", {N(), I(2)}, nullptr, nullptr, "runtime error: invalid memory address or nil pointer dereference"},
      {"{{ append \"abc\" 2 }}", "append", {S("abc"), I(2)}, nullptr, nullptr, "Cannot push on type string"},
      {"{{ append (dict) 2 }}", "append", {M({}), I(2)}, nullptr, nullptr, "Cannot push on type map"},
      {"{{ push (list) (list 1) }}", "push", {L({}), L({I(1)})}, "[[1]]", "[]interface {}", nullptr},
      {"{{ mustAppend 1 2 }}", "mustAppend", {I(1), I(2)}, nullptr, nullptr, "Cannot push on type int"},
      {"{{ mustPush 1.0 2 }}", "mustPush", {F(1.0), I(2)}, nullptr, nullptr, "Cannot push on type float64"},
      {"{{ prepend (list 1 2) 0 }}", "prepend", {L({I(1), I(2)}), I(0)}, "[0 1 2]", "[]interface {}", nullptr},
      {"{{ prepend true 0 }}", "prepend", {B(true), I(0)}, nullptr, nullptr, "Cannot prepend on type bool"},
      {"{{ mustPrepend (toStrings (list \"a\")) nil }}", "mustPrepend", {SL({"a"}), N()}, "[<nil> a]", "[]interface {}", nullptr},
      {"{{ first (list 1 2) }}", "first", {L({I(1), I(2)})}, "1", "int", nullptr},
      {"{{ first (list) }}", "first", {L({})}, "<nil>", "<nil>", nullptr},
      {"{{ first (toStrings (list \"x\" \"y\")) }}", "first", {SL({"x", "y"})}, "x", "string", nullptr},
      {"{{ first \"abc\" }}", "first", {S("abc")}, nullptr, nullptr, "Cannot find first on type string"},
      {"{{ first nil }}", "first", {N()}, nullptr, nullptr, "runtime error: invalid memory address or nil pointer dereference"},
      {"{{ mustFirst 3 }}", "mustFirst", {I(3)}, nullptr, nullptr, "Cannot find first on type int"},
      {"{{ last (list 1 2) }}", "last", {L({I(1), I(2)})}, "2", "int", nullptr},
      {"{{ last (list) }}", "last", {L({})}, "<nil>", "<nil>", nullptr},
      {"{{ last (dict) }}", "last", {M({})}, nullptr, nullptr, "Cannot find last on type map"},
      {"{{ mustLast \"x\" }}", "mustLast", {S("x")}, nullptr, nullptr, "Cannot find last on type string"},
      {"{{ rest (list 1 2 3) }}", "rest", {L({I(1), I(2), I(3)})}, "[2 3]", "[]interface {}", nullptr},
      {"{{ rest (list) }}", "rest", {L({})}, "[]", "[]interface {}", nullptr},
      {"{{ rest \"x\" }}", "rest", {S("x")}, nullptr, nullptr, "Cannot find rest on type string"},
      {"{{ mustRest (toStrings (list \"a\" \"b\")) }}", "mustRest", {SL({"a", "b"})}, "[b]", "[]interface {}", nullptr},
      {"{{ initial (list 1 2 3) }}", "initial", {L({I(1), I(2), I(3)})}, "[1 2]", "[]interface {}", nullptr},
      {"{{ initial (list) }}", "initial", {L({})}, "[]", "[]interface {}", nullptr},
      {"{{ initial 3 }}", "initial", {I(3)}, nullptr, nullptr, "Cannot find initial on type int"},
      {"{{ mustInitial (list 1) }}", "mustInitial", {L({I(1)})}, "[]", "[]interface {}", nullptr},
      {"{{ reverse (list 1 2 3) }}", "reverse", {L({I(1), I(2), I(3)})}, "[3 2 1]", "[]interface {}", nullptr},
      {"{{ reverse (toStrings (list \"a\" \"b\")) }}", "reverse", {SL({"a", "b"})}, "[b a]", "[]interface {}", nullptr},
      {"{{ reverse (list) }}", "reverse", {L({})}, "[]", "[]interface {}", nullptr},
      {"{{ reverse \"abc\" }}", "reverse", {S("abc")}, nullptr, nullptr, "Cannot find reverse on type string"},
      {"{{ mustReverse (int64 1) }}", "mustReverse", {I64(1)}, nullptr, nullptr, "Cannot find reverse on type int64"},
      {"{{ uniq (list 1 1 1.0 \"1\" (int64 1) 1 nil nil (list 1) (list 1)) }}", "uniq", {L({I(1), I(1), F(1.0), S("1"), I64(1), I(1), N(), N(), L({I(1)}), L({I(1)})})}, "[1 1 1 1 <nil> [1]]", "[]interface {}", nullptr},
      {"{{ uniq (toStrings (list \"a\" \"b\" \"a\")) }}", "uniq", {SL({"a", "b", "a"})}, "[a b]", "[]interface {}", nullptr},
      {"{{ uniq (dict) }}", "uniq", {M({})}, nullptr, nullptr, "Cannot find uniq on type map"},
      {"{{ mustUniq \"x\" }}", "mustUniq", {S("x")}, nullptr, nullptr, "Cannot find uniq on type string"},
      {"{{ without (list 1 2 3 2) 2 }}", "without", {L({I(1), I(2), I(3), I(2)}), I(2)}, "[1 3]", "[]interface {}", nullptr},
      {"{{ without (list 1 2 3) 1 3 \"2\" }}", "without", {L({I(1), I(2), I(3)}), I(1), I(3), S("2")}, "[2]", "[]interface {}", nullptr},
      {"{{ without (list 1 2) }}", "without", {L({I(1), I(2)})}, "[1 2]", "[]interface {}", nullptr},
      {"{{ without \"x\" 1 }}", "without", {S("x"), I(1)}, nullptr, nullptr, "Cannot find without on type string"},
      {"{{ without nil 1 }}", "without", {N(), I(1)}, nullptr, nullptr, "runtime error: invalid memory address or nil pointer dereference"},
      {"{{ mustWithout 1 }}", "mustWithout", {I(1)}, nullptr, nullptr, "Cannot find without on type int"},
      {"{{ has 2 (list 1 2) }}", "has", {I(2), L({I(1), I(2)})}, "true", "bool", nullptr},
      {"{{ has \"2\" (list 1 2) }}", "has", {S("2"), L({I(1), I(2)})}, "false", "bool", nullptr},
      {"{{ has 2.0 (list 1 2) }}", "has", {F(2.0), L({I(1), I(2)})}, "false", "bool", nullptr},
      {"{{ has \"a\" (toStrings (list \"a\")) }}", "has", {S("a"), SL({"a"})}, "true", "bool", nullptr},
      {"{{ has 1 nil }}", "has", {I(1), N()}, "false", "bool", nullptr},
      {"{{ has 1 2 }}", "has", {I(1), I(2)}, nullptr, nullptr, "Cannot find has on type int"},
      {"{{ has nil (list nil) }}", "has", {N(), L({N()})}, "true", "bool", nullptr},
      {"{{ mustHas 1 \"abc\" }}", "mustHas", {I(1), S("abc")}, nullptr, nullptr, "Cannot find has on type string"},
      {"{{ slice (list 1 2 3 4) 1 3 }}", "slice", {L({I(1), I(2), I(3), I(4)}), I(1), I(3)}, "[2 3]", "[]interface {}", nullptr},
      {"{{ slice (list 1 2 3) 1 }}", "slice", {L({I(1), I(2), I(3)}), I(1)}, "[2 3]", "[]interface {}", nullptr},
      {"{{ slice (list 1 2 3) }}", "slice", {L({I(1), I(2), I(3)})}, "[1 2 3]", "[]interface {}", nullptr},
      {"{{ slice (list 1 2 3) \"1\" 2.0 }}", "slice", {L({I(1), I(2), I(3)}), S("1"), F(2.0)}, "[2]", "[]interface {}", nullptr},
      {"{{ slice (list 1 2 3) 2 1 }}", "slice", {L({I(1), I(2), I(3)}), I(2), I(1)}, nullptr, nullptr, "reflect.Value.Slice: slice index out of bounds"},
      {"{{ slice (list 1 2 3) 1 5 }}", "slice", {L({I(1), I(2), I(3)}), I(1), I(5)}, nullptr, nullptr, "reflect.Value.Slice: slice index out of bounds"},
      {"{{ slice (list 1 2 3) -1 }}", "slice", {L({I(1), I(2), I(3)}), I(-1)}, nullptr, nullptr, "reflect.Value.Slice: slice index out of bounds"},
      {"{{ slice (list) }}", "slice", {L({})}, "<nil>", "<nil>", nullptr},
      {"{{ slice (toStrings (list \"a\" \"b\" \"c\")) 1 }}", "slice", {SL({"a", "b", "c"}), I(1)}, "[b c]", "[]string", nullptr},
      {"{{ slice \"abc\" 1 }}", "slice", {S("abc"), I(1)}, nullptr, nullptr, "list should be type of slice or array but string"},
      {"{{ slice nil }}", "slice", {N()}, nullptr, nullptr, "runtime error: invalid memory address or nil pointer dereference"},
      {"{{ mustSlice (dict) }}", "mustSlice", {M({})}, nullptr, nullptr, "list should be type of slice or array but map"},
      {"{{ concat (list 1) (toStrings (list \"a\")) (list) }}", "concat", {L({I(1)}), SL({"a"}), L({})}, "[1 a]", "[]interface {}", nullptr},
      {"{{ concat }}", "concat", {}, "[]", "[]interface {}", nullptr},
      {"{{ concat (list 1) 2 }}", "concat", {L({I(1)}), I(2)}, nullptr, nullptr, "Cannot concat type int as list"},
      {"{{ concat (list) nil }}", "concat", {L({}), N()}, nullptr, nullptr, "runtime error: invalid memory address or nil pointer dereference"},
      {"{{ chunk 2 (list 1 2 3 4 5) }}", "chunk", {I(2), L({I(1), I(2), I(3), I(4), I(5)})}, "[[1 2] [3 4] [5]]", "[][]interface {}", nullptr},
      {"{{ chunk 3 (list 1 2 3) }}", "chunk", {I(3), L({I(1), I(2), I(3)})}, "[[1 2 3]]", "[][]interface {}", nullptr},
      {"{{ chunk 5 (list 1) }}", "chunk", {I(5), L({I(1)})}, "[[1]]", "[][]interface {}", nullptr},
      {"{{ chunk 2 (list) }}", "chunk", {I(2), L({})}, "[]", "[][]interface {}", nullptr},
      {"{{ chunk 0 (list 1 2) }}", "chunk", {I(0), L({I(1), I(2)})}, nullptr, nullptr, "runtime error: makeslice: len out of range"},
      {"{{ chunk -1 (list 1 2 3) }}", "chunk", {I(-1), L({I(1), I(2), I(3)})}, nullptr, nullptr, "runtime error: makeslice: len out of range"},
      {"{{ chunk -1 (list) }}", "chunk", {I(-1), L({})}, nullptr, nullptr, "runtime error: makeslice: len out of range"},
      {"{{ chunk 2 \"abc\" }}", "chunk", {I(2), S("abc")}, nullptr, nullptr, "Cannot chunk type string"},
      {"{{ mustChunk 2 (toStrings (list \"a\" \"b\" \"c\")) }}", "mustChunk", {I(2), SL({"a", "b", "c"})}, "[[a b] [c]]", "[][]interface {}", nullptr},
      {"{{ dict }}", "dict", {}, "map[]", "map[string]interface {}", nullptr},
      {"{{ dict \"a\" 1 \"b\" \"two\" }}", "dict", {S("a"), I(1), S("b"), S("two")}, "map[a:1 b:two]", "map[string]interface {}", nullptr},
      {"{{ dict \"a\" }}", "dict", {S("a")}, "map[a:]", "map[string]interface {}", nullptr},
      {"{{ dict 1 \"x\" nil \"y\" 1.5 true }}", "dict", {I(1), S("x"), N(), S("y"), F(1.5), B(true)}, "map[1:x 1.5:true <nil>:y]", "map[string]interface {}", nullptr},
      {"{{ dict \"a\" 1 \"a\" 2 }}", "dict", {S("a"), I(1), S("a"), I(2)}, "map[a:2]", "map[string]interface {}", nullptr},
      {"{{ get (dict \"a\" 1) \"a\" }}", "get", {M({{"a", I(1)}}), S("a")}, "1", "int", nullptr},
      {"{{ get (dict \"a\" 1) \"b\" }}", "get", {M({{"a", I(1)}}), S("b")}, "", "string", nullptr},
      {"{{ get (first list) \"b\" }}", "get", {N(), S("b")}, "", "string", nullptr},
      {"{{ get (list) \"b\" }}", "get", {L({}), S("b")}, nullptr, nullptr, "wrong type for value; expected map[string]interface {}; got []interface {}"},
      {"{{ set (dict \"a\" 1) \"b\" 2 }}", "set", {M({{"a", I(1)}}), S("b"), I(2)}, "map[a:1 b:2]", "map[string]interface {}", nullptr},
      {"{{ set (dict \"a\" 1) \"a\" nil }}", "set", {M({{"a", I(1)}}), S("a"), N()}, "map[a:<nil>]", "map[string]interface {}", nullptr},
      {"{{ set (first list) \"a\" 1 }}", "set", {N(), S("a"), I(1)}, nullptr, nullptr, "assignment to entry in nil map"},
      {"{{ unset (dict \"a\" 1 \"b\" 2) \"a\" }}", "unset", {M({{"a", I(1)}, {"b", I(2)}}), S("a")}, "map[b:2]", "map[string]interface {}", nullptr},
      {"{{ unset (dict \"a\" 1) \"zz\" }}", "unset", {M({{"a", I(1)}}), S("zz")}, "map[a:1]", "map[string]interface {}", nullptr},
      {"{{ unset (first list) \"a\" }}", "unset", {N(), S("a")}, "map[]", "map[string]interface {}", nullptr},
      {"{{ hasKey (dict \"a\" nil) \"a\" }}", "hasKey", {M({{"a", N()}}), S("a")}, "true", "bool", nullptr},
      {"{{ hasKey (dict \"a\" 1) \"b\" }}", "hasKey", {M({{"a", I(1)}}), S("b")}, "false", "bool", nullptr},
      {"{{ hasKey (first list) \"b\" }}", "hasKey", {N(), S("b")}, "false", "bool", nullptr},
      {"{{ hasKey \"abc\" \"b\" }}", "hasKey", {S("abc"), S("b")}, nullptr, nullptr, "*"},
      {"{{ hasKey (dict) 1 }}", "hasKey", {M({}), I(1)}, nullptr, nullptr, "*"},
      {"{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" \"x\") }}", "pluck", {S("a"), M({{"a", I(1)}}), M({{"b", I(2)}}), M({{"a", S("x")}})}, "[1 x]", "[]interface {}", nullptr},
      {"{{ pluck \"a\" }}", "pluck", {S("a")}, "[]", "[]interface {}", nullptr},
      {"{{ pick (dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" \"zz\" }}", "pick", {M({{"a", I(1)}, {"b", I(2)}, {"c", I(3)}}), S("a"), S("c"), S("zz")}, "map[a:1 c:3]", "map[string]interface {}", nullptr},
      {"{{ pick (dict \"a\" 1) }}", "pick", {M({{"a", I(1)}})}, "map[]", "map[string]interface {}", nullptr},
      {"{{ pick (dict \"a\" 1) 1 }}", "pick", {M({{"a", I(1)}}), I(1)}, nullptr, nullptr, "*"},
      {"{{ omit (dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" \"zz\" }}", "omit", {M({{"a", I(1)}, {"b", I(2)}, {"c", I(3)}}), S("a"), S("c"), S("zz")}, "map[b:2]", "map[string]interface {}", nullptr},
      {"{{ omit (dict \"a\" 1) }}", "omit", {M({{"a", I(1)}})}, "map[a:1]", "map[string]interface {}", nullptr},
      {"{{ keys (dict \"b\" 1) }}", "keys", {M({{"b", I(1)}})}, "[b]", "[]string", nullptr},
      {"{{ keys }}", "keys", {}, "[]", "[]string", nullptr},
      {"{{ keys (dict) (dict) }}", "keys", {M({}), M({})}, "[]", "[]string", nullptr},
      {"{{ values (dict \"a\" (list 1)) }}", "values", {M({{"a", L({I(1)})}})}, "[[1]]", "[]interface {}", nullptr},
      {"{{ values (dict) }}", "values", {M({})}, "[]", "[]interface {}", nullptr},
      {"{{ merge (dict \"a\" 1 \"n\" (dict \"x\" 1 \"y\" \"\")) (dict \"a\" 2 \"b\" 3 \"n\" (dict \"y\" \"Y\" \"z\" 3)) }}", "merge", {M({{"a", I(1)}, {"n", M({{"x", I(1)}, {"y", S("")}})}}), M({{"a", I(2)}, {"b", I(3)}, {"n", M({{"y", S("Y")}, {"z", I(3)}})}})}, "map[a:1 b:3 n:map[x:1 y:Y z:3]]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"a\" \"\" \"b\" 0 \"c\" nil \"d\" (list) \"e\" false) (dict \"a\" \"A\" \"b\" 5 \"c\" \"C\" \"d\" (list 1) \"e\" true) }}", "merge", {M({{"a", S("")}, {"b", I(0)}, {"c", N()}, {"d", L({})}, {"e", B(false)}}), M({{"a", S("A")}, {"b", I(5)}, {"c", S("C")}, {"d", L({I(1)})}, {"e", B(true)}})}, "map[a:A b:5 c:C d:[1] e:true]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"l\" (list 1)) (dict \"l\" (list 2) \"x\" nil) }}", "merge", {M({{"l", L({I(1)})}}), M({{"l", L({I(2)})}, {"x", N()}})}, "map[l:[1]]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"s\" \"str\") (dict \"s\" (dict \"k\" 1)) }}", "merge", {M({{"s", S("str")}}), M({{"s", M({{"k", I(1)}})}})}, "map[s:str]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"s\" (dict \"k\" 1)) (dict \"s\" \"str\") }}", "merge", {M({{"s", M({{"k", I(1)}})}}), M({{"s", S("str")}})}, "map[s:map[k:1]]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"s\" (list 1)) (dict \"s\" (dict \"k\" 1)) }}", "merge", {M({{"s", L({I(1)})}}), M({{"s", M({{"k", I(1)}})}})}, "map[s:[1]]", "map[string]interface {}", nullptr},
      {"{{ merge (first list) (dict \"a\" 1) }}", "merge", {N(), M({{"a", I(1)}})}, "map[a:1]", "map[string]interface {}", nullptr},
      {"{{ merge (first list) }}", "merge", {N()}, "map[]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"a\" 1) }}", "merge", {M({{"a", I(1)}})}, "map[a:1]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"a\" 1) (first list) (dict \"b\" 2) }}", "merge", {M({{"a", I(1)}}), N(), M({{"b", I(2)}})}, "map[a:1 b:2]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"a\" 1) \"x\" }}", "merge", {M({{"a", I(1)}}), S("x")}, nullptr, nullptr, "*"},
      {"{{ mustMerge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) }}", "mustMerge", {M({{"a", I(1)}}), M({{"a", I(2)}, {"b", I(3)}})}, "map[a:1 b:3]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"a\" 1 \"n\" (dict \"x\" 1 \"y\" \"y\")) (dict \"a\" 2 \"b\" 3 \"n\" (dict \"y\" \"Y\" \"z\" 3)) }}", "mergeOverwrite", {M({{"a", I(1)}, {"n", M({{"x", I(1)}, {"y", S("y")}})}}), M({{"a", I(2)}, {"b", I(3)}, {"n", M({{"y", S("Y")}, {"z", I(3)}})}})}, "map[a:2 b:3 n:map[x:1 y:Y z:3]]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"a\" \"A\" \"b\" 5 \"c\" \"C\" \"d\" (list 1) \"e\" true) (dict \"a\" \"\" \"b\" 0 \"c\" nil \"d\" (list) \"e\" false) }}", "mergeOverwrite", {M({{"a", S("A")}, {"b", I(5)}, {"c", S("C")}, {"d", L({I(1)})}, {"e", B(true)}}), M({{"a", S("")}, {"b", I(0)}, {"c", N()}, {"d", L({})}, {"e", B(false)}})}, "map[a: b:0 c:<nil> d:[] e:false]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"s\" \"str\") (dict \"s\" (dict \"k\" 1)) }}", "mergeOverwrite", {M({{"s", S("str")}}), M({{"s", M({{"k", I(1)}})}})}, "map[s:str]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"s\" (dict \"k\" 1)) (dict \"s\" \"str\") }}", "mergeOverwrite", {M({{"s", M({{"k", I(1)}})}}), M({{"s", S("str")}})}, "map[s:str]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"s\" \"str\") (dict \"s\" (list 1)) }}", "mergeOverwrite", {M({{"s", S("str")}}), M({{"s", L({I(1)})}})}, "map[s:[1]]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"s\" (list 1 2)) (dict \"s\" (list 3)) }}", "mergeOverwrite", {M({{"s", L({I(1), I(2)})}}), M({{"s", L({I(3)})}})}, "map[s:[3]]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"x\" 1) (dict \"x\" 2) (dict \"x\" 3) }}", "mergeOverwrite", {M({{"x", I(1)}}), M({{"x", I(2)}}), M({{"x", I(3)}})}, "map[x:3]", "map[string]interface {}", nullptr},
      {"{{ mustMergeOverwrite (dict \"n\" (dict \"a\" 1)) (dict \"n\" (dict \"a\" nil)) }}", "mustMergeOverwrite", {M({{"n", M({{"a", I(1)}})}}), M({{"n", M({{"a", N()}})}})}, "map[n:map[a:<nil>]]", "map[string]interface {}", nullptr},
      {"{{ mergeOverwrite (dict \"n\" (dict)) (dict \"n\" (dict \"a\" 1)) }}", "mergeOverwrite", {M({{"n", M({})}}), M({{"n", M({{"a", I(1)}})}})}, "map[n:map[a:1]]", "map[string]interface {}", nullptr},
      {"{{ merge (dict \"n\" (dict)) (dict \"n\" (dict \"a\" 1)) }}", "merge", {M({{"n", M({})}}), M({{"n", M({{"a", I(1)}})}})}, "map[n:map[a:1]]", "map[string]interface {}", nullptr},
      {"{{ dig \"a\" \"b\" \"def\" (dict \"a\" (dict \"b\" \"found\")) }}", "dig", {S("a"), S("b"), S("def"), M({{"a", M({{"b", S("found")}})}})}, "found", "string", nullptr},
      {"{{ dig \"a\" \"x\" \"def\" (dict \"a\" (dict \"b\" \"found\")) }}", "dig", {S("a"), S("x"), S("def"), M({{"a", M({{"b", S("found")}})}})}, "def", "string", nullptr},
      {"{{ dig \"a\" \"def\" (dict \"a\" nil) }}", "dig", {S("a"), S("def"), M({{"a", N()}})}, "<nil>", "<nil>", nullptr},
      {"{{ dig \"a\" \"b\" \"def\" (dict \"a\" \"x\") }}", "dig", {S("a"), S("b"), S("def"), M({{"a", S("x")}})}, nullptr, nullptr, "interface conversion: interface {} is string, not map[string]interface {}"},
      {"{{ dig \"a\" \"b\" \"def\" (dict \"a\" nil) }}", "dig", {S("a"), S("b"), S("def"), M({{"a", N()}})}, nullptr, nullptr, "interface conversion: interface {} is nil, not map[string]interface {}"},
      {"{{ dig \"a\" \"b\" \"def\" (dict \"x\" nil) }}", "dig", {S("a"), S("b"), S("def"), M({{"x", N()}})}, "def", "string", nullptr},
      {"{{ dig \"a\" \"def\" }}", "dig", {S("a"), S("def")}, nullptr, nullptr, "dig needs at least three arguments"},
      {"{{ dig 1 \"def\" (dict) }}", "dig", {I(1), S("def"), M({})}, nullptr, nullptr, "interface conversion: interface {} is int, not string"},
      {"{{ dig \"a\" \"def\" \"notamap\" }}", "dig", {S("a"), S("def"), S("notamap")}, nullptr, nullptr, "interface conversion: interface {} is string, not map[string]interface {}"},
      {"{{ dig \"a\" \"def\" (first list) }}", "dig", {S("a"), S("def"), N()}, nullptr, nullptr, "interface conversion: interface {} is nil, not map[string]interface {}"},
      {"{{ hello }}", "hello", {}, "Hello!", "string", nullptr},
  };
  return kCases;
}

gt::FuncMap core_funcs() {
  gt::FuncMap funcs;
  gl::render::helm::add_sprig_core(funcs);
  return funcs;
}

Value call(const gt::FuncMap& funcs, const std::string& name, std::vector<Value> args) {
  TestContext ctx;
  return funcs.at(name).call(ctx, args);
}

std::string call_error(const gt::FuncMap& funcs, const std::string& name, std::vector<Value> args) {
  try {
    call(funcs, name, std::move(args));
  } catch (const gt::ExecError& e) {
    return e.message;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("sprig core: results and errors match helm-oracle", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  REQUIRE(cases().size() >= 150);
  for (const Case& c : cases()) {
    INFO(c.tpl);
    auto it = funcs.find(c.fn);
    REQUIRE(it != funcs.end());
    const gt::Function& fn = it->second;
    const auto n = static_cast<int>(c.args.size());
    REQUIRE(n >= fn.min_args);
    REQUIRE((fn.max_args < 0 || n <= fn.max_args));
    TestContext ctx;
    if (c.error != nullptr) {
      std::string message = "(no error)";
      try {
        fn.call(ctx, c.args);
      } catch (const gt::ExecError& e) {
        message = e.message;
      }
      if (std::string(c.error) == "*") {
        CHECK(message != "(no error)");
      } else {
        CHECK(message == c.error);
      }
      continue;
    }
    Value result;
    try {
      result = fn.call(ctx, c.args);
    } catch (const gt::ExecError& e) {
      FAIL_CHECK("unexpected error: " << e.message);
      continue;
    }
    CHECK(gt::gofmt::format_value(result) == c.out);
    CHECK(result.type_name() == modelled_type(c.type));
  }
}

TEST_CASE("sprig core: set and unset change the map every holder sees", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  // {{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }} -> map[b:2]
  Value d = M({{"a", I(1)}});
  Value r = call(funcs, "set", {d, S("b"), I(2)});
  CHECK(r.map_ptr() == d.map_ptr());
  call(funcs, "unset", {d, S("a")});
  CHECK(gt::gofmt::format_value(d) == "map[b:2]");
}

TEST_CASE("sprig core: merge fills the destination map in place", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  // {{ $d := dict "a" (dict "x" 1) }}{{ $_ := merge $d (dict "a" (dict "y" 2) "b" 3) }}{{ $d }}
  //   -> map[a:map[x:1 y:2] b:3]
  Value inner = M({{"x", I(1)}});
  Value d = M({{"a", inner}});
  Value r = call(funcs, "merge", {d, M({{"a", M({{"y", I(2)}})}, {"b", I(3)}})});
  CHECK(r.map_ptr() == d.map_ptr());
  CHECK(gt::gofmt::format_value(d) == "map[a:map[x:1 y:2] b:3]");
  CHECK(gt::gofmt::format_value(inner) == "map[x:1 y:2]");
  // {{ $d := dict "a" 1 }}{{ $c := deepCopy $d }}{{ $_ := set $c "b" 2 }}{{ $d }} {{ $c }} -> map[a:1] map[a:1 b:2]
  Value c = call(funcs, "deepCopy", {d});
  call(funcs, "set", {c, S("z"), I(2)});
  CHECK(gt::gofmt::format_value(d) == "map[a:map[x:1 y:2] b:3]");
}

TEST_CASE("sprig core: keys in any order, and sortAlpha over them", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  // {{ keys (dict "b" 1 "a" 2) | sortAlpha }} -> [a b]; {{ keys (dict "b" 1) (dict "c" 1 "a" 2) | sortAlpha }}
  Value k = call(funcs, "keys", {M({{"b", I(1)}, {"a", I(2)}})});
  CHECK(k.type_name() == "[]string");
  CHECK(gt::gofmt::format_value(call(funcs, "sortAlpha", {k})) == "[a b]");
  Value k2 = call(funcs, "keys", {M({{"b", I(1)}}), M({{"c", I(1)}, {"a", I(2)}})});
  CHECK(gt::gofmt::format_value(call(funcs, "sortAlpha", {k2})) == "[a b c]");
  // {{ values (dict "b" 1 "a" 2) | sortAlpha }} -> [1 2]
  Value v = call(funcs, "values", {M({{"b", I(1)}, {"a", I(2)}})});
  CHECK(gt::gofmt::format_value(call(funcs, "sortAlpha", {v})) == "[1 2]");
}

TEST_CASE("sprig core: .Values (a named map type) as argument", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  // helm-oracle template with values `a: {b: c}`:
  // {{ kindOf .Values }} {{ hasKey .Values "a" }} {{ typeOf (merge (dict) .Values) }} {{ empty .Values }}
  //   -> map true map[string]interface {} false
  // {{ dig "a" "b" "x" .Values }} -> error calling dig: interface conversion: interface {} is main.Values (Helm:
  //   chartutil.Values), not map[string]interface {}
  Value values = Value::map(gt::Map{{"a", M({{"b", S("c")}})}}, GoType::kValues);
  CHECK(call(funcs, "kindOf", {values}).as_string() == "map");
  CHECK(call(funcs, "hasKey", {values, S("a")}).as_bool());
  CHECK(call(funcs, "merge", {M({}), values}).type_name() == "map[string]interface {}");
  CHECK_FALSE(call(funcs, "empty", {values}).as_bool());
  CHECK(call(funcs, "deepEqual", {values, call(funcs, "deepCopy", {values})}).as_bool());
  CHECK(call(funcs, "deepCopy", {values}).go_type() == GoType::kValues);
  CHECK(call_error(funcs, "dig", {S("a"), S("b"), S("x"), values}) ==
        "interface conversion: interface {} is " + values.type_name() + ", not map[string]interface {}");
}

TEST_CASE("sprig core: every name of Sprig's core groups is registered", "[helm][sprig]") {
  const gt::FuncMap funcs = core_funcs();
  for (const char* name :
       {"abbrev", "abbrevboth", "trunc", "trim", "upper", "lower", "title", "untitle", "substr", "repeat", "trimall",
        "trimAll", "trimSuffix", "trimPrefix", "nospace", "initials", "swapcase", "snakecase", "camelcase",
        "kebabcase", "wrap", "wrapWith", "contains", "hasPrefix", "hasSuffix", "quote", "squote", "cat", "indent",
        "nindent", "replace", "plural", "toString", "atoi", "int64", "int", "float64", "seq", "toDecimal", "split",
        "splitList", "splitn", "toStrings", "until", "untilStep", "add1", "add", "sub", "div", "mod", "mul", "add1f",
        "addf", "subf", "divf", "mulf", "biggest", "max", "min", "maxf", "minf", "ceil", "floor", "round", "join",
        "sortAlpha", "default", "empty", "coalesce", "all", "any", "compact", "mustCompact", "ternary", "deepCopy",
        "mustDeepCopy", "typeOf", "typeIs", "typeIsLike", "kindOf", "kindIs", "deepEqual", "tuple", "list", "dict",
        "get", "set", "unset", "hasKey", "pluck", "keys", "pick", "omit", "merge", "mergeOverwrite", "mustMerge",
        "mustMergeOverwrite", "values", "append", "push", "mustAppend", "mustPush", "prepend", "mustPrepend",
        "first", "mustFirst", "rest", "mustRest", "last", "mustLast", "initial", "mustInitial", "reverse",
        "mustReverse", "uniq", "mustUniq", "without", "mustWithout", "has", "mustHas", "slice", "mustSlice",
        "concat", "dig", "chunk", "mustChunk"}) {
    INFO(name);
    CHECK(funcs.count(name) == 1);
  }
  // {{ upper "a" "b" }} -> wrong number of args for upper: want 1 got 2 (checked by the executor from the arity)
  CHECK(funcs.at("upper").min_args == 1);
  CHECK(funcs.at("upper").max_args == 1);
  CHECK(funcs.at("merge").max_args == -1);
}

TEST_CASE("sprig core: conversions shared with the other function files", "[helm][sprig]") {
  namespace cv = gl::render::helm::convert;
  // cast.ToInt64 / ToFloat64 and strconv, as the oracle printed them through int64/float64 above.
  CHECK(cv::to_int64(S("0x1_0")) == 16);
  CHECK(cv::to_int64(S("1.00")) == 1);
  CHECK(cv::to_int64(S("1.50")) == 0);
  CHECK(cv::to_int64(F(-1e19)) == INT64_MIN);
  CHECK(cv::to_float64(S("1_000")) == 1000);
  CHECK(cv::to_float64(S("0x10")) == 0);
  CHECK(std::isinf(cv::to_float64(S("+inf"))));
  CHECK_FALSE(cv::parse_float("infin").has_value());
  CHECK(cv::parse_int("-9223372036854775808", 10) == INT64_MIN);
  CHECK_FALSE(cv::parse_int("1__0", 0).has_value());
  CHECK(cv::strval(Value::string("x")) == "x");
  CHECK(cv::unicode::to_upper(U'ǆ') == U'Ǆ');
  CHECK(cv::unicode::to_title(U'ǆ') == U'ǅ');
  CHECK(cv::unicode::to_lower(U'Ā') == U'ā');
  CHECK(cv::unicode::is_punct(U'!'));
  CHECK_FALSE(cv::unicode::is_letter(U'1'));
}
