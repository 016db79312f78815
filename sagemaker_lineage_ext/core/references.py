"""References between steps and the evaluation of definition expressions (pure).

A definition value is a literal or an expression: ``{"Get": "Parameters.X"}``,
``{"Get": "Execution.PipelineExecutionId"}``, ``{"Get": "Steps.S.<property path>"}``,
``{"Std:Join": {"On": "/", "Values": [...]}}`` or ``{"Std:JsonGet": {...}}``.
``resolve_value`` evaluates one against what is known (parameter values, the
execution, step properties read from jobs); whatever only a run can know becomes
a ``{...}`` placeholder and the value is marked unresolved.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .definition import NESTED_STEPS, PipelineDefinition, Step
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
    """Every ``Get`` string inside ``value`` (any depth, in document order, without
    recursion), skipping ``skip_keys`` of mappings."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            get = item.get("Get")
            if isinstance(get, str) and len(item) == 1:
                yield get
                continue
            stack.extend(reversed([v for k, v in item.items() if k not in skip_keys]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def own_content(step: Step) -> Any:
    """The parts of a step that belong to it: the steps nested in a Condition's
    branches or a ForEach's body belong to themselves."""
    keys = [key for key, _ in NESTED_STEPS.get(step.type, ())]
    if not keys:
        return step.raw
    raw = dict(step.raw)
    args = dict(raw.get("Arguments") or {})
    for key in keys:
        args.pop(key, None)
    raw["Arguments"] = args
    return raw


def referenced_steps(step: Step) -> list[str]:
    """Names of the steps whose properties or property files ``step`` reads, in first-seen order."""
    names: dict[str, None] = {}  # ordered, and no scan per reference
    for get in iter_gets(own_content(step), skip_keys=frozenset({"DependsOn"})):
        parts = split_step_ref(get)
        if parts and parts[0] != step.name:
            names[parts[0]] = None
    return list(names)


def build_edges(definition: PipelineDefinition) -> tuple[list[Edge], list[AnswerWarning]]:
    """The answer's edges (docs/api.md): ``dependsOn``, ``forEach``, ``ref:Get``,
    ``condition:if`` / ``condition:else``.

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
        for name in definition.bodies.get(step.name, ()):
            add(Edge(step.name, name, "forEach"))
    return edges, warnings


@dataclass
class Resolved:
    """An evaluated expression: its value and whether everything in it was known."""

    value: Any
    resolved: bool = True

    @property
    def text(self) -> str:
        """The value as text, in the definition's own notation: JSON for a boolean, a
        list or an object (never a Python repr)."""
        value = self.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return ""
        if isinstance(value, (Mapping, list, tuple)):
            return json.dumps(value, separators=(",", ":"), default=str)
        return str(value)


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


def _placeholder(expression: Any) -> Resolved:
    """An expression that cannot be evaluated, shown as the definition writes it (its JSON)."""
    return Resolved(json.dumps(expression, separators=(",", ":"), default=str), False)


def resolve_value(value: Any, ctx: ResolutionContext) -> Resolved:
    """Evaluate a definition value against ``ctx`` (see module docstring)."""
    if isinstance(value, Mapping):
        if len(value) == 1 and isinstance(value.get("Get"), str):
            return _resolve_get(value["Get"], ctx)
        if "Std:Join" in value and isinstance(value["Std:Join"], Mapping):
            spec = value["Std:Join"]
            values = spec.get("Values")
            if not isinstance(values, list):
                return _placeholder(value)  # malformed: a Std:Join needs a list
            separator = resolve_value(spec.get("On", ""), ctx)
            parts = [resolve_value(v, ctx) for v in values]
            return Resolved(
                separator.text.join(p.text for p in parts),
                separator.resolved and all(p.resolved for p in parts),
            )
        if "Std:JsonGet" in value and isinstance(value["Std:JsonGet"], Mapping):
            return _resolve_json_get(value["Std:JsonGet"], ctx)
        if len(value) == 1 and str(next(iter(value))).startswith("Std:"):
            return _placeholder(value)  # a function this version does not know
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


#: Condition types that compare two values (LeftValue, RightValue), and how.
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: bool(a == b),
    "NotEquals": lambda a, b: bool(a != b),
    "GreaterThan": lambda a, b: bool(a > b),
    "GreaterThanOrEqualTo": lambda a, b: bool(a >= b),
    "LessThan": lambda a, b: bool(a < b),
    "LessThanOrEqualTo": lambda a, b: bool(a <= b),
}
#: Membership conditions: the SDK writes QueryValue / Values; the published
#: definition schema names them Value / In (both are read).
MEMBERSHIPS = ("In", "NotIn")


def _comparable(value: Any) -> Any:
    """A compared value as SageMaker compares it: numbers as numbers (a numeric string
    from a parameter or report too), anything else as it is."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    return value


def _compare(kind: str, left: Resolved, right: Resolved) -> bool | None:
    if not (left.resolved and right.resolved):
        return None
    a, b = _comparable(left.value), _comparable(right.value)
    if isinstance(a, bool) != isinstance(b, bool) and kind not in ("Equals", "NotEquals"):
        return None
    try:
        return COMPARISONS[kind](a, b)
    except TypeError:  # e.g. a number against text: SageMaker would fail the step
        return None


def describe_conditions(conditions: Any, ctx: ResolutionContext) -> list[ConditionCheck]:
    """A Condition step's conditions (its ``Conditions``, ANDed), each with the values
    it compared as resolved for the run (a ``{...}`` placeholder where unknown) and its
    ``outcome`` (``None`` while a value is unknown), nested conditions included:

    - Equals, NotEquals, GreaterThan(OrEqualTo), LessThan(OrEqualTo): ``left``, ``right``;
    - In, NotIn: ``value`` and ``values``;
    - Not: ``expression`` (one condition); Or: ``conditions``.

    Nesting is bounded by the definition's depth (:data:`~.jsonsafe.MAX_DEPTH`).
    """
    return [
        _describe_condition(c, ctx) for c in (conditions if isinstance(conditions, list) else [])
    ]


def _describe_condition(condition: Any, ctx: ResolutionContext) -> ConditionCheck:
    if not isinstance(condition, Mapping):
        return {"type": "Unknown", "outcome": None}
    kind = condition.get("Type")
    kind = kind if isinstance(kind, str) and kind else "Unknown"
    item: ConditionCheck = {"type": kind, "outcome": None}
    outcome: bool | None = None
    if kind in COMPARISONS or "LeftValue" in condition or "RightValue" in condition:
        left = resolve_value(condition.get("LeftValue"), ctx)
        right = resolve_value(condition.get("RightValue"), ctx)
        item["left"], item["right"] = _shown(left), _shown(right)
        outcome = _compare(kind, left, right) if kind in COMPARISONS else None
    elif kind in MEMBERSHIPS:
        query = resolve_value(condition.get("QueryValue", condition.get("Value")), ctx)
        raw_values = condition.get("Values", condition.get("In"))
        values = [resolve_value(v, ctx) for v in raw_values] if isinstance(raw_values, list) else []
        item["value"], item["values"] = _shown(query), [_shown(v) for v in values]
        if query.resolved and all(v.resolved for v in values) and isinstance(raw_values, list):
            found = any(_compare("Equals", query, v) for v in values)
            outcome = found if kind == "In" else not found
    elif kind == "Not":
        inner = _describe_condition(condition.get("Expression"), ctx)
        item["expression"] = inner
        outcome = None if inner.get("outcome") is None else not inner.get("outcome")
    elif kind == "Or":
        parts = describe_conditions(condition.get("Conditions"), ctx)
        item["conditions"] = parts
        results = [p.get("outcome") for p in parts]
        outcome = True if True in results else (False if results and None not in results else None)
    item["outcome"] = outcome
    return item


def _shown(value: Resolved) -> Any:
    """A compared value as shown: the value, or its ``{...}`` placeholder when unknown."""
    return value.value if value.resolved else value.text
