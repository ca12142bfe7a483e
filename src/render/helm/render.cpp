#include "render/helm/render.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/strings.h"
#include "render/helm/chart.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/funcs.h"
#include "render/helm/funcs/helm_yaml.h"
#include "render/helm/gotemplate/template.h"
#include "render/helm/objects.h"
#include "render/helm/schema.h"
#include "render/helm/values.h"
#include "yaml/parser.h"

namespace gl::render::helm {
namespace {

using gotemplate::CallContext;
using gotemplate::ExecError;
using gotemplate::fail;
using gotemplate::GoType;
using gotemplate::Kind;
using gotemplate::List;
using gotemplate::Map;
using gotemplate::Object;
using gotemplate::OutputChunk;
using gotemplate::TemplateSet;
using gotemplate::Value;

constexpr std::string_view kNoValue = "<no value>";
constexpr int kMaxIncludeDepth = 1000;
constexpr std::string_view kHelmVersion = "v3.14.0";

// ------------------------------------------------------------------------------------------ values

const Value* path_value(const Map& m, std::string_view path) {
  const Map* cur = &m;
  const auto parts = split(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    auto it = cur->find(parts[i]);
    if (it == cur->end()) return nullptr;
    if (i + 1 == parts.size()) return &it->second;
    if (it->second.kind() != Kind::kMap) return nullptr;
    cur = &it->second.as_map();
  }
  return nullptr;
}

void coalesce_globals(Map& dest, const Map& parent) {
  Map dg;
  if (auto it = dest.find("global"); it != dest.end()) {
    if (it->second.kind() != Kind::kMap) return;
    dg = it->second.as_map();
  }
  auto sg_it = parent.find("global");
  if (sg_it == parent.end() || sg_it->second.kind() != Kind::kMap) {
    dest["global"] = Value::map(std::move(dg));
    return;
  }
  for (const auto& [key, val] : sg_it->second.as_map()) {
    if (val.kind() == Kind::kMap) {
      Map vv = val.as_map();
      auto d = dg.find(key);
      if (d == dg.end()) {
        dg[key] = Value::map(std::move(vv));
      } else if (d->second.kind() == Kind::kMap) {
        merge_values(vv, Map{});
        for (const auto& [k, e] : d->second.as_map()) {
          if (vv.find(k) == vv.end()) vv[k] = e;
        }
        dg[key] = Value::map(std::move(vv));
      }
    } else if (auto d = dg.find(key); d == dg.end() || d->second.kind() != Kind::kMap) {
      dg[key] = val;
    }
  }
  dest["global"] = Value::map(std::move(dg));
}

/// chartutil.CoalesceValues over a chart tree: defaults under user values, subcharts under their names.
Map coalesce_chart(const Chart& chart, Map dest) {
  coalesce_values(dest, chart.values);
  for (const auto& sc : chart.subcharts) {
    Map sub;
    if (auto it = dest.find(sc.name); it != dest.end() && it->second.kind() == Kind::kMap) sub = it->second.as_map();
    coalesce_globals(sub, dest);
    dest[sc.name] = Value::map(coalesce_chart(sc, std::move(sub)));
  }
  return dest;
}

/// chartutil.ProcessDependencies: aliases, then tags and conditions; disabled subcharts are dropped. As in
/// Helm, a chart whose Chart.yaml lists no dependencies is left alone, and so are its subcharts.
void process_dependencies(Chart& chart, const Map& values, const std::string& prefix) {
  if (auto it = chart.metadata.find("dependencies"); it == chart.metadata.end() || it->second.kind() != Kind::kList) {
    return;
  }
  std::vector<Chart> kept;
  std::set<std::string> listed;
  for (const auto& d : chart.dependencies) listed.insert(d.name);
  for (auto& sc : chart.subcharts) {
    if (listed.count(sc.name) == 0) kept.push_back(sc);
  }
  for (const auto& d : chart.dependencies) {
    for (const auto& sc : chart.subcharts) {
      if (sc.name != d.name) continue;
      Chart copy = sc;
      if (!d.alias.empty()) copy.name = d.alias;
      kept.push_back(std::move(copy));
      break;
    }
  }
  chart.subcharts = std::move(kept);
  const Map cv = coalesce_chart(chart, values);
  const Map* tags = nullptr;
  if (auto it = cv.find("tags"); it != cv.end() && it->second.kind() == Kind::kMap) tags = &it->second.as_map();
  std::set<std::string> disabled;
  for (const auto& d : chart.dependencies) {
    bool has_true = false, has_false = false;
    for (const auto& t : d.tags) {
      if (tags == nullptr) break;
      auto it = tags->find(t);
      if (it != tags->end() && it->second.kind() == Kind::kBool) {
        has_true = has_true || it->second.as_bool();
        has_false = has_false || !it->second.as_bool();
      }
    }
    bool enabled = has_true || !has_false;
    for (auto cond : split(trim(d.condition), ',')) {
      if (cond.empty()) continue;
      const Value* v = path_value(cv, prefix + std::string(trim(cond)));
      if (v != nullptr && v->kind() == Kind::kBool) {
        enabled = v->as_bool();
        break;
      }
    }
    if (!enabled) disabled.insert(d.alias.empty() ? d.name : d.alias);
  }
  std::erase_if(chart.subcharts, [&](const Chart& sc) { return disabled.count(sc.name) != 0; });
  std::erase_if(chart.dependencies,
                [&](const Dependency& d) { return disabled.count(d.alias.empty() ? d.name : d.alias) != 0; });
  for (auto& sc : chart.subcharts) process_dependencies(sc, cv, prefix + sc.name + ".");
}

/// chartutil.MergeValues over a chart tree: CoalesceValues keeping nulls, with nothing from the user.
Map merge_chart(const Chart& chart, Map dest) {
  merge_tables(dest, chart.values);
  for (const auto& sc : chart.subcharts) {
    Map sub;
    if (auto it = dest.find(sc.name); it != dest.end() && it->second.kind() == Kind::kMap) sub = it->second.as_map();
    coalesce_globals(sub, dest);
    dest[sc.name] = Value::map(merge_chart(sc, std::move(sub)));
  }
  return dest;
}

/// chartutil.Values.Table: the map at a dotted path, or nullptr.
const Map* table_at(const Map& m, std::string_view path) {
  const Map* cur = &m;
  for (auto part : split(path, '.')) {
    auto it = cur->find(part);
    if (it == cur->end() || it->second.kind() != Kind::kMap) return nullptr;
    cur = &it->second.as_map();
  }
  return cur;
}

/// Helm's processDependencyImportValues (with merge, as `helm template` runs it): children first, then each
/// chart takes the tables its dependencies' `import-values` name from its own and its subcharts' default
/// values (user values play no part). The chart's own values win over imported ones, and an earlier import
/// wins over a later one.
void import_values(Chart& chart) {
  for (auto& sc : chart.subcharts) import_values(sc);
  const bool any = std::any_of(chart.dependencies.begin(), chart.dependencies.end(),
                               [](const Dependency& d) { return !d.import_values.empty(); });
  if (!any) return;
  Map cvals = merge_chart(chart, Map{});
  Map imported;
  for (const auto& d : chart.dependencies) {
    const std::string& name = d.alias.empty() ? d.name : d.alias;
    for (const auto& iv : d.import_values) {
      const Map* table = table_at(cvals, name + "." + iv.child);
      if (table == nullptr) continue;  // Helm logs a warning and goes on
      Map piece = convert::deep_copy(Value::map(*table)).as_map();
      if (iv.parent != ".") {
        const auto parts = split(iv.parent, '.');
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) piece = Map{{std::string(*it), Value::map(std::move(piece))}};
      }
      merge_tables(imported, piece);
    }
  }
  merge_tables(cvals, imported);
  chart.values = std::move(cvals);
}

/// chartutil.ValidateAgainstSchema: each chart's values.schema.json against its own coalesced values.
void validate_schemas(const Chart& chart, const Map& values, std::vector<RenderError>& errors) {
  if (chart.values_schema != nullptr) {
    const std::string path = chart.values_schema->path();
    SchemaCheck check = check_values_schema(*chart.values_schema, values);
    if (check.schema_error) {
      errors.push_back(RenderError{
          check.schema_error_at,
          fmt::format("`{}` is not {}: {}", path, check.not_json ? "valid JSON" : "a valid JSON schema", *check.schema_error),
          "fix the schema: Helm refuses to render the chart until it loads"});
    }
    for (auto& v : check.violations) {
      errors.push_back(RenderError{
          v.at.valid() ? v.at : Span{chart.values_schema, {1, 1}, {1, 1}},
          fmt::format("values don't meet the schema of chart `{}`: {}: {}", chart.name, v.field, v.description),
          fmt::format("change the value or `{}`: Helm refuses to render the chart with these values", path)});
    }
  }
  for (const auto& sc : chart.subcharts) {
    auto it = values.find(sc.name);
    validate_schemas(sc, it != values.end() && it->second.kind() == Kind::kMap ? it->second.as_map() : Map{}, errors);
  }
}

// ------------------------------------------------------------------------------------------ rendering

struct Renderable {
  std::string name;      ///< template name in the set: CHART/templates/FILE
  std::string base;      ///< CHART/templates
  const SourceFile* file = nullptr;
  std::shared_ptr<Map> context;  ///< the chart's top-level object (Values, Release, Chart, ...)
  bool emit = true;              ///< false for partials and library charts
};

void collect(const Chart& chart, const std::string& full, bool root, const Value& release, const Value& caps,
             const Value& values, std::vector<Renderable>& out, Map& parent_subcharts) {
  auto ctx = std::make_shared<Map>();
  (*ctx)["Chart"] = chart_object(chart, root);
  (*ctx)["Files"] = files_object(chart.files);
  (*ctx)["Release"] = release;
  (*ctx)["Capabilities"] = caps;
  Value chart_values = Value::map(Map{}, GoType::kValues);
  if (root) {
    chart_values = values;
  } else if (values.kind() == Kind::kMap) {
    if (auto it = values.as_map().find(chart.name); it != values.as_map().end() && it->second.kind() == Kind::kMap) {
      chart_values = Value::map_ref(it->second.map_ptr(), GoType::kValues);
    }
  }
  (*ctx)["Values"] = chart_values;
  Map subcharts;
  for (const auto& sc : chart.subcharts) {
    collect(sc, full + "/charts/" + sc.name, false, release, caps, chart_values, out, subcharts);
  }
  (*ctx)["Subcharts"] = Value::map(std::move(subcharts));
  for (const auto& t : chart.templates) {
    const bool partial = basename(t.name).starts_with("_");
    if (chart.type == "library" && !partial) continue;
    out.push_back(Renderable{full + "/" + t.name, full + "/templates", t.file, ctx, !partial});
  }
  parent_subcharts[chart.name] = Value::map_ref(ctx, GoType::kValues);
}

/// Go nests the messages of include/tpl failures (a runaway recursion makes one of 100 KB): keep the start
/// (where it was called) and the end (the cause).
std::string shorten(std::string message) {
  constexpr size_t kMax = 600;
  constexpr size_t kKeep = 280;
  if (message.size() <= kMax) return message;
  return message.substr(0, kKeep) + " [...] " + message.substr(message.size() - kKeep);
}

/// Go's "template: NAME:LINE:COL: ..." location in an error message, as a span into the template file.
Span error_span(const std::string& message, const std::map<std::string, const SourceFile*>& files) {
  const std::string_view prefix = "template: ";
  size_t start = message.rfind(prefix);
  // The innermost location is the most useful: the last "template: NAME:LINE" in a nested message.
  while (start != std::string::npos) {
    const size_t name_start = start + prefix.size();
    const size_t colon = message.find(':', name_start);
    if (colon != std::string::npos) {
      const std::string name = message.substr(name_start, colon - name_start);
      auto it = files.find(name);
      if (it != files.end()) {
        uint32_t line = 0, col = 0;
        size_t p = colon + 1;
        while (p < message.size() && isdigit(static_cast<unsigned char>(message[p]))) line = line * 10 + (message[p++] - '0');
        if (p < message.size() && message[p] == ':') {
          ++p;
          while (p < message.size() && isdigit(static_cast<unsigned char>(message[p]))) col = col * 10 + (message[p++] - '0');
        }
        if (line > 0) return Span{it->second, {line, col + 1}, {line, col + 1}};
      }
    }
    if (start == 0) break;
    start = message.rfind(prefix, start - 1);
  }
  return {};
}

/// Counts one level of nesting for as long as it lives.
struct DepthGuard {
  int& depth;
  explicit DepthGuard(int& d) : depth(d) { ++depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  ~DepthGuard() { --depth; }
};

class Engine final : public CallContext {
 public:
  Engine(const TemplateSet& set, const RenderOptions& options) : set_(set) {
    seed = options.seed;
    now_unix = options.now_unix;
    max_output = options.max_output_bytes;
  }

