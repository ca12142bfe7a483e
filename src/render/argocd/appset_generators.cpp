// The ApplicationSet generators Argo CD can evaluate from the repository alone: list, clusters (from the
// configured clusters), git directories and files (from the tree being checked), matrix and merge, with
// the `selector` post-filter and `values`. The others (scmProvider, pullRequest, clusterDecisionResource,
// plugin) need a server: they are noted and produce nothing.
#include <algorithm>
#include <set>
#include <utility>

#include "core/strings.h"
#include "render/argocd/appset_internal.h"
#include "render/helm/funcs/convert.h"
#include "render/helm/funcs/helm_yaml.h"

namespace gl::render::argocd::appset {

namespace {

namespace gt = gotemplate;

/// Bound on the parameter sets of one ApplicationSet (a matrix multiplies its children's).
constexpr size_t kMaxParamSets = 100000;
constexpr std::string_view kInCluster = "in-cluster";
constexpr std::string_view kInClusterServer = "https://kubernetes.default.svc";
constexpr std::string_view kSecretTypeLabel = "argocd.argoproj.io/secret-type";

/// Generator keys in the order of Argo CD's ApplicationSetGenerator struct (the order it runs them in).
constexpr std::string_view kGeneratorKeys[] = {
    "list", "clusters", "git", "scmProvider", "clusterDecisionResource", "pullRequest", "matrix", "merge", "plugin"};
/// Generators whose `values` a matrix resolves only where the first generator's parameters suffice.
constexpr std::string_view kWithValues[] = {"clusters",    "git",   "scmProvider", "clusterDecisionResource",
                                            "pullRequest", "plugin"};

bool contains(std::span<const std::string_view> list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool truthy(const MNode* n) { return n != nullptr && n->is_scalar() && to_lower(n->value) == "true"; }

std::string text(const MNode* n) { return n != nullptr && n->is_scalar() ? n->value : std::string(); }

/// The generators named by an entry, in Argo CD's order (null ones are unset pointers in Go).
std::vector<std::pair<std::string_view, const MNode*>> named(const MNode& entry) {
  std::vector<std::pair<std::string_view, const MNode*>> out;
  for (auto key : kGeneratorKeys) {
    const MNode* g = entry.get(key);
    if (g != nullptr && !g->is_null()) out.emplace_back(key, g);
  }
  return out;
}

std::string describe(std::string_view key, const MNode& g) {
  if (key == "git") {
    const MNode* dirs = g.get("directories");
    if (dirs != nullptr && dirs->is_seq() && !dirs->items.empty()) return "git directories";
    const MNode* files = g.get("files");
    return files != nullptr && files->is_seq() && !files->items.empty() ? "git files" : "git";
  }
  if (key != "matrix" && key != "merge") return std::string(key);
  std::string out = std::string(key) + "(";
  const MNode* gens = g.get("generators");
  for (size_t i = 0; gens != nullptr && gens->is_seq() && i < gens->items.size(); ++i) {
    std::vector<std::pair<std::string_view, const MNode*>> inner;
    if (gens->items[i].is_map()) inner = named(gens->items[i]);
    out += (i > 0 ? ", " : "") + (inner.empty() ? std::string("?") : describe(inner[0].first, *inner[0].second));
  }
  return out + ")";
}

// ---- label selectors (Argo CD's copy of LabelSelectorAsSelector, without label value validation) ----

struct Requirement {
  std::string key;
  std::string op;  ///< In, NotIn, Exists, DoesNotExist
  std::set<std::string> values;
};

bool matches(const std::vector<Requirement>& reqs, const std::map<std::string, std::string>& labels) {
  return std::all_of(reqs.begin(), reqs.end(), [&](const Requirement& r) {
    auto it = labels.find(r.key);
    const bool has = it != labels.end();
    if (r.op == "In") return has && r.values.count(it->second) > 0;
    if (r.op == "NotIn") return !has || r.values.count(it->second) == 0;
    return (r.op == "Exists") == has;
  });
}

/// Go's path.Dir and path.Base on clean repository paths.
std::string go_dir(std::string_view p) {
  const size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? "." : std::string(p.substr(0, slash));
}

/// git's wildmatch without WM_PATHNAME (a pathspec): `*` and `?` also match '/'.
bool wildmatch(std::string_view p, std::string_view s) {
  const auto one = [&](size_t pi, char c, size_t* len) {
    if (p[pi] == '?') {
      *len = 1;
      return true;
    }
    if (p[pi] == '\\' && pi + 1 < p.size()) {
      *len = 2;
      return p[pi + 1] == c;
    }
    if (p[pi] == '[') {
      size_t i = pi + 1;
      const bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
      if (negate) ++i;
      bool in = false;
      for (bool first = true; i < p.size() && (first || p[i] != ']'); first = false) {
        char lo = p[i++];
        char hi = lo;
        if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
          hi = p[i + 1];
          i += 2;
        }
        in = in || (lo <= c && c <= hi);
      }
      if (i < p.size()) {
        *len = i + 1 - pi;
        return in != negate;
      }
    }
    *len = 1;
    return p[pi] == c;
  };
  size_t pi = 0;
  size_t si = 0;
  size_t star_p = std::string_view::npos;
  size_t star_s = 0;
  while (si < s.size()) {
    size_t len = 0;
    if (pi < p.size() && p[pi] == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      star_p = pi;
      star_s = si;
    } else if (pi < p.size() && one(pi, s[si], &len)) {
      pi += len;
      ++si;
    } else if (star_p != std::string_view::npos) {
      pi = star_p;
      si = ++star_s;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

/// `git ls-files -- PATTERN`: the path itself, a directory above it, or a wildcard match across '/'.
bool pathspec_match(std::string_view pattern, std::string_view path) {
  while (pattern.substr(0, 2) == "./") pattern.remove_prefix(2);
  if (pattern.empty() || pattern == ".") return true;
  if (path == pattern) return true;
  if (path.substr(0, pattern.size()) == pattern &&
      (pattern.back() == '/' || (path.size() > pattern.size() && path[pattern.size()] == '/'))) {
    return true;
  }
  return wildmatch(pattern, path);
}

/// doublestar's Match: `**` as a whole segment matches any number of directories, other segments as path.Match.
bool doublestar_match(std::string_view pattern, std::string_view path) {
  const std::string clean = normalize_path(pattern);
  const auto p = split(clean, '/');
  const auto s = split(path, '/');
  // memo[i][j]: 0 unknown, 1 no, 2 yes (whether p[i:] matches s[j:]).
  std::vector<uint8_t> memo((p.size() + 1) * (s.size() + 1), 0);
  const std::function<bool(size_t, size_t)> go = [&](size_t i, size_t j) {
    uint8_t& m = memo[i * (s.size() + 1) + j];
    if (m != 0) return m == 2;
    bool r = false;
    if (i == p.size()) {
      r = j == s.size();
    } else if (p[i] == "**") {
      for (size_t k = j; k <= s.size() && !r; ++k) r = go(i + 1, k);
    } else if (j < s.size()) {
      auto one = path_match(p[i], s[j]);
      r = one && *one && go(i + 1, j + 1);
    }
    m = r ? 2 : 1;
    return r;
  };
  return go(0, 0);
}

class Evaluator {
 public:
  explicit Evaluator(Run& run) : run_(run) {}

  std::vector<Output> entry(const MNode& entry, int depth, const Map* outer) {
    if (!entry.is_map()) {
      run_.error(entry.span, "a generator must be a mapping", "write the generator as `- list: {...}`");
      return {};
    }
    MNode copy;
    const MNode* e = &entry;
    if (outer != nullptr && !outer->empty()) {
      copy = entry;
      if (!interpolate(copy, *outer)) return {};
      e = &copy;
    }
    bool unknown = false;
    for (const auto& key : e->keys) {
      if (contains(kGeneratorKeys, key.value) || key.value == "selector") continue;
      std::vector<std::string> known(std::begin(kGeneratorKeys), std::end(kGeneratorKeys));
      const std::string near = closest_match(key.value, known);
      run_.error(key.span, "unknown generator `" + key.value + "`",
                 near.empty() ? "use one of list, clusters, git, matrix, merge, scmProvider, pullRequest, "
                                "clusterDecisionResource or plugin"
                              : "did you mean `" + near + "`?",
                 depth > 0);
      unknown = true;
    }
    auto gens = named(*e);
    if (depth > 0 && gens.size() != 1) {
      if (gens.size() > 1) {
        run_.error(e->span, "a matrix or merge child names more than one generator", "split it into two children");
      } else if (!unknown) {
        run_.error(e->span, "a matrix or merge child names no generator", "add a generator such as `list`");
      }
      return {};
    }
    std::vector<Requirement> selector;
    const MNode* sel = e->get("selector");
    if (sel != nullptr && !sel->is_null() && !parse_selector(*sel, &selector)) return {};
    std::vector<Output> outs;
    for (const auto& [key, g] : gens) {
      Output o;
      o.name = describe(key, *g);
      if (depth == 0 && g->is_map()) {
        const MNode* t = g->get("template");
        if (t != nullptr && t->is_map()) o.own_template = t;
      }
      run_one(key, *g, depth, o, e->keys[index_of(*e, key)].span);
      if (o.ok && sel != nullptr && !sel->is_null()) {
        std::erase_if(o.sets, [&](const ParamSet& ps) { return !matches(selector, flatten(ps.params)); });
      }
      outs.push_back(std::move(o));
    }
    return outs;
  }

 private:
  static size_t index_of(const MNode& m, std::string_view key) {
    for (size_t i = 0; i < m.keys.size(); ++i) {
      if (m.keys[i].value == key) return i;
    }
    return 0;
  }

  void fail(Output& o, Span at, std::string message, std::string help) {
    run_.error(at, std::move(message), std::move(help));
    o.ok = false;
  }

  void run_one(std::string_view key, const MNode& g, int depth, Output& o, Span at) {
    if (key == "scmProvider" || key == "pullRequest" || key == "clusterDecisionResource" || key == "plugin") {
      run_.note("ApplicationSet `" + run_.name + "`: the `" + std::string(key) +
                "` generator needs a server and is not evaluated offline");
      o.ok = false;
      return;
    }
    if (!g.is_map())
      return fail(o, g.span, "the `" + std::string(key) + "` generator must be a mapping",
                  "write the generator's fields under its name");
    if ((key == "matrix" || key == "merge") && depth >= 2) {
      return fail(o, at, "`" + std::string(key) + "` is nested more than two levels deep",
                  "Argo CD allows a matrix or merge only directly inside a top-level matrix or merge");
    }
    if (key == "list") return list(g, o);
    if (key == "clusters") return clusters(g, o, at);
    if (key == "git") return git(g, o, at);
    if (key == "matrix") return matrix(g, depth, o, at);
    merge(g, depth, o, at);
  }

  bool parse_selector(const MNode& sel, std::vector<Requirement>* out) {
    const auto bad = [&](const MNode& at, std::string message) {
      run_.error(at.span, std::move(message),
                 "use matchLabels, or matchExpressions with In, NotIn, Exists or DoesNotExist");
      return false;
    };
    if (!sel.is_map()) return bad(sel, "a selector must be a mapping");
    if (const MNode* ml = sel.get("matchLabels"); ml != nullptr && ml->is_map()) {
      for (size_t i = 0; i < ml->keys.size(); ++i) out->push_back({ml->keys[i].value, "In", {text(&ml->items[i])}});
    }
    const MNode* exprs = sel.get("matchExpressions");
    for (size_t i = 0; exprs != nullptr && exprs->is_seq() && i < exprs->items.size(); ++i) {
      const MNode& x = exprs->items[i];
      Requirement r{text(x.get("key")), text(x.get("operator")), {}};
      if (const MNode* vs = x.get("values"); vs != nullptr && vs->is_seq()) {
        for (const auto& v : vs->items) r.values.insert(text(&v));
      }
      if (r.op != "In" && r.op != "NotIn" && r.op != "Exists" && r.op != "DoesNotExist") {
        return bad(x, "`" + r.op + "` is not a valid selector operator");
      }
      if (r.key.empty()) return bad(x, "a selector expression needs a `key`");
      if ((r.op == "In" || r.op == "NotIn") == r.values.empty()) {
        return bad(x, "operator `" + r.op + "` " + (r.values.empty() ? "needs values" : "takes no values"));
      }
      out->push_back(std::move(r));
    }
    return true;
  }

  /// Adds the generator's `values` (each rendered with the parameters so far) as values.KEY or .values.
  bool add_values(const MNode& g, Map& params) {
    const MNode* values = g.get("values");
    if (values == nullptr || !values->is_map()) return true;
    Map rendered;
    for (size_t i = 0; i < values->keys.size(); ++i) {
      std::string err;
      auto v = run_.templater.replace(text(&values->items[i]), params, &err);
      if (!v) {
        run_.error(values->items[i].span, std::move(err), "fix the template expression of this value");
        return false;
      }
      rendered.insert_or_assign(values->keys[i].value, Value::string(std::move(*v)));
    }
    if (run_.templater.go_template()) {
      params.insert_or_assign("values", Value::map(std::move(rendered)));
    } else {
      for (auto& [k, v] : rendered) params.insert_or_assign("values." + k, std::move(v));
    }
    return true;
  }

  /// Adds a parameter set; the sets a matrix combines are counted against kMaxParamSets (the others are
  /// bounded by the size of the input).
  bool add(Output& o, ParamSet ps, Span at, bool counted = false) {
    if (counted && ++run_.budget > kMaxParamSets) {
      fail(o, at, "the generators make more than " + std::to_string(kMaxParamSets) + " parameter sets",
           "split the ApplicationSet");
      return false;
    }
    o.sets.push_back(std::move(ps));
    return true;
  }

  void list(const MNode& g, Output& o) {
    const bool go = run_.templater.go_template();
    const MNode* elements = g.get("elements");
    if (elements != nullptr && !elements->is_null() && !elements->is_seq()) {
      return fail(o, elements->span, "list `elements` must be a sequence", "write each element as a list item");
    }
    for (size_t i = 0; elements != nullptr && i < elements->items.size(); ++i) {
      const MNode& el = elements->items[i];
      ParamSet ps{{}, {el.span}};
      if (!el.is_null() && !el.is_map())
        return fail(o, el.span, "a list element must be a mapping", "write each element as `key: value` pairs");
      if (go && el.is_map()) ps.params = to_value(el).as_map();
      for (size_t k = 0; !go && k < el.keys.size(); ++k) {
        const std::string& key = el.keys[k].value;
        const MNode& v = el.items[k];
        const auto not_string = [&](const MNode& at, const std::string& name) {
          fail(o, at.span, "list element value `" + name + "` is not a string",
               "quote the value, or set `goTemplate: true` to use typed values");
        };
        if (key != "values") {
          if (!v.is_string()) return not_string(v, key);
          ps.params.insert_or_assign(key, Value::string(v.value));
          continue;
        }
        if (!v.is_map())
          return fail(o, v.span, "list element `values` must be a mapping", "write `values` as `key: value` pairs");
        for (size_t j = 0; j < v.keys.size(); ++j) {
          if (!v.items[j].is_string()) return not_string(v.items[j], "values." + v.keys[j].value);
          ps.params.insert_or_assign("values." + v.keys[j].value, Value::string(v.items[j].value));
        }
      }
      if (!add(o, std::move(ps), el.span)) return;
    }
    const MNode* yaml = g.get("elementsYaml");
    if (yaml == nullptr || yaml->is_null()) return;
    std::string err;
    auto v = helm::from_yaml(yaml->value, &err);
    if (v && !v->is_nil() && v->kind() != gt::Kind::kList) err = "elementsYaml is not a list";
    for (size_t i = 0; v && err.empty() && !v->is_nil() && i < v->as_list().size(); ++i) {
      const Value& el = v->as_list()[i];
      if (el.kind() != gt::Kind::kMap && !el.is_nil()) {
        err = "an element of elementsYaml is not a mapping";
        break;
      }
      if (!add(o, ParamSet{el.is_nil() ? Map{} : el.as_map(), {yaml->span}}, yaml->span)) return;
    }
    if (!err.empty()) fail(o, yaml->span, "cannot read `elementsYaml`: " + err, "write a YAML list of mappings");
  }

  void clusters(const MNode& g, Output& o, Span at) {
    const bool go = run_.templater.go_template();
    std::vector<Requirement> sel;
    const MNode* s = g.get("selector");
    if (s != nullptr && !s->is_null() && !parse_selector(*s, &sel)) {
      o.ok = false;
      return;
    }
    Span origin = at;
    const auto emit = [&](Map params, Span element) {
      if (!add_values(g, params)) {
        o.ok = false;
        return false;
      }
      return add(o, ParamSet{std::move(params), {element}}, origin);
    };
    bool has_local = false;
    for (const auto& c : run_.options.clusters) {
      has_local = has_local || c.server == kInClusterServer;
      auto labels = c.labels;
      labels.emplace(kSecretTypeLabel, "cluster");
      if (!matches(sel, labels)) continue;
      Map params{{"name", Value::string(c.name)},
                 {"nameNormalized", Value::string(sanitize_name(c.name))},
                 {"server", Value::string(c.server)},
                 {"project", Value::string(c.project)}};
      const auto strings = [](const std::map<std::string, std::string>& m) {
        Map out;
        for (const auto& [k, v] : m) out.emplace(k, Value::string(v));
        return out;
      };
      if (go) {
        Map meta{{"labels", Value::map(strings(labels))}};
        if (!c.annotations.empty()) meta.emplace("annotations", Value::map(strings(c.annotations)));
        params.emplace("metadata", Value::map(std::move(meta)));
      } else {
        for (const auto& [k, v] : c.annotations) params.insert_or_assign("metadata.annotations." + k, Value::string(v));
        for (const auto& [k, v] : labels) params.insert_or_assign("metadata.labels." + k, Value::string(v));
      }
      if (!emit(std::move(params), c.at.valid() ? c.at : at)) return;
    }
    // The in-cluster destination has no secret (unless configured): it has no labels, so a selector skips it.
    if (sel.empty() && !has_local) {
      Map params{{"name", Value::string(std::string(kInCluster))},
                 {"nameNormalized", Value::string(std::string(kInCluster))},
                 {"server", Value::string(std::string(kInClusterServer))},
                 {"project", Value::string("")}};
      if (!emit(std::move(params), at)) return;
    }
    if (truthy(g.get("flatList"))) {
      gt::List all;
      std::vector<Span> spans;
      for (auto& ps : o.sets) {
        all.push_back(Value::map(std::move(ps.params)));
        spans.push_back(ps.elements.front());
      }
      o.sets = {ParamSet{Map{{"clusters", Value::list(std::move(all))}}, std::move(spans)}};
    }
  }

  void git(const MNode& g, Output& o, Span at) {
    const std::string repo = text(g.get("repoURL"));
    if (!run_.options.is_local_repo || !run_.options.is_local_repo(repo)) {
      run_.note("ApplicationSet `" + run_.name + "`: the git generator reads `" + repo +
                "`, which is not the repository being checked; its applications are not generated");
      o.ok = false;
      return;
    }
    const MNode* dirs = g.get("directories");
    const MNode* files = g.get("files");
    if (dirs != nullptr && dirs->is_seq() && !dirs->items.empty()) return directories(g, *dirs, o);
    if (files != nullptr && files->is_seq() && !files->items.empty()) return git_files(g, *files, o);
    fail(o, at, "the git generator lists no `directories` or `files`", "add `directories` or `files` with a path");
  }

  /// The path parameters of a git generator: `path` (or PREFIX.path) as a map in Go templates, flat otherwise.
  void add_path(const MNode& g, Map& params, const std::string& dir, const std::string* file) {
    const std::string prefix = text(g.get("pathParamPrefix"));
    const std::string base(basename(dir));
    if (run_.templater.go_template()) {
      std::vector<std::string> segments;
      for (auto s : split(dir, '/')) segments.emplace_back(s);
      Map p{{"path", Value::string(dir)},
            {"basename", Value::string(base)},
            {"basenameNormalized", Value::string(sanitize_name(base))},
            {"segments", helm::convert::string_list(segments)}};
      if (file != nullptr) {
        p.emplace("filename", Value::string(*file));
        p.emplace("filenameNormalized", Value::string(sanitize_name(*file)));
      }
      if (prefix.empty()) {
        params.insert_or_assign("path", Value::map(std::move(p)));
      } else {
        params.insert_or_assign(prefix, Value::map(Map{{"path", Value::map(std::move(p))}}));
      }
      return;
    }
    const std::string name = prefix.empty() ? "path" : prefix + ".path";
    params.insert_or_assign(name, Value::string(dir));
    params.insert_or_assign(name + ".basename", Value::string(base));
    params.insert_or_assign(name + ".basenameNormalized", Value::string(sanitize_name(base)));
    if (file != nullptr) {
      params.insert_or_assign(name + ".filename", Value::string(*file));
      params.insert_or_assign(name + ".filenameNormalized", Value::string(sanitize_name(*file)));
    }
    auto segments = split(dir, '/');
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!segments[i].empty())
        params.insert_or_assign(name + "[" + std::to_string(i) + "]", Value::string(std::string(segments[i])));
    }
  }

  void directories(const MNode& g, const MNode& dirs, Output& o) {
    // Directories as filepath.WalkDir visits them: depth first, entries by name, hidden ones skipped.
    std::vector<std::string> all;
    for (const auto& e : run_.entries()) {
      if (e.kind != repo::EntryKind::kDirectory) continue;
      const auto parts = split(e.path, '/');
      if (std::none_of(parts.begin(), parts.end(), [](std::string_view p) { return !p.empty() && p[0] == '.'; })) {
        all.push_back(e.path);
      }
    }
    std::sort(all.begin(), all.end(), [](const std::string& a, const std::string& b) {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                          [](char x, char y) { return (x == '/' ? '\0' : x) < (y == '/' ? '\0' : y); });
    });
    std::set<size_t> bad;
    for (const auto& dir : all) {
      const MNode* include = nullptr;
      bool exclude = false;
      for (size_t i = 0; i < dirs.items.size(); ++i) {
        const MNode* path = dirs.items[i].get("path");
        auto m = path_match(text(path), dir);
        if (!m && bad.insert(i).second) {
          run_.error(dirs.items[i].span, "`" + text(path) + "` is not a valid path pattern",
                     "fix the pattern (Go's path.Match syntax)", false);
        }
        if (!m || !*m) continue;
        if (truthy(dirs.items[i].get("exclude"))) {
          exclude = true;
        } else if (include == nullptr) {
          include = path;
        }
      }
      if (include == nullptr || exclude) continue;
      ParamSet ps{{}, {include->span}};
      add_path(g, ps.params, dir, nullptr);
      if (!add_values(g, ps.params)) {
        o.ok = false;
        return;
      }
      if (!add(o, std::move(ps), include->span)) return;
    }
  }

  void git_files(const MNode& g, const MNode& files, Output& o) {
    const bool go = run_.templater.go_template();
    std::set<std::string> chosen;
    std::map<std::string, Span> pattern_of;
    for (const auto& e : run_.entries()) {
      if (e.kind == repo::EntryKind::kDirectory || e.link_escapes) continue;
      bool in = false;
      bool out = false;
      for (const auto& item : files.items) {
        const std::string pattern = text(item.get("path"));
        const bool m =
            run_.options.new_git_file_globbing ? doublestar_match(pattern, e.path) : pathspec_match(pattern, e.path);
        if (!m) continue;
        if (truthy(item.get("exclude"))) {
          out = true;
        } else if (!in) {
          in = true;
          pattern_of[e.path] = item.span;
        }
      }
      if (in && !out) chosen.insert(e.path);
    }
    for (const auto& path : chosen) {
      const Span at = pattern_of[path];
      auto loaded = run_.ctx.yaml(path);
      std::string err = loaded->read_error;
      if (err.empty() && !loaded->errors.empty()) {
        err = "line " + std::to_string(loaded->errors.front().mark.line) + ": " + loaded->errors.front().message;
      }
      std::vector<const yaml::Node*> objects;
      yaml::Node empty;
      empty.file = loaded->file;
      empty.begin = empty.end = Mark{1, 1};
      const yaml::Node* root = loaded->documents.empty() ? &empty : &loaded->documents.front().root;
      if (root->is_seq()) {
        for (const auto& item : root->items()) objects.push_back(&item);
      } else {
        objects.push_back(root);
      }
      for (const auto* obj : objects) {
        if (err.empty() && !obj->is_map() && !obj->is_null())
          err = "the file holds neither a mapping nor a list of them";
      }
      if (!err.empty()) return fail(o, at, "cannot read `" + path + "`: " + err, "fix the file or exclude it");
      const std::string dir = go_dir(path);
      const std::string file(basename(path));
      for (const auto* obj : objects) {
        std::string decode_error;
        auto v = helm::from_yaml_node(*obj, &decode_error);
        Map params;
        if (v && v->kind() == gt::Kind::kMap) {
          if (go) {
            params = v->as_map();
          } else {
            for (auto& [k, s] : flatten(v->as_map())) params.emplace(k, Value::string(std::move(s)));
          }
        }
        add_path(g, params, dir, &file);
        if (!add_values(g, params)) {
          o.ok = false;
          return;
        }
        if (!add(o, ParamSet{std::move(params), {obj->span().valid() ? obj->span() : empty.span()}}, at)) return;
      }
    }
  }

  std::optional<Output> child(const MNode& entry, int depth, const Map* outer) {
    auto outs = this->entry(entry, depth, outer);
    if (outs.size() != 1 || !outs[0].ok) return std::nullopt;
    return std::move(outs[0]);
  }

  void matrix(const MNode& g, int depth, Output& o, Span at) {
    const MNode* gens = g.get("generators");
    const size_t n = gens != nullptr && gens->is_seq() ? gens->items.size() : 0;
    if (n != 2) {
      return fail(o, at, "a matrix generator needs exactly two child generators, found " + std::to_string(n),
                  n > 2 ? "nest a matrix inside the matrix to combine more generators" : "add a second generator");
    }
    auto first = child(gens->items[0], depth + 1, nullptr);
    if (!first) {
      o.ok = false;
      return;
    }
    const bool go = run_.templater.go_template();
    for (const auto& a : first->sets) {
      auto second = child(gens->items[1], depth + 1, &a.params);
      if (!second) {
        o.ok = false;
        return;
      }
      for (const auto& b : second->sets) {
        ParamSet ps{{}, a.elements};
        ps.elements.insert(ps.elements.end(), b.elements.begin(), b.elements.end());
        if (go) {
          ps.params = b.params;
          merge_override(ps.params, a.params);
        } else {
          for (const auto& [k, v] : a.params) ps.params.emplace(k, Value::string(go_string(v)));
          for (const auto& [k, v] : b.params) {
            auto [it, added] = ps.params.emplace(k, Value::string(go_string(v)));
            if (!added && it->second.as_string() != go_string(v)) {
              return fail(o, at,
                          "the matrix children both set `" + k + "`: `" + it->second.as_string() + "` and `" +
                              go_string(v) + "`",
                          "rename the parameter in one child (git generators take `pathParamPrefix`)");
            }
          }
        }
        if (!add(o, std::move(ps), at, true)) return;
      }
    }
  }

  void merge(const MNode& g, int depth, Output& o, Span at) {
    const MNode* gens = g.get("generators");
    const size_t n = gens != nullptr && gens->is_seq() ? gens->items.size() : 0;
    if (n < 2) return fail(o, at, "a merge generator needs at least two child generators", "add a generator");
    std::set<std::string> keys;
    if (const MNode* mk = g.get("mergeKeys"); mk != nullptr && mk->is_seq()) {
      for (const auto& k : mk->items) keys.insert(text(&k));
    }
    if (keys.empty()) return fail(o, at, "a merge generator needs `mergeKeys`", "name the parameters that match sets");
    std::vector<Output> children;
    for (const auto& c : gens->items) {
      auto out = child(c, depth + 1, nullptr);
      if (!out) {
        o.ok = false;
        return;
      }
      children.push_back(std::move(*out));
    }
    const auto index = [&](const std::vector<ParamSet>& sets, std::map<std::string, size_t>* out) {
      for (size_t i = 0; i < sets.size(); ++i) {
        Map key;
        for (const auto& k : keys) {
          auto it = sets[i].params.find(k);
          key.emplace(k, it == sets[i].params.end() ? Value() : it->second);
        }
        std::string err;
        const std::string json = helm::to_json(Value::map(std::move(key)), &err).value_or(err);
        if (!out->emplace(json, i).second) {
          fail(o, at, "two parameter sets of a merge child have the same merge key " + json,
               "make the merge keys unique within each child generator");
          return false;
        }
      }
      return true;
    };
    std::map<std::string, size_t> base_index;
    if (!index(children[0].sets, &base_index)) return;
    std::vector<ParamSet> base = std::move(children[0].sets);
    for (size_t c = 1; c < children.size(); ++c) {
      std::map<std::string, size_t> idx;
      if (!index(children[c].sets, &idx)) return;
      for (const auto& [key, i] : base_index) {
        auto it = idx.find(key);
        if (it == idx.end()) continue;
        const ParamSet& over = children[c].sets[it->second];
        if (run_.templater.go_template()) {
          merge_override(base[i].params, over.params);
        } else {
          for (const auto& [k, v] : over.params) base[i].params.insert_or_assign(k, v);
        }
        base[i].elements.insert(base[i].elements.end(), over.elements.begin(), over.elements.end());
      }
    }
    o.sets = std::move(base);
  }

  /// A matrix's second child rendered with a parameter set of the first; a `values` entry keeps what
  /// needs its own generator's parameters (a missing key) for later.
  bool interpolate(MNode& entry, const Map& params) {
    RenderError err;
    for (size_t i = 0; i < entry.keys.size(); ++i) {
      MNode& g = entry.items[i];
      const MNode* values = g.is_map() && contains(kWithValues, entry.keys[i].value) ? g.get("values") : nullptr;
      bool ok = true;
      if (values == nullptr) {
        ok = run_.templater.render(g, params, &err);
      } else {
        for (size_t k = 0; ok && k < g.keys.size(); ++k) {
          MNode& item = g.items[k];
          if (g.keys[k].value != "values") {
            ok = run_.templater.render(item, params, &err);
            continue;
          }
          for (auto& v : item.items) {
            if (!v.is_string()) continue;
            std::string message;
            auto out = run_.templater.replace(v.value, params, &message, gt::MissingKey::kError);
            if (out) {
              v = MNode::string(std::move(*out), v.span);
            } else if (message.find("map has no entry for key") == std::string::npos &&
                       message.find("can't evaluate field") == std::string::npos) {
              err.at = v.span;
              err.message = std::move(message);
              ok = false;
              break;
            }
          }
        }
      }
      if (!ok) {
        run_.error(err.at, err.message, "fix the template expression or the parameters it uses");
        return false;
      }
    }
    return true;
  }

  Run& run_;
};

}  // namespace

void Run::error(Span at, std::string message, std::string help, bool fatal) {
  failed = failed || fatal;
  const std::string key = (at.file != nullptr ? at.file->path() : std::string()) + ":" + std::to_string(at.begin.line) +
                          ":" + std::to_string(at.begin.column) + ":" + message;
  if (!seen.insert(key).second) return;
  RenderError e;
  e.at = at;
  e.message = std::move(message);
  e.help = std::move(help);
  result.errors.push_back(std::move(e));
}

void Run::note(std::string text) {
  if (std::find(result.notes.begin(), result.notes.end(), text) == result.notes.end()) {
    result.notes.push_back(std::move(text));
  }
}

const std::vector<repo::Entry>& Run::entries() {
  if (!listing) listing = ctx.tree().walk("");
  return *listing;
}

std::vector<Output> evaluate_entry(Run& run, const MNode& entry) { return Evaluator(run).entry(entry, 0, nullptr); }

}  // namespace gl::render::argocd::appset
