"""Which S3 locations each step reads and writes (pure).

Two sources, same output shape:
- ``definition_io``: from the step's definition, evaluated with a
  :class:`ResolutionContext` (parameter defaults or an execution's values).
- ``job_io``: from the Describe* response of the job a step ran, i.e. what
  actually ran.
Both also yield the step *properties* other steps may ``Get`` (for example
``ModelArtifacts.S3ModelArtifacts``), so references resolve to the same URI the
producing step writes and producers and consumers meet on one artifact.

Every S3 URI a step's definition names is one of its locations, each with a
``role`` (:data:`ROLES`): what a step type declares is read by its own rules, and
whatever else its arguments name (hyperparameters, environment variables, JSON
documents held in strings, container arguments) is found by one scan. Work is
linear in the size of the arguments, and a ``stop`` callable (a deadline) can cut
a long scan short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .definition import Step
from .jsonsafe import MAX_DEPTH, json_depth, loads
from .references import (
    ResolutionContext,
    Resolved,
    iter_gets,
    own_content,
    resolve_value,
    split_step_ref,
)

Role = Literal["data", "model", "code", "report", "debug"]
#: What a location holds: data (datasets, batch output, captured traffic), model
#: (model artifacts, checkpoints), code (scripts, source bundles, jars), report
#: (evaluation reports, statistics, constraints, baselines, metrics), debug
#: (Debugger, Profiler, TensorBoard output, logs).
ROLES: tuple[Role, ...] = ("data", "model", "code", "report", "debug")
#: How often a long scan asks whether it should stop (every this many values).
CHECK_EVERY = 512
S3_URI_RE = re.compile(r"s3://[^\s\"'<>,;|`(){}\[\]]+")


@dataclass(frozen=True)
class Location:
    """One input or output of a step (``role``: :data:`ROLES`; not part of equality)."""

    name: str
    uri: str
    resolved: bool = True
    role: Role = field(default="data", compare=False)


@dataclass
class StepIO:
    inputs: list[Location] = field(default_factory=list)
    outputs: list[Location] = field(default_factory=list)
    #: property path (as written after ``Steps.<name>.``) -> value
    properties: dict[str, Resolved] = field(default_factory=dict)
    #: True when a deadline cut the reading of this step's locations short.
    cut: bool = False


def _get(obj: Any, *path: str | int) -> Any:
    for key in path:
        if isinstance(key, int):
            if not isinstance(obj, list) or len(obj) <= key:
                return None
            obj = obj[key]
        else:
            if not isinstance(obj, Mapping):
                return None
            obj = obj.get(key)
    return obj


def _maps(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a list (anything else in a malformed definition is skipped)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _is_location(res: Resolved) -> bool:
    text = res.text
    return text.startswith("s3://") or (not res.resolved and text.startswith("{"))


def _join_uri(prefix: Resolved, *rest: str) -> Resolved:
    text = prefix.text.rstrip("/")
    return Resolved("/".join([text, *rest]), prefix.resolved)


class _Collector:
    def __init__(
        self, ctx: ResolutionContext | None, stop: Callable[[], bool] | None = None
    ) -> None:
        self.ctx = ctx or ResolutionContext()
        self.io = StepIO()
        self.stop = stop
        #: (direction, name, uri, resolved) already added: one location each, found in O(1)
        self._added: set[tuple[str, str, str, bool]] = set()
        #: URIs this step's locations hold, or that a step type's rules read and turned
        #: into another location (an output path under which the model is written)
        self.claimed: set[str] = set()

    def value(self, expr: Any) -> Resolved | None:
        if expr is None or isinstance(expr, Resolved):
            return expr
        return resolve_value(expr, self.ctx)

    def claim(self, res: Resolved | None) -> Resolved | None:
        """Mark a value a rule has read, so the scan of the rest does not add it again."""
        if res is not None:
            self.claimed.add(res.text)
        return res

    def add(self, kind: str, name: str, expr: Any, role: Role = "data") -> Resolved | None:
        res = self.value(expr)
        if res is None or not _is_location(res):
            return None
        key = (kind, name, res.text, res.resolved)
        if key not in self._added:
            self._added.add(key)
            target = self.io.inputs if kind == "in" else self.io.outputs
            target.append(Location(name=name, uri=res.text, resolved=res.resolved, role=role))
        self.claimed.add(res.text)
        return res


#: Processing input names the SageMaker SDK gives to code (a script, a source bundle).
CODE_INPUTS = frozenset({"code", "entrypoint", "source", "sourcedir", "dependencies"})


def _processing(args: Mapping[str, Any], c: _Collector) -> None:
    for item in _maps(args.get("ProcessingInputs")):
        name = str(item.get("InputName", "input"))
        role: Role = "code" if name.lower() in CODE_INPUTS else "data"
        c.add("in", name, _get(item, "S3Input", "S3Uri"), role)
    for item in _maps(_get(args, "ProcessingOutputConfig", "Outputs")):
        name = str(item.get("OutputName", "output"))
        res = c.add("out", name, _get(item, "S3Output", "S3Uri"))
        if res is not None:
            c.io.properties[f"ProcessingOutputConfig.Outputs['{name}'].S3Output.S3Uri"] = res


def _training_inputs(job: Mapping[str, Any], c: _Collector) -> None:
    for channel in _maps(job.get("InputDataConfig")):
        name = str(channel.get("ChannelName", "train"))
        role: Role = "code" if name.lower() in CODE_INPUTS else "data"
        c.add("in", name, _get(channel, "DataSource", "S3DataSource", "S3Uri"), role)


#: Where a training job writes for Debugger, Profiler and TensorBoard (CreateTrainingJob).
DEBUG_OUTPUTS = (
    ("DebugHookConfig", "debug_hook"),
    ("ProfilerConfig", "profiler"),
    ("TensorBoardOutputConfig", "tensorboard"),
)
DEBUG_RULES = ("DebugRuleConfigurations", "ProfilerRuleConfigurations")


def _training_extras(args: Mapping[str, Any], c: _Collector) -> None:
    """Checkpoints (model), and the Debugger / Profiler / TensorBoard paths (debug)."""
    c.add("out", "checkpoints", _get(args, "CheckpointConfig", "S3Uri"), "model")
    for key, name in DEBUG_OUTPUTS:
        c.add("out", name, _get(args, key, "S3OutputPath"), "debug")
    for key in DEBUG_RULES:
        for rule in _maps(args.get(key)):
            rule_name = rule.get("RuleConfigurationName")
            name = f"{key}[{rule_name}]" if isinstance(rule_name, str) else key
            c.add("out", name, rule.get("S3OutputPath"), "debug")


def _training(step: Step, args: Mapping[str, Any], c: _Collector) -> None:
    _training_inputs(args, c)
    output_path = c.claim(c.value(_get(args, "OutputDataConfig", "S3OutputPath")))
    if output_path is not None and _is_location(output_path):
        job_name = Resolved("{Steps." + step.name + ".TrainingJobName}", False)
        model = Resolved(
            _join_uri(output_path, job_name.text, "output", "model.tar.gz").text, False
        )
        c.add("out", "model_artifacts", model, "model")
        c.io.properties["ModelArtifacts.S3ModelArtifacts"] = model
    _training_extras(args, c)


def _transform(args: Mapping[str, Any], c: _Collector) -> None:
    c.add("in", "data", _get(args, "TransformInput", "DataSource", "S3DataSource", "S3Uri"))
    res = c.add("out", "transform_output", _get(args, "TransformOutput", "S3OutputPath"))
    if res is not None:
        c.io.properties["TransformOutput.S3OutputPath"] = res
    c.add("out", "data_capture", _get(args, "DataCaptureConfig", "DestinationS3Uri"))


def _tuning(
    step_name: str | None, args: Mapping[str, Any], c: _Collector, best: str | None = None
) -> None:
    """Tuning reads its definitions' channels and writes the best model under the output path.

    The best model's URI uses the same property SageMaker's ``get_top_model_s3_uri``
    reads (``TrainingJobSummaries[0].TrainingJobName``), so consumers meet it.
    """
    definitions = _maps(args.get("TrainingJobDefinitions"))
    if isinstance(args.get("TrainingJobDefinition"), Mapping):
        definitions.insert(0, args["TrainingJobDefinition"])
    for definition in definitions:
        _training_inputs(definition, c)
        _training_extras(definition, c)
    if not definitions:
        return
    output_path = c.claim(c.value(_get(definitions[0], "OutputDataConfig", "S3OutputPath")))
    for definition in definitions[1:]:
        c.claim(c.value(_get(definition, "OutputDataConfig", "S3OutputPath")))
    if output_path is None or not _is_location(output_path):
        return
    if step_name is None and best is None:
        return  # a tuning job that has no best training job yet wrote no model
    job = best or "{Steps." + str(step_name) + ".TrainingJobSummaries[0].TrainingJobName}"
    model = _join_uri(output_path, job, "output", "model.tar.gz")
    c.add(
        "out",
        "best_model",
        Resolved(model.text, output_path.resolved and best is not None),
        "model",
    )


def _containers(args: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if isinstance(args.get("PrimaryContainer"), Mapping):
        yield args["PrimaryContainer"]
    yield from _maps(args.get("Containers"))
    yield from _maps(_get(args, "InferenceSpecification", "Containers"))


def _model(args: Mapping[str, Any], c: _Collector) -> None:
    for i, container in enumerate(_containers(args)):
        name = "model_data" if i == 0 else f"model_data_{i}"
        c.add("in", name, container.get("ModelDataUrl"), "model")
        c.add("in", name, _get(container, "ModelDataSource", "S3DataSource", "S3Uri"), "model")
        code = _get(container, "Environment", "SAGEMAKER_SUBMIT_DIRECTORY")
        suffix = "" if i == 0 else f"_{i}"
        c.add("in", f"SAGEMAKER_SUBMIT_DIRECTORY{suffix}", code, "code")


def _metric_files(args: Mapping[str, Any], c: _Collector) -> None:
    for section in ("ModelMetrics", "DriftCheckBaselines"):
        groups = args.get(section)
        for group, kinds in groups.items() if isinstance(groups, Mapping) else ():
            if not isinstance(kinds, Mapping):
                continue
            for kind, ref in kinds.items():
                if isinstance(ref, Mapping) and "S3Uri" in ref:
                    c.add("in", f"{section}.{group}.{kind}", ref["S3Uri"], "report")


def _check(step: Step, args: Mapping[str, Any], c: _Collector) -> None:
    _processing(args, c)
    for key in ("SuppliedBaselineStatistics", "SuppliedBaselineConstraints"):
        c.add("in", key, step.raw.get(key), "report")
    report = c.io.outputs[0] if c.io.outputs else None
    for key in CHECK_OUTPUTS + CHECK_BASELINES:
        value = Resolved("{Steps." + step.name + "." + key + "}", False)
        if step.type == "QualityCheck" and report is not None and key in BASELINE_FILES:
            # A data/model-quality baseline job writes both files into its output.
            value = Resolved(f"{report.uri.rstrip('/')}/{BASELINE_FILES[key]}", report.resolved)
        c.io.properties.setdefault(key, value)
        if key in CHECK_OUTPUTS[:2]:
            c.add("out", key, value, "report")


CHECK_OUTPUTS = ("CalculatedBaselineStatistics", "CalculatedBaselineConstraints", "ViolationReport")
CHECK_BASELINES = ("BaselineUsedForDriftCheckStatistics", "BaselineUsedForDriftCheckConstraints")
BASELINE_FILES = {
    "CalculatedBaselineStatistics": "statistics.json",
    "CalculatedBaselineConstraints": "constraints.json",
}


def _check_metadata(metadata: Mapping[str, Any], c: _Collector) -> None:
    """A check step's step-metadata: the baselines it calculated and the ones it used."""
    for key in CHECK_OUTPUTS + CHECK_BASELINES:
        value = metadata.get(key)
        if isinstance(value, str) and value.startswith("s3://"):
            c.io.properties[key] = Resolved(value)
            if key in CHECK_OUTPUTS:
                c.add("out", key, value, "report")
            else:
                c.add("in", key, value, "report")


