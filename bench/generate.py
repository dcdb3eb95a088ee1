#!/usr/bin/env python3
"""Generates a realistic, repeatable repository of Kubernetes manifests for benchmarks.

Usage: generate.py OUT_DIR --files N [--images K] [--seed S]

Writes OUT_DIR/manifests/** (N files, several kinds, comments, multi-document files, several
containers, some existing affinities) and OUT_DIR/kubearch.lock with the platforms of every image
that can be used (all --images of them, used or not), so that `kubearch check --offline` and
`fix --offline` can run without a registry.
"""
import argparse
import os
import random

PLATFORM_SETS = [
    ["linux/amd64", "linux/arm64/v8"],
    ["linux/amd64"],
    ["linux/arm64/v8"],
    ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"],
    ["linux/amd64", "linux/arm64/v8", "linux/ppc64le", "linux/s390x"],
]

KINDS = ["Deployment", "Deployment", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]


def image_names(count, rng):
    registries = ["docker.io/library", "quay.io/acme", "ghcr.io/example", "registry.k8s.io", "gcr.io/team"]
    names = []
    for i in range(count):
        names.append(f"{rng.choice(registries)}/service-{i:05d}:v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}")
    return names


def container(name, image, indent, rng):
    pad = " " * indent
    lines = [
        f"{pad}- name: {name}",
        f"{pad}  image: {image}",
        f"{pad}  imagePullPolicy: IfNotPresent",
        f"{pad}  ports:",
        f"{pad}  - containerPort: {rng.choice([80, 8080, 9090, 3000])}",
        f"{pad}    name: http",
        f"{pad}  resources:",
        f"{pad}    requests: {{cpu: {rng.randint(10, 500)}m, memory: {rng.choice([64, 128, 256])}Mi}}",
        f"{pad}    limits:",
        f"{pad}      memory: {rng.choice([256, 512, 1024])}Mi",
        f"{pad}  env:",
        f"{pad}  - name: LOG_LEVEL",
        f'{pad}    value: "{rng.choice(["debug", "info", "warn"])}"',
        f"{pad}  readinessProbe:",
        f"{pad}    httpGet: {{path: /healthz, port: http}}",
    ]
    return lines


def pod_spec(indent, rng, images):
    pad = " " * indent
    lines = []
    if rng.random() < 0.2:
        lines += [f"{pad}# init work before the main containers"]
        lines += [f"{pad}initContainers:"] + container("init", rng.choice(images), indent, rng)
    lines += [f"{pad}containers:"]
    for c in range(rng.randint(1, 3)):
        lines += container(f"c{c}", rng.choice(images), indent, rng)
    r = rng.random()
    if r < 0.15:
        lines += [
            f"{pad}affinity:",
            f"{pad}  nodeAffinity:",
            f"{pad}    requiredDuringSchedulingIgnoredDuringExecution:",
            f"{pad}      nodeSelectorTerms:",
            f"{pad}      - matchExpressions:",
            f"{pad}        - key: kubernetes.io/arch",
            f"{pad}          operator: In",
            f"{pad}          values: [{rng.choice(['amd64', 'arm64', 'amd64, arm64'])}]",
        ]
    elif r < 0.25:
        lines += [
            f"{pad}affinity:",
            f"{pad}  podAntiAffinity:",
            f"{pad}    preferredDuringSchedulingIgnoredDuringExecution:",
            f"{pad}    - weight: 50",
            f"{pad}      podAffinityTerm:",
            f"{pad}        topologyKey: kubernetes.io/hostname",
            f"{pad}        labelSelector: {{matchLabels: {{app: x}}}}",
        ]
    elif r < 0.3:
        lines += [f"{pad}nodeSelector:", f"{pad}  kubernetes.io/os: linux"]
    lines += [f"{pad}serviceAccountName: default", f"{pad}terminationGracePeriodSeconds: 30"]
    return lines


def workload(kind, name, rng, images):
    lines = [
        f"# {kind} {name}: generated for kubearch benchmarks",
        "apiVersion: " + {"Job": "batch/v1", "CronJob": "batch/v1", "Pod": "v1"}.get(kind, "apps/v1"),
        f"kind: {kind}",
        "metadata:",
        f"  name: {name}",
        f"  namespace: team-{rng.randint(1, 40)}",
        "  labels:",
        f"    app.kubernetes.io/name: {name}",
        "    app.kubernetes.io/part-of: bench",
        "  annotations:",
        f'    owner: "team-{rng.randint(1, 40)}@example.com"',
    ]
    if kind == "Pod":
        lines += ["spec:"] + pod_spec(2, rng, images)
        return lines
    if kind == "CronJob":
        lines += ['spec:', '  schedule: "*/5 * * * *"', "  jobTemplate:", "    spec:", "      template:", "        spec:"]
        lines += pod_spec(10, rng, images) + ["          restartPolicy: OnFailure"]
        return lines
    lines += ["spec:"]
    if kind in ("Deployment", "StatefulSet"):
        lines += [f"  replicas: {rng.randint(1, 5)}"]
    if kind != "Job":
        lines += ["  selector:", "    matchLabels:", f"      app.kubernetes.io/name: {name}"]
    lines += ["  template:", "    metadata:", "      labels:", f"        app.kubernetes.io/name: {name}", "    spec:"]
    lines += pod_spec(6, rng, images)
    if kind == "Job":
        lines += ["      restartPolicy: Never"]
    return lines


def companion(name, rng):
    return [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        f"  name: {name}",
        "spec:",
        f"  selector: {{app.kubernetes.io/name: {name}}}",
        "  ports:",
        f"  - port: 80\n    targetPort: http",
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    images = image_names(args.images, rng)
    root = os.path.join(args.out, "manifests")
    for i in range(args.files):
        folder = os.path.join(root, f"team-{i % 40:02d}", f"app-{i // 40:04d}")
        os.makedirs(folder, exist_ok=True)
        kind = rng.choice(KINDS)
        name = f"app-{i:05d}"
        docs = [workload(kind, name, rng, images)]
        if rng.random() < 0.5:
            docs.append(companion(name, rng))
        text = "\n---\n".join("\n".join(d) for d in docs) + "\n"
        with open(os.path.join(folder, f"{kind.lower()}.yaml"), "w") as f:
            f.write(text)
    with open(os.path.join(args.out, "kubearch.lock"), "w") as f:
        f.write("# generated for kubearch benchmarks\nversion: 1\nimages:\n")
        for image in sorted(images):
            platforms = PLATFORM_SETS[hash_index(image, len(PLATFORM_SETS))]
            f.write(f"  {image}:\n    digest: sha256:{digest_of(image)}\n    platforms: [{', '.join(sorted(platforms))}]\n")


def hash_index(text, n):
    h = 2166136261
    for b in text.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h % n


def digest_of(text):
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()


if __name__ == "__main__":
    main()
