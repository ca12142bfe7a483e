// Go fmt semantics (Sprint, Sprintln, Sprintf, %v, strconv.FormatFloat) on template values. Every expected
// string was produced by the helm-oracle (Go 1.19 text/template + Sprig) from the template in the comment
// above the check; floats were passed as (float64 "...") and ints as template literals or (int64 "...").
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/helm/gotemplate/gofmt.h"
#include "render/helm/gotemplate/value.h"

namespace {

namespace gt = gl::render::gotemplate;
namespace gofmt = gl::render::gotemplate::gofmt;
using gt::GoType;
using gt::Value;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Value N() { return Value::nil(); }
Value B(bool b) { return Value::boolean(b); }
Value I(int64_t i) { return Value::integer(i); }
Value I64(int64_t i) { return Value::integer(i, GoType::kInt64); }
Value F(double d) { return Value::floating(d); }
/// A string literal with its full length (literals may embed NUL bytes).
template <size_t Len>
Value S(const char (&s)[Len]) {
  return Value::string(std::string(s, Len - 1));
}
Value L(gt::List items) { return Value::list(std::move(items)); }
Value SL(const std::vector<std::string>& items) {
  gt::List out;
  for (const auto& s : items) out.push_back(Value::string(s));
  return Value::list(std::move(out), GoType::kStringList);
}
Value M(gt::Map m) { return Value::map(std::move(m)); }

std::string pf(std::string_view format, const std::vector<Value>& args) { return gofmt::sprintf(format, args); }
std::string pr(const std::vector<Value>& args) { return gofmt::sprint(args); }
std::string prl(const std::vector<Value>& args) { return gofmt::sprintln(args); }
std::string fv(const Value& v) { return gofmt::format_value(v); }

}  // namespace

TEST_CASE("gofmt: %v of scalars (format_value)", "[helm][gofmt]") {
  // {{ print .nothing }}
  CHECK(fv(N()) == "<nil>");
  // {{ print true }}
  CHECK(fv(B(true)) == "true");
  // {{ print false }}
  CHECK(fv(B(false)) == "false");
  // {{ print 0 }}
  CHECK(fv(I(0)) == "0");
  // {{ print 42 }}
  CHECK(fv(I(42)) == "42");
  // {{ print -7 }}
  CHECK(fv(I(-7)) == "-7");
  // {{ print (int64 "9223372036854775807") }}
  CHECK(fv(I64(9223372036854775807LL)) == "9223372036854775807");
  // {{ print (int64 "-9223372036854775808") }}
  CHECK(fv(I64(INT64_MIN)) == "-9223372036854775808");
  // {{ print "" }}
  CHECK(fv(S("")) == "");
  // {{ print "hi there" }}
  CHECK(fv(S("hi there")) == "hi there");
}

TEST_CASE("gofmt: %v of float64: shortest %g", "[helm][gofmt]") {
  // {{ print (float64 "0.0") }}
  CHECK(fv(F(0.0)) == "0");
  // {{ print (float64 "-0.0") }}
  CHECK(fv(F(-0.0)) == "-0");
  // {{ print (float64 "0.5") }}
  CHECK(fv(F(0.5)) == "0.5");
  // {{ print (float64 "3.0") }}
  CHECK(fv(F(3.0)) == "3");
  // {{ print (float64 "123456.0") }}
  CHECK(fv(F(123456.0)) == "123456");
  // {{ print (float64 "1000000.0") }}
  CHECK(fv(F(1000000.0)) == "1e+06");
  // {{ print (float64 "1234567.0") }}
  CHECK(fv(F(1234567.0)) == "1.234567e+06");
  // {{ print (float64 "1e+21") }}
  CHECK(fv(F(1e+21)) == "1e+21");
  // {{ print (float64 "1e+20") }}
  CHECK(fv(F(1e+20)) == "1e+20");
  // {{ print (float64 "123456789.0") }}
  CHECK(fv(F(123456789.0)) == "1.23456789e+08");
  // {{ print (float64 "1.2e-05") }}
  CHECK(fv(F(1.2e-05)) == "1.2e-05");
  // {{ print (float64 "0.0001") }}
  CHECK(fv(F(0.0001)) == "0.0001");
  // {{ print (float64 "1e-05") }}
  CHECK(fv(F(1e-05)) == "1e-05");
  // {{ print (float64 "0.3333333333333333") }}
  CHECK(fv(F(0.3333333333333333)) == "0.3333333333333333");
  // {{ print (float64 "9007199254740992.0") }}
  CHECK(fv(F(9007199254740992.0)) == "9.007199254740992e+15");
  // {{ print (float64 "9.223372036854776e+18") }}
  CHECK(fv(F(9.223372036854776e+18)) == "9.223372036854776e+18");
  // {{ print (float64 "1e-07") }}
  CHECK(fv(F(1e-07)) == "1e-07");
  // {{ print (float64 "1.5e+21") }}
  CHECK(fv(F(1.5e+21)) == "1.5e+21");
  // {{ print (float64 "1e+100") }}
  CHECK(fv(F(1e+100)) == "1e+100");
  // {{ print (float64 "5e-324") }}
  CHECK(fv(F(5e-324)) == "5e-324");
  // {{ print (float64 "1.7976931348623157e+308") }}
  CHECK(fv(F(1.7976931348623157e+308)) == "1.7976931348623157e+308");
  // {{ print (float64 "100000.0") }}
  CHECK(fv(F(100000.0)) == "100000");
  // {{ print (float64 "999999.0") }}
  CHECK(fv(F(999999.0)) == "999999");
  // {{ print (float64 "9999999.0") }}
  CHECK(fv(F(9999999.0)) == "9.999999e+06");
  // {{ print (float64 "0.30000000000000004") }}
  CHECK(fv(F(0.30000000000000004)) == "0.30000000000000004");
  // {{ print (float64 "-2.5") }}
  CHECK(fv(F(-2.5)) == "-2.5");
  // {{ print (float64 "123456.7") }}
  CHECK(fv(F(123456.7)) == "123456.7");
  // {{ print (float64 "1e-05") }}
  CHECK(fv(F(1e-05)) == "1e-05");
  // {{ print (float64 "1.25e-300") }}
  CHECK(fv(F(1.25e-300)) == "1.25e-300");
  // {{ print (float64 "NaN") }}
  CHECK(fv(F(kNaN)) == "NaN");
  // {{ print (float64 "+Inf") }}
  CHECK(fv(F(kInf)) == "+Inf");
  // {{ print (float64 "-Inf") }}
  CHECK(fv(F(-kInf)) == "-Inf");
}

