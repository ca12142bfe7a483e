#!/usr/bin/env bash
# The GitHub Action's entrypoint (action/entrypoint.sh) run as a runner would run it: a pull request event
# (base and head commits of a repository made here, the base fetched into a shallow clone), GITHUB_* and
# INPUT_* variables, then the annotations on stdout, the job summary, the step outputs, the SARIF file and
# the exit code by fail-on. Also a push event and bad inputs. Then the action's files: action.yml and the
# example workflows are valid YAML, action/README.md documents every input and output, and its snippets are
# the examples' text; the example workflows are run by a small runner written here (bash steps, the composite
# action's own steps, stand-ins for checkout, cache, artifacts, SARIF upload and `gh`) against local
# repositories and, for the nightly drift, local HTTPS API servers.
set -uo pipefail
source "$(dirname "$0")/lib.bash"
: "${GL_SOURCE_DIR:?GL_SOURCE_DIR must name the source tree}"
action=$GL_SOURCE_DIR/action
entrypoint=$action/entrypoint.sh
isolated_git
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
unset GITOPS_LINT INPUT_BINARY INPUT_PATH INPUT_CONFIG INPUT_FAIL_ON INPUT_BASE INPUT_SARIF INPUT_ARGS
unset "${!GITHUB_@}" "${!RUNNER_@}"

# The upstream repository: a base commit with one finding, a head commit that moves it down three lines
# and adds another.
upstream=$tmp/upstream
mkdir -p "$upstream/apps" "$upstream/cluster"
git -C "$upstream" init -q -b main
cat >"$upstream/cluster/nodes.yaml" <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: web-1
  labels: {role: web, node.kubernetes.io/instance-type: t3.small}
EOF
shop_deployment old >"$upstream/apps/old.yaml"
git -C "$upstream" add -A
git -C "$upstream" commit -q -m base
base_sha=$(git -C "$upstream" rev-parse HEAD)
{ printf '# owner: shop team\n# reviewed: yes\n# ---\n'; shop_deployment old; } >"$upstream/apps/old.yaml"
shop_deployment new >"$upstream/apps/new.yaml"
git -C "$upstream" add -A
git -C "$upstream" commit -q -m head
head_sha=$(git -C "$upstream" rev-parse HEAD)
# Fetching a commit by id, as the entrypoint does for a base missing from a shallow checkout.
git -C "$upstream" config uploadpack.allowReachableSHA1InWant true

# The workspace: a shallow clone of the head, as actions/checkout makes (the base commit is not in it).
ws=$tmp/workspace
git clone -q --depth=1 "file://$upstream" "$ws"
if git -C "$ws" cat-file -e "$base_sha^{commit}" 2>/dev/null; then
  fail "setup: the shallow clone should not have the base commit"
fi

cat >"$tmp/pr-event.json" <<EOF
{"action": "synchronize", "number": 7,
 "pull_request": {"number": 7, "base": {"ref": "main", "sha": "$base_sha"}, "head": {"ref": "topic", "sha": "$head_sha"}}}
EOF
cat >"$tmp/push-event.json" <<EOF
{"ref": "refs/heads/main", "before": "$base_sha", "after": "$head_sha"}
EOF

# act [VAR=VALUE...]: runs the entrypoint with a fresh runner environment (pull request event, fail-on
# error) plus the given variables; stdout, stderr, the summary and the outputs go to $tmp/act.*, the exit
# code to $rc.
act() {
  rm -f "$tmp/act.summary" "$tmp/act.output"
  mkdir -p "$tmp/runner"
  rc=0
  env -i PATH="$PATH" HOME="$HOME" GIT_CONFIG_NOSYSTEM=1 \
    GITHUB_ACTIONS=true GITHUB_WORKSPACE="$ws" GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$tmp/pr-event.json" \
    GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=acme/deploy GITHUB_SHA="$head_sha" \
    GITHUB_STEP_SUMMARY="$tmp/act.summary" GITHUB_OUTPUT="$tmp/act.output" RUNNER_TEMP="$tmp/runner" \
    GITOPS_LINT="$GL_BIN" INPUT_PATH=. INPUT_FAIL_ON=error "$@" \
    bash "$entrypoint" >"$tmp/act.out" 2>"$tmp/act.err" || rc=$?
  grep '^::' "$tmp/act.out" >"$tmp/act.commands" || true
}

# output NAME: a value written to $GITHUB_OUTPUT.
output() { sed -n "s/^$1=//p" "$tmp/act.output"; }

# expect_output NAME VALUE WHAT
expect_output() {
  local got
  got=$(output "$1")
  [[ $got == "$2" ]] || fail "$3: output $1 is \`$got\`, expected \`$2\`"
}

# expect_act_rc WANT WHAT
expect_act_rc() {
  if [[ $rc -ne $1 ]]; then
    fail "$2: exit code $rc, expected $1"
    sed 's/^/  stdout: /' "$tmp/act.out" >&2
    sed 's/^/  stderr: /' "$tmp/act.err" >&2
  fi
}

# expect_commands WHAT: the workflow commands printed equal stdin.
expect_commands() {
  if ! diff -u - "$tmp/act.commands" >"$tmp/diff"; then
    fail "$1: workflow commands differ (- expected, + printed)"
    cat "$tmp/diff" >&2
  fi
}

new_error="::error file=apps/new.yaml,line=4,endLine=4,col=9,endColumn=11,title=gitops-lint (node-pinning)::\`shop/new\` is not pinned to any node%0Anote: the scheduler may put its pods on any node, next to the workloads each node was sized for%0Ahelp: add a nodeSelector (or required node affinity) for the node group this workload is meant for"
old_error="::error file=apps/old.yaml,line=7,endLine=7,col=9,endColumn=11,title=gitops-lint (node-pinning)::\`shop/old\` is not pinned to any node%0Anote: the scheduler may put its pods on any node, next to the workloads each node was sized for%0Ahelp: add a nodeSelector (or required node affinity) for the node group this workload is meant for"

