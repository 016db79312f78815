"""What changed between two executions of a pipeline (pure: no I/O, no clock).

:func:`compare_executions` takes what two lineage reads found (``plan.LineageRead``:
each execution's answer, the definition it ran and the context that resolves that
definition as it ran) and answers ``/compare`` (docs/api.md, "GET /compare"): per
step, the status before and after, the duration and metrics with their change, the
differences between the step's two definitions with values resolved for each run
(and why each differs), the inputs and outputs whose URIs changed, and why the head's
run was a cache hit or a miss.

Cache keys follow AWS's "Default cache key attributes by pipeline step type"
(SageMaker Developer Guide): only a change in those attributes makes a cached step
run again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .definition import PipelineDefinition, Step
from .models import (
    AnswerWarning,
    ArgumentChange,
    CacheComparison,
    CacheState,
    ChangeCause,
    CompareResponse,
    CompareSummary,
    Edge,
    Execution,
    LineageResponse,
    Location,
    LocationChange,
    MetricChange,
    Node,
    NumberChange,
    ParameterChange,
    StepComparison,
    StepStatus,
    StepVerdict,
)
from .references import ResolutionContext, iter_gets, resolve_value, split_step_ref

#: A step is slower or faster when its duration changed by at least this share and ...
SIGNIFICANT_PERCENT = 10.0
#: ... by at least this many seconds (a 2 s step taking 3 s is not news).
SIGNIFICANT_SECONDS = 5

#: Paths (from the step's definition) whose change makes a cached step run again, per
#: step Type: AWS's "Default cache key attributes by pipeline step type". A check
#: step's QualityCheckConfig / ClarifyCheckConfig and CheckJobConfig are its Arguments.
CACHE_KEY_PATHS: dict[str, tuple[str, ...]] = {
    "Processing": ("Arguments.AppSpecification", "Arguments.Environment", "Arguments.ProcessingInputs"),
    "Training": tuple(
        f"Arguments.{name}"
        for name in ("AlgorithmSpecification", "CheckpointConfig", "DebugHookConfig",
                     "DebugRuleConfigurations", "Environment", "HyperParameters", "InputDataConfig")
    ),
    "Tuning": (
        "Arguments.HyperParameterTuningJobConfig",
        *(f"Arguments.TrainingJobDefinition.{name}"
          for name in ("AlgorithmSpecification", "HyperParameterRanges", "InputDataConfig",
                       "StaticHyperParameters", "TuningObjective")),
        "Arguments.TrainingJobDefinitions",
    ),
    "AutoML": (
        *(f"Arguments.AutoMLJobConfig.{name}"
          for name in ("CompletionCriteria", "CandidateGenerationConfig", "DataSplitConfig", "Mode")),
        "Arguments.AutoMLJobObjective", "Arguments.InputDataConfig", "Arguments.ProblemType",
    ),
    "Transform": tuple(
        f"Arguments.{name}" for name in ("DataProcessing", "Environment", "ModelName", "TransformInput")
    ),
    "ClarifyCheck": ("Arguments", "SkipCheck", "RegisterNewBaseline", "ModelPackageGroupName",
                     "SuppliedBaselineConstraints"),
    "QualityCheck": ("Arguments", "SkipCheck", "RegisterNewBaseline", "ModelPackageGroupName",
                     "SuppliedBaselineConstraints", "SuppliedBaselineStatistics"),
    "EMR": ("Arguments.ClusterId", "Arguments.StepConfig"),
}  # fmt: skip

_EXPRESSIONS = frozenset({"Get", "Std:Join", "Std:JsonGet"})
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_:-]+$")
_MISSING = object()


@dataclass(frozen=True)
class Side:
    """One execution as a lineage read found it."""

    answer: LineageResponse
    definition: PipelineDefinition
    context: ResolutionContext


def compare_executions(base: Side, head: Side) -> CompareResponse:
    """The ``/compare`` answer for ``base`` -> ``head`` (docs/api.md, "GET /compare")."""
    base_nodes = {n["id"]: n for n in base.answer["graph"]["nodes"]}
    head_nodes = {n["id"]: n for n in head.answer["graph"]["nodes"]}
    order = list(head_nodes) + [name for name in base_nodes if name not in head_nodes]
    base_exec, head_exec = _execution(base), _execution(head)
    steps = [
        compare_step(name, base_nodes.get(name), head_nodes.get(name), base, head) for name in order
    ]
    parameters = parameter_changes(base_exec["parameters"], head_exec["parameters"])
    return {
        "pipeline": _pipeline(head),
        "base": base_exec,
        "head": head_exec,
        "summary": summarize(steps, base, head, parameters),
        "parameters": parameters,
        "steps": steps,
        "edges": _edges(head.answer, base.answer),
        "warnings": _warnings("head", head.answer) + _warnings("base", base.answer),
    }


# -- one step -------------------------------------------------------------------------


def compare_step(
    name: str, before: Node | None, after: Node | None, base: Side, head: Side
) -> StepComparison:
    """One step compared (``before``/``after``: its node in each answer, None if absent)."""
    run_b: Mapping[str, Any] = (before.get("run") if before else None) or {}
    run_h: Mapping[str, Any] = (after.get("run") if after else None) or {}
    step_b, step_h = base.definition.step(name), head.definition.step(name)
    step_type = (after or before or {"type": "Unknown"})["type"]
    arguments = (
        diff_definitions(step_b, step_h, base.context, head.context)
        if step_b is not None and step_h is not None
        else []
    )
    status: dict[str, StepStatus | None] = {
        "before": run_b.get("status") if before is not None else None,
        "after": run_h.get("status") if after is not None else None,
    }
    duration = number_change(run_b.get("elapsedSec"), run_h.get("elapsedSec"))
    metrics = metric_changes(run_b.get("metrics") or {}, run_h.get("metrics") or {})
    inputs = location_changes(before["inputs"] if before else [], after["inputs"] if after else [])
    outputs = location_changes(
        before["outputs"] if before else [], after["outputs"] if after else []
    )
    comparison: StepComparison = {
        "step": name,
        "type": step_type,
        "verdict": "unchanged",
        "status": {"before": status["before"], "after": status["after"]},
        "durationSec": duration,
        "metrics": metrics,
        "arguments": arguments,
        "inputs": inputs,
        "outputs": outputs,
        "cache": cache_comparison(step_b, step_h, run_b, run_h, arguments, base, head),
    }
    comparison["verdict"] = verdict(comparison, before is not None, after is not None)
    return comparison


def verdict(step: StepComparison, in_base: bool, in_head: bool) -> StepVerdict:
    """The most telling change of a compared step (see ``StepVerdict``)."""
    if not in_base:
        return "added"
    if not in_head:
        return "removed"
    before, after = step["status"]["before"], step["status"]["after"]
    if after == "Failed" and before != "Failed":
        return "newlyFailing"
    if after == "Succeeded" and before in ("Failed", "Stopped", "NotStarted"):
        return "newlyPassing"
    duration = step["durationSec"]
    if both_ran(step) and duration["delta"] is not None and significant(duration):
        return "slower" if duration["delta"] > 0 else "faster"
    return "changed" if differs(step) else "unchanged"


def both_ran(step: StepComparison) -> bool:
    return step["status"]["before"] not in (None, "NotStarted") and step["status"]["after"] not in (
        None,
        "NotStarted",
    )


def significant(change: NumberChange) -> bool:
    """At least SIGNIFICANT_SECONDS and SIGNIFICANT_PERCENT (of a non-zero before) apart."""
    delta, before = change["delta"], change["before"]
    if delta is None or abs(delta) < SIGNIFICANT_SECONDS:
        return False
    return not before or abs(delta) / before * 100 >= SIGNIFICANT_PERCENT


def differs(step: StepComparison) -> bool:
    """Anything but the duration differs: status, definition, locations or a metric."""
    return (
        step["status"]["before"] != step["status"]["after"]
        or bool(step["arguments"] or step["inputs"] or step["outputs"])
        or any(m["before"] != m["after"] for m in step["metrics"])
    )


# -- numbers ---------------------------------------------------------------------------


def number_change(before: float | None, after: float | None) -> NumberChange:
    """``before`` -> ``after`` with the difference and the percentage (one decimal) of
    ``before``'s size, signed as the change (a metric of -2 that became -1 rose 50 %)."""
    if before is None or after is None:
        return {"before": before, "after": after, "delta": None, "percent": None}
    delta = after - before
    if isinstance(delta, float):
        delta = round(delta, 6)
    percent = round(delta / abs(before) * 100, 1) if before else None
    return {"before": before, "after": after, "delta": delta, "percent": percent}


