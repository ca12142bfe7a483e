// The streaming JSON writer against nlohmann::json's dump of the same document: byte for byte.
#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/json_writer.h"

namespace {

using gl::report::detail::JsonWriter;
using Json = nlohmann::ordered_json;

std::string dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

}  // namespace

TEST_CASE("the JSON writer matches nlohmann's layout for nested and empty containers", "[json-writer]") {
  JsonWriter w(2);
  w.begin_object();
  w.key("version");
  w.number(1);
  w.key("empty object");
  w.begin_object();
  w.end_object();
  w.key("empty array");
  w.begin_array();
  w.end_array();
  w.key("items");
  w.begin_array();
  w.begin_object();
  w.key("n");
  w.number(-42);
  w.key("ok");
  w.boolean(true);
  w.key("none");
  w.null();
  w.end_object();
  w.strings({"a", "b"});
  w.number(0);
  w.end_array();
  w.key("no");
  w.boolean(false);
  w.end_object();

  Json j = Json::object();
  j["version"] = 1;
  j["empty object"] = Json::object();
  j["empty array"] = Json::array();
  Json item = Json::object();
  item["n"] = -42;
  item["ok"] = true;
  item["none"] = nullptr;
  j["items"] = Json::array({item, Json::array({"a", "b"}), 0});
  j["no"] = false;
  const std::string out = w.take();
  CHECK(out == dump(j));
  CHECK(out.substr(0, 40) == "{\n  \"version\": 1,\n  \"empty object\": {},\n");
}

TEST_CASE("the JSON writer escapes strings exactly as nlohmann does", "[json-writer]") {
  const std::vector<std::string> texts = {
      "plain text",
      "quote \" and backslash \\ and slash /",
      std::string("controls \b\f\n\r\t \x01 \x1f \x7f end"),
      std::string("nul \0 inside", 12),
      "UTF-8: caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80",
      "invalid: \xff here, truncated \xe2\x82, lone continuation \x80, overlong \xc0\xaf",
      "surrogate \xed\xa0\x80 and past U+10FFFF \xf4\x90\x80\x80",
      "",
  };
  for (const auto& text : texts) {
    JsonWriter w(2);
    w.begin_array();
    w.string(text);
    w.end_array();
    INFO(text);
    CHECK(w.take() == dump(Json::array({text})));
  }
}

TEST_CASE("the JSON writer writes a bare value and keys with escapes", "[json-writer]") {
  JsonWriter bare(2);
  bare.string("x");
  CHECK(bare.take() == "\"x\"");

  JsonWriter w(4);
  w.begin_object();
  w.key("k\"ey");
  w.strings({});
  w.end_object();
  Json j = Json::object();
  j["k\"ey"] = Json::array();
  CHECK(w.take() == j.dump(4, ' ', false, Json::error_handler_t::replace));
}

TEST_CASE("dump_json writes a nlohmann document exactly as its dump", "[json-writer]") {
  Json j = Json::object();
  j["$schema"] = "https://example.com/schema";
  j["float"] = 1.5;
  j["big"] = uint64_t{18446744073709551615ULL};
  j["negative"] = int64_t{-9};
  j["nested"] = Json::array({Json::object(), Json::array(), Json::object({{"k", "caf\xc3\xa9 \"q\""}}), nullptr, true});
  j["invalid"] = std::string("bad \xff byte");
  CHECK(gl::report::detail::dump_json(j, 2) == dump(j));
  CHECK(gl::report::detail::dump_json(Json::array(), 2) == "[]");
  CHECK(gl::report::detail::dump_json(Json("x"), 2) == "\"x\"");
}

TEST_CASE("the JSON writer agrees with nlohmann on 20,000 random byte strings", "[json-writer]") {
  // Bytes drawn mostly from the interesting ranges: ASCII, controls, continuation bytes and UTF-8 lead bytes.
  std::mt19937 random(20261122);
  const std::vector<std::pair<int, int>> ranges = {{0x20, 0x7e}, {0x00, 0x1f}, {0x7f, 0x7f}, {0x80, 0xbf},
                                                   {0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xff}};
  size_t mismatches = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const size_t length = random() % 12;
    for (size_t i = 0; i < length; ++i) {
      const auto& [lo, hi] = ranges[random() % ranges.size()];
      text += static_cast<char>(lo + static_cast<int>(random() % static_cast<unsigned>(hi - lo + 1)));
    }
    JsonWriter w(2);
    w.string(text);
    if (w.take() != Json(text).dump(2, ' ', false, Json::error_handler_t::replace)) ++mismatches;
  }
  CHECK(mismatches == 0);
}
