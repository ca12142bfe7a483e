#!/usr/bin/env python3
"""Generates a synthetic GitOps repository of about N Kubernetes objects for tests/bench/bench.sh.

The shape follows the example repository (fixtures/example): a 14-node inventory (`kubectl get nodes -o
yaml`), datastores in `data`, and many team namespaces, each app being a ConfigMap, a Deployment (env
pointing at the datastores by DNS, resources, nodeSelector), a Service, and per namespace NetworkPolicies.
About 20 objects per file, files spread over team/namespace directories. A small share of apps carry the
mistakes the rules look for, so the report is not empty. Output is deterministic for a given N and seed.

usage: gen_repo.py OUT_DIR N [--seed S]
"""
import argparse
import os
import random

OBJECTS_PER_FILE = 20
APPS_PER_NAMESPACE = 12
NAMESPACES_PER_TEAM = 8
API_DOMAINS = ["auth", "my", "scan", "character", "location", "info", "chat"]
# name, instance type, role, workload label, domain, taint, allocatable memory (Ki)
NODES = [
    ("k8s-master", "t3.large", "control-plane", None, None, ("node-role.kubernetes.io/control-plane", None), 7943620),
    *[(f"k8s-api-{d}", "t3.small" if d in ("scan", "chat") else "t3.micro", "api", "api", d, None,
       1896712 if d in ("scan", "chat") else 878032) for d in API_DOMAINS],
    ("k8s-worker-storage", "t3.small", "worker", "worker-storage", None, None, 1896712),
    ("k8s-worker-ai", "t3.small", "worker", "worker-ai", None, None, 1896712),
    ("k8s-postgresql", "t3.medium", "database", "database", None, ("dedicated", "database"), 3862016),
    ("k8s-redis", "t3.small", "cache", "cache", None, ("dedicated", "cache"), 1896712),
    ("k8s-rabbitmq", "t3.small", "message-queue", "message-queue", None, ("dedicated", "message-queue"), 1896712),
    ("k8s-monitoring", "t3.medium", "monitoring", "monitoring", None, ("dedicated", "monitoring"), 3862016),
]


def nodes_yaml():
    out = ["apiVersion: v1", "items:"]
    for i, (name, itype, role, workload, domain, taint, alloc) in enumerate(NODES):
        labels = {
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": itype,
            "sesacthon.io/node-role": role,
            "topology.kubernetes.io/zone": "ap-northeast-2" + "ac"[i % 2],
        }
        if workload:
            labels["workload"] = workload
        if domain:
            labels["domain"] = domain
        out += ["- apiVersion: v1", "  kind: Node", "  metadata:", "    labels:"]
        out += [f"      {k}: {v}" for k, v in sorted(labels.items())]
        out += [f"    name: {name}", "  spec:", f"    podCIDR: 192.168.{i}.0/24",
                f"    providerID: aws:///ap-northeast-2a/i-0{i:016x}"]
        if taint:
            out += ["    taints:", "    - effect: NoSchedule", f"      key: {taint[0]}"]
            if taint[1]:
                out.append(f"      value: {taint[1]}")
        out += ["  status:", "    allocatable:", '      cpu: "2"', f"      memory: {alloc}Ki", '      pods: "110"',
                "    capacity:", '      cpu: "2"', f"      memory: {alloc + 102400}Ki", '      pods: "110"',
                "    nodeInfo:", "      kubeletVersion: v1.28.15", "      osImage: Ubuntu 22.04.5 LTS"]
    out += ["kind: List", "metadata:", '  resourceVersion: ""']
    return "\n".join(out) + "\n"


def datastores_yaml():
    docs = []
    for name, port, image, workload in (("postgres", 5432, "postgres:16.4-alpine", "database"),
                                        ("redis", 6379, "redis:7.4-alpine", "cache")):
        docs.append(f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: data
  annotations:
    argocd.argoproj.io/sync-wave: "0"
spec:
  selector:
    app: {name}
  ports:
    - name: {name}
      port: {port}
      targetPort: {port}""")
        docs.append(f"""apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}
  namespace: data
  annotations:
    argocd.argoproj.io/sync-wave: "0"