TEST_CASE("gofmt: %v of collections", "[helm][gofmt]") {
  // {{ print (list 1 "a" .nothing (list 2 3) (float64 "1000000.0")) }}
  CHECK(fv(L({I(1), S("a"), N(), L({I(2), I(3)}), F(1000000.0)})) == "[1 a <nil> [2 3] 1e+06]");
  // {{ print (list) }}
  CHECK(fv(L({})) == "[]");
  // {{ print (dict) }}
  CHECK(fv(M({})) == "map[]");
  // {{ print (dict "b" 2 "a" (float64 "1.0") "c" (dict "x" "y") "l" (list "p" "q")) }}
  CHECK(fv(M({{"b", I(2)}, {"a", F(1.0)}, {"c", M({{"x", S("y")}})}, {"l", L({S("p"), S("q")})}})) ==
        "map[a:1 b:2 c:map[x:y] l:[p q]]");
  // {{ print (splitList "," "a,b,c d") }}
  CHECK(fv(SL({"a", "b", "c d"})) == "[a b c d]");
  // {{ print (dict "k" .nothing "z" true) }}
  CHECK(fv(M({{"k", N()}, {"z", B(true)}})) == "map[k:<nil> z:true]");
  // {{ print (list (dict "a" (list)) (splitList "," "x")) }}
  CHECK(fv(L({M({{"a", L({})}}), SL({"x"})})) == "[map[a:[]] [x]]");
}

TEST_CASE("gofmt: %+v %#v %T", "[helm][gofmt]") {
  // {{ printf "%+v|%+v|%+v" 5 (float64 "1.5") (list 1 -1) }}
  CHECK(pf("%+v|%+v|%+v", {I(5), F(1.5), L({I(1), I(-1)})}) == "5|1.5|[1 -1]");
  // {{ printf "%#v|%#v|%#v|%#v|%#v" 1 (float64 "1.0") (float64 "1000000.0") (float64 "0.5") (int64 "3") }}
  CHECK(pf("%#v|%#v|%#v|%#v|%#v", {I(1), F(1.0), F(1000000.0), F(0.5), I64(3LL)}) == "1|1|1e+06|0.5|3");
  // {{ printf "%#v|%#v|%#v" "a\"b\n" true .nothing }}
  CHECK(pf("%#v|%#v|%#v", {S("a\"b\n"), B(true), N()}) == "\"a\\\"b\\n\"|true|<nil>");
  // {{ printf "%#v" (list 1 "a" .nothing (float64 "2.5") false) }}
  CHECK(pf("%#v", {L({I(1), S("a"), N(), F(2.5), B(false)})}) ==
        "[]interface {}{1, \"a\", interface {}(nil), 2.5, false}");
  // {{ printf "%#v" (dict "b" 2 "a" "x" "n" (dict "m" (list))) }}
  CHECK(pf("%#v", {M({{"b", I(2)}, {"a", S("x")}, {"n", M({{"m", L({})}})}})}) ==
        "map[string]interface {}{\"a\":\"x\", \"b\":2, \"n\":map[string]interface {}{\"m\":[]interface {}{}}}");
  // {{ printf "%#v|%#v" (splitList "," "a,b") (list) }}
  CHECK(pf("%#v|%#v", {SL({"a", "b"}), L({})}) == "[]string{\"a\", \"b\"}|[]interface {}{}");
  // {{ printf "%#v" (dict) }}
  CHECK(pf("%#v", {M({})}) == "map[string]interface {}{}");
  // {{ printf "%T|%T|%T|%T|%T|%T" 1 (int64 "1") (float64 "1.0") "s" true .nothing }}
  CHECK(pf("%T|%T|%T|%T|%T|%T", {I(1), I64(1LL), F(1.0), S("s"), B(true), N()}) ==
        "int|int64|float64|string|bool|<nil>");
  // {{ printf "%T|%T|%T" (list 1) (dict "a" 1) (splitList "," "a") }}
  CHECK(pf("%T|%T|%T", {L({I(1)}), M({{"a", I(1)}}), SL({"a"})}) == "[]interface {}|map[string]interface {}|[]string");
  // {{ printf "%10T|%-6T|" 1 false }}
  CHECK(pf("%10T|%-6T|", {I(1), B(false)}) == "       int|bool  |");
}

