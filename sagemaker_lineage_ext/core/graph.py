"""Assemble the answer's ``graph`` from parsed parts (pure: no I/O, no clock).

Takes the parsed definition, each step's inputs/outputs, each step's run and each
bucket's posture, and returns plain JSON-ready dicts with camelCase keys
(docs/api.md, "GET /lineage").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from .definition import PipelineDefinition, Step
from .locations import StepIO, definition_io, merge_io, property_file_outputs
from .models import AnswerWarning, Artifact, Graph, Node, Posture, Run
from .models import Edge as EdgeJson
from .references import Edge, ResolutionContext, Resolved, build_edges
from .risks import risk_paths
from .views import build_run


def split_s3_uri(uri: str) -> tuple[str | None, str | None]:
    """``s3://bucket/key`` -> (bucket, key); a bucket that is still a placeholder gives (None, None)."""
    if not uri.startswith("s3://"):
        return None, None
    bucket, _, key = uri[5:].partition("/")
    if not bucket or "{" in bucket:
        return None, None
    return bucket, key


class ArtifactTable:
    """One artifact per distinct URI, ids in order of first appearance (1, 2, ...).

    One answer per location: an artifact is ``resolved`` only when every location that
    names its URI is, and those locations then say the same (:meth:`settle`).
    """

    def __init__(self) -> None:
        self._by_uri: dict[str, Artifact] = {}
        self._steps: dict[str, tuple[set[str], set[str]]] = {}

    def link(self, uri: str, step: str, direction: str, resolved: bool = True) -> int:
        artifact = self._by_uri.get(uri)
        if artifact is None:
            bucket, key = split_s3_uri(uri)
            artifact = {
                "id": len(self._by_uri) + 1, "uri": uri, "bucket": bucket, "key": key,
                "resolved": resolved, "producers": [], "consumers": [], "s3": None,
            }  # fmt: skip
            self._by_uri[uri] = artifact
            self._steps[uri] = (set(), set())
        artifact["resolved"] = artifact["resolved"] and resolved
        producers, consumers = self._steps[uri]
        seen, names = (
            (producers, artifact["producers"])
            if direction == "out"
            else (consumers, artifact["consumers"])
        )
        if step not in seen:
            seen.add(step)
            names.append(step)
        return artifact["id"]

    def resolved(self, uri: str) -> bool:
        return self._by_uri[uri]["resolved"]

    def settle(self, nodes: list[Node]) -> None:
        """Give every location the ``resolved`` of its artifact."""
        for node in nodes:
            for location in node["inputs"] + node["outputs"]:
                location["resolved"] = self._by_uri[location["uri"]]["resolved"]

    def to_list(self, posture: Mapping[str, Posture]) -> list[Artifact]:
        """The artifacts, each with its bucket's posture (``None`` without a bucket)."""
        return [
            {**a, "producers": list(a["producers"]), "consumers": list(a["consumers"]),
             "s3": posture.get(a["bucket"]) if a["bucket"] else None}
            for a in self._by_uri.values()
        ]  # fmt: skip


def build_nodes(
    definition: PipelineDefinition,
    io: Mapping[str, StepIO],
    runs: Mapping[str, Run] | None,
    table: ArtifactTable,
    extra_steps: Iterable[tuple[str, str]] = (),
) -> list[Node]:
    """Nodes in definition order (then steps that ran but are not in the definition)."""
    nodes = []
    steps = [(s.name, s.type, s) for s in definition.steps] + [(n, t, None) for n, t in extra_steps]
    for name, step_type, step in steps:
        step_io = io.get(name) or StepIO()
        node: Node = {
            "id": name,
            "type": step_type,
            "displayName": (step.display_name if step else None) or name,
            "description": step.description if step else None,
            "parent": {"step": step.parent[0], "branch": step.parent[1]} if step and step.parent else None,
            "inputs": [
                {"name": loc.name, "uri": loc.uri, "artifactId": table.link(loc.uri, name, "in", loc.resolved),
                 "resolved": loc.resolved, "role": loc.role}
                for loc in step_io.inputs
            ],
            "outputs": [
                {"name": loc.name, "uri": loc.uri, "artifactId": table.link(loc.uri, name, "out", loc.resolved),
                 "resolved": loc.resolved, "role": loc.role}
                for loc in step_io.outputs
            ],
        }  # fmt: skip
        if runs is not None:
            node["run"] = runs.get(name) or build_run(None)
        nodes.append(node)
    table.settle(nodes)
    return nodes


def edges_to_list(edges: Iterable[Edge]) -> list[EdgeJson]:
    return [edge.to_dict() for edge in edges]


def io_buckets(io: StepIO) -> set[str]:
    """Buckets a step's resolved locations name."""
    return {b for b in (split_s3_uri(loc.uri)[0] for loc in io.inputs + io.outputs) if b}


Stop = Callable[[], bool]
#: Steps read between two questions to ``stop``: the work of an ordinary pipeline (a few
#: hundred steps, tens of milliseconds) is never cut short, however late it starts; a
#: definition of thousands of steps, or a step naming thousands of URIs, is.
STEP_CHECK_EVERY = 256