def _property_file_reads(step: Step, c: _Collector) -> None:
    """Any step reads the property files (evaluation reports) its arguments ``JsonGet``:
    a Condition's conditions, a Training step's hyperparameters, a Lambda's inputs."""
    if c.ctx.properties is None:
        return
    for ref in iter_gets(own_content(step).get("Arguments"), skip_keys=frozenset({"DependsOn"})):
        parts = split_step_ref(ref)
        if parts and parts[1].startswith("PropertyFiles."):
            location = c.ctx.properties(parts[0], parts[1])
            if isinstance(location, Resolved):
                c.add("in", parts[1][len("PropertyFiles.") :], location, "report")


def _automl(args: Mapping[str, Any], c: _Collector) -> None:
    for item in _maps(args.get("InputDataConfig")) + _maps(args.get("AutoMLJobInputDataConfig")):
        c.add(
            "in",
            str(item.get("ChannelType", "training")),
            _get(item, "DataSource", "S3DataSource", "S3Uri"),
        )
    c.add("out", "automl_output", _get(args, "OutputDataConfig", "S3OutputPath"), "model")


#: Words in an argument's key (or the flag before it) that say what a URI is for.
_OUTPUT_HINTS = ("output", "loguri", "log_uri", "logs", "destination", "capture", "checkpoint",
                 "debug", "profil", "tensorboard", "result", "target")  # fmt: skip
