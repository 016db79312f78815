"""Risk paths: which flagged S3 data reaches a registered model (pure: no I/O).

A *flagged* artifact is one whose bucket posture has findings (``s3.findings``:
no default encryption, public access not fully blocked, versioning off, or a
posture that could not be read), or, for the posture gate, one that breaks the
policy (``core/policy.py``). A *model step* is a step that registers a model
package: a ``RegisterModel`` step, or any step whose run names one
(``run.registry``, from DescribeModelPackage). A risk path is the shortest way
from a flagged artifact to a model step through the graph: an artifact leads to
the steps that read it, a step to the artifacts it writes and to the steps after
it (``graph.edges``: DependsOn, Get references, Condition branches).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from .models import Artifact, Finding, Graph, Node, Registry, Risk

#: How each finding reads in a sentence ("unencrypted, unversioned input ...").
FINDING_WORDS: dict[str, str] = {
    "NotEncrypted": "unencrypted",
    "PublicAccessNotBlocked": "publicly accessible",
    "PublicAccessPartiallyBlocked": "partially public-access-blocked",
    "VersioningOff": "unversioned",
    "PostureUnknown": "unverified (posture unknown)",
}

#: ("artifact", id) or ("step", name).
_Vertex = tuple[str, int | str]


def is_model_step(node: Mapping[str, object]) -> bool:
    """Whether ``node`` registers a model package (its type, or its run's registry)."""
    run = node.get("run")
    return node.get("type") == "RegisterModel" or bool(
        isinstance(run, Mapping) and run.get("registry")
    )


def flagged_artifacts(graph: Graph) -> dict[int, list[Finding]]:
    """Artifact id -> its bucket's findings, for the artifacts that have any."""
    return {
        a["id"]: list(a["s3"]["findings"])
        for a in graph["artifacts"]
        if a["s3"] is not None and a["s3"]["findings"]
    }


def risk_paths(graph: Graph, flagged: Mapping[int, Sequence[Finding]] | None = None) -> list[Risk]:
    """Every (flagged artifact, model step) pair the graph connects, with its shortest path.

    ``flagged`` maps an artifact id to the findings that flag it (default: each
    artifact's own ``s3.findings``). Sorted by artifact id, then model step order.

    One breadth-first walk per model step, backwards from it (model steps are few; flagged
    artifacts can be every artifact): the work is linear in the graph's size, plus the
    paths written. Each path takes, at every vertex, the first way forward (data it writes,
    then the steps after it) that is one step nearer the model.
    """
    flags = flagged_artifacts(graph) if flagged is None else dict(flagged)
    if not flags:
        return []
    nodes = {n["id"]: n for n in graph["nodes"]}
    models = [n for n in graph["nodes"] if is_model_step(n)]
    if not models:
        return []
    artifacts = {a["id"]: a for a in graph["artifacts"]}
    forward = _forward(graph, nodes)
    backward: dict[_Vertex, list[_Vertex]] = {}
    for vertex, nexts in forward.items():
        for nxt in nexts:
            backward.setdefault(nxt, []).append(vertex)
    starts = [a for a in sorted(flags) if a in artifacts and flags[a]]
    found: dict[tuple[int, int], Risk] = {}
    for index, model in enumerate(models):
        target: _Vertex = ("step", model["id"])
        distance = _distances(target, backward)
        hops: dict[_Vertex, _Vertex] = {}
        for artifact_id in starts:
            start: _Vertex = ("artifact", artifact_id)
            if start in distance:
                path = _walk(start, target, forward, distance, hops)
                found[(artifact_id, index)] = _risk(
                    artifacts[artifact_id], list(flags[artifact_id]), model, path
                )
    return [found[key] for key in sorted(found)]


def _forward(graph: Graph, nodes: Mapping[str, Node]) -> dict[_Vertex, list[_Vertex]]:
    """Each vertex's ways forward: an artifact to the steps that read it; a step to the
    artifacts it writes, then to the steps after it (``graph.edges``)."""
    forward: dict[_Vertex, list[_Vertex]] = {("step", name): [] for name in nodes}
    for artifact in graph["artifacts"]:
        forward[("artifact", artifact["id"])] = [
            ("step", c) for c in artifact["consumers"] if c in nodes
        ]
        for producer in artifact["producers"]:
            if producer in nodes:
                forward[("step", producer)].append(("artifact", artifact["id"]))
    for edge in graph["edges"]:
        if edge["from"] in nodes and edge["to"] in nodes:
            forward[("step", edge["from"])].append(("step", edge["to"]))
    return forward


def _distances(
    target: _Vertex, backward: Mapping[_Vertex, Iterable[_Vertex]]
) -> dict[_Vertex, int]:
    """How many moves forward each vertex is from ``target`` (only those that reach it)."""
    distance = {target: 0}
    queue = deque([target])
    while queue:
        vertex = queue.popleft()
        for previous in backward.get(vertex, ()):
            if previous not in distance:
                distance[previous] = distance[vertex] + 1
                queue.append(previous)
    return distance


def _walk(
    start: _Vertex,
    target: _Vertex,
    forward: Mapping[_Vertex, Sequence[_Vertex]],
    distance: Mapping[_Vertex, int],
    hops: dict[_Vertex, _Vertex],
) -> list[_Vertex]:
    """A shortest path from ``start`` to ``target``; ``hops`` keeps each vertex's chosen
    next move (shared by the paths to one target, so each vertex is looked at once)."""
    path = [start]
    while path[-1] != target:
        vertex = path[-1]
        if vertex not in hops:
            nearer = distance[vertex] - 1
            hops[vertex] = next(v for v in forward[vertex] if distance.get(v) == nearer)
        path.append(hops[vertex])
    return path


def _registry(model: Node) -> Registry | None:
    run = model.get("run")
    return run["registry"] if run else None


def _risk(artifact: Artifact, findings: list[Finding], model: Node, path: list[_Vertex]) -> Risk:
    registry = _registry(model)
    steps = [key for _, key in path if isinstance(key, str)]
    on_path = [key for _, key in path if isinstance(key, int)]
    return {
        "artifactId": artifact["id"],
        "uri": artifact["uri"],
        "findings": findings,
        "modelStep": model["id"],
        "modelPackageArn": registry["modelPackageArn"] if registry else None,
        "approvalStatus": registry["approvalStatus"] if registry else None,
        "steps": steps,
        "artifacts": on_path,
        "message": risk_message(artifact, findings, model, steps),
    }


def risk_message(
    artifact: Artifact, findings: Sequence[str], model: Node, steps: Sequence[str]
) -> str:
    """One sentence: what is wrong with which data, which model it reaches, and how.

    ``unencrypted input upstream of the approved model package churn-models v3:
    s3://b/k → Preprocess → Train → RegisterChurn``.
    """
    words = ", ".join(FINDING_WORDS.get(f, f) for f in findings)
    role = f"output of {artifact['producers'][0]}" if artifact["producers"] else "input"
    registry = _registry(model)
    if registry:
        approval = registry.get("approvalStatus")
        kind = "the approved model package" if approval == "Approved" else "model package"
        version = f" v{registry['version']}" if registry.get("version") is not None else ""
        name = f"{kind} {registry.get('modelPackageGroup') or registry['modelPackageArn']}{version}"
        if approval and approval != "Approved":
            name += f" ({approval})"
    else:
        name = f"the model registration step {model['id']}"
    return f"{words} {role} upstream of {name}: {' → '.join([artifact['uri'], *steps])}"
