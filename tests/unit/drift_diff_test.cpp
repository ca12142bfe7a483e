// drift: desired objects against live ones (src/drift/diff, ignore, live_file) and the reports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "drift/diff.h"
#include "drift/live_file.h"
#include "drift/report.h"
#include "k8s/object.h"
#include "yaml/parser.h"

namespace {

using gl::drift::FieldDiff;
using gl::drift::ObjectDrift;
using gl::drift::Status;

/// Desired objects from YAML, live objects from a JSON List, and the comparison.
struct Case {
  std::unique_ptr<gl::SourceFile> file;
  std::vector<gl::k8s::Object> objects;
  gl::drift::LiveSet live;
  gl::drift::DriftResult result;

  Case(std::string desired_yaml, const std::string& live_json, gl::drift::DriftOptions options = {})
      : file(std::make_unique<gl::SourceFile>("app.yaml", std::move(desired_yaml))) {
    auto parsed = gl::yaml::parse(*file);
    REQUIRE(parsed.errors.empty());
    for (auto& doc : parsed.documents) {
      if (auto o = gl::k8s::make_object(std::move(doc))) objects.push_back(std::move(*o));
    }
    REQUIRE(gl::drift::add_live_objects(nlohmann::json::parse(live_json), live).empty());
    gl::drift::finish_live_set(live);
    std::vector<const gl::k8s::Object*> desired;
    for (auto& o : objects) {
      o.app_chain = {"shop"};
      desired.push_back(&o);
    }
    if (options.applications.empty()) options.applications = {"shop"};
    result = gl::drift::compare(desired, live, options);
  }

  const ObjectDrift& find(std::string_view kind, std::string_view name) const {
    auto it = std::find_if(result.objects.begin(), result.objects.end(),
                           [&](const ObjectDrift& d) { return d.kind == kind && d.name == name; });
    REQUIRE(it != result.objects.end());
    return *it;
  }
  /// "pointer: desired -> live" per difference.
  static std::vector<std::string> diffs(const ObjectDrift& d) {
    std::vector<std::string> out;
    for (const FieldDiff& f : d.diffs) {
      out.push_back(gl::drift::to_pointer(f.path) + ": " + (f.desired ? f.desired->dump() : "-") + " -> " +
                    (f.live ? f.live->dump() : "-"));
    }
    return out;
  }
};

constexpr std::string_view kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      hostNetwork: false
      containers:
        - name: api
          image: shop/api:1.4.0
          ports:
            - containerPort: 8080
          resources:
            requests: {cpu: "0.5", memory: 1Gi}
          env:
            - name: MODE
              value: prod
        - name: sidecar
          image: envoy:1.29
          resources: {}
)";

/// What an API server returns for kDeployment (defaults, status, managed fields), with `replicas`, the api
/// image and an injected env var as given.
std::string live_deployment(int replicas, std::string_view image, bool extra_env = false) {
  return std::string(R"({"apiVersion":"apps/v1","kind":"DeploymentList","items":[{
    "metadata":{"name":"api","namespace":"shop","uid":"0b6c","resourceVersion":"4711","generation":3,
      "creationTimestamp":"2026-11-01T10:00:00Z",
      "annotations":{"deployment.kubernetes.io/revision":"3"},
      "labels":{"app.kubernetes.io/instance":"shop"},
      "managedFields":[{"manager":"argocd-controller","operation":"Apply","apiVersion":"apps/v1",
        "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:template":{"f:spec":{"f:containers":{
          "k:{\"name\":\"api\"}":{".":{},"f:image":{}}}}}}}},
        {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1",
        "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
    "spec":{"replicas":)") +
         std::to_string(replicas) + R"(,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
      "selector":{"matchLabels":{"app":"api"}},
      "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
      "template":{"metadata":{"labels":{"app":"api"}},"spec":{
        "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
        "containers":[
          {"name":"sidecar","image":"envoy:1.29","imagePullPolicy":"IfNotPresent","resources":{}},
          {"name":"api","image":")" +
         std::string(image) + R"(","imagePullPolicy":"IfNotPresent",
           "ports":[{"containerPort":8080,"protocol":"TCP"}],
           "resources":{"requests":{"cpu":"500m","memory":"1073741824"}},
           "env":[{"name":"MODE","value":"prod"})" +
         (extra_env ? R"(,{"name":"INJECTED","value":"1"})" : "") + R"(],
           "terminationMessagePath":"/dev/termination-log"}]}}},
    "status":{"replicas":2,"readyReplicas":2}}]})";
}

