"""The answers of the lineage core as Python types: the JSON Schemas in ``schema/``, typed.

Every ``$defs`` entry of ``schema/defs.schema.json`` with a ``title`` is a name here
(its TypedDict or type alias), and so is the ``title`` of each answer schema
(``LineageResponse``, ``PipelinesResponse``, ``ExecutionsResponse``, ``CompareResponse``,
``ArtifactResponse``, ``ErrorResponse``).
``tests/unit/test_models.py`` fails when a name, a key, whether it is required, or a
type (enums and nullability included) differs between the two. ``docs/api.md``
explains every field and the AWS API field it comes from.

Standard library only, Python 3.10+: a TypedDict with optional keys is a class of
its required keys plus a ``total=False`` subclass (``typing.NotRequired`` is 3.11+).
JSON keys are camelCase as on the wire; ``Edge`` uses the functional syntax because
``from`` is a Python keyword.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, TypedDict

__all__ = [
    "AccessDeniedBody",
    "AnswerWarning",
    "ApprovalStatus",
    "ArgumentChange",
    "Artifact",
    "ArtifactCheck",
    "ArtifactResponse",
    "ArtifactUse",
    "CacheComparison",
    "CacheState",
    "ChangeCause",
    "CheckCounts",
    "CheckMetadata",
    "CheckOutcome",
    "CheckResponse",
    "CompareResponse",
    "CompareSummary",
    "ConditionCheck",
    "ConditionOutcome",
    "DemoMarker",
    "EmrRun",
    "Edge",
    "EdgeVia",
    "Encryption",
    "ErrorBody",
    "ErrorResponse",
    "Execution",
    "ExecutionArn",
    "ExecutionStatus",
    "ExecutionSummary",
    "ExecutionsResponse",
    "ExportFormat",
    "ExportResponse",
    "Finding",
    "Graph",
    "InternalErrorBody",
    "Iteration",
    "JobStatus",
    "LatestExecution",
    "LineageResponse",
    "Location",
    "LocationChange",
    "MetricChange",
    "Node",
    "NodeParent",
    "NumberChange",
    "OpenLineageDataset",
    "OpenLineageEventType",
    "OpenLineageFacets",
    "OpenLineageJob",
    "OpenLineageResponse",
    "OpenLineageRun",
    "OpenLineageRunEvent",
    "OverallStatus",
    "PackageStatus",
    "ParameterChange",
    "Pipeline",
    "PipelineArn",
    "PipelineStatus",
    "PipelineSummary",
    "PipelinesResponse",
    "PolicyExceptionEntry",
    "PolicyRule",
    "PolicySummary",
    "Posture",
    "PublicAccess",
    "Region",
    "Registry",
    "Risk",
    "Role",
    "RuleCheck",
    "Run",
    "ScannedPipeline",
    "StatusChange",
    "StepComparison",
    "StepStatus",
    "StepVerdict",
    "Summary",
    "Time",
    "UriRelation",
    "Versioning",
]

# -- scalars and enums ------------------------------------------------------------

#: ISO-8601 in UTC with milliseconds (``2026-11-26T00:48:58.306Z``); None when AWS gave none.
Time: TypeAlias = str | None
#: An AWS region name (``ap-northeast-2``).
Region: TypeAlias = str
#: Only on answers read from the embedded demo account.
DemoMarker: TypeAlias = Literal[True]
PipelineArn: TypeAlias = str
ExecutionArn: TypeAlias = str

#: DescribePipeline.PipelineStatus.
PipelineStatus: TypeAlias = Literal["Active", "Deleting"]
#: PipelineExecutionStatus (DescribePipelineExecution, ListPipelineExecutions).
ExecutionStatus: TypeAlias = Literal[
    "Executing", "Stopping", "Stopped", "Failed", "Succeeded", "CompletedWithFailures"
]
#: The execution's status, or NotExecuted without one.
OverallStatus: TypeAlias = Literal[
    "Executing", "Stopping", "Stopped", "Failed", "Succeeded", "CompletedWithFailures",
    "NotExecuted",
]  # fmt: skip
#: ListPipelineExecutionSteps StepStatus, plus NotStarted (not in the execution's step
#: list) and Unknown (the step list could not be read to the end).
StepStatus: TypeAlias = Literal[
    "Starting", "Executing", "Stopping", "Stopped", "Failed", "Succeeded", "NotStarted", "Unknown"
]
#: The ``*JobStatus`` of DescribeProcessingJob / TrainingJob / TransformJob /
#: HyperParameterTuningJob.
JobStatus: TypeAlias = Literal[
    "InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting", "DeleteFailed"
]
#: DescribeModelPackage.ModelApprovalStatus.
ApprovalStatus: TypeAlias = Literal["Approved", "Rejected", "PendingManualApproval"]
#: DescribeModelPackage.ModelPackageStatus.
PackageStatus: TypeAlias = Literal["Pending", "InProgress", "Completed", "Failed", "Deleting"]
#: Metadata.Condition.Outcome of a Condition step.
ConditionOutcome: TypeAlias = Literal["True", "False"]
#: What a location holds (data, model artifacts, code, reports, debug output).
Role: TypeAlias = Literal["data", "model", "code", "report", "debug"]
#: Why one step comes after another (DependsOn, ForEachBody, a Get, a Condition branch).
EdgeVia: TypeAlias = Literal["dependsOn", "forEach", "ref:Get", "condition:if", "condition:else"]
#: GetBucketEncryption's default SSEAlgorithm, None (no default encryption) or Unknown.
Encryption: TypeAlias = Literal[
    "AES256", "aws:kms", "aws:kms:dsse", "aws:fsx", "aws:backup", "None", "Unknown"
]
#: GetBucketVersioning.Status, Disabled (never enabled) or Unknown.
Versioning: TypeAlias = Literal["Enabled", "Suspended", "Disabled", "Unknown"]
#: GetPublicAccessBlock: all four flags on, some, none; or Unknown.
PublicAccess: TypeAlias = Literal["Blocked", "Partial", "NotBlocked", "Unknown"]
#: What a reviewer would flag on a bucket.
Finding: TypeAlias = Literal[
    "NotEncrypted", "PublicAccessNotBlocked", "PublicAccessPartiallyBlocked", "VersioningOff",
    "PostureUnknown",
]  # fmt: skip


class AnswerWarning(TypedDict):
    """A read the answer did without, or something a reader should know (``code``:
    AccessDenied, NotFound, Throttled, Timeout, ..., or AWS's error code)."""

    code: str
    target: str
    message: str


# -- /lineage ----------------------------------------------------------------------


class Pipeline(TypedDict):
    """DescribePipeline, ListTags (``tags``) and the region that was read."""

    name: str
    arn: PipelineArn
    region: Region
    displayName: str
    description: str | None
    status: PipelineStatus | None
    creationTime: Time
    lastModifiedTime: Time
    lastRunTime: Time
    tags: dict[str, str]


class Execution(TypedDict):
    """DescribePipelineExecution (else its ListPipelineExecutions entry) and
    ListPipelineParametersForExecution (``parameters``). ``elapsedSec`` in seconds."""

    arn: ExecutionArn
    displayName: str | None
    status: ExecutionStatus | None
    startTime: Time
    endTime: Time
    elapsedSec: int | None
    failureReason: str | None
    parameters: dict[str, str]


class _SummaryRequired(TypedDict):
    overallStatus: OverallStatus
    nodeStatus: dict[StepStatus, int]
    elapsedSec: int | None
    lastScanned: Time
    stepCount: int
    reused: int
    failedSteps: list[str]


class Summary(_SummaryRequired, total=False):
    """Counts of ``run.status`` over the nodes (``reused``: steps a selective execution
    took from another execution, counted apart); ``lastScanned`` is the latest step end
    time, else the pipeline's LastModifiedTime; ``failedSteps``: the Failed node ids.
    ``incomplete``, only when the request's
    deadline cut reads off: how many steps are not fully read yet (the ``Incomplete``
    warning names them; asking again reads only those)."""

    incomplete: int


class NodeParent(TypedDict):
    """The Condition step whose IfSteps (``if``) or ElseSteps (``else``) hold a step, or
    the ForEach step whose ForEachBody (``body``) holds it."""

    step: str
    branch: Literal["if", "else", "body"]


class Location(TypedDict):
    """One S3 input or output of a step; ``artifactId`` is its ``graph.artifacts`` id."""

    name: str
    uri: str
    artifactId: int
    resolved: bool
    role: Role


class Registry(TypedDict):
    """DescribeModelPackage of a model-registration step."""

    modelPackageArn: str
    modelPackageGroup: str | None
    version: int | None
    approvalStatus: ApprovalStatus | None
    packageStatus: PackageStatus | None
    creationTime: Time


class _ConditionCheckRequired(TypedDict):
    type: str
    outcome: bool | None


class ConditionCheck(_ConditionCheckRequired, total=False):
    """One condition of a Condition step with the values it compared, resolved for the
    run (a ``{...}`` placeholder where unknown), and its outcome (None while a value is
    unknown): ``left``/``right`` (LeftValue, RightValue) of a comparison, ``value``/
    ``values`` (QueryValue, Values) of In / NotIn, ``expression`` of Not, ``conditions``
    of Or."""

    left: Any
    right: Any
    value: Any
    values: list[Any]
    expression: ConditionCheck
    conditions: list[ConditionCheck]


class EmrRun(TypedDict, total=False):
    """Metadata.EMR (ClusterId, StepId, StepName, LogFilePath) or Metadata.EMRServerless
    (ApplicationId, JobRunId, JobRunName, LogFilePath), lower camel case."""

    clusterId: str
    stepId: str
    stepName: str
    applicationId: str
    jobRunId: str
    jobRunName: str
    logFilePath: str


class CheckMetadata(TypedDict, total=False):
    """Metadata.QualityCheck / Metadata.ClarifyCheck with lower-camel keys (AWS's keys:
    any other it sends is kept too)."""

    checkType: str
    baselineUsedForDriftCheckStatistics: str
    baselineUsedForDriftCheckConstraints: str
    calculatedBaselineStatistics: str
    calculatedBaselineConstraints: str
    modelPackageGroupName: str
    violationReport: str
    checkJobArn: str
    skipCheck: bool
    registerNewBaseline: bool


class Iteration(TypedDict):
    """One run of a step inside a ForEach body (IterationContext.Index)."""

    index: int
    status: StepStatus
    startTime: Time
    endTime: Time
    jobArn: str | None
    failureReason: str | None


class _RunRequired(TypedDict):
    status: StepStatus
    startTime: Time
    endTime: Time
    elapsedSec: int | None
    jobArn: str | None
    metrics: dict[str, float | None]
    failureReason: str | None
    cacheHit: bool
    attempts: int
    registry: Registry | None


class Run(_RunRequired, total=False):
    """A step's ListPipelineExecutionSteps entry (its latest attempt) and the job or
    model package it names. ``metrics``: FinalMetricDataList; ``cacheSource``:
    CacheHitResult.SourcePipelineExecutionArn; ``reusedFrom``:
    SelectiveExecutionResult.SourcePipelineExecutionArn; ``reports``: property file
    name -> the JSON document read with GetObject."""

    cacheSource: ExecutionArn
    reusedFrom: ExecutionArn
    conditionOutcome: ConditionOutcome
    conditions: list[ConditionCheck]
    errorMessage: str
    jobStatus: JobStatus | None
    bestTrainingJob: str | None
    reports: dict[str, Any]
    check: CheckMetadata
    emr: EmrRun
    outputParameters: dict[str, str]
    iterations: list[Iteration]


class _NodeRequired(TypedDict):
    id: str
    type: str
    displayName: str
    description: str | None
    parent: NodeParent | None
    inputs: list[Location]
    outputs: list[Location]


class Node(_NodeRequired, total=False):
    """One step of the definition (Name, Type, DisplayName, Description); ``run`` only
    when an execution was read."""

    run: Run


#: One edge per (from, to, via); ``from`` and ``to`` are node ids.
Edge = TypedDict("Edge", {"from": str, "to": str, "via": EdgeVia})


class Posture(TypedDict):
    """A bucket's GetBucketEncryption, GetBucketVersioning, GetPublicAccessBlock,
    GetBucketTagging and GetBucketLocation verdicts; ``readAt``: when they were read
    (the posture may come from the cache)."""

    encryption: Encryption
    versioning: Versioning
    publicAccess: PublicAccess
    tags: dict[str, str] | Literal["Unknown"]
    region: Region | Literal["Unknown"]
    findings: list[Finding]
    readAt: Time


#: How a step's location relates to a URI: the same, a prefix that contains it, or
#: inside it (the URI is a prefix of the location).
UriRelation: TypeAlias = Literal["exact", "contains", "within"]


class ArtifactUse(TypedDict):
    """One step of a pipeline of the region whose input or output (from its current
    definition, resolved with its latest execution's parameters) relates to a URI."""

    pipeline: str
    arn: PipelineArn
    step: str
    stepType: str
    location: str
    uri: str
    resolved: bool
    relation: UriRelation


class _ArtifactRequired(TypedDict):
    id: int
    uri: str
    bucket: str | None
    key: str | None
    resolved: bool
    producers: list[str]
    consumers: list[str]
    s3: Posture | None


class Artifact(_ArtifactRequired, total=False):
    """One distinct S3 URI, the node ids that write and read it, its bucket's posture
    (None without a bucket or with bucket metadata off). With ``includeCrossPipeline``:
    the other pipelines of the region that write it (``upstreamPipelines``) and read
    it (``downstreamPipelines``)."""

    upstreamPipelines: list[ArtifactUse]
    downstreamPipelines: list[ArtifactUse]


class Risk(TypedDict):
    """A path from a flagged artifact to a step that registers a model package
    (``core/risks.py``); ``approvalStatus``: run.registry.approvalStatus."""

    artifactId: int
    uri: str
    findings: list[Finding]
    modelStep: str
    modelPackageArn: str | None
    approvalStatus: ApprovalStatus | None
    steps: list[str]
    artifacts: list[int]
    message: str


class Graph(TypedDict):
    nodes: list[Node]
    edges: list[Edge]
    artifacts: list[Artifact]
    risks: list[Risk]


class _LineageResponseRequired(TypedDict):
    pipeline: Pipeline | None
    execution: Execution | None
    summary: Summary
    graph: Graph
    warnings: list[AnswerWarning]


class LineageResponse(_LineageResponseRequired, total=False):
    """The 200 answer of ``/lineage`` (``pipeline`` is None only for a definition drawn
    without AWS; ``execution`` None when no execution was read)."""

    demo: DemoMarker


# -- /pipelines ---------------------------------------------------------------------


class LatestExecution(TypedDict):
    """The newest ListPipelineExecutions entry of a pipeline."""

    arn: ExecutionArn
    status: ExecutionStatus | None
    startTime: Time


class PipelineSummary(TypedDict):
    """One ListPipelines entry and its latest execution (None: never ran, or unreadable)."""

    name: str
    arn: PipelineArn
    displayName: str
    description: str | None
    creationTime: Time
    lastModifiedTime: Time
    lastExecutionTime: Time
    latestExecution: LatestExecution | None


class _PipelinesResponseRequired(TypedDict):
    region: Region
    pipelines: list[PipelineSummary]
    warnings: list[AnswerWarning]


class PipelinesResponse(_PipelinesResponseRequired, total=False):
    """The 200 answer of ``/pipelines``."""

    demo: DemoMarker


# -- /executions ---------------------------------------------------------------------


class ExecutionSummary(TypedDict):
    """One ListPipelineExecutions entry (PipelineExecutionFailureReason as ``failureReason``)."""

    arn: ExecutionArn
    displayName: str | None
    status: ExecutionStatus | None
    startTime: Time
    failureReason: str | None


class _ExecutionsResponseRequired(TypedDict):
    pipeline: str
    region: Region
    executions: list[ExecutionSummary]
    warnings: list[AnswerWarning]


class ExecutionsResponse(_ExecutionsResponseRequired, total=False):
    """The 200 answer of ``/executions``: newest first, at most ``limit``."""

    demo: DemoMarker


# -- /check ----------------------------------------------------------------------------

#: A bucket rule of the posture gate (core/policy.py).
PolicyRule: TypeAlias = Literal["encryption", "public-access", "versioning"]
#: What one rule found: pass, fail, unknown (unread), excepted (an exception covers it).
CheckOutcome: TypeAlias = Literal["pass", "fail", "unknown", "excepted"]


class RuleCheck(TypedDict):
    """One rule on one artifact's bucket posture; ``value``: the ``s3`` value it read;
    ``reason``: the covering exception's reason."""

    rule: PolicyRule
    outcome: CheckOutcome
    value: str | None
    message: str
    reason: str | None


class ArtifactCheck(TypedDict):
    """The policy's rules on one S3 artifact; ``outcome``: its worst check's."""

    artifactId: int
    uri: str
    bucket: str | None
    key: str | None
    producers: list[str]
    consumers: list[str]
    outcome: CheckOutcome
    checks: list[RuleCheck]


class PolicyExceptionEntry(TypedDict):
    """Buckets (an fnmatch pattern) and an optional key prefix excepted from ``rules``."""

    bucket: str
    prefix: str | None
    rules: list[PolicyRule]
    reason: str


class PolicySummary(TypedDict):
    """The policy applied: ``source`` is ``default`` or the file it was read from."""

    source: str
    rules: list[PolicyRule]
    unknown: Literal["fail", "allow"]
    exceptions: list[PolicyExceptionEntry]


class CheckCounts(TypedDict):
    """Artifacts checked, and how many have each outcome."""

    artifacts: int
    passed: int
    failed: int
    unknown: int
    excepted: int


class _CheckResponseRequired(TypedDict):
    pipeline: Pipeline
    execution: Execution | None
    passed: bool
    policy: PolicySummary
    counts: CheckCounts
    results: list[ArtifactCheck]
    risks: list[Risk]
    warnings: list[AnswerWarning]


class CheckResponse(_CheckResponseRequired, total=False):
    """The 200 answer of ``/check``: the posture gate's verdict."""

    demo: DemoMarker


# -- /compare ------------------------------------------------------------------------

#: What changed most about a step, for colouring: present only in the head's definition
#: (added) or the base's (removed); failed now and not before; succeeded now and not
#: before; slower or faster by 10 % and 5 s or more; anything else changed; nothing.
StepVerdict: TypeAlias = Literal[
    "added", "removed", "newlyFailing", "newlyPassing", "slower", "faster", "changed",
    "unchanged",
]  # fmt: skip
#: Why a value of a step's definition differs between two executions: the definition
#: itself changed there, or a parameter, another step's property, or an execution
#: variable (``Execution.PipelineExecutionId``) it refers to resolved differently.
ChangeCause: TypeAlias = Literal["definition", "parameter", "upstream", "execution"]


class NumberChange(TypedDict):
    """A number in the base and the head execution; ``delta`` = after - before,
    ``percent`` = delta / before x 100 (one decimal; None when before is 0 or either is None)."""

    before: float | None
    after: float | None
    delta: float | None
    percent: float | None


class MetricChange(TypedDict):
    """One training metric (FinalMetricDataList) in the base and the head run."""

    name: str
    before: float | None
    after: float | None
    delta: float | None
    percent: float | None


class StatusChange(TypedDict):
    """``run.status`` in the base and the head execution (None: not in that definition)."""

    before: StepStatus | None
    after: StepStatus | None


class ArgumentChange(TypedDict):
    """One difference in a step's definition (its Arguments, CacheConfig, DependsOn,
    ...), values resolved as each execution ran; ``path`` like
    ``Arguments.HyperParameters.max_depth``; ``source`` names the parameter, step or
    execution variable behind a ``cause`` other than ``definition``; ``cacheKey``: the
    path is one of the step type's cache-key attributes."""

    path: str
    kind: Literal["added", "removed", "changed"]
    before: Any
    after: Any
    cause: ChangeCause
    source: str | None
    cacheKey: bool


class LocationChange(TypedDict):
    """An input or output (by name) whose S3 URI differs (None: absent in that run)."""

    name: str
    before: str | None
    after: str | None


class CacheState(TypedDict):
    """A step's CacheConfig in a definition and whether its run was a cache hit
    (``source``: CacheHitResult.SourcePipelineExecutionArn)."""

    enabled: bool
    expireAfter: str | None
    hit: bool
    source: ExecutionArn | None


class CacheComparison(TypedDict):
    """Step caching in both executions, and why the head's run hit or missed the cache
    (``keyChanges``: the cache-key paths that changed since the base)."""

    before: CacheState
    after: CacheState
    reason: str
    keyChanges: list[str]


class StepComparison(TypedDict):
    """One step of either execution's definition, compared."""

    step: str
    type: str
    verdict: StepVerdict
    status: StatusChange
    durationSec: NumberChange
    metrics: list[MetricChange]
    arguments: list[ArgumentChange]
    inputs: list[LocationChange]
    outputs: list[LocationChange]
    cache: CacheComparison | None


class ParameterChange(TypedDict):
    """A pipeline parameter whose value (ListPipelineParametersForExecution) differs."""

    name: str
    before: str | None
    after: str | None


class CompareSummary(TypedDict):
    """The comparison at a glance: step names by verdict, the execution's elapsed time."""

    elapsedSec: NumberChange
    slower: list[str]
    faster: list[str]
    newlyFailing: list[str]
    newlyPassing: list[str]
    added: list[str]
    removed: list[str]
    changed: list[str]
    parametersChanged: list[str]
    definitionChanged: bool
    cacheHits: list[str]
    cacheMisses: list[str]


class _CompareResponseRequired(TypedDict):
    pipeline: Pipeline
    base: Execution
    head: Execution
    summary: CompareSummary
    parameters: list[ParameterChange]
    steps: list[StepComparison]
    edges: list[Edge]
    warnings: list[AnswerWarning]


class CompareResponse(_CompareResponseRequired, total=False):
    """The 200 answer of ``/compare``: ``steps`` in the head's definition order, then the
    steps only the base had; ``edges`` of both definitions."""

    demo: DemoMarker


# -- /openlineage ------------------------------------------------------------------------

#: OpenLineage RunEvent eventType.
OpenLineageEventType: TypeAlias = Literal["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]
#: Facets by name; each has ``_producer`` and ``_schemaURL`` (core/openlineage.py).
OpenLineageFacets: TypeAlias = dict[str, dict[str, Any]]


class OpenLineageRun(TypedDict):
    """``runId``: a UUIDv7 from the run's start time and ARN."""

    runId: str
    facets: OpenLineageFacets


class OpenLineageJob(TypedDict):
    """``namespace``: ``arn:<partition>:sagemaker:<region>:<account>``; ``name``: the
    pipeline, or ``<pipeline>.<step>``."""

    namespace: str
    name: str
    facets: OpenLineageFacets


class _OpenLineageDatasetRequired(TypedDict):
    namespace: str
    name: str
    facets: OpenLineageFacets


class OpenLineageDataset(_OpenLineageDatasetRequired, total=False):
    """An S3 dataset: namespace ``s3://<bucket>``, name the key; inputs carry
    ``inputFacets``, outputs ``outputFacets``."""

    inputFacets: OpenLineageFacets
    outputFacets: OpenLineageFacets


class OpenLineageRunEvent(TypedDict):
    """An OpenLineage RunEvent (spec 2-0-2), as the OpenLineage client serialises it."""

    eventTime: str
    producer: str
    schemaURL: Literal["https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"]
    eventType: OpenLineageEventType
    run: OpenLineageRun
    job: OpenLineageJob
    inputs: list[OpenLineageDataset]
    outputs: list[OpenLineageDataset]


class _OpenLineageResponseRequired(TypedDict):
    pipeline: str
    region: Region
    execution: ExecutionArn
    namespace: str
    events: list[OpenLineageRunEvent]
    warnings: list[AnswerWarning]


class OpenLineageResponse(_OpenLineageResponseRequired, total=False):
    """The 200 answer of ``/openlineage``."""

    demo: DemoMarker


# -- /artifact -----------------------------------------------------------------------


class ScannedPipeline(TypedDict):
    """A pipeline that writes or reads the URI: its ListPipelines entry and latest execution."""

    name: str
    arn: PipelineArn
    lastModifiedTime: Time
    latestExecution: LatestExecution | None


class _ArtifactResponseRequired(TypedDict):
    region: Region
    uri: str
    producers: list[ArtifactUse]
    consumers: list[ArtifactUse]
    pipelines: list[ScannedPipeline]
    scanned: int
    warnings: list[AnswerWarning]


class ArtifactResponse(_ArtifactResponseRequired, total=False):
    """The 200 answer of ``/artifact`` (``scanned``: how many pipelines were read)."""

    demo: DemoMarker


# -- /export -------------------------------------------------------------------------

#: The drawings of ``/export``: a Mermaid flowchart, a Graphviz digraph.
ExportFormat: TypeAlias = Literal["mermaid", "dot"]


class _ExportResponseRequired(TypedDict):
    pipeline: str
    region: Region
    execution: ExecutionArn | None
    format: ExportFormat
    artifacts: bool
    text: str
    warnings: list[AnswerWarning]


class ExportResponse(_ExportResponseRequired, total=False):
    """The 200 answer of ``/export``: ``text`` is ``core/export.py``'s drawing of the
    lineage of ``execution`` (None: the pipeline never ran, its definition is drawn)."""

    demo: DemoMarker


# -- errors --------------------------------------------------------------------------


class ErrorBody(TypedDict):
    """A 400 (the message names the parameter) or a 404 (always the same sentence)."""

    message: str


class InternalErrorBody(TypedDict):
    """A 500: the cause is only in the log, under ``requestId``."""

    message: Literal["internal error"]
    requestId: str


class AccessDeniedBody(TypedDict):
    """A 500 for a role that may not read the pipeline: the IAM action to grant."""

    message: str
    requestId: str
    code: Literal["AccessDenied"]
    action: str


ErrorResponse: TypeAlias = ErrorBody | InternalErrorBody | AccessDeniedBody
