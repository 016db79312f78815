"""An AWS account for the lineage benchmark: moto in its own process, behind an observer.

``serve`` (the child process) runs moto's WSGI application behind :class:`Observer`,
a WSGI middleware that plays the part of the network and of AWS's limits:

- it waits ``latency_ms`` before answering each request (every HTTP attempt);
- with ``throttle`` on, each operation has a token bucket (SageMaker reads
  ``sagemaker_rate``/s, S3 bucket-configuration reads ``s3_rate``/s, bursts of the
  same size); an empty bucket answers SageMaker's ``ThrottlingException`` (400)
  or S3's ``SlowDown`` (503), as AWS does;
- it serves ``ListPipelineExecutionSteps``, which moto does not implement, from the
  step records the benchmark posted (validated against botocore's output shape
  before posting: ``hooks.validate_output``);
- it records every request (operation, arrival, departure, HTTP status): the
  rounds counted from these records are what an observer outside the client sees.

``/_bench/*`` is its control surface (config, steps, calls). ``generate`` builds a
layered N-step pipeline over 20 buckets and ``seed`` creates it through the AWS API
(buckets, pipeline, execution, one job per step), so the account is built the way
a user's would be, not by reaching into moto's memory.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs

REGION = "ap-northeast-2"
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-bench"
BUCKETS = tuple(f"lineage-bench-data-{i:02d}" for i in range(20))
SKLEARN_IMAGE = (
    "366743142698.dkr.ecr.ap-northeast-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
)
XGBOOST_IMAGE = "366743142698.dkr.ecr.ap-northeast-2.amazonaws.com/sagemaker-xgboost:1.7-1"
#: Steps side by side in one layer of a generated pipeline.
LAYER_WIDTH = 20
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "benchmark",
    "AWS_SECRET_ACCESS_KEY": "benchmark",
    "AWS_SESSION_TOKEN": "benchmark",
}
#: S3 reads the throttling model limits (a bucket's configuration).
S3_CONFIGURATION_READS = {
    "encryption": "GetBucketEncryption",
    "versioning": "GetBucketVersioning",
    "publicAccessBlock": "GetPublicAccessBlock",
    "tagging": "GetBucketTagging",
    "location": "GetBucketLocation",
}


# -- the child process: moto behind the observer ------------------------------------------


class TokenBucket:
    """``rate`` tokens per second, at most ``capacity`` kept (thread-safe)."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens = capacity
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


@dataclass
class ObserverConfig:
    latency_ms: float = 0.0
    throttle: bool = False
    sagemaker_rate: float = 10.0
    s3_rate: float = 5.0
    record: bool = False
    #: answer a read moto answered before from memory (the account no longer changes)
    memo: bool = False


