// Tests for the HCL reader (src/k8s/infra/hcl.h), from the HCL native syntax specification: bodies, blocks,
// attributes, expressions, templates, heredocs, comments, and hostile input.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "core/source.h"
#include "k8s/infra/hcl.h"

namespace {

using gl::SourceFile;
namespace hcl = gl::k8s::infra::hcl;

std::string literal(const hcl::Expr& e) {
  std::string out;
  for (const auto& p : e.parts) {
    if (p.kind == hcl::TemplatePart::Kind::kLiteral) out += p.text;
    if (p.kind == hcl::TemplatePart::Kind::kInterp) out += "${" + std::string(p.expr->source()) + "}";
  }
  return out;
}

}  // namespace

TEST_CASE("hcl: blocks, labels, attributes and comments", "[infra][hcl]") {
  SourceFile f("main.tf",
               "# comment\n"
               "// another\n"
               "/* block\n   comment */\n"
               "resource \"aws_instance\" \"web\" {\n"
               "  ami           = \"ami-a1b2c3d4\" # trailing\n"
               "  instance_type = \"t3.small\"\n"
               "  count         = 2\n"
               "  monitoring    = true\n"
               "  root_block_device { volume_size = 20 }\n"
               "  tags = {\n"
               "    Name = \"web\", Role: \"api\"\n"
               "    \"quoted key\" = null\n"
               "  }\n"
               "}\n"
               "locals {\n"
               "  xs = [1, 2.5, 3e2,\n"
               "        \"four\",]\n"
               "}\n");
  auto r = hcl::parse(f);
  REQUIRE(r.errors.empty());
  REQUIRE(r.body.blocks.size() == 2);
  const hcl::Block& res = r.body.blocks[0];
  CHECK(res.type == "resource");
  CHECK(res.labels == std::vector<std::string>{"aws_instance", "web"});
  CHECK(res.span().begin.line == 5);
  const hcl::Attribute* type = res.body.attribute("instance_type");
  REQUIRE(type != nullptr);
  CHECK(literal(*type->value) == "t3.small");
  CHECK(type->span().begin.line == 7);
  CHECK(type->span().begin.column == 3);
  CHECK(res.body.attribute("count")->value->number == 2);
  CHECK(res.body.attribute("monitoring")->value->kind == hcl::Expr::Kind::kBool);
  REQUIRE(res.body.blocks_of("root_block_device").size() == 1);
  CHECK(res.body.blocks_of("root_block_device")[0]->body.attribute("volume_size")->value->number == 20);
  const hcl::Expr& tags = *res.body.attribute("tags")->value;
  REQUIRE(tags.kind == hcl::Expr::Kind::kObject);
  REQUIRE(tags.keys.size() == 3);
  CHECK(literal(*tags.keys[0]) == "Name");
  CHECK(literal(*tags.keys[1]) == "Role");
  CHECK(literal(*tags.keys[2]) == "quoted key");
  CHECK(tags.items[2]->kind == hcl::Expr::Kind::kNull);
  const hcl::Expr& xs = *r.body.blocks[1].body.attribute("xs")->value;
  REQUIRE(xs.items.size() == 4);
  CHECK(xs.items[1]->number == 2.5);
  CHECK(xs.items[2]->number == 300);
  CHECK(literal(*xs.items[3]) == "four");
}