_ROLE_HINTS: tuple[tuple[Role, tuple[str, ...]], ...] = (
    ("debug", ("debug", "profil", "tensorboard", "loguri", "log_uri", "logs", "logfile")),
    ("code", ("submit_dir", "submitdir", "submit_directory", "sourcedir", "source_dir", "code",
              "script", "entrypoint", "entry_point", "program", ".py", ".jar", ".whl", ".sh",
              "jar")),
    ("report", ("report", "evaluation", "metrics", "statistics", "constraints", "baseline",
                "violation")),
    ("model", ("model", "checkpoint")),
)  # fmt: skip


def scan_role(hint: str) -> Role:
    """A URI's role from the words around it (its key, the flag before it, the URI)."""
    hint = hint.lower()
    for role, words in _ROLE_HINTS:
        if any(word in hint for word in words):
            return role
    return "data"


def _strings_json(text: str) -> Any:
    """A string argument holding a JSON object, array or string (a ``JobConfigDocument``,
    a JSON-encoded hyperparameter ``"\"s3://...\""``), parsed; else None."""
    head = text.lstrip()[:1]
    if head not in ("{", "[", '"'):
        return None
    try:
        value, _ = loads(text)
    except (ValueError, RecursionError):
        return None
    if json_depth(value) > MAX_DEPTH:
        return None
    return value


