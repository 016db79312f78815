"""References between steps and the evaluation of definition expressions (pure).

A definition value is a literal or an expression: ``{"Get": "Parameters.X"}``,
``{"Get": "Execution.PipelineExecutionId"}``, ``{"Get": "Steps.S.<property path>"}``,
``{"Std:Join": {"On": "/", "Values": [...]}}`` or ``{"Std:JsonGet": {...}}``.
``resolve_value`` evaluates one against what is known (parameter values, the
execution, step properties read from jobs); whatever only a run can know becomes
a ``{...}`` placeholder and the value is marked unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .definition import PipelineDefinition, Step
from .models import AnswerWarning, ConditionCheck, EdgeVia
from .models import Edge as EdgeJson

STEP_REF_RE = re.compile(r"^Steps\.(?P<step>[^.\[]+)(?P<path>.*)$")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    via: EdgeVia

    def to_dict(self) -> EdgeJson:
        return {"from": self.source, "to": self.target, "via": self.via}


def normalize_path(path: str) -> str:
    """``.Outputs["a"]`` and ``.Outputs['a']`` name the same property."""
    return re.sub(r'\["([^"\]]*)"\]', r"['\1']", path.lstrip("."))


def split_step_ref(ref: str) -> tuple[str, str] | None:
    """``"Steps.Train.ModelArtifacts.S3ModelArtifacts"`` -> ``("Train", "ModelArtifacts.S3ModelArtifacts")``."""
    match = STEP_REF_RE.match(ref)
    if not match:
        return None
    return match.group("step"), normalize_path(match.group("path"))


def iter_gets(value: Any, skip_keys: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every ``Get`` string inside ``value`` (any depth), skipping ``skip_keys`` of mappings."""
    if isinstance(value, Mapping):
        get = value.get("Get")
        if isinstance(get, str) and len(value) == 1:
            yield get
            return
        for key, item in value.items():
            if key not in skip_keys:
                yield from iter_gets(item, skip_keys)
    elif isinstance(value, list):
        for item in value:
            yield from iter_gets(item, skip_keys)


def _own_content(step: Step) -> Any:
    """The parts of a step that belong to it: a Condition's nested steps belong to them."""
    if step.type != "Condition":
        return step.raw
    raw = dict(step.raw)
    args = dict(raw.get("Arguments") or {})
    args.pop("IfSteps", None)
    args.pop("ElseSteps", None)
    raw["Arguments"] = args
    return raw


def referenced_steps(step: Step) -> list[str]:
    """Names of the steps whose properties or property files ``step`` reads, in first-seen order."""
    names: list[str] = []
    for get in iter_gets(_own_content(step), skip_keys=frozenset({"DependsOn"})):
        parts = split_step_ref(get)
        if parts and parts[0] != step.name and parts[0] not in names:
            names.append(parts[0])
    return names


def build_edges(definition: PipelineDefinition) -> tuple[list[Edge], list[AnswerWarning]]:
    """The answer's edges (docs/api.md): ``dependsOn``, ``ref:Get``, ``condition:if`` / ``condition:else``.

    Returns the edges (one per (from, to, via)) and warnings for references to
    steps the definition does not contain.
    """
    known = definition.step_names
    edges: list[Edge] = []
    seen: set[Edge] = set()
    warnings: list[AnswerWarning] = []

    def add(edge: Edge) -> None:
        if edge not in seen:
            seen.add(edge)
            edges.append(edge)

    def missing(step: Step, ref: str) -> None:
        warnings.append(
            {
                "code": "UnknownStepReference",
                "target": step.name,
                "message": f"step {step.name} refers to {ref}, which is not in the definition",
            }
        )

    for step in definition.steps:
        for dep in step.depends_on:
            if dep in known:
                add(Edge(dep, step.name, "dependsOn"))
            else:
                missing(step, dep)
        for ref in referenced_steps(step):
            if ref in known:
                add(Edge(ref, step.name, "ref:Get"))
            else:
                missing(step, ref)
        if step.name in definition.branches:
            if_names, else_names = definition.branches[step.name]
            for name in if_names:
                add(Edge(step.name, name, "condition:if"))
            for name in else_names:
                add(Edge(step.name, name, "condition:else"))
    return edges, warnings