TEST_CASE("drift: server defaults, quantities and list order are not drift", "[drift]") {
  Case c(std::string(kDeployment), live_deployment(2, "shop/api:1.4.0"));
  const auto& d = c.find("Deployment", "api");
  CHECK(Case::diffs(d) == std::vector<std::string>{});
  CHECK(d.status == Status::kInSync);
  CHECK(c.result.summary.in_sync == 1);
  CHECK(c.result.summary.modified == 0);
}

TEST_CASE("drift: modified fields are reported at their Git lines, list items matched by name", "[drift]") {
  Case c(std::string(kDeployment), live_deployment(3, "shop/api:1.3.9", true));
  const auto& d = c.find("Deployment", "api");
  CHECK(d.status == Status::kModified);
  CHECK(Case::diffs(d) == std::vector<std::string>{
                              "/spec/replicas: 2 -> 3",
                              "/spec/template/spec/containers/0/image: \"shop/api:1.4.0\" -> \"shop/api:1.3.9\"",
                              "/spec/template/spec/containers/0/env/1: - -> {\"name\":\"INJECTED\",\"value\":\"1\"}",
                          });
  REQUIRE(d.diffs.size() == 3);
  CHECK(d.diffs[0].at.begin.line == 7);
  CHECK(d.diffs[1].at.begin.line == 17);
  CHECK(d.diffs[1].path[4].item_key == "name");
  CHECK(d.diffs[1].path[4].item_value == "api");
  CHECK(d.at.begin.line == 4);
  CHECK(c.result.summary.modified == 1);
}

TEST_CASE("drift: ignoreDifferences by JSON pointer, jq path and managed fields", "[drift]") {
  auto run = [](gl::drift::Ignore ig) {
    gl::drift::DriftOptions options;
    ig.kind = "Deployment";
    ig.group = "apps";
    options.ignores.push_back(std::move(ig));
    return Case(std::string(kDeployment), live_deployment(3, "shop/api:1.3.9"), options);
  };
  SECTION("json pointer") {
    gl::drift::Ignore ig;
    ig.json_pointers = {"/spec/replicas"};
    Case c = run(ig);
    const auto& d = c.find("Deployment", "api");
    CHECK(Case::diffs(d) ==
          std::vector<std::string>{"/spec/template/spec/containers/0/image: \"shop/api:1.4.0\" -> \"shop/api:1.3.9\""});
    CHECK(d.ignored == 1);
  }
  SECTION("jq select by name") {
    gl::drift::Ignore ig;
    ig.jq_path_expressions = {R"(.spec.template.spec.containers[] | select(.name == "api") | .image)"};
    Case c = run(ig);
    CHECK(Case::diffs(c.find("Deployment", "api")) == std::vector<std::string>{"/spec/replicas: 2 -> 3"});
  }
  SECTION("jq select of another container leaves the image") {
    gl::drift::Ignore ig;
    ig.jq_path_expressions = {R"(.spec.template.spec.containers[] | select(.name == "sidecar") | .image)"};
    Case c = run(ig);
    CHECK(c.find("Deployment", "api").diffs.size() == 2);
  }
  SECTION("managed fields of the HPA's controller") {
    gl::drift::Ignore ig;
    ig.managed_fields_managers = {"kube-controller-manager"};
    Case c = run(ig);
    CHECK(Case::diffs(c.find("Deployment", "api")) ==
          std::vector<std::string>{"/spec/template/spec/containers/0/image: \"shop/api:1.4.0\" -> \"shop/api:1.3.9\""});
  }
  SECTION("another application's ignore does not apply") {
    gl::drift::Ignore ig;
    ig.json_pointers = {"/spec/replicas"};
    ig.application = "billing";
    Case c = run(ig);
    CHECK(c.find("Deployment", "api").diffs.size() == 2);
  }
  SECTION("another kind's ignore does not apply") {
    gl::drift::DriftOptions options;
    gl::drift::Ignore ig;
    ig.kind = "StatefulSet";
    ig.group = "apps";
    ig.json_pointers = {"/spec/replicas"};
    options.ignores.push_back(ig);
    Case c(std::string(kDeployment), live_deployment(3, "shop/api:1.4.0"), options);
    CHECK(Case::diffs(c.find("Deployment", "api")) == std::vector<std::string>{"/spec/replicas: 2 -> 3"});
  }
}