def _scan(root: Any, c: _Collector, base: str = "") -> None:
    """Every S3 URI in arguments the rules of a step type did not read (Lambda,
    Callback, EMR, Job and unknown types: all of them; others: the rest), without
    recursion and in document order.

    A URI is an output when its key or the flag before it in an argument list says so
    ("output", a log location, a checkpoint, ...); otherwise an input. A string holding
    JSON is read as JSON; a URI inside longer text (``--data=s3://...``) counts too.
    Free-form arguments say no more than that, so direction and role are heuristics.
    """
    stack: list[tuple[Any, str, str]] = [(root, base, "")]
    seen = 0
    while stack:
        value, path, previous = stack.pop()
        seen += 1
        if c.stop is not None and seen % CHECK_EVERY == 0 and c.stop():
            c.io.cut = True
            return
        if isinstance(value, Mapping) and not _is_expression(value):
            stack.extend(
                reversed(
                    [
                        (item, f"{path}.{key}" if path else str(key), "")
                        for key, item in value.items()
                    ]
                )
            )
            continue
        if isinstance(value, list):
            items, prev = [], ""
            for i, item in enumerate(value):
                items.append((item, f"{path}[{i}]", prev))
                prev = item if isinstance(item, str) else ""
            stack.extend(reversed(items))
            continue
        if isinstance(value, str) and not value.startswith("s3://"):
            parsed = _strings_json(value)
            if parsed is not None and parsed != value:
                stack.append((parsed, path, previous))
                continue
            for found in S3_URI_RE.finditer(value):
                _found(c, found.group(), path, f"{previous} {value[: found.start()]}")
            continue
        res = c.value(value)
        if res is None or not res.text.startswith("s3://"):
            continue
        _found(c, res, path, previous)