@dataclass
class Resolved:
    """An evaluated expression: its value and whether everything in it was known."""

    value: Any
    resolved: bool = True

    @property
    def text(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return "" if self.value is None else str(self.value)


PropertyLookup = Callable[[str, str], Any]
ReportLookup = Callable[[str, str, str], Any]


@dataclass
class ResolutionContext:
    """What is known when resolving: parameter values, execution variables, step properties.

    ``properties(step, path)`` returns a known property value or ``None``;
    ``reports(step, property_file, json_path)`` does the same for property files.
    """

    parameters: Mapping[str, Any] = field(default_factory=dict)
    execution: Mapping[str, Any] = field(default_factory=dict)
    properties: PropertyLookup | None = None
    reports: ReportLookup | None = None

    @classmethod
    def from_definition(cls, definition: PipelineDefinition, **kwargs: Any) -> ResolutionContext:
        """Parameter defaults overlaid with ``parameters`` (e.g. an execution's values)."""
        values = {p.name: p.default for p in definition.parameters.values()}
        for name, value in (kwargs.pop("parameters", None) or {}).items():
            declared = definition.parameters.get(name)
            values[name] = typed_parameter(value, declared.type if declared else "String")
        return cls(parameters=values, **kwargs)


def typed_parameter(value: Any, kind: str) -> Any:
    """An execution's parameter value (always a string from AWS) as its declared type."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "Float":
            return float(value)
        if kind == "Integer":
            return int(value)
    except ValueError:
        return value
    if kind == "Boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _resolve_get(ref: str, ctx: ResolutionContext) -> Resolved:
    if ref.startswith("Parameters."):
        name = ref[len("Parameters.") :]
        if ctx.parameters.get(name) is not None:
            return Resolved(ctx.parameters[name])
        return Resolved("{" + ref + "}", False)
    if ref.startswith("Execution."):
        name = ref[len("Execution.") :]
        if ctx.execution.get(name) is not None:
            return Resolved(ctx.execution[name])
        return Resolved("{" + ref + "}", False)
    parts = split_step_ref(ref)
    if parts and ctx.properties is not None:
        value = ctx.properties(*parts)
        if isinstance(value, Resolved):
            return value
        if value is not None:
            return Resolved(value)
    return Resolved("{" + ref + "}", False)


def _resolve_json_get(spec: Mapping[str, Any], ctx: ResolutionContext) -> Resolved:
    path = str(spec.get("Path", ""))
    source = spec.get("PropertyFile")
    ref = source.get("Get") if isinstance(source, Mapping) else None
    if isinstance(ref, str):
        parts = split_step_ref(ref)
        if parts and parts[1].startswith("PropertyFiles."):
            step, file_name = parts[0], parts[1][len("PropertyFiles.") :]
            if ctx.reports is not None:
                value = ctx.reports(step, file_name, path)
                if value is not None:
                    return Resolved(value)
            return Resolved("{" + f"{ref}:{path}" + "}", False)
    if "S3Uri" in spec:
        uri = resolve_value(spec["S3Uri"], ctx)
        return Resolved("{" + f"JsonGet {uri.text}:{path}" + "}", False)
    return Resolved("{JsonGet:" + path + "}", False)


def resolve_value(value: Any, ctx: ResolutionContext) -> Resolved:
    """Evaluate a definition value against ``ctx`` (see module docstring)."""
    if isinstance(value, Mapping):
        if len(value) == 1 and isinstance(value.get("Get"), str):
            return _resolve_get(value["Get"], ctx)
        if "Std:Join" in value and isinstance(value["Std:Join"], Mapping):
            spec = value["Std:Join"]
            parts = [resolve_value(v, ctx) for v in spec.get("Values") or ()]
            return Resolved(
                str(spec.get("On", "")).join(p.text for p in parts), all(p.resolved for p in parts)
            )
        if "Std:JsonGet" in value and isinstance(value["Std:JsonGet"], Mapping):
            return _resolve_json_get(value["Std:JsonGet"], ctx)
        return Resolved(value, not any(True for _ in iter_gets(value)))
    return Resolved(value)


def json_path(document: Any, path: str) -> Any:
    """``Std:JsonGet``'s path (``a.b[0].c``) into a JSON document; ``None`` when absent."""
    value = document
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return None
            value = value[index]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def describe_conditions(conditions: Any, ctx: ResolutionContext) -> list[ConditionCheck]:
    """A Condition step's comparisons with the values they compared (placeholders where
    a value is unknown), e.g. ``{"type": "LessThanOrEqualTo", "left": 4.316, "right": 6.0}``."""
    described: list[ConditionCheck] = []
    for condition in conditions if isinstance(conditions, list) else []:
        if not isinstance(condition, Mapping):
            continue
        item: ConditionCheck = {"type": str(condition.get("Type", "Unknown"))}
        if "LeftValue" in condition:
            item["left"] = _shown(resolve_value(condition["LeftValue"], ctx))
        if "RightValue" in condition:
            item["right"] = _shown(resolve_value(condition["RightValue"], ctx))
        described.append(item)
    return described


def _shown(value: Resolved) -> Any:
    """A compared value as shown: the value, or its ``{...}`` placeholder when unknown."""
    return value.value if value.resolved else value.text