# A pull request: the base is fetched, only the new finding is annotated, the job fails.
act INPUT_SARIF=reports/gitops-lint.sarif
expect_act_rc 1 "pull request"
expect_commands "pull request" <<<"$new_error"
has "$tmp/act.out" "gitops-lint: fetching the base commit $base_sha" "pull request (base fetched)"
git -C "$ws" cat-file -e "$base_sha^{commit}" 2>/dev/null || fail "pull request: the base commit was not fetched"
expect_output errors 1 "pull request"
expect_output warnings 0 "pull request"
expect_output notes 0 "pull request"
expect_output new-findings 1 "pull request"
expect_output base "$base_sha" "pull request"
expect_output sarif reports/gitops-lint.sarif "pull request"
expect_output exit-code 1 "pull request"
json=$(output json)
[[ -f $json ]] || fail "pull request: output json names no file (\`$json\`)"
cut -d= -f1 "$tmp/act.output" | sort | tr '\n' ' ' >"$tmp/keys"
[[ $(cat "$tmp/keys") == "base errors exit-code json new-findings notes sarif warnings " ]] ||
  fail "pull request: output keys are $(cat "$tmp/keys")"
cat >"$tmp/want.summary" <<EOF
## gitops-lint report

| Errors | Warnings | Notes |
| ---: | ---: | ---: |
| 1 | 0 | 0 |

New (not in the base): **1** of 1 finding.

### By rule

