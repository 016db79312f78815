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
from collections.abc import Callable, Iterable, Mapping, Sequence

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
    """
    flags = flagged_artifacts(graph) if flagged is None else dict(flagged)
    if not flags:
        return []
    nodes = {n["id"]: n for n in graph["nodes"]}
    models = [n for n in graph["nodes"] if is_model_step(n)]
    if not models:
        return []
    artifacts = {a["id"]: a for a in graph["artifacts"]}
    writes: dict[str, list[int]] = {}
    for artifact in graph["artifacts"]:
        for producer in artifact["producers"]:
            writes.setdefault(producer, []).append(artifact["id"])
    after: dict[str, list[str]] = {}
    for edge in graph["edges"]:
        after.setdefault(edge["from"], []).append(edge["to"])

    def successors(vertex: _Vertex) -> Iterable[_Vertex]:
        key = vertex[1]
        if isinstance(key, int):
            return [("step", c) for c in artifacts[key]["consumers"] if c in nodes]
        return [("artifact", a) for a in writes.get(key, [])] + [
            ("step", s) for s in after.get(key, []) if s in nodes
        ]

    risks: list[Risk] = []
    for artifact_id in sorted(flags):
        if artifact_id not in artifacts or not flags[artifact_id]:
            continue
        parents = _breadth_first(("artifact", artifact_id), successors)
        for model in models:
            target: _Vertex = ("step", model["id"])
            if target not in parents:
                continue
            path = _path_to(target, parents)
            risks.append(_risk(artifacts[artifact_id], list(flags[artifact_id]), model, path))
    return risks


def _breadth_first(
    start: _Vertex, successors: Callable[[_Vertex], Iterable[_Vertex]]
) -> dict[_Vertex, _Vertex | None]:
    parents: dict[_Vertex, _Vertex | None] = {start: None}
    queue = deque([start])
    while queue:
        vertex = queue.popleft()
        for nxt in successors(vertex):
            if nxt not in parents:
                parents[nxt] = vertex
                queue.append(nxt)
    return parents


def _path_to(target: _Vertex, parents: Mapping[_Vertex, _Vertex | None]) -> list[_Vertex]:
    path = [target]
    while (parent := parents[path[-1]]) is not None:
        path.append(parent)
    return path[::-1]


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