@dataclass
class Observer:
    """WSGI middleware in front of moto (see module docstring)."""

    app: Callable[..., Iterable[bytes]]
    config: ObserverConfig = field(default_factory=ObserverConfig)
    steps: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: (operation, arrived, answered, HTTP status, throttled) per request
    calls: list[tuple[str, float, float, int, bool]] = field(default_factory=list)
    buckets: dict[str, TokenBucket] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: (method, path, query, target, body) -> moto's answer to that read
    answers: dict[tuple[str, ...], tuple[str, list[tuple[str, str]], bytes]] = field(
        default_factory=dict
    )

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_bench/"):
            return self._control(path, environ, start_response)
        operation, limited = self._operation(environ)
        config = self.config
        arrived = time.monotonic()
        if config.latency_ms:
            time.sleep(config.latency_ms / 1000)
        throttled = config.throttle and limited and not self._bucket(operation, config).take()
        if throttled:
            status, headers, body = self._throttled(operation)
        elif operation == "ListPipelineExecutionSteps":
            status, headers, body = self._list_steps(environ)
        else:
            status, headers, body = self._read(environ, operation, config.memo)
        if config.record:
            with self.lock:
                self.calls.append(
                    (operation, arrived, time.monotonic(), int(status[:3]), throttled)
                )
        start_response(status, headers)
        return [body]

    # -- what the request is -------------------------------------------------------

    @staticmethod
    def _operation(environ: dict[str, Any]) -> tuple[str, bool]:
        """(operation name, whether the throttling model limits it)."""
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("SageMaker."):
            return target.split(".", 1)[1], True
        method = environ.get("REQUEST_METHOD", "GET")
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        parts = environ.get("PATH_INFO", "/").strip("/").split("/", 1)
        if method == "GET" and len(parts) == 1:
            for key, operation in S3_CONFIGURATION_READS.items():
                if key in query:
                    return operation, True
        if method == "GET" and len(parts) == 2:
            return "GetObject", False
        return f"{method} {environ.get('PATH_INFO', '')}", False

    def _bucket(self, operation: str, config: ObserverConfig) -> TokenBucket:
        with self.lock:
            bucket = self.buckets.get(operation)
            if bucket is None:
                rate = config.s3_rate if operation.startswith("Get") else config.sagemaker_rate
                bucket = self.buckets[operation] = TokenBucket(rate, rate)
            return bucket

    # -- answers -------------------------------------------------------------------

    @staticmethod
    def _throttled(operation: str) -> tuple[str, list[tuple[str, str]], bytes]:
        if operation.startswith("Get"):  # S3 (REST-XML)
            body = (
                b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>SlowDown</Code>"
                b"<Message>Please reduce your request rate.</Message></Error>"
            )
            return "503 Slow Down", [("Content-Type", "application/xml")], body
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")], body

    def _list_steps(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length) or b"{}")
        arn = request.get("PipelineExecutionArn", "")
        headers = [("Content-Type", "application/x-amz-json-1.1")]
        if arn not in self.steps:
            error = {
                "__type": "ResourceNotFound",
                "message": f"Pipeline execution {arn} does not exist.",
            }
            return "400 Bad Request", headers, json.dumps(error).encode()
        steps = self.steps[arn]  # posted in ascending StartTime
        if request.get("SortOrder", "Descending") == "Descending":
            steps = steps[::-1]
        start = int(request.get("NextToken") or 0)
        size = int(request.get("MaxResults") or 50)
        page: dict[str, Any] = {"PipelineExecutionSteps": steps[start : start + size]}
        if start + size < len(steps):
            page["NextToken"] = str(start + size)
        return "200 OK", headers, json.dumps(page).encode()

    def _read(
        self, environ: dict[str, Any], operation: str, memo: bool
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        """moto's answer; with ``memo``, a read (Describe*, List*, Get*) moto answered
        before is answered again from memory, so that moto's CPU (1-3 ms a request, on
        the same cores as the reader) stays out of the measurement once seeded."""
        if not memo or not operation.startswith(("Describe", "List", "Get")):
            return self._moto(environ)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        key = (
            environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""), environ.get("HTTP_X_AMZ_TARGET", ""),
            body.decode("utf-8", "replace"),
        )  # fmt: skip
        answer = self.answers.get(key)
        if answer is None:
            answer = self._moto(environ)
            if answer[0].startswith(("200", "404")):  # 404: "not configured" in S3
                self.answers[key] = answer
        return answer

    def _moto(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            answer["status"], answer["headers"] = status, headers

        chunks = self.app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        return answer["status"], answer["headers"], body

    # -- control surface -----------------------------------------------------------

    def _control(
        self, path: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = json.loads(environ["wsgi.input"].read(length) or b"null") if length else None
        result: Any = {"ok": True}
        if path == "/_bench/config":
            self.config = ObserverConfig(**payload)
            with self.lock:
                self.buckets.clear()  # every throttled run starts with full buckets
        elif path == "/_bench/steps":
            self.steps.update(payload)
        elif path == "/_bench/calls":
            with self.lock:
                result, self.calls = self.calls, []
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(result).encode()]


def serve(conn: Any) -> None:
    """Child process: moto's server application behind the observer, on a free port.

    Served by tornado's HTTP server (HTTP/1.1 keep-alive, as AWS's endpoints keep
    connections open; werkzeug's development server closes every one), the WSGI
    application running on a pool wide enough for every request a benchmark has
    under way at once (each sleeps ``latency_ms`` there).
    """
    import asyncio

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("tornado.access").disabled = True  # throttled 503s are the point
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.wsgi import WSGIContainer

    async def main() -> None:
        observer = Observer(DomainDispatcherApplication(create_backend_app))
        container = WSGIContainer(observer, executor=ThreadPoolExecutor(2048))
        sockets = bind_sockets(0, "127.0.0.1", backlog=2048)
        server = HTTPServer(container)
        server.add_sockets(sockets)
        conn.send(sockets[0].getsockname()[1])
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # any message: stop
        server.stop()

    asyncio.run(main())


class AwsDouble:
    """The parent's handle on the child process: start, control, stop."""

    def __init__(self) -> None:
        self.port = 0
        self._conn: Any = None
        self._process: Any = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child,), daemon=True)
        self._process.start()
        self.port = self._conn.recv()

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.send("stop")
            self._process.join(5)

    def _post(self, path: str, payload: Any = None) -> Any:
        import urllib.request

        data = json.dumps(payload).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method="POST")
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (localhost)
            return json.loads(answer.read())

    def configure(self, **settings: Any) -> None:
        self._post("/_bench/config", settings)

    def post_steps(self, steps: dict[str, list[dict[str, Any]]]) -> None:
        self._post("/_bench/steps", steps)

    def calls(self) -> list[tuple[str, float, float, int, bool]]:
        """Every request recorded since the last call (and forget them)."""
        return [tuple(c) for c in self._post("/_bench/calls")]  # type: ignore[misc]