TEST_CASE("drift: jq paths this tool cannot evaluate are named", "[drift]") {
  CHECK(gl::drift::check_jq_path(".spec.replicas").empty());
  CHECK(gl::drift::check_jq_path(R"(.metadata.annotations["a/b"])").empty());
  CHECK(gl::drift::check_jq_path(".spec.x[0].y").empty());
  CHECK(gl::drift::check_jq_path(R"(.a[] | select(.name == "x") | .b)").empty());
  CHECK_THAT(gl::drift::check_jq_path(".a | length"), Catch::Contains("unexpected `l`"));
  CHECK_THAT(gl::drift::check_jq_path("spec"), Catch::Contains("does not start with `.`"));
  CHECK_THAT(gl::drift::check_jq_path(R"(.a[] | select(.n != "x"))"), Catch::Contains("`==`"));
}

TEST_CASE("drift: missing, extra, and kinds the live side did not list", "[drift]") {
  const std::string desired = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {LEVEL: info}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  ports: [{port: 80, targetPort: "8080"}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec: {schedule: "@daily"}
)";
  const std::string live = R"({"apiVersion":"v1","kind":"List","items":[
    {"apiVersion":"v1","kind":"Service","metadata":{"name":"api","namespace":"shop"},
     "spec":{"clusterIP":"10.96.0.12","ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}],"type":"ClusterIP"}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"old","namespace":"shop",
     "labels":{"app.kubernetes.io/instance":"shop"}},"data":{}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kube-root-ca.crt","namespace":"shop"},"data":{}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"billing-cfg","namespace":"shop",
     "labels":{"app.kubernetes.io/instance":"billing"}}},
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"owned","namespace":"shop",
     "labels":{"app.kubernetes.io/instance":"shop"},"ownerReferences":[{"kind":"Foo","name":"x","uid":"1"}]}},
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-1","namespace":"shop","labels":{"app.kubernetes.io/instance":"shop"}}}
  ]})";
  Case c(desired, live);
  CHECK(c.find("Service", "api").status == Status::kInSync);  // targetPort "8080" is 8080
  CHECK(c.find("ConfigMap", "settings").status == Status::kMissing);
  const auto& extra = c.find("ConfigMap", "old");
  CHECK(extra.status == Status::kExtra);
  CHECK(extra.application() == "shop");
  CHECK(c.result.summary.missing == 1);
  CHECK(c.result.summary.extra == 1);  // not another app's object, nor an owned one, nor a Pod
  CHECK(c.result.summary.in_sync == 1);
  REQUIRE(c.result.notes.size() == 1);
  CHECK(c.result.notes[0] == "not compared (the live side has no list of these kinds): batch/CronJob");
}

