#!/usr/bin/env python3
"""A fake Kubernetes API server for tests (standard library only; listens on 127.0.0.1 only).

It serves the recorded responses of a scenario directory (tests/drift/api/<scenario>/): the file for
GET /apis/apps/v1/deployments is <dir>/apis/apps/v1/deployments.json. Lists are stored whole; the server
paginates them itself when `limit` is given (metadata.continue and remainingItemCount, as the real server does),
filters them for /namespaces/<ns>/ paths, and answers an empty list for a resource that discovery names but that
has no file. Errors are metav1.Status JSON like the real server's. Every request is logged to --log as a
"METHOD PATH?QUERY" line; any method other than GET gets 405.
"""
import argparse
import base64
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def status(code, reason, message, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason}
    if details is not None:
        body["details"] = details
    body["code"] = code
    return code, body


class Scenario:
    def __init__(self, root):
        self.root = root
        # (groupVersion, resource) -> (kind, namespaced), from the discovery documents.
        self.resources = {}
        for dirpath, _, files in os.walk(root):
            for name in files:
                path = os.path.join(dirpath, name)
                with open(path) as f:
                    doc = json.load(f)
                if doc.get("kind") == "APIResourceList":
                    for r in doc.get("resources", []):
                        if "/" not in r["name"]:
                            self.resources[(doc["groupVersion"], r["name"])] = (r["kind"], r["namespaced"])

    def load(self, path):
        full = os.path.normpath(os.path.join(self.root, path.strip("/") + ".json"))
        if not full.startswith(os.path.abspath(self.root) + os.sep) or not os.path.isfile(full):
            return None
        with open(full) as f:
            return json.load(f)