class _Budget:
    """Asks ``stop`` once every STEP_CHECK_EVERY steps; once it said stop, it stays so."""

    def __init__(self, stop: Stop | None) -> None:
        self.stop, self.steps, self.stopped = stop, 0, False

    def spent(self) -> bool:
        self.steps += 1
        if self.stop is not None and not self.stopped and self.steps % STEP_CHECK_EVERY == 0:
            self.stopped = self.stop()
        return self.stopped


#: Warning codes of a definition SageMaker would reject (``graph`` then exits 2).
REJECTED_BY_SAGEMAKER = frozenset({"DependencyCycle", "UnknownStepReference"})


def definition_buckets(
    definition: PipelineDefinition, ctx: ResolutionContext, stop: Stop | None = None
) -> set[str]:
    """Buckets the definition names once resolved against ``ctx`` (as far as ``stop``
    lets it read: it is asked every STEP_CHECK_EVERY steps and during long scans)."""
    buckets: set[str] = set()
    budget = _Budget(stop)
    for step in definition.steps:
        if budget.spent():
            break
        buckets |= io_buckets(definition_io(step, ctx, stop))
    return buckets


def resolve_io(
    definition: PipelineDefinition,
    ctx: ResolutionContext,
    actual: Mapping[str, StepIO],
    stop: Stop | None = None,
) -> dict[str, StepIO]:
    """Each step's inputs and outputs: what its job actually used where one ran, plus
    the definition resolved against everything known (parameters, the execution, and
    the properties of the other steps, read from their jobs where they ran).

    ``stop()`` (a deadline) is asked every STEP_CHECK_EVERY steps and during long scans
    (a step naming thousands of URIs): once it says so, the remaining steps keep only
    what their jobs reported, marked ``cut``.
    """
    budget = _Budget(stop)

    def declared(step: Step, context: ResolutionContext) -> StepIO:
        if budget.spent():
            return StepIO(cut=True)
        return definition_io(step, context, stop)

    properties: dict[tuple[str, str], Resolved] = {}
    first_pass = {step.name: declared(step, ctx) for step in definition.steps}
    for source in (first_pass, actual):
        for step_name, step_io in source.items():
            for path, value in step_io.properties.items():
                properties[(step_name, path)] = value
    # Property files (evaluation reports) are properties too: a Condition reads them.
    for step in definition.steps:
        base = first_pass[step.name]
        if step.name in actual:
            base = merge_io(actual[step.name], base)
        for pf, location in property_file_outputs(step, base):
            properties[(step.name, f"PropertyFiles.{pf.name}")] = Resolved(
                location.uri, location.resolved
            )
    ctx = replace(ctx, properties=lambda step, path: properties.get((step, path)))
    io: dict[str, StepIO] = {}
    for step in definition.steps:
        planned = declared(step, ctx)
        if planned.cut and not first_pass[step.name].cut:
            planned = first_pass[step.name]  # read once already, with less known: better
        ran = actual.get(step.name)
        merged = merge_io(ran, planned) if ran else planned
        merged.outputs.extend(loc for _, loc in property_file_outputs(step, merged))
        io[step.name] = merged
    return io


def assemble_graph(
    definition: PipelineDefinition,
    io: Mapping[str, StepIO],
    runs: Mapping[str, Run] | None,
    posture: Mapping[str, Posture],
    extra_steps: Iterable[tuple[str, str]] = (),
) -> tuple[Graph, list[AnswerWarning]]:
    """The answer's ``graph`` and the warnings the definition itself raises."""
    table = ArtifactTable()
    nodes = build_nodes(definition, io, runs, table, extra_steps)
    edges, warnings = build_edges(definition)
    warnings = list(definition.warnings) + warnings + definition_warnings(definition, edges)
    cut = [name for name, step_io in io.items() if step_io.cut]
    if cut:
        warnings.append(
            {
                "code": "Timeout",
                "target": cut[0],
                "message": f"the deadline passed while reading the S3 locations of {len(cut)} "
                f"step(s) ({', '.join(cut[:5])}{', ...' if len(cut) > 5 else ''}): their "
                "inputs and outputs are incomplete",
            }
        )
    graph: Graph = {
        "nodes": nodes,
        "edges": edges_to_list(edges),
        "artifacts": table.to_list(posture),
        "risks": [],
    }
    graph["risks"] = risk_paths(graph)
    return graph, warnings


def definition_warnings(definition: PipelineDefinition, edges: list[Edge]) -> list[AnswerWarning]:
    """What a reader of the graph should know about the definition itself."""
    warnings: list[AnswerWarning] = [
        {
            "code": "UnknownStepType",
            "target": step.name,
            "message": f"step {step.name} has type {step.type!r}, unknown to this version: "
            "its S3 locations were found by scanning its arguments",
        }
        for step in definition.steps
        if not step.known_type
    ]
    incoming = {step.name: 0 for step in definition.steps}
    outgoing: dict[str, list[str]] = {}
    for edge in edges:
        incoming[edge.target] += 1
        outgoing.setdefault(edge.source, []).append(edge.target)
    ready = [name for name, count in incoming.items() if count == 0]
    while ready:
        for target in outgoing.get(ready.pop(), []):
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    cycle = sorted(name for name, count in incoming.items() if count > 0)
    if cycle:
        warnings.append(
            {
                "code": "DependencyCycle",
                "target": cycle[0],
                "message": "these steps depend on each other in a cycle (SageMaker would reject "
                f"the definition): {', '.join(cycle)}",
            }
        )
    return warnings