TEST_CASE("gofmt: integers", "[helm][gofmt]") {
  // {{ printf "%d|%5d|%-5d|%05d|%+d|% d" 42 42 42 42 42 42 }}
  CHECK(pf("%d|%5d|%-5d|%05d|%+d|% d", {I(42), I(42), I(42), I(42), I(42), I(42)}) == "42|   42|42   |00042|+42| 42");
  // {{ printf "%d|%5d|%-5d|%05d|%+d|% d" -42 -42 -42 -42 -42 -42 }}
  CHECK(pf("%d|%5d|%-5d|%05d|%+d|% d", {I(-42), I(-42), I(-42), I(-42), I(-42), I(-42)}) ==
        "-42|  -42|-42  |-0042|-42|-42");
  // {{ printf "%x|%X|%#x|%#X|%o|%#o|%O|%b|%#b" 255 255 255 255 8 8 8 5 5 }}
  CHECK(pf("%x|%X|%#x|%#X|%o|%#o|%O|%b|%#b", {I(255), I(255), I(255), I(255), I(8), I(8), I(8), I(5), I(5)}) ==
        "ff|FF|0xff|0XFF|10|010|0o10|101|0b101");
  // {{ printf "%x|%#x|%o|%b|%O" -255 -255 -8 -5 -8 }}
  CHECK(pf("%x|%#x|%o|%b|%O", {I(-255), I(-255), I(-8), I(-5), I(-8)}) == "-ff|-0xff|-10|-101|-0o10");
  // {{ printf "%.3d|%8.3d|%+.3d|%-8.3d|%08.3d|%.0d|%5.0d|%x" 7 7 7 7 7 0 0 0 }}
  CHECK(pf("%.3d|%8.3d|%+.3d|%-8.3d|%08.3d|%.0d|%5.0d|%x", {I(7), I(7), I(7), I(7), I(7), I(0), I(0), I(0)}) ==
        "007|     007|+007|007     |     007||     |0");
  // {{ printf "%#08x|%+08d|% 08d|%-08d|%#o" 255 3 3 3 0 }}
  CHECK(pf("%#08x|%+08d|% 08d|%-08d|%#o", {I(255), I(3), I(3), I(3), I(0)}) ==
        "0x000000ff|+0000003| 0000003|3       |0");
  // {{ printf "%c|%c|%c|%c|%5c|%-3c|" 65 19990 128512 -1 97 98 }}
  CHECK(pf("%c|%c|%c|%c|%5c|%-3c|", {I(65), I(19990), I(128512), I(-1), I(97), I(98)}) ==
        "A|\xe4\xb8\x96|\xf0\x9f\x98\x80|\xef\xbf\xbd|    a|b  |");
  // {{ printf "%q|%q|%+q|%q|%q|%#q" 65 128512 233 10 39 65 }}
  CHECK(pf("%q|%q|%+q|%q|%q|%#q", {I(65), I(128512), I(233), I(10), I(39), I(65)}) ==
        "'A'|'\xf0\x9f\x98\x80'|'\\u00e9'|'\\n'|'\\''|'A'");
  // {{ printf "%U|%#U|%#U|%.6U|%8U|%#U" 65 128512 10 65 65 1114112 }}
  CHECK(pf("%U|%#U|%#U|%.6U|%8U|%#U", {I(65), I(128512), I(10), I(65), I(65), I(1114112)}) ==
        "U+0041|U+1F600 '\xf0\x9f\x98\x80'|U+000A|U+000041|  U+0041|U+110000");
  // {{ printf "%d|%d|%x|%X" (int64 "9223372036854775807") (int64 "-9223372036854775808") (int64 "-9223372036854775808")
  // (int64 "9223372036854775807") }}
  CHECK(pf("%d|%d|%x|%X", {I64(9223372036854775807LL), I64(INT64_MIN), I64(INT64_MIN), I64(9223372036854775807LL)}) ==
        "9223372036854775807|-9223372036854775808|-8000000000000000|7FFFFFFFFFFFFFFF");
  // {{ printf "%v|%d|%5v|%-5v|" (int64 "12") (int64 "-12") (int64 "12") (int64 "12") }}
  CHECK(pf("%v|%d|%5v|%-5v|", {I64(12LL), I64(-12LL), I64(12LL), I64(12LL)}) == "12|-12|   12|12   |");
  // {{ printf "%c|%q" 55296 127 }}
  CHECK(pf("%c|%q", {I(55296), I(127)}) == "\xef\xbf\xbd|'\\x7f'");
}