| Rule | Errors | Warnings | Notes |
| --- | ---: | ---: | ---: |
| \`node-pinning\` | 1 | 0 | 0 |

### Findings

| New | Severity | Rule | Location | Message | Object |
| --- | --- | --- | --- | --- | --- |
| **new** | error | \`node-pinning\` | [\`apps/new.yaml:4\`](https://github.com/acme/deploy/blob/$head_sha/apps/new.yaml#L4) | \`shop/new\` is not pinned to any node | \`Deployment/shop/new\` |

<details>
<summary>Details: related locations, notes and help</summary>

- \`node-pinning\` at [\`apps/new.yaml:4\`](https://github.com/acme/deploy/blob/$head_sha/apps/new.yaml#L4): \`shop/new\` is not pinned to any node
  - note: the scheduler may put its pods on any node, next to the workloads each node was sized for
  - help: add a nodeSelector (or required node affinity) for the node group this workload is meant for

</details>
EOF
version=$("$GL_BIN" --version)
printf '\n<sub>gitops-lint %s</sub>\n' "$version" >>"$tmp/want.summary"
if ! diff -u "$tmp/want.summary" "$tmp/act.summary" >"$tmp/diff"; then
  fail "pull request: job summary differs (- expected, + written)"
  cat "$tmp/diff" >&2
fi
sarif=$ws/reports/gitops-lint.sarif
if python3 - "$sarif" >"$tmp/sarif.txt" 2>&1 <<'PY'; then
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    print(r["ruleId"], loc["artifactLocation"]["uri"], loc["region"]["startLine"], r["baselineState"])
PY
  [[ $(cat "$tmp/sarif.txt") == "node-pinning apps/new.yaml 4 new" ]] ||
    fail "pull request: SARIF results are: $(cat "$tmp/sarif.txt")"
else
  fail "pull request: SARIF is not valid: $(cat "$tmp/sarif.txt")"
fi

# The summary is appended to what the job summary already holds.
printf 'earlier step\n' >"$tmp/summary.prev"
act GITHUB_STEP_SUMMARY="$tmp/summary.prev"
[[ $(head -n 1 "$tmp/summary.prev") == "earlier step" && $(sed -n 2p "$tmp/summary.prev") == "## gitops-lint report" ]] ||
  fail "the job summary was not appended to"

# fail-on never: the same report, exit 0.
act INPUT_FAIL_ON=never
expect_act_rc 0 "fail-on never"
expect_commands "fail-on never" <<<"$new_error"
expect_output exit-code 0 "fail-on never"
expect_output errors 1 "fail-on never"

# Old findings too (extra args): both annotated and counted, one new; only the new one fails the job.
act INPUT_ARGS='--include-existing' INPUT_SARIF="$tmp/all.sarif"
expect_act_rc 1 "--include-existing"
expect_commands "--include-existing" <<<"$new_error"$'\n'"$old_error"
expect_output errors 2 "--include-existing"
expect_output new-findings 1 "--include-existing"
has "$tmp/act.summary" "New (not in the base): **1** of 2 findings." "--include-existing summary"
has "$tmp/act.summary" "|  | error | \`node-pinning\` | [\`apps/old.yaml:7\`](https://github.com/acme/deploy/blob/$head_sha/apps/old.yaml#L7) |" \
  "--include-existing summary"
has "$tmp/all.sarif" '"baselineState": "unchanged"' "--include-existing SARIF"
has "$tmp/all.sarif" '"baselineState": "new"' "--include-existing SARIF"

# Arguments on several lines (a YAML block): each line split at whitespace.
act INPUT_ARGS=$'--disable\nnode-pinning'
expect_act_rc 0 "args on two lines"
expect_output errors 0 "args on two lines"
has "$tmp/act.summary" "No findings." "args on two lines"

# A push: no base, every finding annotated and new, links to the pushed commit.
act GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$tmp/push-event.json"
expect_act_rc 1 "push"
expect_commands "push" <<<"$new_error"$'\n'"$old_error"
expect_output base "" "push"
expect_output new-findings 2 "push"
expect_output errors 2 "push"
expect_output sarif "" "push"
lacks "$tmp/act.summary" "| New |" "push summary"
has "$tmp/act.summary" "| error | \`node-pinning\` | [\`apps/old.yaml:7\`](https://github.com/acme/deploy/blob/$head_sha/apps/old.yaml#L7) |" \
  "push summary"

# base: none on a pull request, and an explicit base revision.
act INPUT_BASE=none
expect_output base "" "base: none"
expect_output new-findings 2 "base: none"
act INPUT_BASE=HEAD INPUT_FAIL_ON=warning
expect_act_rc 0 "base: HEAD"
expect_output base HEAD "base: HEAD"
expect_output errors 0 "base: HEAD"
: >"$tmp/empty"
expect_commands "base: HEAD" <"$tmp/empty"

# A base that cannot be fetched: a warning, then every finding.
sed "s/$base_sha/0123456789abcdef0123456789abcdef01234567/" "$tmp/pr-event.json" >"$tmp/bad-event.json"
act GITHUB_EVENT_PATH="$tmp/bad-event.json"
expect_act_rc 1 "unknown base"
has "$tmp/act.commands" "::warning title=gitops-lint::cannot fetch the base commit 0123456789abcdef0123456789abcdef01234567" \
  "unknown base"
expect_output base "" "unknown base"
expect_output errors 2 "unknown base"

# A binary given as a URL is downloaded.
act GITOPS_LINT= INPUT_BINARY="file://$GL_BIN"
expect_act_rc 1 "binary URL"
has "$tmp/act.out" "gitops-lint: downloading file://" "binary URL"
expect_output errors 1 "binary URL"

# Bad inputs: exit 2 with an error annotation, nothing else run.
act INPUT_FAIL_ON=sometimes
expect_act_rc 2 "bad fail-on"
has "$tmp/act.commands" "::error title=gitops-lint::fail-on must be error, warning, note or never, not \`sometimes\`" "bad fail-on"
expect_output exit-code 2 "bad fail-on"
act GITOPS_LINT="$tmp/absent/gitops-lint"
expect_act_rc 2 "missing binary"
has "$tmp/act.commands" "is missing or not executable" "missing binary"
act INPUT_BASE=--upload-pack=touch
expect_act_rc 2 "option as base"
act INPUT_PATH=no-such-dir
expect_act_rc 2 "missing path"
act INPUT_ARGS=--no-such-option
expect_act_rc 2 "bad args"
has "$tmp/act.commands" "::error title=gitops-lint::gitops-lint failed (exit code 2)" "bad args"
printf '{"pull_request": "not an object"}' >"$tmp/odd-event.json"
act GITHUB_EVENT_PATH="$tmp/odd-event.json"
expect_act_rc 1 "odd event payload"
expect_output base "" "odd event payload"

# --- The action's files ---------------------------------------------------------------------------------
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is needed to read the workflows"
for f in "$action/action.yml" "$action"/examples/*.yml; do
  python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f" 2>"$tmp/yaml.err" ||
    fail "$(basename "$f") is not valid YAML: $(cat "$tmp/yaml.err")"
done
# Every input and output is in the README's tables, and every input reaches the entrypoint or a step.
python3 - "$action/action.yml" "$action/README.md" >"$tmp/doc.txt" 2>&1 <<'PY' || fail "action.yml and action/README.md: $(cat "$tmp/doc.txt")"
import re, sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
readme = open(sys.argv[2]).read()
text = open(sys.argv[1]).read()
for kind in ("inputs", "outputs"):
    for name in spec[kind]:
        if not re.search(r"^\| `" + re.escape(name) + r"` \|", readme, re.M):
            sys.exit(f"{kind[:-1]} `{name}` is not in a table of action/README.md")
for name in spec["inputs"]:
    if text.count("inputs." + name) < 1:
        sys.exit(f"input `{name}` is never used")
PY
# Each snippet of action/README.md that names an example is a run of lines of that example.
python3 - "$action" >"$tmp/snippets.txt" 2>&1 <<'PY' || fail "action/README.md snippets: $(cat "$tmp/snippets.txt")"
import os, re, sys
root = sys.argv[1]
readme = open(os.path.join(root, "README.md")).read()
snippets = re.findall(r"<!-- example: (\S+) -->\n```yaml\n(.*?)```", readme, re.S)
if len(snippets) < 3:
    sys.exit(f"only {len(snippets)} snippets marked `<!-- example: FILE -->`")
names = set()
for name, body in snippets:
    names.add(name)
    example = open(os.path.join(root, "examples", name)).read()
    if body not in example:
        sys.exit(f"a snippet is not in examples/{name}:\n{body}")
missing = set(os.listdir(os.path.join(root, "examples"))) - names
if missing:
    sys.exit(f"examples without a snippet in the README: {sorted(missing)}")
PY

# --- The example workflows, run here (tests/cli/action.sh's runner: bash steps, the composite action) ---
runner=$tmp/runner.py
cat >"$runner" <<'PY'
"""Runs one job of a GitHub Actions workflow here, as a runner would, for the example workflows' tests.

Each matrix combination in turn: `run` steps in bash (-eo pipefail, as `shell: bash`) with the step's env,
GITHUB_OUTPUT/GITHUB_PATH/GITHUB_ENV/GITHUB_STEP_SUMMARY files and `${{ }}` expressions evaluated; `if:`
conditions; the gitops-lint action by running the composite steps of action/action.yml; actions/checkout
(the workspace is already checked out), actions/cache (a hit: the given binary), actions/upload-artifact and
download-artifact (a directory), github/codeql-action/upload-sarif (checks the file and records it).
`${{ }}` inside a `run` script is refused: values reach scripts through env only.

usage: runner.py WORKFLOW JOB CONFIG.json; CONFIG: workspace, out, artifacts, binary, action, event_path,
event_name, secrets, github (extra github context). Exit 0 when every combination's job succeeded.
"""
import glob
import itertools
import json
import os
import re
import shutil
import subprocess
import sys

import yaml


class Failure(Exception):
    pass


# --- expressions ---------------------------------------------------------------------------------------
TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[!()\[\].,])"
                   r"|(?P<id>[A-Za-z_][A-Za-z0-9_-]*))")


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Failure(f"cannot read expression {text!r} at {pos}")
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    return tokens


class Expr:
    def __init__(self, text, ctx, status):
        self.tokens, self.pos, self.ctx, self.status = tokenize(text), 0, ctx, status

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise Failure(f"expected {value!r}, got {tok[1]!r}")
        self.pos += 1
        return tok

    def parse(self):
        value = self.or_()
        if self.pos != len(self.tokens):
            raise Failure(f"trailing tokens in expression: {self.tokens[self.pos:]}")
        return value

    def or_(self):
        value = self.and_()
        while self.peek()[1] == "||":
            self.take()
            right = self.and_()
            value = value if truthy(value) else right
        return value

    def and_(self):
        value = self.not_()
        while self.peek()[1] == "&&":
            self.take()
            right = self.not_()
            value = right if truthy(value) else value
        return value

    def not_(self):
        if self.peek()[1] == "!":
            self.take()
            return not truthy(self.not_())
        return self.cmp()

    def cmp(self):
        value = self.primary()
        if self.peek()[1] in ("==", "!="):
            op = self.take()[1]
            right = self.primary()
            equal = as_text(value).lower() == as_text(right).lower()
            return equal if op == "==" else not equal
        return value

    def primary(self):
        kind, text = self.take()
        if text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind != "id":
            raise Failure(f"unexpected {text!r}")
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self.peek()[1] == "(":
            self.take()
            self.take(")")
            functions = {"always": True, "success": self.status["ok"], "failure": not self.status["ok"],
                         "cancelled": False}
            if text not in functions:
                raise Failure(f"unsupported function {text}()")
            return functions[text]
        value = self.ctx.get(text)
        while self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                key = self.take()[1]
            else:
                key = as_text(self.or_())
                self.take("]")
            value = value.get(key) if isinstance(value, dict) else None
        return value


def truthy(value):
    return value not in (None, False, 0, "")


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def interpolate(text, ctx, status):
    if not isinstance(text, str):
        return text
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: as_text(Expr(m.group(1), ctx, status).parse()), text)


def condition(text, ctx, status):
    if text is None:
        return status["ok"]
    text = str(text).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    return truthy(Expr(m.group(1) if m else text, ctx, status).parse())


# --- the runner ------------------------------------------------------------------------------------------
class Runner:
    def __init__(self, config, out):
        self.cfg, self.out = config, out
        self.path = [os.path.join(out, "path")] + os.environ["PATH"].split(os.pathsep)
        self.env = {}  # GITHUB_ENV
        self.summary = os.path.join(out, "summary.md")
        self.log = open(os.path.join(out, "log"), "w")
        self.counter = 0
        os.makedirs(os.path.join(out, "path"), exist_ok=True)
        open(self.summary, "w").close()

    def say(self, text):
        self.log.write(text if text.endswith("\n") else text + "\n")
        self.log.flush()

    def base_env(self, ctx):
        github = ctx["github"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
        env.update({
            "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": self.cfg["workspace"],
            "GITHUB_EVENT_PATH": self.cfg["event_path"], "GITHUB_EVENT_NAME": github["event_name"],
            "GITHUB_SHA": github["sha"], "GITHUB_REPOSITORY": github["repository"],
            "GITHUB_SERVER_URL": github["server_url"], "GITHUB_RUN_ID": str(github["run_id"]),
            "GITHUB_STEP_SUMMARY": self.summary, "RUNNER_TEMP": ctx["runner"]["temp"], "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
        })
        env.update(self.env)
        env["PATH"] = os.pathsep.join(self.path)
        return env

    def files(self):
        self.counter += 1
        names = {}
        for kind in ("output", "path", "env"):
            names[kind] = os.path.join(self.out, f"step{self.counter}.{kind}")
            open(names[kind], "w").close()
        return names

    def read_outputs(self, name):
        outputs, lines = {}, open(name).read().split("\n")
        i = 0
        while i < len(lines):
            line = lines[i]
            if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
                key, delimiter = line.split("<<", 1)
                end = lines.index(delimiter, i + 1)
                outputs[key] = "\n".join(lines[i + 1:end])
                i = end + 1
                continue
            if "=" in line:
                key, value = line.split("=", 1)
                outputs[key] = value
            i += 1
        return outputs

    def run_script(self, script, env, cwd):
        if "${{" in script:
            raise Failure("a `run` script holds an expression: pass values through `env` instead")
        names = self.files()
        path = os.path.join(self.out, f"step{self.counter}.sh")
        with open(path, "w") as f:
            f.write(script)
        env = dict(env, GITHUB_OUTPUT=names["output"], GITHUB_PATH=names["path"], GITHUB_ENV=names["env"])
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", path], env=env, cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.say(result.stdout)
        sys.stdout.write(result.stdout)
        for line in open(names["path"]).read().splitlines():
            if line:
                self.path.insert(0, line)
        self.env.update(self.read_outputs(names["env"]))
        return result.returncode, self.read_outputs(names["output"])

    def steps(self, steps, ctx, defaults_shell, status):
        """Runs steps; returns their contexts. status["ok"] turns false at the first failing step."""
        ctx["steps"] = {}
        for i, step in enumerate(steps):
            sid = step.get("id", f"__{i}")
            if not condition(step.get("if"), ctx, status):
                self.say(f"- skipped: {step.get('name') or step.get('uses') or 'run'}")
                ctx["steps"][sid] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
                continue
            env = self.base_env(ctx)
            for source in (ctx.get("_env", {}), step.get("env", {})):
                for key, value in source.items():
                    env[key] = as_text(interpolate(value, ctx, status))
            self.say(f"- step: {step.get('name') or step.get('uses') or 'run'}")
            if "run" in step:
                shell = step.get("shell", defaults_shell)
                if shell != "bash":
                    raise Failure(f"step {sid}: shell {shell!r} (only bash is used here)")
                cwd = os.path.join(self.cfg["workspace"], step.get("working-directory", "."))
                rc, outputs = self.run_script(step["run"], env, cwd)
            else:
                with_ = {k: as_text(interpolate(v, ctx, status)) for k, v in (step.get("with") or {}).items()}
                rc, outputs = self.uses(step["uses"], with_, env, ctx)
            outcome = "success" if rc == 0 else "failure"
            self.say(f"  {outcome} (exit code {rc})")
            ctx["steps"][sid] = {"outputs": outputs, "outcome": outcome, "conclusion": outcome}
            if rc != 0:
                status["ok"] = False
        return ctx["steps"]

    def uses(self, name, with_, env, ctx):
        action = name.split("@")[0]
        if action == "actions/checkout":
            return 0, {}
        if action.endswith("/gitops-lint/action"):
            return self.composite(with_, env, ctx)
        if action == "actions/cache":
            # A hit: the binary gitops-lint would have built, where the action caches it.
            os.makedirs(with_["path"], exist_ok=True)
            target = os.path.join(with_["path"], "gitops-lint")
            if not os.path.exists(target):
                os.symlink(self.cfg["binary"], target)
            self.say(f"  cache hit for {with_['key']}")
            return 0, {"cache-hit": "true"}
        if action == "actions/upload-artifact":
            files = sorted(glob.glob(os.path.join(self.cfg["workspace"], with_["path"])))
            if not files:
                self.say(f"  warning: no files found for artifact {with_['name']}")
                return 0, {}
            dest = os.path.join(self.cfg["artifacts"], with_["name"])
            os.makedirs(dest, exist_ok=True)
            for f in files:
                shutil.copy(f, dest)
            return 0, {}
        if action == "actions/download-artifact":
            dest = os.path.join(self.cfg["workspace"], with_.get("path", "."))
            os.makedirs(dest, exist_ok=True)
            for art in sorted(glob.glob(os.path.join(self.cfg["artifacts"], with_.get("pattern", with_.get("name", "*"))))):
                target = dest if with_.get("merge-multiple") == "true" or "name" in with_ else os.path.join(dest, os.path.basename(art))
                os.makedirs(target, exist_ok=True)
                for f in os.listdir(art):
                    shutil.copy(os.path.join(art, f), target)
            return 0, {}
        if action == "github/codeql-action/upload-sarif":
            path = os.path.join(self.cfg["workspace"], with_["sarif_file"])
            json.load(open(path))
            with open(os.path.join(self.out, "uploaded-sarif"), "a") as f:
                f.write(f"{with_['sarif_file']} category={with_.get('category', '')}\n")
            return 0, {}
        raise Failure(f"no stand-in for action {name}")

    def composite(self, with_, env, outer):
        spec = yaml.safe_load(open(os.path.join(self.cfg["action"], "action.yml")))
        if spec["runs"]["using"] != "composite":
            raise Failure("action.yml is not a composite action")
        inputs = {k: as_text(v.get("default", "")) for k, v in spec["inputs"].items()}
        unknown = set(with_) - set(inputs)
        if unknown:
            raise Failure(f"the action has no input(s) {sorted(unknown)}")
        inputs.update(with_)
        github = dict(outer["github"], action_path=self.cfg["action"])
        ctx = {"github": github, "inputs": inputs, "runner": outer["runner"], "env": {},
               "_env": {"GITHUB_ACTION_PATH": self.cfg["action"]}}
        status = {"ok": True}
        for step in spec["runs"]["steps"]:
            if "run" in step and "shell" not in step:
                raise Failure("a composite run step needs `shell`")
        steps = self.steps(spec["runs"]["steps"], ctx, None, status)
        outputs = {k: as_text(interpolate(v["value"], dict(ctx, steps=steps), status))
                   for k, v in spec["outputs"].items()}
        return (0 if status["ok"] else 1), outputs


def matrix_combinations(strategy):
    matrix = dict((strategy or {}).get("matrix") or {})
    include = matrix.pop("include", [])
    matrix.pop("exclude", None)
    keys = list(matrix)
    combos = [dict(zip(keys, values)) for values in itertools.product(*(matrix[k] for k in keys))] if keys else []
    combos += include
    return combos or [{}]


def main():
    workflow, job_id, config = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
    spec = yaml.safe_load(open(workflow))
    job = spec["jobs"][job_id]
    shell = ((spec.get("defaults") or {}).get("run") or {}).get("shell")
    shell = ((job.get("defaults") or {}).get("run") or {}).get("shell", shell)
    event = json.load(open(config["event_path"]))
    failed = 0
    for index, matrix in enumerate(matrix_combinations(job.get("strategy"))):
        out = os.path.join(config["out"], f"{job_id}-{index + 1}")
        os.makedirs(out, exist_ok=True)
        temp = os.path.join(out, "runner-temp")
        os.makedirs(temp, exist_ok=True)
        github = {"event_name": config["event_name"], "event": event, "workspace": config["workspace"],
                  "token": "ghs_test_token", "run_id": 4242, **config["github"]}
        ctx = {"github": github, "matrix": matrix, "secrets": config.get("secrets", {}), "runner": {"temp": temp},
               "env": {}, "_env": {**(spec.get("env") or {}), **(job.get("env") or {})}}
        runner = Runner(config, out)
        status = {"ok": True}
        try:
            runner.steps(job["steps"], ctx, shell, status)
        except Failure as e:
            runner.say(f"runner error: {e}")
            print(f"runner error: {e}", file=sys.stderr)
            status["ok"] = False
        with open(os.path.join(out, "result"), "w") as f:
            f.write(("success" if status["ok"] else "failure") + "\n")
        failed += 0 if status["ok"] else 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
PY
mkdir -p "$tmp/bin"
# gh: issues kept in $tmp/gh-state.json, every call logged to $tmp/gh.log.
cat >"$tmp/bin/gh" <<'PY'
#!/usr/bin/env python3
import json, os, sys
state_path, log = os.environ["GH_STATE"], os.environ["GH_LOG"]
args = sys.argv[1:]
with open(log, "a") as f:
    f.write(" ".join(args) + "\n")
if not os.environ.get("GH_TOKEN"):
    sys.exit("gh: no GH_TOKEN")
state = json.load(open(state_path)) if os.path.exists(state_path) else {"issues": [], "labels": []}
def opt(name, default=None):
    return args[args.index(name) + 1] if name in args else default
def save():
    json.dump(state, open(state_path, "w"), indent=1)
def issue(number):
    return next(i for i in state["issues"] if i["number"] == int(number))
if args[:2] == ["issue", "list"]:
    fields = opt("--json").split(",")
    found = [i for i in state["issues"] if i["state"] == opt("--state", "open") and
             (opt("--label") is None or opt("--label") in i["labels"])]
    print(json.dumps([{k: i[k] for k in fields} for i in found]))
elif args[:2] == ["issue", "create"]:
    number = len(state["issues"]) + 1
    if opt("--label") not in state["labels"]:
        sys.exit("gh: label not found")
    state["issues"].append({"number": number, "title": opt("--title"), "labels": [opt("--label")],
                            "body": open(opt("--body-file")).read(), "state": "open", "comments": []})
    save()
    print(f"https://github.com/acme/deploy/issues/{number}")
elif args[:2] == ["issue", "edit"]:
    issue(args[2])["body"] = open(opt("--body-file")).read()
    save()
elif args[:2] == ["issue", "comment"]:
    issue(args[2])["comments"].append(opt("--body"))
    save()
elif args[:2] == ["issue", "close"]:
    issue(args[2])["state"] = "closed"
    save()
elif args[:2] == ["label", "create"]:
    if args[2] not in state["labels"]:
        state["labels"].append(args[2])
    save()
else:
    sys.exit("gh: unsupported: " + " ".join(args))
PY
chmod +x "$tmp/bin/gh"

# run_job WORKFLOW JOB WORKSPACE EVENT-NAME EVENT-FILE [SECRETS-JSON]: runs every matrix combination of a
# job of WORKFLOW (an example's file name, or a path); the runner's stdout goes to $tmp/act.out, each
# combination's files to $tmp/jobs/JOB-N/.
run_job() {
  local workflow=$1
  [[ $workflow == /* ]] || workflow=$action/examples/$1
  rm -rf "$tmp/jobs"
  mkdir -p "$tmp/jobs" "$tmp/artifacts"
  python3 - "$3" "$4" "$5" "${6:-{\}}" >"$tmp/job-config.json" <<PY
import json, sys
print(json.dumps({"workspace": sys.argv[1], "event_name": sys.argv[2], "event_path": sys.argv[3],
                  "secrets": json.loads(sys.argv[4]), "out": "$tmp/jobs", "artifacts": "$tmp/artifacts",
                  "binary": "$GL_BIN", "action": "$action",
                  "github": {"sha": "$head_sha", "repository": "acme/deploy", "server_url": "https://github.com"}}))
PY
  rc=0
  (cd "$3" && PATH="$tmp/bin:$PATH" GH_STATE="$tmp/gh-state.json" GH_LOG="$tmp/gh.log" \
    python3 "$runner" "$workflow" "$2" "$tmp/job-config.json") >"$tmp/act.out" 2>"$tmp/act.err" || rc=$?
  grep '^::' "$tmp/act.out" >"$tmp/act.commands" || true
  if grep -q 'runner error' "$tmp/act.err" "$tmp/jobs"/*/log; then
    fail "$1 $2: $(cat "$tmp/act.err")"
  fi
}

# pr-check.yml: the action as a runner runs it (its composite steps; the build is a cache hit), on a
# fresh shallow clone: the base fetched, one annotation, the summary, the SARIF uploaded.
ws2=$tmp/workspace2
git clone -q --depth=1 "file://$upstream" "$ws2"
run_job pr-check.yml check "$ws2" pull_request "$tmp/pr-event.json"
expect_act_rc 1 "pr-check.yml"
expect_commands "pr-check.yml" <<<"$new_error"
[[ $(cat "$tmp/jobs/check-1/result") == failure ]] || fail "pr-check.yml: the job should fail"
if ! diff -u "$tmp/want.summary" "$tmp/jobs/check-1/summary.md" >"$tmp/diff"; then
  fail "pr-check.yml: job summary differs"
  cat "$tmp/diff" >&2
fi
[[ $(cat "$tmp/jobs/check-1/uploaded-sarif" 2>/dev/null) == "gitops-lint.sarif category=gitops-lint" ]] ||
  fail "pr-check.yml: SARIF not uploaded"
has "$tmp/jobs/check-1/log" "- skipped: Build gitops-lint" "pr-check.yml (cache hit: no build)"
has "$tmp/jobs/check-1/log" "the cached binary finds all its libraries" "pr-check.yml (cache hit: no apt-get)"

# The action with a prebuilt binary and setup-only: gitops-lint on PATH for later steps, the `binary` output.
mkdir -p "$tmp/prebuilt"
cp "$GL_BIN" "$tmp/prebuilt/gl-linux-x64"
cat >"$tmp/setup-only.yml" <<EOF
on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    steps:
      - uses: <owner>/gitops-lint/action@main
        id: gl
        with:
          binary: $tmp/prebuilt/gl-linux-x64
          setup-only: true
      - env:
          BINARY: \${{ steps.gl.outputs.binary }}
        shell: bash
        run: |
          echo "binary: \$BINARY"
          echo "on PATH: \$(gitops-lint --version)"
EOF
run_job "$tmp/setup-only.yml" setup "$ws" push "$tmp/push-event.json"
expect_act_rc 0 "setup-only with a prebuilt binary"
has "$tmp/act.out" "binary: $tmp/prebuilt/gl-linux-x64" "setup-only with a prebuilt binary"
has "$tmp/act.out" "on PATH: $("$GL_BIN" --version)" "setup-only with a prebuilt binary"
has "$tmp/jobs/setup-1/log" "- skipped: Restore the cached gitops-lint" "setup-only with a prebuilt binary (no cache)"
has "$tmp/jobs/setup-1/log" "- skipped: Install the build dependencies" "setup-only with a prebuilt binary (no apt-get)"
has "$tmp/jobs/setup-1/log" "- skipped: Check" "setup-only with a prebuilt binary (no check)"

# check-sharded.yml: four shards of the pull request's check, then the merged report: the same annotations
# and new findings as one unsharded `check --base`.
if ! "$GL_BIN" check --help | grep -q -- '--shard' || ! "$GL_BIN" --help | grep -qE '^ +merge-reports '; then
  echo "SKIP: this gitops-lint has no \`check --shard\` or \`merge-reports\`: check-sharded.yml not run"
elif ! command -v jq >/dev/null; then
  echo "SKIP: no jq (the workflow uses it): check-sharded.yml not run"
else
  ws3=$tmp/workspace3
  git clone -q --depth=1 "file://$upstream" "$ws3"
  rm -rf "$tmp/artifacts"
  run_job check-sharded.yml check "$ws3" pull_request "$tmp/pr-event.json"
  expect_act_rc 0 "check-sharded.yml shards"
  for shard in 1 2 3 4; do
    [[ -s $tmp/artifacts/gitops-lint-shard-$shard/shard-$shard.json ]] || fail "check-sharded.yml: no report from shard $shard"
  done
  run_job check-sharded.yml report "$ws3" pull_request "$tmp/pr-event.json"
  expect_act_rc 1 "check-sharded.yml report (one new error)"
  # The merged report says once that it comes from shards (what a sharded run cannot see), then the finding.
  shard_notice=$("$GL_BIN" merge-reports "$tmp"/artifacts/gitops-lint-shard-*/shard-*.json --format github --fail-on never | grep '^::notice' || true)
  [[ $shard_notice == "::notice title=gitops-lint::shards 1/4, 2/4, 3/4, 4/4 of a sharded run: "* ]] ||
    fail "check-sharded.yml: no shard notice in the merged annotations"
  expect_commands "check-sharded.yml" <<<"$new_error
$shard_notice"
  has "$tmp/act.out" "1 new error(s)" "check-sharded.yml"
  has "$tmp/jobs/report-1/summary.md" "| **new** | error | \`node-pinning\` | \`apps/new.yaml:4\` |" "check-sharded.yml summary"
  "$GL_BIN" check "$ws3" --base "$base_sha" --include-existing --format json -o "$tmp/unsharded.json" --fail-on never
  python3 - "$tmp/unsharded.json" "$ws3/merged.json" <<'PY' || fail "check-sharded.yml: merged findings differ from an unsharded run"
import json, sys
def key(path):
    return sorted((f["fingerprint"], f.get("new")) for f in json.load(open(path))["findings"] if f.get("new", True))
assert key(sys.argv[1]) == key(sys.argv[2]), (key(sys.argv[1]), key(sys.argv[2]))
PY
fi

# nightly-drift.yml: two clusters served by local HTTPS API servers (tests/drift/server.bash), a repository
# with two environments; prod runs what Git says, dev runs 2 replicas where Git says 1.
if ! command -v openssl >/dev/null || ! command -v jq >/dev/null; then
  echo "SKIP: no openssl (for the API servers) or no jq (the workflow uses it): nightly-drift.yml not run"
else
  source "$GL_SOURCE_DIR/tests/drift/server.bash"
  drift_repo=$tmp/drift-repo
  mkdir -p "$drift_repo/web/base" "$drift_repo/web/dev" "$drift_repo/web/prod"
  echo 'resources: [deployment.yaml]' >"$drift_repo/web/base/kustomization.yaml"
  cat >"$drift_repo/web/base/deployment.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
EOF
  for env in dev prod; do
    replicas=1
    [[ $env == prod ]] && replicas=3
    cat >"$drift_repo/web/$env/kustomization.yaml" <<EOF
resources: [../base]
patches:
  - target: {kind: Deployment, name: web}
    patch: |
      - op: replace
        path: /spec/replicas
        value: $replicas
EOF
  done
  git -C "$drift_repo" init -q && git -C "$drift_repo" add -A && git -C "$drift_repo" commit -qm drift
  # live_deployments DIR REPLICAS: the cluster's Deployments: `shop/web` with that many replicas.
  live_deployments() {
    python3 - "$1/apis/apps/v1/deployments.json" "$2" <<'PY'
import json, sys
replicas = int(sys.argv[2])
web = {"metadata": {"name": "web", "namespace": "shop", "uid": "5b8c", "resourceVersion": "7", "generation": 2,
                    "creationTimestamp": "2024-05-02T09:05:31Z"},
       "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"type": "RollingUpdate"}, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "web", "image": "nginx:1.25",
                                                      "imagePullPolicy": "IfNotPresent"}],
                                      "restartPolicy": "Always", "dnsPolicy": "ClusterFirst"}}},
       "status": {"replicas": replicas}}
with open(sys.argv[1], "w") as f:
    json.dump({"kind": "DeploymentList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "9"},
               "items": [web]}, f)
PY
  }
  make_ca "$tmp/pki"
  sign server "/CN=kube-apiserver" "subjectAltName=IP:127.0.0.1"
  declare -A kubeconfig
  for cluster in prod dev; do
    cp -r "$GL_SOURCE_DIR/tests/drift/api/cluster1" "$tmp/cluster-$cluster"
    if [[ $cluster == prod ]]; then live_deployments "$tmp/cluster-$cluster" 3; else live_deployments "$tmp/cluster-$cluster" 2; fi
    scenario=$tmp/cluster-$cluster
    start_server "$cluster" --cert "$pki/server.crt" --key "$pki/server.key" --auth token --token "token-$cluster"
    kubeconfig[$cluster]="apiVersion: v1
kind: Config
current-context: $cluster
clusters:
  - name: $cluster
    cluster:
      server: https://127.0.0.1:${port[$cluster]}
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: reader
    user:
      token: token-$cluster
contexts:
  - name: $cluster
    context: {cluster: $cluster, user: reader}"
  done
  secrets=$(python3 -c 'import json, sys; print(json.dumps({"DRIFT_KUBECONFIG_PROD": sys.argv[1], "DRIFT_KUBECONFIG_DEV": sys.argv[2]}))' \
    "${kubeconfig[prod]}" "${kubeconfig[dev]}")
  echo '{"schedule": "17 3 * * *"}' >"$tmp/schedule-event.json"

  # issue_state: "TITLE STATE LABELS COMMENTS" per issue.
  issue_state() {
    python3 -c 'import json, sys
for i in json.load(open(sys.argv[1]))["issues"]:
    print(i["title"], i["state"], ",".join(i["labels"]), len(i["comments"]))' "$tmp/gh-state.json"
  }

  # First night: dev drifted, an issue is opened; prod is in sync, nothing to do.
  run_job nightly-drift.yml drift "$drift_repo" schedule "$tmp/schedule-event.json" "$secrets"
  expect_act_rc 0 "nightly drift"
  [[ $(cat "$tmp/jobs/drift-1/result" "$tmp/jobs/drift-2/result" | tr '\n' ' ') == "success success " ]] ||
    fail "nightly drift: both clusters' jobs should succeed ($(cat "$tmp/act.err"))"
  [[ $(issue_state) == "Drift: dev open drift 0" ]] || fail "nightly drift, first night: issues are $(issue_state)"
  [[ -s $tmp/artifacts/drift-prod/drift-prod.html && -s $tmp/artifacts/drift-dev/drift-dev.html ]] ||
    fail "nightly drift: the HTML reports are not uploaded"
  has "$tmp/artifacts/drift-dev/drift-dev.html" "<html" "nightly drift HTML"
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["issues"][0]["body"])' "$tmp/gh-state.json" >"$tmp/issue.md"
  has "$tmp/issue.md" 'Cluster `dev` differs from the repository ([nightly run](https://github.com/acme/deploy/actions/runs/4242)' \
    "nightly drift issue"
  has "$tmp/issue.md" "/spec/replicas" "nightly drift issue"
  has "$tmp/jobs/drift-2/summary.md" "/spec/replicas" "nightly drift job summary"
  lacks "$tmp/jobs/drift-1/summary.md" "/spec/replicas" "nightly drift job summary (prod in sync)"
  if ls "$tmp/jobs/drift-1/runner-temp" "$tmp/jobs/drift-2/runner-temp" | grep -q kubeconfig; then
    fail "nightly drift: a kubeconfig was left in RUNNER_TEMP"
  fi
  for cluster in prod dev; do
    if grep -v '^GET ' "$tmp/srv-$cluster.log"; then
      fail "nightly drift: the $cluster API server saw a request other than GET"
    fi
  done

  # Second night, still drifted: the same issue, edited and commented.
  run_job nightly-drift.yml drift "$drift_repo" schedule "$tmp/schedule-event.json" "$secrets"
  [[ $(issue_state) == "Drift: dev open drift 1" ]] || fail "nightly drift, second night: issues are $(issue_state)"
  has "$tmp/gh.log" "issue edit 1 --body-file issue.md" "nightly drift, second night"

  # Third night, dev back in sync: the issue is commented and closed.
  live_deployments "$tmp/cluster-dev" 1
  run_job nightly-drift.yml drift "$drift_repo" schedule "$tmp/schedule-event.json" "$secrets"
  [[ $(issue_state) == "Drift: dev closed drift 2" ]] || fail "nightly drift, third night: issues are $(issue_state)"
  has "$tmp/gh.log" "issue comment 1 --body Back in sync: https://github.com/acme/deploy/actions/runs/4242" \
    "nightly drift, third night"

  # A cluster that cannot be read fails its job and leaves the issues alone.
  run_job nightly-drift.yml drift "$drift_repo" schedule "$tmp/schedule-event.json" '{"DRIFT_KUBECONFIG_PROD": "not: [a kubeconfig"}'
  expect_act_rc 1 "nightly drift with unreadable kubeconfigs"
  [[ $(issue_state) == "Drift: dev closed drift 2" ]] ||
    fail "nightly drift, unreadable kubeconfigs: issues are $(issue_state)"
fi

finish action
