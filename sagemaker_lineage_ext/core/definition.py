"""Parse a SageMaker Pipelines definition document into typed steps (pure: no I/O).

Accepts the definition document itself, its JSON text, or a DescribePipeline /
DescribePipelineDefinitionForExecution response whose ``PipelineDefinition`` is
a JSON string. Steps nested in Condition ``IfSteps`` / ``ElseSteps`` are
flattened at any depth; the order of the ``Steps`` array does not matter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import DefinitionError

#: Step types whose inputs and outputs we know how to read; any other type is
#: kept as a generic node.
KNOWN_STEP_TYPES = frozenset(
    {
        "Processing", "Training", "Transform", "Tuning", "Model", "RegisterModel",
        "Condition", "Fail", "Lambda", "Callback", "QualityCheck", "ClarifyCheck",
        "EMR", "AutoML", "EndpointConfig", "Endpoint", "InferenceComponent", "Lineage",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any = None


@dataclass(frozen=True)
class PropertyFile:
    name: str
    output_name: str
    file_path: str


@dataclass(frozen=True)
class Step:
    """One step of the definition, wherever it is nested."""

    name: str
    type: str
    arguments: Mapping[str, Any]
    raw: Mapping[str, Any]
    depends_on: tuple[str, ...] = ()
    property_files: tuple[PropertyFile, ...] = ()
    #: ``(condition step name, "if" | "else")`` for a step inside a Condition branch.
    parent: tuple[str, Literal["if", "else"]] | None = None
    display_name: str | None = None
    description: str | None = None

    @property
    def known_type(self) -> bool:
        return self.type in KNOWN_STEP_TYPES


@dataclass(frozen=True)
class PipelineDefinition:
    version: str | None
    parameters: Mapping[str, Parameter]
    steps: tuple[Step, ...]
    #: Condition step name -> (names in IfSteps, names in ElseSteps), direct children only.
    branches: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)
    _by_name: Mapping[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    def step(self, name: str) -> Step | None:
        return self._by_name.get(name)

    @property
    def step_names(self) -> frozenset[str]:
        return frozenset(self._by_name)


#: Real definitions nest about 15 levels; far deeper is not a pipeline (and would
#: exhaust recursion in the walkers below).
MAX_DEPTH = 100


def _depth(document: Any) -> int:
    """Nesting depth of a JSON value, without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(value, Mapping):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest


def load_definition_document(source: Any) -> dict[str, Any]:
    """Return the definition dict from a document, JSON text, or a Describe* response."""
    document = source
    if isinstance(document, (bytes, bytearray)):
        document = document.decode("utf-8")
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise DefinitionError(f"is not valid JSON (line {exc.lineno})") from None
        except RecursionError:
            raise DefinitionError(f"is nested more than {MAX_DEPTH} levels deep") from None
    if isinstance(document, Mapping) and "PipelineDefinition" in document:
        return load_definition_document(document["PipelineDefinition"])
    if not isinstance(document, Mapping):
        raise DefinitionError("must be a JSON object")
    if _depth(document) > MAX_DEPTH:
        raise DefinitionError(f"is nested more than {MAX_DEPTH} levels deep")
    if "Steps" not in document:
        raise DefinitionError("has no Steps array")
    if not isinstance(document["Steps"], list):
        raise DefinitionError("has a Steps value that is not an array")
    return dict(document)


def _parse_parameters(raw: Any) -> dict[str, Parameter]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise DefinitionError("has a Parameters value that is not an array")
    params: dict[str, Parameter] = {}
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("Name"), str):
            raise DefinitionError("has a parameter without a Name")
        params[item["Name"]] = Parameter(
            name=item["Name"],
            type=str(item.get("Type", "String")),
            default=item.get("DefaultValue"),
        )
    return params


def _parse_property_files(raw: Any) -> tuple[PropertyFile, ...]:
    if raw is not None and not isinstance(raw, list):
        raise DefinitionError("has a PropertyFiles value that is not an array")
    files = []
    for item in raw or ():
        if isinstance(item, Mapping) and item.get("PropertyFileName"):
            files.append(
                PropertyFile(
                    name=str(item["PropertyFileName"]),
                    output_name=str(item.get("OutputName", "")),
                    file_path=str(item.get("FilePath", "")),
                )
            )
    return tuple(files)


def parse_definition(source: Any) -> PipelineDefinition:
    """Parse a definition into a :class:`PipelineDefinition` with every step flattened.

    Raises :class:`DefinitionError` for a document that is not a pipeline
    definition (not JSON, no Steps, a step without a name, duplicate names).
    """
    document = load_definition_document(source)
    steps: list[Step] = []
    branches: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    seen: set[str] = set()

    def visit(raw_steps: Any, parent: tuple[str, Literal["if", "else"]] | None) -> tuple[str, ...]:
        if raw_steps is None:
            return ()
        if not isinstance(raw_steps, list):
            raise DefinitionError("has a Steps, IfSteps or ElseSteps value that is not an array")
        names = []
        for raw in raw_steps:
            if (
                not isinstance(raw, Mapping)
                or not isinstance(raw.get("Name"), str)
                or not raw["Name"]
            ):
                raise DefinitionError("has a step without a Name")
            name = raw["Name"]
            if name in seen:
                raise DefinitionError(f"has two steps named {name!r}")
            seen.add(name)
            step_type = str(raw.get("Type") or "Unknown")
            arguments = raw.get("Arguments")
            if not isinstance(arguments, Mapping):
                arguments = {}
            depends = raw.get("DependsOn") or ()
            if not isinstance(depends, (list, tuple)):
                raise DefinitionError(f"has a DependsOn of step {name!r} that is not an array")
            steps.append(
                Step(
                    name=name,
                    type=step_type,
                    arguments=arguments,
                    raw=raw,
                    depends_on=tuple(str(d) for d in depends if isinstance(d, str)),
                    property_files=_parse_property_files(raw.get("PropertyFiles")),
                    parent=parent,
                    display_name=raw.get("DisplayName"),
                    description=raw.get("Description"),
                )
            )
            names.append(name)
            if step_type == "Condition":
                if_names = visit(arguments.get("IfSteps"), (name, "if"))
                else_names = visit(arguments.get("ElseSteps"), (name, "else"))
                branches[name] = (if_names, else_names)
        return tuple(names)

    visit(document["Steps"], None)
    return PipelineDefinition(
        version=document.get("Version"),
        parameters=_parse_parameters(document.get("Parameters")),
        steps=tuple(steps),
        branches=branches,
        raw=document,
    )