TEST_CASE("drift: Secrets compare decoded data, stringData folded in, values never shown", "[drift]") {
  const std::string desired = R"(apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
data:
  user: YXBw
stringData:
  password: hunter2-but-longer
  token: same-token
)";
  // user "app" matches; password differs; token matches via base64; "old" is only live.
  const std::string live = R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},
    "type":"Opaque","data":{"user":"YXBw","password":"b3RoZXItcGFzc3dvcmQ=","token":"c2FtZS10b2tlbg==","old":"eA=="}})";
  Case c(desired, live);
  const auto& d = c.find("Secret", "db");
  REQUIRE(d.status == Status::kModified);
  REQUIRE(d.diffs.size() == 2);
  CHECK(gl::drift::to_pointer(d.diffs[0].path) == "/data/password");
  CHECK(d.diffs[0].secret);
  CHECK(*d.diffs[0].desired == gl::drift::fingerprint("hunter2-but-longer"));
  CHECK(*d.diffs[0].live == gl::drift::fingerprint("other-password"));
  CHECK(d.diffs[0].at.begin.line == 8);
  CHECK(gl::drift::to_pointer(d.diffs[1].path) == "/data/old");
  CHECK_FALSE(d.diffs[1].desired.has_value());
  gl::drift::ReportInfo info{"0.1.0", "worktree .", "file live.json", {}, false};
  for (const char* format : {"text", "json", "markdown", "html", "sarif"}) {
    const std::string out = gl::drift::render(format, c.result, info);
    INFO(format);
    CHECK(out.find("hunter2") == std::string::npos);
    CHECK(out.find("other-password") == std::string::npos);
    CHECK(out.find("b3RoZXItcGFzc3dvcmQ") == std::string::npos);
    CHECK(out.find(gl::drift::fingerprint("hunter2-but-longer")) != std::string::npos);
  }
}

TEST_CASE("drift: live nodes against the workloads' node selectors", "[drift]") {
  const std::string desired = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      nodeSelector: {role: api}
      containers: [{name: api, image: x}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  template:
    spec:
      nodeSelector: {role: worker}
      containers: [{name: w, image: x}]
)";
  const std::string live = R"({"apiVersion":"v1","kind":"NodeList","items":[
    {"metadata":{"name":"node-a","labels":{"role":"api","kubernetes.io/os":"linux"}}},
    {"metadata":{"name":"node-b","labels":{"role":"old-batch"}}},
    {"metadata":{"name":"node-c","labels":{"kubernetes.io/os":"linux"}}}]})";
  Case c(desired, live);
  REQUIRE(c.result.nodes.size() == 2);
  CHECK(c.result.nodes[0].what == gl::drift::NodeDrift::What::kUnmatchedSelector);
  CHECK(c.result.nodes[0].workload == "Deployment shop/worker");
  CHECK(c.result.nodes[0].selector == "role=worker");
  CHECK(c.result.nodes[0].at.begin.line == 16);
  CHECK(c.result.nodes[1].what == gl::drift::NodeDrift::What::kUnselectedNode);
  CHECK(c.result.nodes[1].node == "node-b");
  CHECK(c.result.nodes[1].selector == "role=old-batch");
}