def _found(c: _Collector, uri: Resolved | str, path: str, previous: str) -> None:
    res = uri if isinstance(uri, Resolved) else Resolved(uri)
    if res.text in c.claimed:
        return
    hint = f"{path} {previous}".lower()
    written = any(word in hint for word in _OUTPUT_HINTS)
    c.add("out" if written else "in", path or "uri", res, scan_role(f"{hint} {res.text}"))


def _is_expression(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in ("Get", "Std:Join", "Std:JsonGet")


def definition_io(
    step: Step, ctx: ResolutionContext | None = None, stop: Callable[[], bool] | None = None
) -> StepIO:
    """The S3 locations ``step`` reads and writes according to its definition: what its
    type declares, the property files it reads, and every other S3 URI its arguments
    name. ``stop()`` is asked now and then during a long scan; when it says so, the
    locations found so far are returned with ``cut`` set."""
    c = _Collector(ctx, stop)
    args = step.arguments
    kind = step.type
    if kind == "Processing":
        _processing(args, c)
    elif kind == "Training":
        _training(step, args, c)
    elif kind == "Transform":
        _transform(args, c)
    elif kind == "Tuning":
        _tuning(step.name, args, c)
    elif kind == "Model":
        _model(args, c)
    elif kind == "RegisterModel":
        _model(args, c)
        _metric_files(args, c)
    elif kind in ("QualityCheck", "ClarifyCheck"):
        _check(step, args, c)
    elif kind == "AutoML":
        _automl(args, c)
    elif kind == "EndpointConfig":
        c.add("out", "data_capture", _get(args, "DataCaptureConfig", "DestinationS3Uri"))
    # Every step reads the property files it JsonGets; then whatever else its own
    # arguments name (all of them for Lambda, Callback, EMR, Job and unknown types).
    _property_file_reads(step, c)
    _scan(own_content(step).get("Arguments"), c)
    return c.io


#: Step-metadata key of a job -> the step type that runs it.
JOB_STEP_TYPES = {
    "ProcessingJob": "Processing",
    "TrainingJob": "Training",
    "TransformJob": "Transform",
    "TuningJob": "Tuning",
    "AutoMLJob": "AutoML",
}


def job_io(step_type: str, job: Mapping[str, Any]) -> StepIO:
    """The S3 locations a finished or running job actually used (from its Describe* response)."""
    c = _Collector(None)
    if "ProcessingJobArn" in job or step_type in ("Processing", "QualityCheck", "ClarifyCheck"):
        _processing(job, c)
        if step_type in ("QualityCheck", "ClarifyCheck"):
            _check_metadata(job.get("CheckMetadata") or {}, c)
    elif "TrainingJobArn" in job and step_type == "Training":
        _training_inputs(job, c)
        model = job.get("ModelArtifacts", {}).get("S3ModelArtifacts")
        output_path = _get(job, "OutputDataConfig", "S3OutputPath")
        if not model and output_path and job.get("TrainingJobName"):
            # Not written (yet): SageMaker's fixed layout says where it goes.
            model = f"{output_path.rstrip('/')}/{job['TrainingJobName']}/output/model.tar.gz"
        if model:
            # Where the job writes (or, failed or stopped, was to write) its model.
            c.add("out", "model_artifacts", model, "model")
            c.io.properties["ModelArtifacts.S3ModelArtifacts"] = Resolved(model)
        _training_extras(job, c)
        if job.get("TrainingJobName"):
            c.io.properties["TrainingJobName"] = Resolved(job["TrainingJobName"])
        for metric in _maps(job.get("FinalMetricDataList")):
            if "MetricName" in metric and "Value" in metric:
                path = f"FinalMetricDataList['{metric['MetricName']}'].Value"
                c.io.properties[path] = Resolved(metric["Value"])
    elif step_type == "Transform":
        _transform(job, c)
    elif step_type == "Tuning":
        best = _get(job, "BestTrainingJob", "TrainingJobName")
        if best:
            c.io.properties["BestTrainingJob.TrainingJobName"] = Resolved(best)
            c.io.properties["TrainingJobSummaries[0].TrainingJobName"] = Resolved(best)
        _tuning(None, job, c, best)
    elif step_type == "RegisterModel":
        _model(job, c)
        _metric_files(job, c)
        if job.get("ModelPackageArn"):
            c.io.properties["ModelPackageArn"] = Resolved(job["ModelPackageArn"])
    return c.io


def merge_io(ran: StepIO, declared: StepIO) -> StepIO:
    """What a job actually used, plus what the definition declares that the job did not report."""

    def merge(actual: list[Location], planned: list[Location]) -> list[Location]:
        names = {loc.name for loc in actual}
        return actual + [loc for loc in planned if loc.name not in names]

    return StepIO(
        merge(ran.inputs, declared.inputs),
        merge(ran.outputs, declared.outputs),
        {**declared.properties, **ran.properties},
        cut=ran.cut or declared.cut,
    )


def property_file_outputs(step: Step, io: StepIO) -> list[tuple[Any, Location]]:
    """The JSON files a step's property files name (``<output>/<FilePath>``), as outputs.

    An evaluation report is its own artifact, so the step that consumes it (a
    RegisterModel's model metrics, say) meets the step that wrote it.
    """
    outputs = {loc.name: loc for loc in io.outputs}
    found = []
    for pf in step.property_files:
        output = outputs.get(pf.output_name)
        if output is None or not pf.file_path:
            continue
        uri = output.uri.rstrip("/") + "/" + pf.file_path.lstrip("/")
        found.append((pf, Location(name=pf.name, uri=uri, resolved=output.resolved, role="report")))
    return found


def metadata_io(metadata: Mapping[str, Any]) -> StepIO:
    """What a step's ListPipelineExecutionSteps ``Metadata`` itself says it read or wrote,
    for steps whose run is not a describable job: an EMR step's log (``LogFilePath``),
    an Athena query's results (``S3OutputLocation``), and the output parameters of a
    Lambda or Callback step (properties ``OutputParameters['<name>']`` that other
    steps may Get)."""
    c = _Collector(None)
    for kind in ("EMR", "EMRServerless"):
        log = _get(metadata, kind, "LogFilePath")
        if isinstance(log, str):
            c.add("out", "log", log, "debug")
    query = _get(metadata, "Athena", "S3OutputLocation")
    if isinstance(query, str):
        c.add("out", "query_output", query)
        c.io.properties["S3OutputLocation"] = Resolved(query)
    for kind in ("Lambda", "Callback"):
        for item in _maps(_get(metadata, kind, "OutputParameters")):
            name, value = item.get("Name"), item.get("Value")
            if isinstance(name, str) and isinstance(value, str):
                c.io.properties[f"OutputParameters['{name}']"] = Resolved(value)
    return c.io