TEST_CASE("gofmt: floats: verbs and flags", "[helm][gofmt]") {
  // {{ printf "%f|%e|%E|%g|%G|%F" (float64 "1234.5678") (float64 "1234.5678") (float64 "1234.5678") (float64
  // "1234.5678") (float64 "1234.5678") (float64 "1234.5678") }}
  CHECK(pf("%f|%e|%E|%g|%G|%F", {F(1234.5678), F(1234.5678), F(1234.5678), F(1234.5678), F(1234.5678), F(1234.5678)}) ==
        "1234.567800|1.234568e+03|1.234568E+03|1234.5678|1234.5678|1234.567800");
  // {{ printf "%f|%e|%g|%G" (float64 "1e+21") (float64 "1e+21") (float64 "1e+21") (float64 "1e-10") }}
  CHECK(pf("%f|%e|%g|%G", {F(1e+21), F(1e+21), F(1e+21), F(1e-10)}) ==
        "1000000000000000000000.000000|1.000000e+21|1e+21|1E-10");
  // {{ printf "%.2f|%.2f|%.2f|%.1f|%.1f|%.1f" (float64 "2.675") (float64 "0.125") (float64 "1.005") (float64 "0.25")
  // (float64 "0.35") (float64 "0.05") }}
  CHECK(pf("%.2f|%.2f|%.2f|%.1f|%.1f|%.1f", {F(2.675), F(0.125), F(1.005), F(0.25), F(0.35), F(0.05)}) ==
        "2.67|0.12|1.00|0.2|0.3|0.1");
  // {{ printf "%.0f|%.0f|%.0f|%.0f|%.0f" (float64 "0.5") (float64 "1.5") (float64 "2.5") (float64 "-0.5") (float64
  // "3.5") }}
  CHECK(pf("%.0f|%.0f|%.0f|%.0f|%.0f", {F(0.5), F(1.5), F(2.5), F(-0.5), F(3.5)}) == "0|2|2|-0|4");
  // {{ printf "%.0e|%.1e|%.3e|%.2e" (float64 "25.0") (float64 "1.25") (float64 "123456.0") (float64 "0.0") }}
  CHECK(pf("%.0e|%.1e|%.3e|%.2e", {F(25.0), F(1.25), F(123456.0), F(0.0)}) == "2e+01|1.2e+00|1.235e+05|0.00e+00");
  // {{ printf "%.3g|%.3g|%.10g|%.1g|%.0g|%.3g|%.3g" (float64 "1234567.0") (float64 "0.0001234") (float64
  // "0.3333333333333333") (float64 "0.15") (float64 "123.0") (float64 "100.0") (float64 "1000.0") }}
  CHECK(pf("%.3g|%.3g|%.10g|%.1g|%.0g|%.3g|%.3g",
           {F(1234567.0), F(0.0001234), F(0.3333333333333333), F(0.15), F(123.0), F(100.0), F(1000.0)}) ==
        "1.23e+06|0.000123|0.3333333333|0.1|1e+02|100|1e+03");
  // {{ printf "%.3g|%.5g|%g|%g|%G" (float64 "1.0") (float64 "1.234e-05") (float64 "100000.0") (float64 "1000000.0")
  // (float64 "1e-05") }}
  CHECK(pf("%.3g|%.5g|%g|%g|%G", {F(1.0), F(1.234e-05), F(100000.0), F(1000000.0), F(1e-05)}) ==
        "1|1.234e-05|100000|1e+06|1E-05");
  // {{ printf "%8.2f|%-8.2f|%08.2f|%+.2f|% .2f|%+08.2f" (float64 "3.14159") (float64 "3.14159") (float64 "-3.14159")
  // (float64 "3.14159") (float64 "3.14159") (float64 "3.14159") }}
  CHECK(pf("%8.2f|%-8.2f|%08.2f|%+.2f|% .2f|%+08.2f",
           {F(3.14159), F(3.14159), F(-3.14159), F(3.14159), F(3.14159), F(3.14159)}) ==
        "    3.14|3.14    |-0003.14|+3.14| 3.14|+0003.14");
  // {{ printf "%05.1f|%x|%q" (float64 "3.14159") 255 "hi" }}
  CHECK(pf("%05.1f|%x|%q", {F(3.14159), I(255), S("hi")}) == "003.1|ff|\"hi\"");
  // {{ printf "%#g|%#.3g|%#.0f|%#e|%#v|%#g" (float64 "1.0") (float64 "2.0") (float64 "3.0") (float64 "1.0") (float64
  // "1.0") (float64 "1000000.0") }}
  CHECK(pf("%#g|%#.3g|%#.0f|%#e|%#v|%#g", {F(1.0), F(2.0), F(3.0), F(1.0), F(1.0), F(1000000.0)}) ==
        "1.00000|2.00|3.|1.000000e+00|1|1.00000e+06");
  // {{ printf "%#.4g|%#g|%#g" (float64 "0.00012") (float64 "0.0") (float64 "123456789.0") }}
  CHECK(pf("%#.4g|%#g|%#g", {F(0.00012), F(0.0), F(123456789.0)}) == "0.0001200|0.00000|1.23456789e+08");
  // {{ printf "%x|%X|%.2x|%x|%x|%#x" (float64 "1.0") (float64 "-3.5") (float64 "0.3333333333333333") (float64 "0.0")
  // (float64 "1e-310") (float64 "1.0") }}
  CHECK(pf("%x|%X|%.2x|%x|%x|%#x", {F(1.0), F(-3.5), F(0.3333333333333333), F(0.0), F(1e-310), F(1.0)}) ==
        "0x1p+00|-0X1.CP+01|0x1.55p-02|0x0p+00|0x1.2688b70e62bp-1030|0x1.0000p+00");
  // {{ printf "%b|%b|%b" (float64 "1.0") (float64 "0.1") (float64 "-0.0") }}
  CHECK(pf("%b|%b|%b", {F(1.0), F(0.1), F(-0.0)}) == "4503599627370496p-52|7205759403792794p-56|-0p-1074");
  // {{ printf "%f|%5.1f|%05f|%+f|% f|%-6f|" (float64 "NaN") (float64 "NaN") (float64 "+Inf") (float64 "NaN") (float64
  // "+Inf") (float64 "-Inf") }}
  CHECK(pf("%f|%5.1f|%05f|%+f|% f|%-6f|", {F(kNaN), F(kNaN), F(kInf), F(kNaN), F(kInf), F(-kInf)}) ==
        "NaN|  NaN| +Inf|+NaN| Inf|-Inf  |");
  // {{ printf "%v|%+v|%010v|% v|%e" (float64 "+Inf") (float64 "+Inf") (float64 "-Inf") (float64 "NaN") (float64 "-Inf")
  // }}
  CHECK(pf("%v|%+v|%010v|% v|%e", {F(kInf), F(kInf), F(-kInf), F(kNaN), F(-kInf)}) == "+Inf|+Inf|      -Inf| NaN|-Inf");
  // {{ printf "%v|%f|%.1f|%e|%g" (float64 "-0.0") (float64 "-0.0") (float64 "-0.01") (float64 "-0.0") (float64 "-0.0")
  // }}
  CHECK(pf("%v|%f|%.1f|%e|%g", {F(-0.0), F(-0.0), F(-0.01), F(-0.0), F(-0.0)}) == "-0|-0.000000|-0.0|-0.000000e+00|-0");
  // {{ printf "%.20f|%.30g|%.17g|%.25e" (float64 "0.1") (float64 "0.1") (float64 "0.1") (float64 "0.3333333333333333")
  // }}
  CHECK(pf("%.20f|%.30g|%.17g|%.25e", {F(0.1), F(0.1), F(0.1), F(0.3333333333333333)}) ==
        "0.10000000000000000555|0.100000000000000005551115123126|0.10000000000000001|3.3333333333333331482961626e-01");
  // {{ printf "%.3f|%f|%.1f|%f" (float64 "1e+21") (float64 "1e+20") (float64 "9.223372036854776e+18") (float64
  // "123456789.0") }}
  CHECK(pf("%.3f|%f|%.1f|%f", {F(1e+21), F(1e+20), F(9.223372036854776e+18), F(123456789.0)}) ==
        "1000000000000000000000.000|100000000000000000000.000000|9223372036854775808.0|123456789.000000");
  // {{ printf "%6.2f|%6.2e|%-12.3e|%012.3e|%+e" (float64 "1000000.0") (float64 "1000000.0") (float64 "1e-07") (float64
  // "-1e-07") (float64 "5e-324") }}
  CHECK(pf("%6.2f|%6.2e|%-12.3e|%012.3e|%+e", {F(1000000.0), F(1000000.0), F(1e-07), F(-1e-07), F(5e-324)}) ==
        "1000000.00|1.00e+06|1.000e-07   |-001.000e-07|+4.940656e-324");
  // {{ printf "%g|%g|%g|%g|%g" (float64 "1.2e-05") (float64 "0.0001") (float64 "123456.0") (float64 "1234567.0")
  // (float64 "1.7976931348623157e+308") }}
  CHECK(pf("%g|%g|%g|%g|%g", {F(1.2e-05), F(0.0001), F(123456.0), F(1234567.0), F(1.7976931348623157e+308)}) ==
        "1.2e-05|0.0001|123456|1.234567e+06|1.7976931348623157e+308");
  // {{ printf "%10.3v|%-10v|%.3v|%.0v" (float64 "3.14159") (float64 "0.5") (float64 "1234567.0") (float64 "7.7") }}
  CHECK(pf("%10.3v|%-10v|%.3v|%.0v", {F(3.14159), F(0.5), F(1234567.0), F(7.7)}) == "      3.14|0.5       |1.23e+06|8");
}