spec:
  serviceName: {name}
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      nodeSelector:
        workload: {workload}
      tolerations:
        - key: dedicated
          operator: Equal
          value: {workload}
          effect: NoSchedule
      containers:
        - name: {name}
          image: {image}
          ports:
            - containerPort: {port}
          resources:
            requests:
              cpu: 250m
              memory: 512Mi""")
    return "\n---\n".join(docs) + "\n"


def namespace_doc(ns):
    return f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    team: {ns.split('-')[0]}
  annotations:
    argocd.argoproj.io/sync-wave: "-2\""""


def netpol_docs(ns, rnd):
    docs = [f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
spec:
  podSelector: {{}}
  policyTypes:
    - Egress"""]
    if rnd.random() > 0.05:
        docs.append(f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
spec:
  podSelector: {{}}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53""")
    for name, port in (("postgres", 5432), ("redis", 6379)):
        if name == "redis" and rnd.random() < 0.05:
            continue
        docs.append(f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-{name}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
spec:
  podSelector: {{}}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: data
          podSelector:
            matchLabels:
              app: {name}
      ports:
        - protocol: TCP
          port: {port}""")
    return docs


def app_docs(ns, app, rnd):
    domain = rnd.choice(API_DOMAINS)
    replicas = rnd.choice([1, 1, 1, 2, 2, 3])
    memory = rnd.choice(["64Mi", "96Mi", "128Mi", "192Mi", "256Mi"])
    cpu = rnd.choice(["25m", "50m", "100m", "200m"])
    pinned = rnd.random() > 0.02
    selector = f"""
      nodeSelector:
        workload: api
        domain: {domain}""" if pinned else ""
    password = "s3cret-" + str(rnd.randrange(10**6)) if rnd.random() < 0.01 else "$(DB_PASSWORD)"
    configmap = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
data:
  LOG_LEVEL: info
  DATABASE_URL: postgresql://{app}:{password}@postgres.data.svc.cluster.local:5432/{app.replace('-', '_')}
  REDIS_URL: redis://redis.data:6379/{rnd.randrange(16)}
  FEATURE_FLAGS: "search,recommendations"
  REQUEST_TIMEOUT_SECONDS: "{rnd.choice([5, 10, 30])}\""""
    deployment = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {ns}
  labels:
    app: {app}
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
        tier: backend
    spec:{selector}
      containers:
        - name: {app}
          image: ghcr.io/example/{app}:1.{rnd.randrange(40)}.{rnd.randrange(10)}
          ports:
            - name: http
              containerPort: 8000
          envFrom:
            - configMapRef:
                name: {app}-config
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {app}-db
                  key: password
            - name: POSTGRES_HOST
              value: postgres.data.svc.cluster.local
            - name: POSTGRES_PORT
              value: "5432"
          readinessProbe:
            httpGet:
              path: /health
              port: http
          resources:
            requests:
              cpu: {cpu}
              memory: {memory}
            limits:
              memory: 512Mi"""
    service = f"""apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  selector:
    app: {app}
  ports:
    - name: http
      port: 80
      targetPort: http"""
    return [configmap, deployment, service]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("objects", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)

    files = {"nodes/nodes.yaml": nodes_yaml(), "data/datastores.yaml": datastores_yaml()}
    count = len(NODES) + 4
    team = ns_index = 0
    while count < args.objects:
        ns = f"team{team:03d}-ns{ns_index:02d}"
        docs = [namespace_doc(ns)] + netpol_docs(ns, rnd)
        for a in range(APPS_PER_NAMESPACE):
            docs += app_docs(ns, f"svc-{team:03d}-{ns_index:02d}-{a:02d}", rnd)
        docs = docs[: max(1, args.objects - count)]
        count += len(docs)
        for part, start in enumerate(range(0, len(docs), OBJECTS_PER_FILE)):
            chunk = docs[start:start + OBJECTS_PER_FILE]
            files[f"teams/team{team:03d}/{ns}/manifests-{part:02d}.yaml"] = "\n---\n".join(chunk) + "\n"
        ns_index += 1
        if ns_index == NAMESPACES_PER_TEAM:
            team, ns_index = team + 1, 0

    for path, text in files.items():
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"objects={count} files={len(files)}")


if __name__ == "__main__":
    main()