TEST_CASE("hcl: expressions keep their structure and source text", "[infra][hcl]") {
  SourceFile f("x.tf",
               "a = var.enabled ? local.sizes[\"api\"] : 0\n"
               "b = merge({Name = var.name}, var.tags)\n"
               "c = [for k, v in var.m : \"${k}=${v}\" if v != \"\"]\n"
               "d = {for s in var.l : s => upper(s)...}\n"
               "e = aws_subnet.x[*].id\n"
               "f = !(1 + 2 * 3 >= 7 && true || false)\n"
               "g = provider::aws::arn_parse(\"x\")\n"
               "h = f(var.list...)\n");
  auto r = hcl::parse(f);
  REQUIRE(r.errors.empty());
  const auto& attrs = r.body.attributes;
  REQUIRE(attrs.size() == 8);
  CHECK(attrs[0].value->kind == hcl::Expr::Kind::kCond);
  CHECK(attrs[0].value->b->kind == hcl::Expr::Kind::kIndex);
  CHECK(attrs[0].value->b->source() == "local.sizes[\"api\"]");
  CHECK(attrs[1].value->kind == hcl::Expr::Kind::kCall);
  CHECK(attrs[1].value->name == "merge");
  CHECK(attrs[1].value->items.size() == 2);
  CHECK(attrs[2].value->kind == hcl::Expr::Kind::kForTuple);
  CHECK(attrs[2].value->key_var == "k");
  CHECK(attrs[2].value->value_var == "v");
  CHECK(attrs[2].value->d != nullptr);
  CHECK(attrs[3].value->kind == hcl::Expr::Kind::kForObject);
  CHECK(attrs[3].value->grouping);
  CHECK(attrs[4].value->kind == hcl::Expr::Kind::kGetAttr);
  CHECK(attrs[4].value->a->kind == hcl::Expr::Kind::kSplat);
  CHECK(attrs[5].value->kind == hcl::Expr::Kind::kUnary);
  CHECK(attrs[6].value->name == "provider::aws::arn_parse");
  CHECK(attrs[7].value->expand_last);
}

TEST_CASE("hcl: templates, escapes and heredocs", "[infra][hcl]") {
  SourceFile f("t.tf",
               "a = \"x=${var.a}\\n\\\"q\\\" $${lit} %%{lit} \\u00e9\"\n"
               "b = <<EOF\n"
               "line ${var.b}\n"
               "  kept indent\n"
               "EOF\n"
               "c = <<-EOT\n"
               "    --node-labels=role=api\n"
               "      deeper\n"
               "    EOT\n"
               "d = \"%{ if var.x }yes%{ else }no%{ endif }\"\n"
               "e = \"a ${~ var.y ~} b\"\n");
  auto r = hcl::parse(f);
  REQUIRE(r.errors.empty());
  const auto& attrs = r.body.attributes;
  CHECK(literal(*attrs[0].value) == "x=${var.a}\n\"q\" ${lit} %{lit} \xc3\xa9");
  CHECK(literal(*attrs[1].value) == "line ${var.b}\n  kept indent\n");
  CHECK(literal(*attrs[2].value) == "--node-labels=role=api\n  deeper\n");
  // The indented heredoc's first literal starts at its text, past the stripped indentation (line 7, column 5).
  const auto& part = attrs[2].value->parts[0];
  CHECK(part.exact);
  CHECK(f.mark_at(part.offset).line == 7);
  CHECK(f.mark_at(part.offset).column == 5);
  REQUIRE(attrs[3].value->parts.size() == 1);
  const auto& cond = attrs[3].value->parts[0];
  CHECK(cond.kind == hcl::TemplatePart::Kind::kIf);
  REQUIRE(cond.then_parts.size() == 1);
  CHECK(cond.then_parts[0].text == "yes");
  CHECK(cond.else_parts[0].text == "no");
  CHECK(literal(*attrs[4].value) == "a${var.y}b");
}

TEST_CASE("hcl: a template file keeps shell text and ${} interpolations", "[infra][hcl]") {
  SourceFile f("user-data.sh",
               "#!/bin/bash\n"
               "hostnamectl set-hostname ${hostname}\n"
               "%{ for l in labels ~}\n"
               "echo ${l}\n"
               "%{ endfor ~}\n"
               "echo $${HOME} $HOME\n");
  auto r = hcl::parse_template(f);
  REQUIRE(r.errors.empty());
  // `~}` strips the newline after a directive; `$${` is a literal `${` of its own.
  REQUIRE(r.parts.size() == 7);
  CHECK(r.parts[0].text == "#!/bin/bash\nhostnamectl set-hostname ");
  CHECK(r.parts[1].kind == hcl::TemplatePart::Kind::kInterp);
  CHECK(r.parts[1].expr->source() == "hostname");
  CHECK(r.parts[2].text == "\n");
  CHECK(r.parts[3].kind == hcl::TemplatePart::Kind::kFor);
  CHECK(r.parts[3].value_var == "l");
  REQUIRE(r.parts[3].then_parts.size() == 3);
  CHECK(r.parts[3].then_parts[0].text == "echo ");
  CHECK(r.parts[3].then_parts[2].text == "\n");
  CHECK(r.parts[4].text == "echo ");
  CHECK(r.parts[5].text == "${");
  CHECK_FALSE(r.parts[5].exact);
  CHECK(r.parts[6].text == "HOME} $HOME\n");
}