def client_environment(endpoint: str) -> dict[str, str]:
    """What a process needs in its environment to read the double with the default chain."""
    return {
        **CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


# -- generated pipelines ---------------------------------------------------------------


@dataclass
class GeneratedStep:
    name: str
    type: str  # Processing | Training | Condition
    layer: int
    arguments: dict[str, Any]
    #: the job's create arguments with every reference resolved (None: no job)
    job: dict[str, Any] | None
    #: what a later step reading this one's output receives: (Get path, resolved URI)
    output: tuple[str, str] | None


def pipeline_name(steps: int) -> str:
    return f"bench-pipeline-{steps}"


def generate(
    steps: int, buckets: tuple[str, ...] = BUCKETS
) -> tuple[dict[str, Any], list[GeneratedStep]]:
    """A layered pipeline of ``steps`` steps over ``buckets`` (and its jobs' arguments).

    Layers of 20 steps; about three in four are Processing, one in four Training, and
    every fifth layer ends with a Condition on a training metric. Each step reads the
    output of a step in the layer before (``Get``), depends on another (``DependsOn``),
    and every Processing step also reads one shared configuration prefix: that artifact
    has as many consumers as the pipeline has Processing steps.
    """
    name = pipeline_name(steps)
    generated: list[GeneratedStep] = []
    for index in range(steps):
        layer, column = divmod(index, LAYER_WIDTH)
        step_name = f"L{layer:03d}-S{column:02d}"
        bucket = buckets[(index * 7 + layer) % len(buckets)]
        previous = generated[(layer - 1) * LAYER_WIDTH :] if layer else []
        upstream = previous[(column + 1) % len(previous)] if previous else None
        if upstream is not None and upstream.output is None:
            upstream = next((s for s in previous if s.output is not None), None)
        after = previous[(column + 7) % len(previous)].name if previous else None
        if column == LAYER_WIDTH - 1 and layer % 5 == 4:
            trained = next((s for s in previous if s.type == "Training"), None)
            generated.append(_condition(step_name, layer, trained))
        elif column % 4 == 3 and upstream is not None:
            generated.append(_training(step_name, layer, bucket, upstream, name))
        else:
            generated.append(_processing(step_name, layer, bucket, upstream, buckets[0]))
        if after and after != (upstream.name if upstream else None):
            generated[-1].arguments.setdefault("__DependsOn", [after])
    definition_steps = []
    for step in generated:
        arguments = dict(step.arguments)
        depends = arguments.pop("__DependsOn", None)
        entry: dict[str, Any] = {"Name": step.name, "Type": step.type, "Arguments": arguments}
        if depends:
            entry["DependsOn"] = depends
        definition_steps.append(entry)
    definition = {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [
            {"Name": "ProcessingInstanceType", "Type": "String", "DefaultValue": "ml.m5.large"}
        ],
        "PipelineExperimentConfig": {
            "ExperimentName": {"Get": "Execution.PipelineName"},
            "TrialName": {"Get": "Execution.PipelineExecutionId"},
        },
        "Steps": definition_steps,
    }
    return definition, generated


def _input(uri: Any, name: str) -> dict[str, Any]:
    return {
        "InputName": name,
        "AppManaged": False,
        "S3Input": {
            "S3Uri": uri, "LocalPath": f"/opt/ml/processing/input/{name}", "S3DataType": "S3Prefix",
            "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated",
        },
    }  # fmt: skip


def _processing(
    name: str, layer: int, bucket: str, upstream: GeneratedStep | None, shared_bucket: str
) -> GeneratedStep:
    output = f"s3://{bucket}/layer-{layer:03d}/{name}/output"
    shared = f"s3://{shared_bucket}/shared/config/"
    source: tuple[Any, str] = (
        ({"Get": upstream.output[0]}, upstream.output[1])
        if upstream is not None and upstream.output is not None
        else (f"s3://{bucket}/raw/{name}/", f"s3://{bucket}/raw/{name}/")
    )

    def arguments(upstream_uri: Any, instance_type: Any) -> dict[str, Any]:
        return {
            "ProcessingResources": {
                "ClusterConfig": {"InstanceType": instance_type, "InstanceCount": 1, "VolumeSizeInGB": 30}
            },
            "AppSpecification": {"ImageUri": SKLEARN_IMAGE, "ContainerArguments": ["--layer", str(layer)]},
            "RoleArn": ROLE_ARN,
            "ProcessingInputs": [_input(upstream_uri, "upstream"), _input(shared, "shared")],
            "ProcessingOutputConfig": {
                "Outputs": [
                    {
                        "OutputName": "output", "AppManaged": False,
                        "S3Output": {"S3Uri": output, "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"},
                    }
                ]
            },
        }  # fmt: skip

    return GeneratedStep(
        name, "Processing", layer,
        arguments(source[0], {"Get": "Parameters.ProcessingInstanceType"}),
        arguments(source[1], "ml.m5.large"),
        (f"Steps.{name}.ProcessingOutputConfig.Outputs['output'].S3Output.S3Uri", output),
    )  # fmt: skip


def _training(
    name: str, layer: int, bucket: str, upstream: GeneratedStep, pipeline: str
) -> GeneratedStep:
    assert upstream.output is not None
    output_path = f"s3://{bucket}/models/{name}"

    def arguments(train_uri: Any) -> dict[str, Any]:
        return {
            "AlgorithmSpecification": {"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
            "OutputDataConfig": {"S3OutputPath": output_path},
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
            "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": 1, "InstanceType": "ml.m5.xlarge"},
            "RoleArn": ROLE_ARN,
            "InputDataConfig": [
                {
                    "ChannelName": "train",
                    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": train_uri, "S3DataDistributionType": "FullyReplicated"}},
                    "ContentType": "text/csv",
                }
            ],
            "HyperParameters": {"max_depth": "5", "num_round": "50"},
        }  # fmt: skip

    # The job's name is known once seeded: the model URI is filled in by ``seed``.
    return GeneratedStep(
        name, "Training", layer, arguments({"Get": upstream.output[0]}), arguments(upstream.output[1]),
        (f"Steps.{name}.ModelArtifacts.S3ModelArtifacts", f"{output_path}/{{job}}/output/model.tar.gz"),
    )  # fmt: skip


def _condition(name: str, layer: int, trained: GeneratedStep | None) -> GeneratedStep:
    left: Any = (
        {"Get": f"Steps.{trained.name}.FinalMetricDataList['validation:rmse'].Value"}
        if trained
        else 1.0
    )
    arguments = {
        "Conditions": [{"Type": "LessThanOrEqualTo", "LeftValue": left, "RightValue": 5.0}],
        "IfSteps": [],
        "ElseSteps": [],
    }
    return GeneratedStep(name, "Condition", layer, arguments, None, None)


# -- seeding through the AWS API ---------------------------------------------------------


def _seed_bucket(s3: Any, index: int, bucket: str) -> None:
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    kind = index % 4
    if kind in (0, 3):
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        )
    elif kind == 1:
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )
    if kind != 2:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True,
                "BlockPublicPolicy": kind != 1, "RestrictPublicBuckets": kind != 1,
            },
        )  # fmt: skip
        s3.put_bucket_tagging(
            Bucket=bucket,
            Tagging={
                "TagSet": [
                    {"Key": "Env", "Value": "benchmark"},
                    {"Key": "Shard", "Value": str(index)},
                ]
            },
        )