  std::string include(const std::string& name, const Value& data) override {
    int& depth = depth_[name];
    if (depth > kMaxIncludeDepth) {
      fail(fmt::format("rendering template has a nested reference name: {}: unable to execute template", name));
    }
    const DepthGuard guard{depth};
    return set_.execute(name, data, *this);
  }

  std::string tpl(const std::string& text, const Value& data) override {
    if (tpl_depth_ >= kMaxIncludeDepth) fail("tpl: too many nested calls (a template that renders itself?)");
    const DepthGuard guard{tpl_depth_};
    TemplateSet clone = set_.clone();
    try {
      clone.parse(current_, text);
    } catch (const ExecError& e) {
      fail(fmt::format("cannot parse template \"{}\": {}", text, e.message));
    }
    Engine inner(clone, *this);
    std::string out;
    try {
      out = clone.execute(current_, data, inner);
    } catch (const ExecError& e) {
      fail(fmt::format("error during tpl function execution for \"{}\": {}", text, e.message));
    }
    size_t pos = 0;
    while ((pos = out.find(kNoValue, pos)) != std::string::npos) out.erase(pos, kNoValue.size());
    return out;
  }

  void set_current(std::string name) { current_ = std::move(name); }

 private:
  Engine(const TemplateSet& set, const Engine& parent) : set_(set), current_(parent.current_), tpl_depth_(parent.tpl_depth_) {
    seed = parent.seed;
    now_unix = parent.now_unix;
    max_output = parent.max_output;
  }