TEST_CASE("drift: reports carry the same facts and are deterministic", "[drift]") {
  Case c(std::string(kDeployment), live_deployment(3, "shop/api:1.4.0"));
  gl::drift::ReportInfo info{"0.1.0", "worktree /repo", "file live.json", {"a run note"}, false};
  const auto json = nlohmann::json::parse(gl::drift::render_json(c.result, info));
  CHECK(json["version"] == 1);
  REQUIRE(json["drift"].size() == 1);
  const auto& item = json["drift"][0];
  CHECK(item["status"] == "modified");
  CHECK(item["object"] == nlohmann::json{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"namespace", "shop"}, {"name", "api"}});
  CHECK(item["application"] == "shop");
  CHECK(item["file"] == "app.yaml");
  CHECK(item["line"] == 4);
  CHECK(item["diffs"] == nlohmann::json::parse(R"([{"path":"/spec/replicas","desired":2,"live":3,"file":"app.yaml","line":7}])"));
  CHECK(json["summary"] == nlohmann::json{{"missing", 0}, {"extra", 0}, {"modified", 1}, {"in_sync", 0}});
  CHECK(json["notes"] == nlohmann::json{"a run note"});

  const std::string text = gl::drift::render_text(c.result, info);
  CHECK(text ==
        "drift: worktree /repo against file live.json\n"
        "modified Deployment shop/api (app shop) at app.yaml:4: 1 field differs\n"
        "    /spec/replicas: git 2, live 3  [app.yaml:7]\n"
        "note: a run note\n"
        "summary: 0 missing, 0 extra, 1 modified, 0 in sync\n");
  const std::string md = gl::drift::render_markdown(c.result, info);
  CHECK_THAT(md, Catch::Contains("| 0 | 0 | 1 | 0 |"));
  CHECK_THAT(md, Catch::Contains("| `/spec/replicas` | `2` | `3` |"));
  const std::string html = gl::drift::render_html(c.result, info);
  CHECK_THAT(html, Catch::Contains(R"(<div class="count modified" id="count-modified"><span class="n">1</span>)"));
  CHECK_THAT(html, Catch::Contains(R"(data-object="Deployment shop/api")"));
  const auto sarif = nlohmann::json::parse(gl::drift::render_sarif(c.result, info));
  CHECK(sarif["runs"][0]["results"][0]["ruleId"] == "drift-modified");
  CHECK(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 7);
  for (const char* format : {"text", "json", "markdown", "html", "sarif"}) {
    CHECK(gl::drift::render(format, c.result, info) == gl::drift::render(format, c.result, info));
  }
  CHECK_THROWS_AS(gl::drift::render("xml", c.result, info), gl::FatalError);
}

TEST_CASE("drift: live files in JSON and YAML, Lists and single objects, with errors at file:line", "[drift]") {
  const auto dir = std::filesystem::temp_directory_path() / "gl_drift_live_files";
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, std::string_view text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const auto json = write("a.json", R"({"apiVersion":"v1","kind":"List","items":[
    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"x"}},
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","namespace":"x"}}]})");
  const auto yaml = write("b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\n"
                                    "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: s, namespace: x}\n");
  const auto live = gl::drift::read_live_files({json, yaml});
  REQUIRE(live.objects.size() == 4);
  CHECK(live.objects[0].kind == "ConfigMap");
  CHECK(live.objects[1].kind == "Deployment");
  CHECK(live.objects[2].kind == "Namespace");
  CHECK(live.objects[3].kind == "Service");
  CHECK(live.objects[3].api_version == "v1");
  CHECK(live.objects[3].body["kind"] == "Service");
  CHECK(live.complete_kinds == std::vector<std::string>{"ConfigMap", "Namespace", "Service", "apps/Deployment"});

  const auto bad_json = write("bad.json", "{\"apiVersion\": \"v1\",\n  \"kind\": }\n");
  CHECK_THROWS_WITH(gl::drift::read_live_files({bad_json}), Catch::Contains("bad.json:2:") && Catch::Contains("malformed JSON"));
  const auto bad_yaml = write("bad.yaml", "apiVersion: v1\nkind: [\n");
  CHECK_THROWS_WITH(gl::drift::read_live_files({bad_yaml}), Catch::Contains("bad.yaml:"));
  const auto not_k8s = write("n.yaml", "hello: world\n");
  CHECK_THROWS_WITH(gl::drift::read_live_files({not_k8s}), Catch::Contains("n.yaml:1: not a Kubernetes object"));
  CHECK_THROWS_WITH(gl::drift::read_live_files({(dir / "absent.json").string()}), Catch::Contains("cannot read"));
  std::filesystem::remove_all(dir);
}

}  // namespace