TEST_CASE("gofmt: float64 verbs that do not apply", "[helm][gofmt]") {
  // {{ printf "%d|%s|%c|%q|%x" (float64 "8080.0") (float64 "0.5") (float64 "1.0") (float64 "1000000.0") (float64
  // "255.0") }}
  CHECK(pf("%d|%s|%c|%q|%x", {F(8080.0), F(0.5), F(1.0), F(1000000.0), F(255.0)}) ==
        "%!d(float64=8080)|%!s(float64=0.5)|%!c(float64=1)|%!q(float64=1e+06)|0x1.fep+07");
  // {{ printf "%t|%U|%5d" (float64 "1.0") (float64 "2.0") (float64 "3.5") }}
  CHECK(pf("%t|%U|%5d", {F(1.0), F(2.0), F(3.5)}) == "%!t(float64=1)|%!U(float64=2)|%!d(float64=  3.5)");
}

TEST_CASE("gofmt: strings", "[helm][gofmt]") {
  // {{ printf "%s|%q|%x|%X|% x|%#x|%# x|%# X" "hi" "hi" "hi" "hi" "hi!" "hi!" "hi!" "hi!" }}
  CHECK(pf("%s|%q|%x|%X|% x|%#x|%# x|%# X",
           {S("hi"), S("hi"), S("hi"), S("hi"), S("hi!"), S("hi!"), S("hi!"), S("hi!")}) ==
        "hi|\"hi\"|6869|6869|68 69 21|0x686921|0x68 0x69 0x21|0X68 0X69 0X21");
  // {{ printf "%10s|%-10s|%.2s|%.1q|%5.2s|%05s|%.0s|" "hello" "hello" "hello" "hello" "hello" "ab" "xyz" }}
  CHECK(pf("%10s|%-10s|%.2s|%.1q|%5.2s|%05s|%.0s|",
           {S("hello"), S("hello"), S("hello"), S("hello"), S("hello"), S("ab"), S("xyz")}) ==
        "     hello|hello     |he|\"h\"|   he|000ab||");
  // {{ printf "%5s|%-5s|%.2s|%q|%+q|%x" "héé" "日本" "日本語" "日本é" "日本é" "é" }}
  CHECK(pf("%5s|%-5s|%.2s|%q|%+q|%x",
           {S("h\xc3\xa9\xc3\xa9"), S("\xe6\x97\xa5\xe6\x9c\xac"), S("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
            S("\xe6\x97\xa5\xe6\x9c\xac\xc3\xa9"), S("\xe6\x97\xa5\xe6\x9c\xac\xc3\xa9"), S("\xc3\xa9")}) ==
        "  h\xc3\xa9\xc3\xa9|\xe6\x97\xa5\xe6\x9c\xac   "
        "|\xe6\x97\xa5\xe6\x9c\xac|\"\xe6\x97\xa5\xe6\x9c\xac\xc3\xa9\"|\"\\u65e5\\u672c\\u00e9\"|c3a9");
  // {{ printf "%q|%q|%q" "tab\there \"q\" back\\slash\nnl" "\x00\x07\x7f" " ​ ﻿😀" }}
  CHECK(
      pf("%q|%q|%q", {S("tab\there \"q\" back\\slash\nnl"), S("\x00\x07\x7f"),
                      S("\xc2\xa0\xe2\x80\x8b\xe2\x80\xa8\xef\xbb\xbf\xf0\x9f\x98\x80")}) ==
      "\"tab\\there \\\"q\\\" back\\\\slash\\nnl\"|\"\\x00\\a\\x7f\"|\"\\u00a0\\u200b\\u2028\\ufeff\xf0\x9f\x98\x80\"");
  // {{ printf "%#q|%#q|%#q|%#q" "plain" "has`tick" "tab\tok" "nl\nno" }}
  CHECK(pf("%#q|%#q|%#q|%#q", {S("plain"), S("has`tick"), S("tab\tok"), S("nl\nno")}) ==
        "`plain`|\"has`tick\"|`tab\tok`|\"nl\\nno\"");
  // {{ printf "%q|%+q|%x|%s|%5s|" "bad\xff\xfeutf" "café" "" "" "" }}
  CHECK(pf("%q|%+q|%x|%s|%5s|", {S("bad\xff\xfeutf"), S("caf\xc3\xa9"), S(""), S(""), S("")}) ==
        "\"bad\\xff\\xfeutf\"|\"caf\\u00e9\"|||     |");
  // {{ printf "%6x|%-6x|%.1x|%08q|%8q" "ab" "ab" "ab" "a" "a" }}
  CHECK(pf("%6x|%-6x|%.1x|%08q|%8q", {S("ab"), S("ab"), S("ab"), S("a"), S("a")}) ==
        "  6162|6162  |61|00000\"a\"|     \"a\"");
  // {{ printf "%d|%c|%t|%e|%5d" "hi" "hi" "hi" "hi" "hi" }}
  CHECK(pf("%d|%c|%t|%e|%5d", {S("hi"), S("hi"), S("hi"), S("hi"), S("hi")}) ==
        "%!d(string=hi)|%!c(string=hi)|%!t(string=hi)|%!e(string=hi)|%!d(string=   hi)");
  // {{ printf "%v|%s|%10v|%-4v|" "x" "x" "x" "x" }}
  CHECK(pf("%v|%s|%10v|%-4v|", {S("x"), S("x"), S("x"), S("x")}) == "x|x|         x|x   |");
}

TEST_CASE("gofmt: bool and nil", "[helm][gofmt]") {
  // {{ printf "%t|%v|%6t|%-6v|%d|%s" true false true false true false }}
  CHECK(pf("%t|%v|%6t|%-6v|%d|%s", {B(true), B(false), B(true), B(false), B(true), B(false)}) ==
        "true|false|  true|false |%!d(bool=true)|%!s(bool=false)");
  // {{ printf "%s|%d|%v|%T|%q|%x|%5v|" .nothing .nothing .nothing .nothing .nothing .nothing .nothing }}
  CHECK(pf("%s|%d|%v|%T|%q|%x|%5v|", {N(), N(), N(), N(), N(), N(), N()}) ==
        "%!s(<nil>)|%!d(<nil>)|<nil>|<nil>|%!q(<nil>)|%!x(<nil>)|<nil>|");
  // {{ printf "%-7v|%07v|%.1v" .nothing .nothing .nothing }}
  CHECK(pf("%-7v|%07v|%.1v", {N(), N(), N()}) == "<nil>  |00<nil>|<nil>");
}

TEST_CASE("gofmt: collections with verbs", "[helm][gofmt]") {
  // {{ printf "%d|%v|%s" (list 1 2) (list 1 2) (list 1 2) }}
  CHECK(pf("%d|%v|%s", {L({I(1), I(2)}), L({I(1), I(2)}), L({I(1), I(2)})}) == "[1 2]|[1 2]|[%!s(int=1) %!s(int=2)]");
  // {{ printf "%d|%s|%q" (list 1 "a" .nothing) (list "a" 1 (float64 "0.5")) (list "a" 66) }}
  CHECK(pf("%d|%s|%q", {L({I(1), S("a"), N()}), L({S("a"), I(1), F(0.5)}), L({S("a"), I(66)})}) ==
        "[1 %!d(string=a) <nil>]|[a %!s(int=1) %!s(float64=0.5)]|[\"a\" 'B']");
  // {{ printf "%x|%X|%x" (splitList "," "ab,c") (list 255 "hi") (list (float64 "1.0")) }}
  CHECK(pf("%x|%X|%x", {SL({"ab", "c"}), L({I(255), S("hi")}), L({F(1.0)})}) == "[6162 63]|[FF 6869]|[0x1p+00]");
  // {{ printf "%05d|%5v|%-4v|%.1f" (list 1 -2) (list "a" 2) (splitList "," "x,y") (list (float64 "0.25") (float64
  // "1.0")) }}
  CHECK(pf("%05d|%5v|%-4v|%.1f", {L({I(1), I(-2)}), L({S("a"), I(2)}), SL({"x", "y"}), L({F(0.25), F(1.0)})}) ==
        "[00001 -0002]|[    a     2]|[x    y   ]|[0.2 1.0]");
  // {{ printf "%v|%d|%s|%q" (dict "a" 1 "b" "x") (dict "a" 1) (dict "a" 1) (dict "k" "v") }}
  CHECK(pf("%v|%d|%s|%q", {M({{"a", I(1)}, {"b", S("x")}}), M({{"a", I(1)}}), M({{"a", I(1)}}), M({{"k", S("v")}})}) ==
        "map[a:1 b:x]|map[%!d(string=a):1]|map[a:%!s(int=1)]|map[\"k\":\"v\"]");
  // {{ printf "%x|%6v|%+v" (dict "a" "b") (dict "a" 1) (dict "a" (float64 "-1.0")) }}
  CHECK(pf("%x|%6v|%+v", {M({{"a", S("b")}}), M({{"a", I(1)}}), M({{"a", F(-1.0)}})}) ==
        "map[61:62]|map[     a:     1]|map[a:-1]");
  // {{ printf "%v|%d|%s" (list (list 1 2) (dict "z" (list 3))) (list true) (list .nothing) }}
  CHECK(pf("%v|%d|%s", {L({L({I(1), I(2)}), M({{"z", L({I(3)})}})}), L({B(true)}), L({N()})}) ==
        "[[1 2] map[z:[3]]]|[%!d(bool=true)]|[<nil>]");
  // {{ printf "%t|%t" (list true false) (list 1) }}
  CHECK(pf("%t|%t", {L({B(true), B(false)}), L({I(1)})}) == "[true false]|[%!t(int=1)]");
  // {{ printf "%T|%T" (list (list)) (dict "a" (dict)) }}
  CHECK(pf("%T|%T", {L({L({})}), M({{"a", M({})}})}) == "[]interface {}|map[string]interface {}");
}

TEST_CASE("gofmt: argument errors", "[helm][gofmt]") {
  // {{ printf "%d"  }}
  CHECK(pf("%d", {}) == "%!d(MISSING)");
  // {{ printf "%d %d" 1 }}
  CHECK(pf("%d %d", {I(1)}) == "1 %!d(MISSING)");
  // {{ printf "%d" 1 "x" }}
  CHECK(pf("%d", {I(1), S("x")}) == "1%!(EXTRA string=x)");
  // {{ printf "x" 1 "a" .nothing (float64 "0.5") (list 1) (dict "a" 1) true }}
  CHECK(pf("x", {I(1), S("a"), N(), F(0.5), L({I(1)}), M({{"a", I(1)}}), B(true)}) ==
        "x%!(EXTRA int=1, string=a, <nil>, float64=0.5, []interface {}=[1], map[string]interface {}=map[a:1], "
        "bool=true)");
  // {{ printf "%" 1 }}
  CHECK(pf("%", {I(1)}) == "%!(NOVERB)%!(EXTRA int=1)");
  // {{ printf "abc%"  }}
  CHECK(pf("abc%", {}) == "abc%!(NOVERB)");
  // {{ printf "%-" 1 }}
  CHECK(pf("%-", {I(1)}) == "%!(NOVERB)%!(EXTRA int=1)");
  // {{ printf "%5." 1 }}
  CHECK(pf("%5.", {I(1)}) == "%!.(int=    1)");
  // {{ printf "%*d|%-*d|%*d" 5 1 5 2 -5 3 }}
  CHECK(pf("%*d|%-*d|%*d", {I(5), I(1), I(5), I(2), I(-5), I(3)}) == "    1|2    |3    ");
  // {{ printf "%*d" "5" 1 }}
  CHECK(pf("%*d", {S("5"), I(1)}) == "%!(BADWIDTH)1");
  // {{ printf "%*d" (float64 "5.0") 1 }}
  CHECK(pf("%*d", {F(5.0), I(1)}) == "%!(BADWIDTH)1");
  // {{ printf "%.*f|%.*f" 2 (float64 "3.14159") -1 (float64 "3.14159") }}
  CHECK(pf("%.*f|%.*f", {I(2), F(3.14159), I(-1), F(3.14159)}) == "3.14|%!(BADPREC)3.141590");
  // {{ printf "%.*d" "x" 1 }}
  CHECK(pf("%.*d", {S("x"), I(1)}) == "%!(BADPREC)1");
  // {{ printf "%*d" 10000000 1 }}
  CHECK(pf("%*d", {I(10000000), I(1)}) == "%!(BADWIDTH)1");
  // {{ printf "%[2]d %[1]d" 1 2 }}
  CHECK(pf("%[2]d %[1]d", {I(1), I(2)}) == "2 1");
  // {{ printf "%[1]d %[1]d %v" 7 8 }}
  CHECK(pf("%[1]d %[1]d %v", {I(7), I(8)}) == "7 7 8");
  // {{ printf "%[3]d" 1 2 }}
  CHECK(pf("%[3]d", {I(1), I(2)}) == "%!d(BADINDEX)");
  // {{ printf "%[0]d|%[x]d|%[1]" 1 }}
  CHECK(pf("%[0]d|%[x]d|%[1]", {I(1)}) == "%!d(BADINDEX)|%!d(BADINDEX)|%!(NOVERB)");
  // {{ printf "%[2]*[1]d|" 12 5 }}
  CHECK(pf("%[2]*[1]d|", {I(12), I(5)}) == "   12|");
  // {{ printf "%[1]*d|" 4 9 }}
  CHECK(pf("%[1]*d|", {I(4), I(9)}) == "   9|");
  // {{ printf "%.[2]d" 1 2 }}
  CHECK(pf("%.[2]d", {I(1), I(2)}) == "2");
  // {{ printf "%[1]2d" 1 }}
  CHECK(pf("%[1]2d", {I(1)}) == "%!d(BADINDEX)");
  // {{ printf "%[1].2d" 1 }}
  CHECK(pf("%[1].2d", {I(1)}) == "%!d(BADINDEX)");
  // {{ printf "%-+ #0d|%z|%!|%5%|%-%" 1 2 }}
  CHECK(pf("%-+ #0d|%z|%!|%5%|%-%", {I(1), I(2)}) == "+1|%!z(int=2)|%!!(MISSING)|%|%");
  // {{ printf "%z"  }}
  CHECK(pf("%z", {}) == "%!z(MISSING)");
  // {{ printf "%é|%é" 1 }}
  CHECK(pf("%\xc3\xa9|%\xc3\xa9", {I(1)}) == "%!\xc3\xa9(int=1)|%!\xc3\xa9(MISSING)");
  // {{ printf "%[2]v" 1 }}
  CHECK(pf("%[2]v", {I(1)}) == "%!v(BADINDEX)");
  // {{ printf "%d %s" 1 }}
  CHECK(pf("%d %s", {I(1)}) == "1 %!s(MISSING)");
  // {{ printf "%v%%%v" 1 2 }}
  CHECK(pf("%v%%%v", {I(1), I(2)}) == "1%2");
  // {{ printf "%10.4v|%-10.3s|%010s|%-010d|" (float64 "3.14159265") "abcdef" "ab" 5 }}
  CHECK(pf("%10.4v|%-10.3s|%010s|%-010d|", {F(3.14159265), S("abcdef"), S("ab"), I(5)}) ==
        "     3.142|abc       |00000000ab|5         |");
}

TEST_CASE("gofmt: print and println", "[helm][gofmt]") {
  // {{ print 1 2 }}
  CHECK(pr({I(1), I(2)}) == "1 2");
  // {{ print "a" "b" }}
  CHECK(pr({S("a"), S("b")}) == "ab");
  // {{ print 1 "a" 2 }}
  CHECK(pr({I(1), S("a"), I(2)}) == "1a2");
  // {{ print "a" 1 "b" }}
  CHECK(pr({S("a"), I(1), S("b")}) == "a1b");
  // {{ print 1 2 "a" 3 4 }}
  CHECK(pr({I(1), I(2), S("a"), I(3), I(4)}) == "1 2a3 4");
  // {{ print .nothing .nothing }}
  CHECK(pr({N(), N()}) == "<nil> <nil>");
  // {{ print .nothing "a" .nothing }}
  CHECK(pr({N(), S("a"), N()}) == "<nil>a<nil>");
  // {{ print (float64 "1.5") true (float64 "1000000.0") (float64 "0.5") }}
  CHECK(pr({F(1.5), B(true), F(1000000.0), F(0.5)}) == "1.5 true 1e+06 0.5");
  // {{ print (list 1) (list 2) }}
  CHECK(pr({L({I(1)}), L({I(2)})}) == "[1] [2]");
  // {{ print (splitList "," "a") (splitList "," "b") }}
  CHECK(pr({SL({"a"}), SL({"b"})}) == "[a] [b]");
  // {{ print (dict "a" 1) "s" (dict "b" 2) }}
  CHECK(pr({M({{"a", I(1)}}), S("s"), M({{"b", I(2)}})}) == "map[a:1]smap[b:2]");
  // {{ print "" "" 1 }}
  CHECK(pr({S(""), S(""), I(1)}) == "1");
  // {{ print (int64 "5") 6 }}
  CHECK(pr({I64(5LL), I(6)}) == "5 6");
  // {{ println 1 "a" 2 }}
  CHECK(prl({I(1), S("a"), I(2)}) == "1 a 2\n");
  // {{ println "a" "b" }}
  CHECK(prl({S("a"), S("b")}) == "a b\n");
  // {{ println .nothing (float64 "1e+21") }}
  CHECK(prl({N(), F(1e+21)}) == "<nil> 1e+21\n");
  // {{ println  }}
  CHECK(prl({}) == "\n");
}

TEST_CASE("gofmt: format_float through encoding/json", "[helm][gofmt]") {
  // {{ toJson (float64 "0.1") }}
  CHECK(gofmt::format_float(0.1, 'f', -1) == "0.1");
  // {{ toJson (float64 "1e+20") }}
  CHECK(gofmt::format_float(1e+20, 'f', -1) == "100000000000000000000");
  // {{ toJson (float64 "123456789.0") }}
  CHECK(gofmt::format_float(123456789.0, 'f', -1) == "123456789");
  // {{ toJson (float64 "1000000.0") }}
  CHECK(gofmt::format_float(1000000.0, 'f', -1) == "1000000");
  // {{ toJson (float64 "1.2e-05") }}
  CHECK(gofmt::format_float(1.2e-05, 'f', -1) == "0.000012");
  // {{ toJson (float64 "3.0") }}
  CHECK(gofmt::format_float(3.0, 'f', -1) == "3");
  // {{ toJson (float64 "0.3333333333333333") }}
  CHECK(gofmt::format_float(0.3333333333333333, 'f', -1) == "0.3333333333333333");
  // {{ toJson (float64 "9.223372036854776e+18") }}
  CHECK(gofmt::format_float(9.223372036854776e+18, 'f', -1) == "9223372036854776000");
  // {{ toJson (float64 "1.7976931348623155e+18") }}
  CHECK(gofmt::format_float(1.7976931348623155e+18, 'f', -1) == "1797693134862315500");
  // {{ toJson (float64 "5.5e-06") }}
  CHECK(gofmt::format_float(5.5e-06, 'f', -1) == "0.0000055");
  // {{ toJson (float64 "1e+21") }}
  CHECK(gofmt::format_float(1e+21, 'e', -1) == "1e+21");
  // {{ toJson (float64 "1.5e+300") }}
  CHECK(gofmt::format_float(1.5e+300, 'e', -1) == "1.5e+300");
  // {{ toJson (float64 "1.7976931348623157e+308") }}
  CHECK(gofmt::format_float(1.7976931348623157e+308, 'e', -1) == "1.7976931348623157e+308");
}

TEST_CASE("gofmt: invalid UTF-8", "[helm][gofmt]") {
  // {{ printf "%s|%5s|%.4s|%x|%q|%+q|%#q" "a\xffb" "\xff\xfe" "\xc3\xa9\xffz" "\xff" "\xc3(" "x\xffy" "\xff" }}
  CHECK(pf("%s|%5s|%.4s|%x|%q|%+q|%#q",
           {S("a\xff"
              "b"),
            S("\xff\xfe"), S("\xc3\xa9\xffz"), S("\xff"), S("\xc3("), S("x\xffy"), S("\xff")}) ==
        "a\xff"
        "b|   \xff\xfe|\xc3\xa9\xffz|ff|\"\\xc3(\"|\"x\\xffy\"|\"\\xff\"");
  // {{ printf "%q|%q" "\xed\xa0\x80" "\xf0\x9f\x98" }}
  CHECK(pf("%q|%q", {S("\xed\xa0\x80"), S("\xf0\x9f\x98")}) == "\"\\xed\\xa0\\x80\"|\"\\xf0\\x9f\\x98\"");
}

TEST_CASE("gofmt: format_float with a precision", "[helm][gofmt]") {
  // {{ printf "%.2f" (float64 "2.675") }}
  CHECK(gofmt::format_float(2.675, 'f', 2) == "2.67");
  // {{ printf "%.2f" (float64 "0.125") }}
  CHECK(gofmt::format_float(0.125, 'f', 2) == "0.12");
  // {{ printf "%.2f" (float64 "1.005") }}
  CHECK(gofmt::format_float(1.005, 'f', 2) == "1.00");
  // {{ printf "%.0f" (float64 "-1.5") }}
  CHECK(gofmt::format_float(-1.5, 'f', 0) == "-2");
  // {{ printf "%.3g" (float64 "1e+21") }}
  CHECK(gofmt::format_float(1e+21, 'g', 3) == "1e+21");
  // {{ printf "%.3e" (float64 "123456789.0") }}
  CHECK(gofmt::format_float(123456789.0, 'e', 3) == "1.235e+08");
  // {{ printf "%.2g" (float64 "1.2e-05") }}
  CHECK(gofmt::format_float(1.2e-05, 'g', 2) == "1.2e-05");
  // {{ printf "%.0g" (float64 "0.3333333333333333") }}
  CHECK(gofmt::format_float(0.3333333333333333, 'g', 0) == "0.3");
  // {{ printf "%.20e" (float64 "5e-324") }}
  CHECK(gofmt::format_float(5e-324, 'e', 20) == "4.94065645841246544177e-324");
  // {{ printf "%.10G" (float64 "1000000.0") }}
  CHECK(gofmt::format_float(1000000.0, 'G', 10) == "1000000");
  // {{ printf "%.1E" (float64 "-0.0") }}
  CHECK(gofmt::format_float(-0.0, 'E', 1) == "-0.0E+00");
  // {{ printf "%.1f" (float64 "99.95") }}
  CHECK(gofmt::format_float(99.95, 'f', 1) == "100.0");
  // {{ printf "%.0e" (float64 "9.5") }}
  CHECK(gofmt::format_float(9.5, 'e', 0) == "1e+01");
  // {{ printf "%.5g" (float64 "0.0") }}
  CHECK(gofmt::format_float(0.0, 'g', 5) == "0");
  // {{ printf "%.2f" (float64 "NaN") }}
  CHECK(gofmt::format_float(kNaN, 'f', 2) == "NaN");
  // {{ printf "%.3e" (float64 "-Inf") }}
  CHECK(gofmt::format_float(-kInf, 'e', 3) == "-Inf");
}

namespace {

/// A stand-in for *semver.Version (a Stringer): %v, %s, %q and %x format its String().
class SemverLike : public gt::Object {
 public:
  std::string type_name() const override { return "*semver.Version"; }
  std::optional<Value> field(std::string_view) const override { return std::nullopt; }
  std::string format() const override { return "1.2.3"; }
};

Value bytes(std::string_view s) {
  gt::List out;
  for (char c : s) out.push_back(Value::integer(static_cast<unsigned char>(c)));
  return Value::list(std::move(out), GoType::kBytes);
}

}  // namespace

TEST_CASE("gofmt: objects print through format()", "[helm][gofmt]") {
  Value v = Value::object(std::make_shared<SemverLike>());
  // {{ $v := semver "1.2.3" }}{{ printf "%v|%s|%q|%T|%x|%10v|" $v $v $v $v $v $v }}{{ print $v 1 }}
  CHECK(pf("%v|%s|%q|%T|%x|%10v|", {v, v, v, v, v, v}) + pr({v, I(1)}) ==
        "1.2.3|1.2.3|\"1.2.3\"|*semver.Version|312e322e33|     1.2.3|1.2.3 1");
}

TEST_CASE("gofmt: []byte values", "[helm][gofmt]") {
  // The oracle's tmpl mode cannot make a []byte (.Files.GetBytes needs a chart): these expected strings come from
  // Go 1.19's fmt directly (fmt.Sprintf with []byte("hi") and []interface{}{[]byte("hi"), 1}).
  Value b = bytes("hi");
  CHECK(pf("%v|%s|%x|%q|%#v|%d|%5s|%T", {b, b, b, b, b, b, b, b}) ==
        "[104 105]|hi|6869|\"hi\"|[]byte{0x68, 0x69}|[104 105]|   hi|[]uint8");
  Value l = L({bytes("hi"), I(1)});
  CHECK(pf("%v|%#v|%s|%x", {l, l, l, l}) ==
        "[[104 105] 1]|[]interface {}{[]uint8{0x68, 0x69}, 1}|[hi %!s(int=1)]|[6869 1]");
  CHECK(pr({b, S("x"), b}) == "[104 105]x[104 105]");
}