def metric_changes(
    before: Mapping[str, float | None], after: Mapping[str, float | None]
) -> list[MetricChange]:
    """Every metric either run has: the head's in its order, then the base's others."""
    names = list(after) + [name for name in before if name not in after]
    changes: list[MetricChange] = []
    for name in names:
        change = number_change(before.get(name), after.get(name))
        changes.append({"name": name, **change})
    return changes


def parameter_changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[ParameterChange]:
    """The parameters whose values differ (the head's order, then the base's others)."""
    names = list(after) + [name for name in before if name not in after]
    return [
        {"name": name, "before": before.get(name), "after": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    ]


def location_changes(before: Iterable[Location], after: Iterable[Location]) -> list[LocationChange]:
    """Inputs or outputs, paired by name (and order among equal names), whose URI differs."""
    left, right = _by_name(before), _by_name(after)
    keys = list(right) + [key for key in left if key not in right]
    return [
        {"name": key[0], "before": left.get(key), "after": right.get(key)}
        for key in keys
        if left.get(key) != right.get(key)
    ]


def _by_name(locations: Iterable[Location]) -> dict[tuple[str, int], str]:
    seen: dict[str, int] = {}
    paired: dict[tuple[str, int], str] = {}
    for location in locations:
        index = seen.get(location["name"], 0)
        seen[location["name"]] = index + 1
        paired[(location["name"], index)] = location["uri"]
    return paired


# -- definitions -----------------------------------------------------------------------


def step_content(step: Step) -> dict[str, Any]:
    """What belongs to a step in its definition: everything but its Name and, for a
    Condition, the steps of its branches (each is compared on its own)."""
    content = {k: v for k, v in step.raw.items() if k != "Name"}
    if step.type == "Condition" and isinstance(content.get("Arguments"), Mapping):
        content["Arguments"] = {
            k: v for k, v in content["Arguments"].items() if k not in ("IfSteps", "ElseSteps")
        }
    return content


def diff_definitions(
    before: Step, after: Step, base: ResolutionContext, head: ResolutionContext
) -> list[ArgumentChange]:
    """Every difference between a step's two definitions, as a path and the values each
    execution resolved there, with its cause (see ``ChangeCause``)."""
    keys = CACHE_KEY_PATHS.get(after.type, ())
    changes: list[ArgumentChange] = []

    def walk(left: Any, right: Any, path: str) -> None:
        if _is_object(left) and _is_object(right):
            for key in list(right) + [k for k in left if k not in right]:
                walk(left.get(key, _MISSING), right.get(key, _MISSING), _join(path, key))
            return
        if isinstance(left, list) and isinstance(right, list):
            for index in range(max(len(left), len(right))):
                walk(
                    left[index] if index < len(left) else _MISSING,
                    right[index] if index < len(right) else _MISSING,
                    f"{path}[{index}]",
                )
            return
        change = _leaf_change(left, right, path, base, head)
        if change is not None:
            change["cacheKey"] = in_cache_key(path, keys)
            changes.append(change)

    walk(step_content(before), step_content(after), "")
    return changes


def in_cache_key(path: str, keys: Iterable[str]) -> bool:
    """Whether ``path`` is one of the cache-key paths ``keys`` or inside one."""
    return any(path == key or path.startswith((f"{key}.", f"{key}[")) for key in keys)


def _leaf_change(
    left: Any, right: Any, path: str, base: ResolutionContext, head: ResolutionContext
) -> ArgumentChange | None:
    if left is _MISSING and right is _MISSING:
        return None
    if left is _MISSING:
        return _change(path, "added", None, resolve_deep(right, head), "definition", None)
    if right is _MISSING:
        return _change(path, "removed", resolve_deep(left, base), None, "definition", None)
    before, after = resolve_deep(left, base), resolve_deep(right, head)
    if left != right:
        return _change(path, "changed", before, after, "definition", None)
    if before == after:
        return None
    cause, source = attribute(left, base, head)
    return _change(path, "changed", before, after, cause, source)


def _change(
    path: str, kind: Any, before: Any, after: Any, cause: ChangeCause, source: str | None
) -> ArgumentChange:
    return {
        "path": path, "kind": kind, "before": before, "after": after, "cause": cause,
        "source": source, "cacheKey": False,
    }  # fmt: skip


def attribute(
    expression: Any, base: ResolutionContext, head: ResolutionContext
) -> tuple[ChangeCause, str | None]:
    """Why one expression of a definition both executions ran resolved differently:
    a parameter, another step's property, or an execution variable it reads."""
    refs = list(dict.fromkeys(iter_gets(expression)))

    def moved(ref: str) -> bool:
        value = {"Get": ref}
        return bool(_shown(value, base) != _shown(value, head))

    for ref in refs:
        if ref.startswith("Parameters.") and moved(ref):
            return "parameter", ref.removeprefix("Parameters.")
    steps = [parts[0] for parts in map(split_step_ref, refs) if parts]
    for ref in refs:
        parts = split_step_ref(ref)
        if parts and moved(ref):
            return "upstream", parts[0]
    for ref in refs:
        if ref.startswith("Execution.") and moved(ref):
            return "execution", ref.removeprefix("Execution.")
    # A property file read with JsonGet resolves through its report, not its Get.
    return "upstream", steps[0] if steps else None


def resolve_deep(value: Any, ctx: ResolutionContext) -> Any:
    """``value`` with every expression in it replaced by what it resolved to (a
    ``{...}`` placeholder where that is unknown)."""
    if _is_expression(value):
        return _shown(value, ctx)
    if isinstance(value, Mapping):
        return {k: resolve_deep(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_deep(v, ctx) for v in value]
    return value


def _shown(expression: Any, ctx: ResolutionContext) -> Any:
    resolved = resolve_value(expression, ctx)
    return resolved.value if resolved.resolved else resolved.text


def _is_expression(value: Any) -> bool:
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in _EXPRESSIONS


def _is_object(value: Any) -> bool:
    return isinstance(value, Mapping) and not _is_expression(value)


def _join(path: str, key: str) -> str:
    part = key if _PLAIN_KEY.fullmatch(key) else f"[{json.dumps(key)}]"
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


# -- caching ---------------------------------------------------------------------------


def cache_state(step: Step | None, run: Mapping[str, Any]) -> CacheState:
    """A step's CacheConfig in one definition and whether its run hit the cache."""
    config = (step.raw.get("CacheConfig") if step is not None else None) or {}
    enabled = isinstance(config, Mapping) and config.get("Enabled") is True
    expire = config.get("ExpireAfter") if isinstance(config, Mapping) else None
    return {
        "enabled": enabled,
        "expireAfter": str(expire) if expire is not None else None,
        "hit": bool(run.get("cacheHit")),
        "source": run.get("cacheSource"),
    }


def cache_comparison(
    step_b: Step | None,
    step_h: Step | None,
    run_b: Mapping[str, Any],
    run_h: Mapping[str, Any],
    arguments: list[ArgumentChange],
    base: Side,
    head: Side,
) -> CacheComparison | None:
    """Caching in both executions and why the head's run hit or missed; None when the
    step has caching off in both definitions and neither run was a cache hit."""
    before, after = cache_state(step_b, run_b), cache_state(step_h, run_h)
    if not (before["enabled"] or after["enabled"] or before["hit"] or after["hit"]):
        return None
    key_changes = [change for change in arguments if change["cacheKey"]]
    base_arn = _execution(base)["arn"]
    return {
        "before": before,
        "after": after,
        "reason": cache_reason(before, after, run_b, run_h, key_changes, base_arn),
        "keyChanges": [change["path"] for change in key_changes],
    }


def cache_reason(
    before: CacheState,
    after: CacheState,
    run_b: Mapping[str, Any],
    run_h: Mapping[str, Any],
    key_changes: list[ArgumentChange],
    base_arn: str | None,
) -> str:
    """One sentence: why the head's run of a step was a cache hit or a miss."""
    if after["hit"]:
        source = after["source"]
        if source and source == base_arn:
            return "cache hit: reused the base execution's run of this step"
        if source:
            return f"cache hit: reused the run of execution {source.rsplit('/', 1)[-1]}"
        return "cache hit (SageMaker named no source execution)"
    if not after["enabled"]:
        if before["enabled"]:
            return "caching was turned off for this step since the base (CacheConfig)"
        return "caching is off for this step (no CacheConfig with Enabled true)"
    if run_h.get("status") in (None, "NotStarted", "Unknown"):
        return "the step did not run in the head execution"
    if key_changes:
        shown = ", ".join(_describe(change) for change in key_changes[:3])
        more = f" and {len(key_changes) - 3} more" if len(key_changes) > 3 else ""
        return f"cache miss: its cache key changed since the base: {shown}{more}"
    if run_b.get("status") != "Succeeded":
        return (
            "cache miss: no cache-key argument changed, but the base run of this step did "
            "not succeed, so there was no result of it to reuse"
        )
    expire = f" ({after['expireAfter']})" if after["expireAfter"] else ""
    return (
        "cache miss although no cache-key argument changed since the base: the base run "
        f"may be older than ExpireAfter{expire}, or caching was off when it ran"
        if not before["enabled"]
        else "cache miss although no cache-key argument changed since the base: the base "
        f"run may be older than ExpireAfter{expire}"
    )


def _describe(change: ArgumentChange) -> str:
    source = change["source"]
    why = {
        "definition": "changed in the definition",
        "parameter": f"parameter {source}",
        "upstream": f"from step {source}" if source else "from another step",
        "execution": f"execution variable {source}",
    }[change["cause"]]
    values = ""
    if _short(change["before"]) and _short(change["after"]):
        values = f": {change['before']} -> {change['after']}"
    return f"{change['path']} ({why}{values})"


def _short(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and len(str(value)) <= 40


# -- the whole answer ------------------------------------------------------------------


def summarize(
    steps: list[StepComparison], base: Side, head: Side, parameters: list[ParameterChange]
) -> CompareSummary:
    """Step names by verdict, the executions' elapsed times, what else changed."""

    def named(*verdicts: StepVerdict) -> list[str]:
        return [s["step"] for s in steps if s["verdict"] in verdicts]

    cache = [(s["step"], s["cache"]) for s in steps if s["cache"] is not None]
    return {
        "elapsedSec": number_change(_execution(base)["elapsedSec"], _execution(head)["elapsedSec"]),
        "slower": named("slower"),
        "faster": named("faster"),
        "newlyFailing": named("newlyFailing"),
        "newlyPassing": named("newlyPassing"),
        "added": named("added"),
        "removed": named("removed"),
        "changed": [
            s["step"] for s in steps if s["verdict"] not in ("added", "removed") and differs(s)
        ],
        "parametersChanged": [p["name"] for p in parameters],
        "definitionChanged": base.definition.raw != head.definition.raw,
        "cacheHits": [name for name, c in cache if c["after"]["hit"]],
        "cacheMisses": [
            name
            for name, c in cache
            if c["after"]["enabled"]
            and not c["after"]["hit"]
            and next(s for s in steps if s["step"] == name)["status"]["after"]
            not in (None, "NotStarted", "Unknown")
        ],
    }


def _execution(side: Side) -> Execution:
    execution = side.answer["execution"]
    if execution is None:  # compare always reads an execution on both sides
        raise ValueError("a compared answer has no execution")
    return execution


def _pipeline(side: Side) -> Any:
    return side.answer["pipeline"]


def _edges(*answers: LineageResponse) -> list[Edge]:
    seen: set[tuple[str, str, str]] = set()
    edges: list[Edge] = []
    for answer in answers:
        for edge in answer["graph"]["edges"]:
            key = (edge["from"], edge["to"], edge["via"])
            if key not in seen:
                seen.add(key)
                edges.append(edge)
    return edges


def _warnings(side: str, answer: LineageResponse) -> list[AnswerWarning]:
    return [
        {**w, "message": f"{side} execution: {w['message']}"} for w in answer.get("warnings", [])
    ]
