"""Parse a SageMaker Pipelines definition document into typed steps (pure: no I/O).

Accepts the definition document itself, its JSON text, or a DescribePipeline /
DescribePipelineDefinitionForExecution response whose ``PipelineDefinition`` is
a JSON string. Steps nested in Condition ``IfSteps`` / ``ElseSteps`` and in a
ForEach step's ``ForEachBody`` are flattened at any depth (iteratively: depth is
bounded by :data:`MAX_DEPTH`, never by Python's stack); the order of the ``Steps``
array does not matter. Values a reader could not use (a non-finite number, a
``DisplayName`` that is not text) become warnings, never errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import DefinitionError
from .jsonsafe import MAX_DEPTH, json_depth, loads
from .models import AnswerWarning

#: Step types whose inputs and outputs we know how to read (every kind of step
#: metadata ListPipelineExecutionSteps answers with has one); any other type is kept
#: as a generic node whose arguments are scanned for S3 URIs.
KNOWN_STEP_TYPES = frozenset(
    {
        "Processing", "Training", "Transform", "Tuning", "Model", "RegisterModel",
        "Condition", "Fail", "Lambda", "Callback", "QualityCheck", "ClarifyCheck",
        "EMR", "EMRServerless", "AutoML", "EndpointConfig", "Endpoint",
        "InferenceComponent", "Lineage", "ForEach", "Job", "Athena", "Cleanup",
        "HubContent", "BedrockCustomModel", "BedrockCustomModelDeployment",
        "BedrockModelImport", "BedrockProvisionedModelThroughput",
    }
)  # fmt: skip

#: Where a nested step sits: a Condition's IfSteps / ElseSteps, a ForEach's ForEachBody.
Branch = Literal["if", "else", "body"]
#: The arguments holding nested steps, per step type.
NESTED_STEPS: dict[str, tuple[tuple[str, Branch], ...]] = {
    "Condition": (("IfSteps", "if"), ("ElseSteps", "else")),
    "ForEach": (("ForEachBody", "body"),),
}


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
    #: ``(condition step, "if" | "else")`` for a step inside a Condition branch,
    #: ``(ForEach step, "body")`` for a step of a ForEach body.
    parent: tuple[str, Branch] | None = None
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
    #: ForEach step name -> the names of its ForEachBody steps.
    bodies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: What a reader of the graph should know about values the definition holds
    #: (``NonFiniteNumber``, ``InvalidDefinitionValue``).
    warnings: tuple[AnswerWarning, ...] = ()
    _by_name: Mapping[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    def step(self, name: str) -> Step | None:
        return self._by_name.get(name)

    @property
    def step_names(self) -> frozenset[str]:
        return frozenset(self._by_name)


def load_definition_document(source: Any) -> dict[str, Any]:
    """Return the definition dict from a document, JSON text, or a Describe* response."""
    document, _ = _load(source)
    return document


def _load(source: Any) -> tuple[dict[str, Any], int]:
    """The definition dict, and how many of its numbers were not finite (now None)."""
    document, replaced = source, 0
    for _ in range(2):  # a Describe* response holds the definition as JSON text
        if isinstance(document, (bytes, bytearray)):
            try:
                document = bytes(document).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise DefinitionError("is not UTF-8 text") from None
        if isinstance(document, str):
            try:
                document, replaced = loads(document.lstrip("\ufeff"))
            except ValueError as exc:
                line = getattr(exc, "lineno", None)
                raise DefinitionError(
                    f"is not valid JSON (line {line})" if line else "is not valid JSON"
                ) from None
            except RecursionError:
                raise DefinitionError(f"is nested more than {MAX_DEPTH} levels deep") from None
        if isinstance(document, Mapping) and "PipelineDefinition" in document:
            document = document["PipelineDefinition"]
            continue
        break
    if not isinstance(document, Mapping):
        raise DefinitionError("must be a JSON object")
    if json_depth(document) > MAX_DEPTH:
        raise DefinitionError(f"is nested more than {MAX_DEPTH} levels deep")
    if "Steps" not in document:
        raise DefinitionError("has no Steps array")
    if not isinstance(document["Steps"], list):
        raise DefinitionError("has a Steps value that is not an array")
    return dict(document), replaced


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


def _text_field(
    raw: Mapping[str, Any], key: str, name: str, warnings: list[AnswerWarning]
) -> str | None:
    """A step's ``DisplayName`` / ``Description``: text, or ``None`` and a warning."""
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value
    warnings.append(
        {
            "code": "InvalidDefinitionValue",
            "target": name,
            "message": f"step {name} has a {key} that is not text ({type(value).__name__}): "
            "it is not shown",
        }
    )
    return None