def _resolve_model_uri(value: Any, jobs: dict[str, str]) -> Any:
    """Replace ``{job}`` placeholders of training outputs with the seeded job's name."""
    if isinstance(value, dict):
        return {k: _resolve_model_uri(v, jobs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_model_uri(v, jobs) for v in value]
    if isinstance(value, str) and "{job}" in value:
        step = value.split("/models/", 1)[1].split("/", 1)[0]
        return value.replace("{job}", jobs[step])
    return value


def _run_step(
    sm: Any, step: GeneratedStep, index: int, jobs: dict[str, str], started: datetime
) -> dict[str, Any]:
    """Create the job ``step`` ran (through the API) and return its step record."""
    began = started + timedelta(minutes=10 * step.layer, seconds=index)
    record: dict[str, Any] = {
        "StepName": step.name,
        "StepDisplayName": step.name,
        "StartTime": began,
        "EndTime": began + timedelta(minutes=8),
        "StepStatus": "Succeeded",
        "AttemptCount": 1,
        "Metadata": {"Condition": {"Outcome": "True"}},
    }
    if step.job is not None:
        arguments = _resolve_model_uri(step.job, jobs)
        if step.type == "Processing":
            answer = sm.create_processing_job(ProcessingJobName=jobs[step.name], **arguments)
            record["Metadata"] = {"ProcessingJob": {"Arn": answer["ProcessingJobArn"]}}
        else:
            answer = sm.create_training_job(TrainingJobName=jobs[step.name], **arguments)
            record["Metadata"] = {"TrainingJob": {"Arn": answer["TrainingJobArn"]}}
    return record


def seed(endpoint: str, sizes: Iterable[int], threads: int = 8) -> dict[int, dict[str, Any]]:
    """Create the buckets and one pipeline per size with a Succeeded execution, through the
    API. Returns, per size, the pipeline name, execution ARN and its step records (the
    records are validated against botocore's ListPipelineExecutionSteps output shape)."""
    import boto3

    from sagemaker_lineage_ext.demo.hooks import validate_output

    session = boto3.session.Session(
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=CREDENTIALS["AWS_SESSION_TOKEN"],
    )
    sm = session.client("sagemaker", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    for index, bucket in enumerate(BUCKETS):
        _seed_bucket(s3, index, bucket)
    model = sm.meta.service_model.operation_model("ListPipelineExecutionSteps")
    seeded: dict[int, dict[str, Any]] = {}
    for size in sizes:
        definition, steps = generate(size)
        name = pipeline_name(size)
        sm.create_pipeline(
            PipelineName=name,
            PipelineDefinition=json.dumps(definition),
            PipelineDescription=f"Generated layered pipeline of {size} steps over {len(BUCKETS)} buckets (benchmark)",
            RoleArn=ROLE_ARN,
            Tags=[{"Key": "Purpose", "Value": "benchmark"}],
        )
        arn = sm.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
        execution_id = arn.rsplit("/", 1)[-1]
        jobs = {s.name: f"{execution_id[:12]}-{s.name}".lower() for s in steps if s.job is not None}
        started = datetime.now(timezone.utc) - timedelta(days=1)
        with ThreadPoolExecutor(threads) as pool:
            records = list(
                pool.map(
                    _run_step,
                    [sm] * len(steps),
                    steps,
                    range(len(steps)),
                    [jobs] * len(steps),
                    [started] * len(steps),
                )
            )
        validate_output(model, {"PipelineExecutionSteps": records})
        seeded[size] = {"pipeline": name, "execution": arn, "steps": records}
    return seeded


def wire_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Step records as the JSON protocol carries them (timestamps as epoch seconds)."""
    return [
        {k: v.timestamp() if isinstance(v, datetime) else v for k, v in record.items()}
        for record in records
    ]
