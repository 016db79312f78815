"""Which S3 locations each step reads and writes (pure).

Two sources, same output shape:
- ``definition_io``: from the step's definition, evaluated with a
  :class:`ResolutionContext` (parameter defaults or an execution's values).
- ``job_io``: from the Describe* response of the job a step ran, i.e. what
  actually ran.
Both also yield the step *properties* other steps may ``Get`` (for example
``ModelArtifacts.S3ModelArtifacts``), so references resolve to the same URI the
producing step writes and producers and consumers meet on one artifact.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .definition import Step
from .references import ResolutionContext, Resolved, iter_gets, resolve_value, split_step_ref


@dataclass(frozen=True)
class Location:
    """One input or output of a step."""

    name: str
    uri: str
    resolved: bool = True


@dataclass
class StepIO:
    inputs: list[Location] = field(default_factory=list)
    outputs: list[Location] = field(default_factory=list)
    #: property path (as written after ``Steps.<name>.``) -> value
    properties: dict[str, Resolved] = field(default_factory=dict)


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
    def __init__(self, ctx: ResolutionContext | None) -> None:
        self.ctx = ctx or ResolutionContext()
        self.io = StepIO()

    def value(self, expr: Any) -> Resolved | None:
        if expr is None or isinstance(expr, Resolved):
            return expr
        return resolve_value(expr, self.ctx)

    def add(self, kind: str, name: str, expr: Any) -> Resolved | None:
        res = self.value(expr)
        if res is None or not _is_location(res):
            return None
        target = self.io.inputs if kind == "in" else self.io.outputs
        loc = Location(name=name, uri=res.text, resolved=res.resolved)
        if loc not in target:
            target.append(loc)
        return res


def _processing(args: Mapping[str, Any], c: _Collector) -> None:
    for item in _maps(args.get("ProcessingInputs")):
        c.add("in", str(item.get("InputName", "input")), _get(item, "S3Input", "S3Uri"))
    for item in _maps(_get(args, "ProcessingOutputConfig", "Outputs")):
        name = str(item.get("OutputName", "output"))
        res = c.add("out", name, _get(item, "S3Output", "S3Uri"))
        if res is not None:
            c.io.properties[f"ProcessingOutputConfig.Outputs['{name}'].S3Output.S3Uri"] = res


def _training_inputs(job: Mapping[str, Any], c: _Collector) -> None:
    for channel in _maps(job.get("InputDataConfig")):
        c.add(
            "in",
            str(channel.get("ChannelName", "train")),
            _get(channel, "DataSource", "S3DataSource", "S3Uri"),
        )


def _training(step: Step, args: Mapping[str, Any], c: _Collector) -> None:
    _training_inputs(args, c)
    output_path = c.value(_get(args, "OutputDataConfig", "S3OutputPath"))
    if output_path is not None and _is_location(output_path):
        job_name = Resolved("{Steps." + step.name + ".TrainingJobName}", False)
        model = Resolved(
            _join_uri(output_path, job_name.text, "output", "model.tar.gz").text, False
        )
        c.add("out", "model_artifacts", model)
        c.io.properties["ModelArtifacts.S3ModelArtifacts"] = model
    checkpoint = _get(args, "CheckpointConfig", "S3Uri")
    if checkpoint is not None:
        c.add("out", "checkpoints", checkpoint)


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
    if not definitions:
        return
    output_path = c.value(_get(definitions[0], "OutputDataConfig", "S3OutputPath"))
    if output_path is None or not _is_location(output_path):
        return
    if step_name is None and best is None:
        return  # a tuning job that has no best training job yet wrote no model
    job = best or "{Steps." + str(step_name) + ".TrainingJobSummaries[0].TrainingJobName}"
    model = _join_uri(output_path, job, "output", "model.tar.gz")
    c.add("out", "best_model", Resolved(model.text, output_path.resolved and best is not None))


def _containers(args: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if isinstance(args.get("PrimaryContainer"), Mapping):
        yield args["PrimaryContainer"]
    yield from _maps(args.get("Containers"))
    yield from _maps(_get(args, "InferenceSpecification", "Containers"))


def _model(args: Mapping[str, Any], c: _Collector) -> None:
    for i, container in enumerate(_containers(args)):
        name = "model_data" if i == 0 else f"model_data_{i}"
        c.add("in", name, container.get("ModelDataUrl"))
        c.add("in", name, _get(container, "ModelDataSource", "S3DataSource", "S3Uri"))


def _metric_files(args: Mapping[str, Any], c: _Collector) -> None:
    for section in ("ModelMetrics", "DriftCheckBaselines"):
        groups = args.get(section)
        for group, kinds in groups.items() if isinstance(groups, Mapping) else ():
            if not isinstance(kinds, Mapping):
                continue
            for kind, ref in kinds.items():
                if isinstance(ref, Mapping) and "S3Uri" in ref:
                    c.add("in", f"{section}.{group}.{kind}", ref["S3Uri"])


def _check(step: Step, args: Mapping[str, Any], c: _Collector) -> None:
    _processing(args, c)
    for key in ("SuppliedBaselineStatistics", "SuppliedBaselineConstraints"):
        c.add("in", key, step.raw.get(key))
    report = c.io.outputs[0] if c.io.outputs else None
    for key in CHECK_OUTPUTS + CHECK_BASELINES:
        value = Resolved("{Steps." + step.name + "." + key + "}", False)
        if step.type == "QualityCheck" and report is not None and key in BASELINE_FILES:
            # A data/model-quality baseline job writes both files into its output.
            value = Resolved(f"{report.uri.rstrip('/')}/{BASELINE_FILES[key]}", report.resolved)
        c.io.properties.setdefault(key, value)
        if key in CHECK_OUTPUTS[:2]:
            c.add("out", key, value)


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
                c.add("out", key, value)


def _condition(args: Mapping[str, Any], c: _Collector) -> None:
    """A Condition reads the property files (evaluation reports) its conditions JsonGet."""
    if c.ctx.properties is None:
        return
    for ref in iter_gets(args.get("Conditions")):
        parts = split_step_ref(ref)
        if parts and parts[1].startswith("PropertyFiles."):
            location = c.ctx.properties(parts[0], parts[1])
            if isinstance(location, Resolved):
                c.add("in", parts[1][len("PropertyFiles.") :], location)


def _automl(args: Mapping[str, Any], c: _Collector) -> None:
    for item in _maps(args.get("InputDataConfig")) + _maps(args.get("AutoMLJobInputDataConfig")):
        c.add(
            "in",
            str(item.get("ChannelType", "training")),
            _get(item, "DataSource", "S3DataSource", "S3Uri"),
        )
    c.add("out", "automl_output", _get(args, "OutputDataConfig", "S3OutputPath"))


def _scan(value: Any, c: _Collector, path: str, previous: str = "") -> None:
    """Any S3 URI in free-form arguments (Lambda, Callback, EMR, unknown types).

    A URI is an output when its key or the flag before it in an argument list
    mentions "output" (or it is a log location); otherwise an input. Free-form
    arguments say no more than that, so this is a heuristic.
    """
    if isinstance(value, Mapping) and not _is_expression(value):
        for key, item in value.items():
            _scan(item, c, f"{path}.{key}" if path else str(key))
        return
    if isinstance(value, list):
        prev = ""
        for i, item in enumerate(value):
            _scan(item, c, f"{path}[{i}]", prev)
            prev = item if isinstance(item, str) else ""
        return
    res = c.value(value)
    if res is None or not res.text.startswith("s3://"):
        return
    hint = f"{path} {previous}".lower()
    written = "output" in hint or "loguri" in hint
    c.add("out" if written else "in", path or "uri", value)


def _is_expression(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in ("Get", "Std:Join", "Std:JsonGet")


def definition_io(step: Step, ctx: ResolutionContext | None = None) -> StepIO:
    """The S3 locations ``step`` reads and writes according to its definition."""
    c = _Collector(ctx)
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
    elif kind == "Condition":
        _condition(args, c)
    elif kind in ("Fail", "Endpoint", "InferenceComponent"):
        pass
    else:  # Lambda, Callback, EMR and types we do not know: scan for S3 URIs
        _scan(args, c, "")
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
            c.add("out", "model_artifacts", model)
            c.io.properties["ModelArtifacts.S3ModelArtifacts"] = Resolved(model)
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
        merge(ran.inputs, declared.inputs), merge(ran.outputs, declared.outputs), ran.properties
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
        found.append((pf, Location(name=pf.name, uri=uri, resolved=output.resolved)))
    return found