def _step_type(raw: Mapping[str, Any], name: str, warnings: list[AnswerWarning]) -> str:
    value = raw.get("Type")
    if isinstance(value, str) and value:
        return value
    if value is not None:
        warnings.append(
            {
                "code": "InvalidDefinitionValue",
                "target": name,
                "message": f"step {name} has a Type that is not text: shown as Unknown",
            }
        )
    return "Unknown"


def parse_definition(source: Any) -> PipelineDefinition:
    """Parse a definition into a :class:`PipelineDefinition` with every step flattened.

    Steps come in document order, each followed by the steps nested in it (a
    Condition's IfSteps then ElseSteps, a ForEach's ForEachBody). Raises
    :class:`DefinitionError` for a document that is not a pipeline definition (not
    JSON, no Steps, a step without a name, duplicate names, nested deeper than
    :data:`MAX_DEPTH`).
    """
    document, replaced = _load(source)
    steps: list[Step] = []
    branches: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    bodies: dict[str, tuple[str, ...]] = {}
    nested: dict[tuple[str, Branch], list[str]] = {}
    seen: set[str] = set()
    warnings: list[AnswerWarning] = []
    if replaced:
        warnings.append(
            {
                "code": "NonFiniteNumber",
                "target": "definition",
                "message": f"the definition holds {replaced} number(s) JSON cannot carry "
                "(NaN, Infinity, too large): read as null",
            }
        )

    def entries(raw_steps: Any, parent: tuple[str, Branch] | None) -> list[tuple[Any, Any]]:
        if raw_steps is None:
            return []
        if not isinstance(raw_steps, list):
            raise DefinitionError(
                "has a Steps, IfSteps, ElseSteps or ForEachBody value that is not an array"
            )
        return [(raw, parent) for raw in raw_steps]

    # Depth-first, in document order, without recursion: each step is followed by
    # the steps nested in it.
    stack = list(reversed(entries(document["Steps"], None)))
    while stack:
        raw, parent = stack.pop()
        if not isinstance(raw, Mapping) or not isinstance(raw.get("Name"), str) or not raw["Name"]:
            raise DefinitionError("has a step without a Name")
        name = raw["Name"]
        if name in seen:
            raise DefinitionError(f"has two steps named {name!r}")
        seen.add(name)
        step_type = _step_type(raw, name, warnings)
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
                depends_on=tuple(d for d in depends if isinstance(d, str)),
                property_files=_parse_property_files(raw.get("PropertyFiles")),
                parent=parent,
                display_name=_text_field(raw, "DisplayName", name, warnings),
                description=_text_field(raw, "Description", name, warnings),
            )
        )
        if parent is not None:
            nested.setdefault(parent, []).append(name)
        children: list[tuple[Any, Any]] = []
        for key, branch in NESTED_STEPS.get(step_type, ()):
            nested.setdefault((name, branch), [])
            children += entries(arguments.get(key), (name, branch))
        stack.extend(reversed(children))

    for (owner, branch), names in nested.items():
        if branch == "body":
            bodies[owner] = tuple(names)
        else:
            if_names, else_names = branches.get(owner, ((), ()))
            branches[owner] = (
                tuple(names) if branch == "if" else if_names,
                tuple(names) if branch == "else" else else_names,
            )
    return PipelineDefinition(
        version=document.get("Version") if isinstance(document.get("Version"), str) else None,
        parameters=_parse_parameters(document.get("Parameters")),
        steps=tuple(steps),
        branches=branches,
        raw=document,
        bodies=bodies,
        warnings=tuple(warnings),
    )