  const TemplateSet& set_;
  std::map<std::string, int> depth_;
  std::string current_;
  int tpl_depth_ = 0;
};

/// Removes Helm's "<no value>" from `out`, shifting the chunks that follow each removal.
void remove_no_value(std::string& out, std::vector<OutputChunk>& chunks) {
  std::vector<size_t> removed;  // offsets (in the original) of each removal
  std::string result;
  result.reserve(out.size());
  size_t pos = 0;
  for (;;) {
    const size_t hit = out.find(kNoValue, pos);
    if (hit == std::string::npos) break;
    result.append(out, pos, hit - pos);
    removed.push_back(hit);
    pos = hit + kNoValue.size();
  }
  if (removed.empty()) return;
  result.append(out, pos, std::string::npos);
  for (auto& c : chunks) {
    const size_t before = static_cast<size_t>(std::lower_bound(removed.begin(), removed.end(), c.offset) - removed.begin());
    size_t inside = 0;
    for (size_t r : removed) {
      if (r >= c.offset && r < c.offset + c.length) inside += kNoValue.size();
    }
    c.offset -= before * kNoValue.size();
    c.length -= std::min(c.length, inside);
  }
  out = std::move(result);
}

/// Helm's install order of kinds (releaseutil.InstallOrder); other kinds come after, by name.
int install_rank(std::string_view kind) {
  static constexpr std::string_view kOrder[] = {
      "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
      "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
      "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
      "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
      "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
      "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == kind) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

/// The end of the action around `m` in the template text: just before its closing `}}` on the same line
/// (so a finding's span covers the whole action, and redaction can blank a secret written inside it).
Mark action_end(const SourceFile& file, Mark m) {
  const std::string_view line = file.line(m.line);
  const size_t from = m.column > 0 ? m.column - 1 : 0;
  const size_t close = line.find("}}", from);
  if (close == std::string_view::npos) return m;
  size_t end = close;
  if (end > from && line[end - 1] == '-') --end;
  while (end > from && line[end - 1] == ' ') --end;
  return Mark{m.line, static_cast<uint32_t>(end + 1)};
}

/// One template's output and what maps its bytes back to their source: the chunks the engine recorded and
/// an index of the output's newlines (so a position inside a long text chunk is found without a scan).
struct OutputMap {
  OutputMap(const std::vector<OutputChunk>& c, const std::string& o, const std::map<std::string, const SourceFile*>& f)
      : chunks(c), out(o), files(f) {
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '\n') newlines.push_back(i);
    }
  }
  const std::vector<OutputChunk>& chunks;
  const std::string& out;
  const std::map<std::string, const SourceFile*>& files;
  std::vector<size_t> newlines;

  /// The template position of output byte `p` of the text chunk `c` (c.offset <= p).
  Mark position(const OutputChunk& c, size_t p) const {
    const auto first = std::lower_bound(newlines.begin(), newlines.end(), c.offset);
    const auto last = std::lower_bound(first, newlines.end(), p);
    if (first == last) return Mark{c.pos.line, static_cast<uint32_t>(c.pos.column + (p - c.offset))};
    return Mark{c.pos.line + static_cast<uint32_t>(last - first), static_cast<uint32_t>(p - *(last - 1))};
  }
};

/// Where output bytes [offset, end) of a template came from: the values line for a value's scalar, else
/// the template text (a literal's own characters, or the whole action that printed it). For a value's
/// scalar, `via` gets the action that printed it.
Span locate(size_t offset, size_t end, bool scalar, const OutputMap& map, Span* via) {
  const auto& chunks = map.chunks;
  auto it = std::upper_bound(chunks.begin(), chunks.end(), offset,
                             [](size_t o, const OutputChunk& c) { return o < c.offset; });
  if (it == chunks.begin()) return {};
  --it;
  const OutputChunk& c = *it;
  const SourceFile* file = nullptr;
  if (c.source) {
    auto f = map.files.find(c.source->parse_name);
    if (f != map.files.end()) file = f->second;
  }
  if (scalar && !c.is_text && c.origin.valid()) {
    if (file != nullptr) *via = Span{file, c.pos, action_end(*file, c.pos)};
    return c.origin;
  }
  if (file == nullptr) return {};
  if (!c.is_text) return Span{file, c.pos, action_end(*file, c.pos)};
  const size_t stop = std::min({end, c.offset + c.length, map.out.size()});
  const Mark m = map.position(c, std::min(offset, std::max(stop, c.offset)));
  const Mark e = stop <= offset ? m : map.position(c, stop);
  return Span{file, m, e.line == m.line ? e : m};
}

void remap(MNode& n, size_t doc_offset, const SourceFile& doc, const OutputMap& map, const SourceFile* fallback) {
  if (n.span.file == &doc) {
    const size_t begin = doc_offset + doc.offset(n.span.begin);
    const size_t end = doc_offset + doc.offset(n.span.end);
    Span s = locate(begin, end, n.is_scalar(), map, &n.via);
    n.span = s.valid() ? s : Span{fallback, {1, 1}, {1, 1}};
  }
  for (auto& k : n.keys) remap(k, doc_offset, doc, map, fallback);
  for (auto& i : n.items) remap(i, doc_offset, doc, map, fallback);
}

/// Splits a rendered file into YAML documents as Helm's SplitManifests does: "---" at the start of a line
/// (after optional whitespace) separates; blank documents are dropped. Returns (offset, text) pairs.
std::vector<std::pair<size_t, std::string_view>> split_documents(std::string_view out) {
  std::vector<std::pair<size_t, std::string_view>> docs;
  size_t start = 0;
  size_t pos = 0;
  auto push = [&](size_t begin, size_t end) {
    std::string_view d = out.substr(begin, end - begin);
    size_t lead = 0;
    while (lead < d.size() && isspace(static_cast<unsigned char>(d[lead]))) ++lead;
    d.remove_prefix(lead);
    while (!d.empty() && isspace(static_cast<unsigned char>(d.back()))) d.remove_suffix(1);
    if (!d.empty()) docs.emplace_back(begin + lead, d);
  };
  while (pos <= out.size()) {
    const bool line_start = pos == 0 || out[pos - 1] == '\n';
    if (line_start && out.substr(pos, 3) == "---") {
      push(start, pos);
      pos += 3;
      while (pos < out.size() && isspace(static_cast<unsigned char>(out[pos]))) ++pos;
      start = pos;
      continue;
    }
    const size_t nl = out.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  push(start, out.size());
  return docs;
}

}  // namespace

std::string ChartRender::text() const {
  std::string out;
  for (const auto& m : manifests) out += fmt::format("---\n# Source: {}\n{}\n", m.source, m.text);
  return out;
}

ChartRender render_chart(Context& ctx, const std::string& dir, const RenderOptions& options) {
  ChartRender result;
  auto chart = load_chart(ctx, dir, result.errors);
  if (!chart) return result;

  // Values: -f files merged in order, then --set, then --set-string.
  Map user;
  auto merge_inline = [&]() -> bool {
    std::string error;
    auto m = values_from_yaml(*options.inline_values, &error);
    if (!m) {
      result.errors.push_back(RenderError{options.inline_values->span(), fmt::format("inline values: {}", error), {}});
      return false;
    }
    merge_values(user, *m);
    return true;
  };
  size_t merged_files = 0;
  if (options.inline_values != nullptr && options.inline_after == 0 && !merge_inline()) return result;
  for (const auto& path : options.value_files) {
    auto loaded = ctx.yaml(path);
    if (loaded->file == nullptr) {
      result.errors.push_back(RenderError{{}, fmt::format("cannot read values file `{}`: {}", path, loaded->read_error), {}});
      return result;
    }
    if (!loaded->errors.empty()) {
      const auto& e = loaded->errors.front();
      result.errors.push_back(RenderError{Span{loaded->file, e.mark, e.mark}, fmt::format("invalid YAML in `{}`: {}", path, e.message), {}});
      return result;
    }
    std::string error;
    auto m = loaded->documents.empty() ? std::optional<Map>(Map{}) : values_from_yaml(loaded->documents.front().root, &error);
    if (!m) {
      result.errors.push_back(RenderError{Span{loaded->file, {1, 1}, {1, 1}}, fmt::format("`{}`: {}", path, error), {}});
      return result;
    }
    merge_values(user, *m);
    if (++merged_files == options.inline_after && options.inline_values != nullptr && !merge_inline()) return result;
  }
  if (options.inline_values != nullptr && options.inline_after > options.value_files.size() && !merge_inline())
    return result;
  for (const auto& [list, as_string] : {std::pair{&options.set, false}, std::pair{&options.set_string, true}}) {
    for (const auto& expr : *list) {
      std::string error;
      if (!apply_set(user, expr, as_string, {}, &error)) {
        result.errors.push_back(RenderError{{}, error, "check the --set syntax: a.b=1,list[0]=x,list={a,b}"});
        return result;
      }
    }
  }
  process_dependencies(*chart, user, "");
  import_values(*chart);
  // Dependencies Chart.yaml lists that are neither vendored under charts/ nor file:// in the repository:
  // Argo CD would download them (`helm dependency build`); gitops-lint reads only the repository.
  std::function<void(const Chart&)> missing = [&](const Chart& c) {
    for (const auto& d : c.dependencies) {
      const std::string& want = d.alias.empty() ? d.name : d.alias;
      const bool present = std::any_of(c.subcharts.begin(), c.subcharts.end(), [&](const Chart& sc) { return sc.name == want; });
      if (present) continue;
      RenderError e(d.at,
                    fmt::format("dependency `{}` ({}) is not in `{}/charts/`: gitops-lint does not download charts, so "
                                "its objects are not checked",
                                d.name, d.repository.empty() ? "no repository" : d.repository, c.dir),
                    "vendor it with `helm dependency build` and commit charts/ to have it checked");
      // From a chart repository, Argo CD fetches it (`helm dependency build`): a gap in what is checked, not
      // a failure of the deployment. Without a repository nobody can fetch it.
      e.lesser = !d.repository.empty() && !d.repository.starts_with("file://");
      result.errors.push_back(std::move(e));
    }
    for (const auto& sc : c.subcharts) missing(sc);
  };
  missing(*chart);
  const Map final_values = coalesce_chart(*chart, user);
  // Helm stops here when values break a values.schema.json; a linter reports that and renders on.
  validate_schemas(*chart, final_values, result.errors);
  const Value values = Value::map(final_values, GoType::kValues);

  // Built-in objects.
  Map release{{"Name", Value::string(options.release_name)},
              {"Namespace", Value::string(options.ns)},
              {"IsUpgrade", Value::boolean(false)},
              {"IsInstall", Value::boolean(true)},
              {"Revision", Value::integer(1)},
              {"Service", Value::string("Helm")}};
  std::vector<std::string> apis;
  for (auto a : split(
           "v1 admissionregistration.k8s.io/v1 admissionregistration.k8s.io/v1beta1 apps/v1 authentication.k8s.io/v1 "
           "authorization.k8s.io/v1 autoscaling/v1 autoscaling/v2 batch/v1 certificates.k8s.io/v1 "
           "coordination.k8s.io/v1 discovery.k8s.io/v1 events.k8s.io/v1 flowcontrol.apiserver.k8s.io/v1beta3 "
           "networking.k8s.io/v1 node.k8s.io/v1 policy/v1 rbac.authorization.k8s.io/v1 scheduling.k8s.io/v1 "
           "storage.k8s.io/v1 apiextensions.k8s.io/v1 apiregistration.k8s.io/v1",
           ' ')) {
    apis.emplace_back(a);
  }
  apis.insert(apis.end(), options.api_versions.begin(), options.api_versions.end());
  const Value caps_value = capabilities_object(options.kube_version, std::move(apis), std::string(kHelmVersion));

  std::vector<Renderable> templates;
  Map top_subcharts;
  collect(*chart, chart->name, true, Value::map(std::move(release)), caps_value, values, templates, top_subcharts);
  // Helm's parse order: deepest paths first, then reverse lexical (so a parent's define wins).
  std::sort(templates.begin(), templates.end(), [](const Renderable& a, const Renderable& b) {
    const auto da = std::count(a.name.begin(), a.name.end(), '/');
    const auto db = std::count(b.name.begin(), b.name.end(), '/');
    if (da != db) return da > db;
    return a.name > b.name;
  });
  std::map<std::string, const SourceFile*> files_by_name;
  for (const auto& t : templates) files_by_name.emplace(t.name, t.file);

  static const gotemplate::FuncMap kFuncs = helm_func_map();
  TemplateSet set(&kFuncs);
  std::set<std::string> failed;
  for (const auto& t : templates) {
    try {
      set.parse(t.name, t.file->text());
    } catch (const ExecError& e) {
      Span at = error_span(e.message, files_by_name);
      if (!at.valid()) at = Span{t.file, {1, 1}, {1, 1}};
      result.errors.push_back(RenderError{at, shorten(e.message), "Argo CD cannot render this chart until the template parses"});
      failed.insert(t.name);
    }
  }

  struct Output {
    const Renderable* r;
    std::string text;
    std::vector<OutputChunk> chunks;
  };
  std::vector<Output> outputs;
  Engine engine(set, options);
  for (const auto& t : templates) {
    if (!t.emit || failed.count(t.name) != 0) continue;
    if (basename(t.name) == "NOTES.txt") continue;
    Map data = *t.context;
    data["Template"] = Value::map(Map{{"Name", Value::string(t.name)}, {"BasePath", Value::string(t.base)}}, GoType::kValues);
    Output out{&t, {}, {}};
    engine.set_current(t.name);
    try {
      out.text = set.execute(t.name, Value::map(std::move(data), GoType::kValues), engine, &out.chunks);
    } catch (const ExecError& e) {
      Span at = error_span(e.message, files_by_name);
      if (!at.valid()) at = Span{t.file, {1, 1}, {1, 1}};
      result.errors.push_back(RenderError{at, shorten(e.message),
                                          "Argo CD fails to render the whole chart on this error; the chart's other "
                                          "templates were still checked"});
      continue;
    }
    if (out.text.size() > options.max_output_bytes) {
      result.errors.push_back(RenderError{Span{t.file, {1, 1}, {1, 1}},
                                          fmt::format("template output is {} bytes, over the {} byte limit", out.text.size(),
                                                      options.max_output_bytes),
                                          {}});
      continue;
    }
    remove_no_value(out.text, out.chunks);
    std::sort(out.chunks.begin(), out.chunks.end(), [](const OutputChunk& a, const OutputChunk& b) { return a.offset < b.offset; });
    outputs.push_back(std::move(out));
  }
  std::sort(outputs.begin(), outputs.end(), [](const Output& a, const Output& b) { return a.r->name < b.r->name; });

  for (const auto& out : outputs) {
    const OutputMap output_map(out.chunks, out.text, files_by_name);
    for (const auto& [offset, text] : split_documents(out.text)) {
      Manifest m;
      m.source = out.r->name;
      m.text = std::string(text);
      SourceFile doc(out.r->name, m.text);
      auto parsed = yaml::parse(doc);
      if (!parsed.errors.empty()) {
        const auto& e = parsed.errors.front();
        const size_t at_offset = offset + doc.offset(e.mark);
        Span unused;
        Span at = locate(at_offset, at_offset, false, OutputMap(out.chunks, out.text, files_by_name), &unused);
        if (!at.valid()) at = Span{out.r->file, {1, 1}, {1, 1}};
        result.errors.push_back(RenderError{at, fmt::format("YAML parse error on {}: {}", out.r->name, e.message),
                                            "the template's output is not valid YAML"});
        continue;
      }
      if (parsed.documents.empty() || parsed.documents.front().root.is_null()) continue;
      m.object = MNode::from(parsed.documents.front().root);
      remap(m.object, offset, doc, output_map, out.r->file);
      result.manifests.push_back(std::move(m));
    }
  }
  if (options.include_crds) {
    // crds/ files are plain YAML, never templated (helm template --include-crds prints them first).
    std::vector<Manifest> crds;
    for (const auto& f : chart->files) {
      if (!f.name.starts_with("crds/")) continue;
      auto loaded = ctx.yaml(join_path(dir, f.name));
      for (const auto& d : loaded->documents) {
        if (!d.root.is_map()) continue;
        crds.push_back(Manifest{chart->name + "/" + f.name, std::string(), MNode::from(d.root)});
      }
    }
    result.manifests.insert(result.manifests.begin(), std::make_move_iterator(crds.begin()), std::make_move_iterator(crds.end()));
  }
  // `helm template` prints the release's manifests sorted by kind, then its hooks (helm.sh/hook), also sorted
  // by kind (Helm's SortManifests: sortManifestsByKind, then sortHooksByKind).
  auto is_hook = [](const Manifest& m) { return m.object.at({"metadata", "annotations", "helm.sh/hook"}) != nullptr; };
  std::stable_sort(result.manifests.begin(), result.manifests.end(), [&](const Manifest& a, const Manifest& b) {
    if (is_hook(a) != is_hook(b)) return is_hook(b);
    const auto* ka = a.object.get("kind");
    const auto* kb = b.object.get("kind");
    const std::string_view na = ka != nullptr ? ka->str() : std::string_view();
    const std::string_view nb = kb != nullptr ? kb->str() : std::string_view();
    const int ra = install_rank(na);
    const int rb = install_rank(nb);
    if (ra != rb) return ra < rb;
    if (ra == install_rank("") && na != nb) return na < nb;
    return false;
  });
  result.files = ctx.files_read();
  return result;
}

}  // namespace gl::render::helm