def parse_resource_path(path):
    """'/apis/apps/v1/namespaces/shop/deployments' -> ('apps/v1', 'shop', 'deployments'), else None."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 3:
        gv, rest = parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        gv, rest = parts[1] + "/" + parts[2], parts[3:]
    else:
        return None
    if len(rest) == 1:
        return gv, None, rest[0]
    if len(rest) == 3 and rest[0] == "namespaces":
        return gv, rest[1], rest[2]
    return None


def encode_continue(rv, key):
    token = json.dumps({"v": "meta.k8s.io/v1", "rv": int(rv), "start": key + "\u0000"}, separators=(",", ":"))
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def decode_continue(token):
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return json.loads(raw)["start"].rstrip("\u0000")
    except Exception:
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-apiserver/1"

    def log_message(self, fmt, *args):  # quiet: the request log is the file below
        pass

    def log_request_line(self):
        with self.server.log_lock:
            with open(self.server.opts.log, "a") as f:
                f.write(f"{self.command} {self.path}\n")

    def send_json(self, code, body, retry_after=None):
        data = json.dumps(body, separators=(",", ":")).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if retry_after is not None:
                self.send_header("Retry-After", str(retry_after))
            self.send_header("Audit-Id", "00000000-0000-0000-0000-000000000000")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client gave up (a timeout test)

    def reject_method(self):
        self.log_request_line()
        self.send_json(*status(405, "MethodNotAllowed", f"the server does not allow this method on the requested "
                                                          f"resource ({self.command})"))

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = reject_method

    def authenticated(self):
        opts = self.server.opts
        if opts.auth == "token":
            return self.headers.get("Authorization") == "Bearer " + opts.token
        if opts.auth == "cert":
            return bool(self.connection.getpeercert())
        return True

    def do_GET(self):
        self.log_request_line()
        opts = self.server.opts
        if not self.authenticated():
            return self.send_json(*status(401, "Unauthorized", "Unauthorized"))
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        query = parse_qs(url.query)
        with self.server.count_lock:
            hits = self.server.hits.get(path, 0) + 1
            self.server.hits[path] = hits
        if opts.slow and path == opts.slow and hits <= opts.slow_count:
            time.sleep(opts.slow_seconds)
        if opts.throttle and path == opts.throttle and hits <= opts.throttle_count:
            return self.send_json(*status(429, "TooManyRequests", "Too many requests, please try again later.",
                                          {"retryAfterSeconds": 1}), retry_after=1)
        parsed = parse_resource_path(path)
        if parsed and parsed[2] in opts.forbid:
            gv, ns, res = parsed
            group = gv.split("/")[0] if "/" in gv else ""
            scope = f"in the namespace \"{ns}\"" if ns else "at the cluster scope"
            return self.send_json(*status(
                403, "Forbidden", f"{res}{'.' + group if group else ''} is forbidden: User \"{opts.user}\" cannot list "
                                  f"resource \"{res}\" in API group \"{group}\" {scope}",
                {"group": group, "kind": res} if group else {"kind": res}))
        doc = self.server.scenario.load(path) if not parsed or parsed[1] is None else None
        if parsed:
            return self.list(parsed, doc, query)
        if doc is None:
            if path.startswith("/apis/") and path.count("/") == 3:
                # A group version listed in /apis without a document: an aggregated API that is down.
                return self.send_json(*status(503, "ServiceUnavailable", "the server is currently unable to handle "
                                                                         "the request"))
            return self.send_json(*status(404, "NotFound", "the server could not find the requested resource"))
        return self.send_json(200, doc)

    def list(self, parsed, doc, query):
        gv, ns, res = parsed
        known = self.server.scenario.resources.get((gv, res))
        if known is None:
            return self.send_json(*status(404, "NotFound", "the server could not find the requested resource"))
        kind, namespaced = known
        if ns is not None:
            doc = self.server.scenario.load(path_of(gv, res))
            if not namespaced:
                return self.send_json(*status(404, "NotFound", "the server could not find the requested resource"))
        if doc is None:
            doc = {"kind": kind + "List", "apiVersion": gv, "metadata": {"resourceVersion": "48213"}, "items": []}
        items = sorted(doc["items"], key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        if ns is not None:
            items = [o for o in items if o["metadata"].get("namespace") == ns]
        key = lambda o: o["metadata"].get("namespace", "") + "/" + o["metadata"]["name"]
        start = 0
        token = query.get("continue", [""])[0]
        if token:
            with self.server.count_lock:
                self.server.continues[res] = self.server.continues.get(res, 0) + 1
                expire = res in self.server.opts.expire_continue and self.server.continues[res] == 1
            if expire:
                return self.send_json(*status(
                    410, "Expired", "The provided continue parameter is too old to display a consistent list result. "
                                    "You can start a new list without the continue parameter, or use the continue "
                                    "token in this response to retrieve the remainder of the results. Continuing "
                                    "with the provided token results in an inconsistent list - objects that were "
                                    "created, modified, or deleted between the time the first chunk was returned "
                                    "and now may show up in the list."))
            after = decode_continue(token)
            if after is None:
                return self.send_json(*status(400, "BadRequest", "continue key is not valid: illegal base64 data"))
            start = len([o for o in items if key(o) <= after])
        limit = int(query.get("limit", ["0"])[0] or 0)
        page = items[start:start + limit] if limit > 0 else items[start:]
        meta = {"resourceVersion": doc["metadata"].get("resourceVersion", "48213")}
        remaining = len(items) - start - len(page)
        if limit > 0 and remaining > 0:
            meta["continue"] = encode_continue(meta["resourceVersion"], key(page[-1]))
            meta["remainingItemCount"] = remaining
        out = {"kind": doc["kind"], "apiVersion": doc["apiVersion"], "metadata": meta, "items": page}
        return self.send_json(200, out)


def path_of(gv, res):
    return ("/api/" if "/" not in gv else "/apis/") + gv + "/" + res


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--dir", required=True, help="scenario directory of recorded responses")
    p.add_argument("--cert", required=True, help="server certificate (PEM)")
    p.add_argument("--key", required=True, help="server key (PEM)")
    p.add_argument("--ca", help="CA that signs accepted client certificates (--auth cert)")
    p.add_argument("--auth", choices=["token", "cert", "none"], default="token")
    p.add_argument("--token", default="", help="the bearer token accepted with --auth token")
    p.add_argument("--user", default="system:serviceaccount:gitops:drift-reader", help="user named in 403 messages")
    p.add_argument("--forbid", action="append", default=[], help="resource (plural) answered with 403")
    p.add_argument("--slow", default="", help="path answered slowly")
    p.add_argument("--slow-count", type=int, default=1, help="how many first hits of --slow are slow")
    p.add_argument("--slow-seconds", type=float, default=3.0)
    p.add_argument("--throttle", default="", help="path answered with 429 and Retry-After: 1")
    p.add_argument("--throttle-count", type=int, default=1, help="how many first hits of --throttle get a 429")
    p.add_argument("--expire-continue", action="append", default=[],
                   help="resource whose first continue token is answered with 410 Gone")
    p.add_argument("--log", required=True, help="request log file")
    p.add_argument("--port-file", required=True, help="file the chosen port is written to")
    opts = p.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.opts = opts
    server.scenario = Scenario(opts.dir)
    server.log_lock = threading.Lock()
    server.count_lock = threading.Lock()
    server.hits = {}
    server.continues = {}
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(opts.cert, opts.key)
    if opts.auth == "cert":
        ctx.load_verify_locations(opts.ca)
        ctx.verify_mode = ssl.CERT_OPTIONAL  # like kube-apiserver: a request without a certificate is a 401
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    open(opts.log, "a").close()
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, opts.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