TEST_CASE("hcl: syntax errors skip the broken item and keep the rest", "[infra][hcl]") {
  SourceFile f("bad.tf",
               "resource \"aws_instance\" \"a\" {\n"
               "  instance_type = \"t3.micro\" extra\n"
               "}\n"
               "resource \"aws_instance\" \"b\" {\n"
               "  instance_type = \"t3.small\"\n"
               "}\n"
               "}\n"
               "variable \"x\" { default = @ }\n"
               "locals { y = 1 }\n");
  auto r = hcl::parse(f);
  REQUIRE(r.errors.size() == 3);
  CHECK(f.mark_at(r.errors[0].offset).line == 2);
  CHECK(r.errors[0].message == "expected a newline after the value of `instance_type`, found `e`");
  CHECK(f.mark_at(r.errors[1].offset).line == 7);
  CHECK(r.errors[1].message == "unexpected `}`");
  CHECK(f.mark_at(r.errors[2].offset).line == 8);
  CHECK(r.errors[2].message == "expected an expression, found `@`");
  REQUIRE(r.body.blocks.size() == 2);
  CHECK(r.body.blocks[0].labels[1] == "b");
  CHECK(r.body.blocks[1].type == "locals");
}

TEST_CASE("hcl: unclosed braces, strings, heredocs and comments are errors, not crashes", "[infra][hcl]") {
  for (const char* text : {"resource \"a\" \"b\" {\n  x = 1\n", "a = \"unterminated\n", "a = <<EOF\nno end\n",
                           "a = 1 /* open", "a = [1, 2", "a = {", "a = (1", "a = \"${var.x\"", "x {", "= 3",
                           "a = \"%{ if true }never closed\"", "a = f(1,", "\"label\" {}", "a = 1 b = 2"}) {
    SourceFile f("e.tf", text);
    auto r = hcl::parse(f);
    INFO(text);
    CHECK_FALSE(r.errors.empty());
  }
}

TEST_CASE("hcl: 10000 levels of nesting stop at the depth limit", "[infra][hcl]") {
  const auto start = std::chrono::steady_clock::now();
  std::string brackets = "a = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  std::string blocks;
  for (int i = 0; i < 10000; ++i) blocks += "b {\n";
  std::string parens = "c = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n";
  std::string nots = "d = " + std::string(10000, '!') + "true\n";
  std::string templates = "e = ";
  for (int i = 0; i < 5000; ++i) templates += "\"${";
  std::string chain = "f = x";
  for (int i = 0; i < 2000; ++i) chain += ".y";
  chain += "\n";
  std::string ops = "g = 1";
  for (int i = 0; i < 10000; ++i) ops += " + 1";
  ops += "\n";
  for (const std::string& text : {brackets, blocks, parens, nots, templates, ops, chain}) {
    SourceFile f("deep.tf", text);
    auto r = hcl::parse(f);
    REQUIRE(r.errors.size() == 1);
    const bool limit = r.errors[0].message == "nesting deeper than 100 levels" ||
                       r.errors[0].message == "more than 1000 operators in a row" ||
                       r.errors[0].message == "more than 1000 attribute or index steps in a row";
    CHECK(limit);
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("hcl: a huge heredoc parses in linear time", "[infra][hcl]") {
  std::string text = "user_data = <<-EOF\n";
  for (int i = 0; i < 200000; ++i) text += "    echo line " + std::to_string(i) + " ${var.x}\n";
  text += "    EOF\nafter = 1\n";
  const auto start = std::chrono::steady_clock::now();
  SourceFile f("huge.tf", std::move(text));
  auto r = hcl::parse(f);
  REQUIRE(r.errors.empty());
  REQUIRE(r.body.attributes.size() == 2);
  CHECK(r.body.attributes[0].value->parts.size() == 600000);
  CHECK(r.body.attributes[1].name == "after");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}
