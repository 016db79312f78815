"""The one module that talks to AWS.

``AwsGateway`` owns the boto3 clients (created lazily, never at import), the
bounded thread pool the reads run on, retries and timeouts, the per-process
caches, and the mapping of botocore errors to the core's error tree. Every other
core module is pure.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, Generic, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from .config import LineageConfig
from .errors import (
    AccessDeniedError,
    AwsReadError,
    CredentialsError,
    NotFoundError,
    ThrottledError,
)
from .observe import CallObserver, CallRecord
from .posture import IAM_ACTION, NOT_CONFIGURED, Outcome

V = TypeVar("V")
ClientFactory = Callable[[str, str, Config], Any]

#: Executions whose steps can no longer change: a Failed or Stopped one may be
#: retried under the same ARN (RetryPipelineExecution), a Succeeded one may not.
FINAL_EXECUTION = frozenset({"Succeeded"})
TERMINAL_JOB = frozenset({"Completed", "Failed", "Stopped"})
NOT_FOUND_CODES = frozenset({"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity"})
NOT_FOUND_MESSAGE = re.compile(r"could not find|not found|does not exist", re.IGNORECASE)
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
THROTTLE_CODES = frozenset(
    {"ThrottlingException", "Throttling", "TooManyRequestsException", "SlowDown"}
)
CREDENTIAL_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
    }
)
#: The gateway's reads that call S3 (``submit`` runs them on the S3 pool); the others
#: call SageMaker.
S3_READS = frozenset({"posture_read", "read_report"})
#: Clients kept per gateway: a few regions' worth (two services each).
MAX_CLIENTS = 16
#: Pages of one listing read at most: an endpoint that keeps answering with a
#: NextToken (a repeating one, or endless new ones) must not grow a listing forever.
MAX_PAGES = 1000
#: The S3 reads behind a bucket's posture (the API names; IAM names in posture.IAM_ACTION).
POSTURE_OPERATIONS = tuple(IAM_ACTION)
#: (Describe operation, its request parameter) per step metadata key.
JOB_DESCRIBES = {
    "ProcessingJob": ("DescribeProcessingJob", "ProcessingJobName"),
    "TrainingJob": ("DescribeTrainingJob", "TrainingJobName"),
    "TransformJob": ("DescribeTransformJob", "TransformJobName"),
    "TuningJob": ("DescribeHyperParameterTuningJob", "HyperParameterTuningJobName"),
}
JOB_STATUS_KEYS = (
    "ProcessingJobStatus",
    "TrainingJobStatus",
    "TransformJobStatus",
    "HyperParameterTuningJobStatus",
)


After = Future[Any] | int | list[Any] | None
_task = threading.local()


def round_of(after: After) -> int:
    """The round a read may start after: that of the latest dependency."""
    if after is None:
        return 0
    if isinstance(after, int):
        return after
    if isinstance(after, list):
        return max((round_of(a) for a in after), default=0)
    return after.lineage_round.round if hasattr(after, "lineage_round") else 0


class _TaskBox:
    """The dependent round of one submitted read (its AWS calls count it up)."""

    __slots__ = ("round",)

    def __init__(self, round_: int) -> None:
        self.round = round_


class _Cache(Generic[V]):
    """A small thread-safe LRU with optional time-to-live."""

    def __init__(self, size: int, ttl: float | None = None) -> None:
        self._data: OrderedDict[Any, tuple[float, V]] = OrderedDict()
        self._size = size
        self._ttl = ttl
        self._lock = threading.Lock()

    def get(self, key: Any) -> V | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            if self._ttl is not None and time.monotonic() - item[0] > self._ttl:
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return item[1]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = (time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


#: Environment variables that choose where the default credential chain finds its
#: credentials (or, for the endpoint ones, where the clients it makes send requests).
CREDENTIAL_SOURCE_ENV = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER",
    "AWS_ENDPOINT_URL_S3", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)  # fmt: skip


def credential_source(
    session_kwargs: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """A fingerprint of where a session's credentials come from: the explicit session
    arguments and the environment variables that steer the default chain (hashed, so no
    secret is kept in a key). Two sessions with the same fingerprint read as the same
    principal, so they can share one session and its clients."""
    env = os.environ if environ is None else environ
    parts = [(k, str(v)) for k, v in sorted((session_kwargs or {}).items())]
    parts += [(name, env[name]) for name in CREDENTIAL_SOURCE_ENV if name in env]
    return _fingerprint(tuple(parts))


@functools.lru_cache(maxsize=64)
def _fingerprint(parts: tuple[tuple[str, str], ...]) -> str:
    # asked before every AWS call (AwsGateway.client): hashed once per credential source
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class _SharedSession:
    """One boto3 session and the clients it made (sessions are not thread-safe: every
    use of ``session`` is under ``lock``; clients are)."""

    def __init__(self, session_kwargs: Mapping[str, Any]) -> None:
        self.lock = threading.Lock()
        self.session = boto3.session.Session(**session_kwargs)
        self.clients: dict[tuple[str, str, str], Any] = {}

    def client(self, service: str, region: str, config: Config) -> Any:
        key = (service, region, _config_key(config))
        with self.lock:
            client = self.clients.get(key)
            if client is None:
                client = self.session.client(service, region_name=region, config=config)
                # A client made while the chain found no credentials never gets any:
                # keep it for this call only, so that credentials configured later count.
                if self.session.get_credentials() is not None:
                    self.clients[key] = client
            return client


_SESSIONS: OrderedDict[str, _SharedSession] = OrderedDict()
_SESSIONS_LOCK = threading.Lock()
#: Credential sources whose session the process keeps (a few profiles' worth).
MAX_SESSIONS = 8


def shared_session(session_kwargs: Mapping[str, Any] | None = None) -> _SharedSession:
    """The process's session for a credential source (:func:`credential_source`).

    Building a boto3 session and its first clients costs 80-330 ms (service models,
    endpoint rules); every gateway of the process that reads as the same principal
    reuses them. Credentials still refresh: a session's credentials from a role, SSO,
    a container or instance profile, or ``credential_process`` with an expiry are
    botocore's RefreshableCredentials, renewed before they expire, by every client of
    the session; and changed environment variables are another source, so another
    session.
    """
    kwargs = dict(session_kwargs or {})
    key = credential_source(kwargs)
    with _SESSIONS_LOCK:
        shared = _SESSIONS.get(key)
        if shared is None:
            shared = _SESSIONS[key] = _SharedSession(kwargs)
            while len(_SESSIONS) > MAX_SESSIONS:
                _SESSIONS.popitem(last=False)
        _SESSIONS.move_to_end(key)
        return shared


def _config_key(config: Config) -> str:
    """The options a client was built with, as a key (Config objects do not compare)."""
    return repr([(name, getattr(config, name, None)) for name in sorted(Config.OPTION_DEFAULTS)])


class SessionClientFactory:
    """Real boto3 clients from the process's shared session for a credential source
    (:func:`shared_session`): the default chain, or ``session_kwargs`` (a profile, keys)."""

    def __init__(self, session_kwargs: dict[str, Any] | None = None) -> None:
        self._session_kwargs = session_kwargs or {}

    def principal(self) -> str:
        """Who the clients made now read as: the credential source's fingerprint. It
        changes with AWS_PROFILE or the AWS_* variables, so a gateway that keeps clients
        and answers by it keeps them apart (:meth:`AwsGateway.client`)."""
        return credential_source(self._session_kwargs)

    def __call__(self, service: str, region: str, config: Config) -> Any:
        return shared_session(self._session_kwargs).client(service, region, config)


def sdk_region() -> str | None:
    """The region the AWS SDK is configured with (``AWS_DEFAULT_REGION``, the profile's
    ``region``), or None. A missing or broken profile gives None: reads then fail with
    an error that names it."""
    try:
        shared = shared_session()
        with shared.lock:
            region: str | None = shared.session.region_name
        return region
    except BotoCoreError:
        return None


def credentials_found() -> bool:
    """Whether the default credential chain finds credentials. A broken profile counts as
    found: the user means real AWS, where the read fails with an error that names it."""
    try:
        shared = shared_session()
        with shared.lock:
            return shared.session.get_credentials() is not None
    except BotoCoreError:
        return True


def error_code(exc: BaseException) -> str:
    """A short code for any botocore failure (``Timeout`` for timeouts)."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
        return "Timeout"
    if isinstance(exc, BotoConnectionError):
        return "ConnectionError"
    return type(exc).__name__


def is_not_found(exc: ClientError) -> bool:
    err = exc.response.get("Error", {})
    code = str(err.get("Code", ""))
    return code in NOT_FOUND_CODES or (
        code == "ValidationException"
        and bool(NOT_FOUND_MESSAGE.search(str(err.get("Message", ""))))
    )


class AwsGateway:
    """All AWS reads of the lineage core (see module docstring)."""

    def __init__(
        self,
        config: LineageConfig | None = None,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.config = config or LineageConfig()
        self._factory = client_factory or SessionClientFactory()
        #: (service, region, principal) -> client; bounded, since regions come from requests
        self._clients: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
        self._client_locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._lock = threading.Lock()
        #: one pool per service (S3_READS go to "s3"), each up to max_concurrency threads
        self._pools: dict[str, ThreadPoolExecutor] = {}
        # What can no longer change: a definition an execution ran, a succeeded
        # execution, its parameters and steps, a finished job, a finished job's report.
        self._definitions: _Cache[str] = _Cache(256)
        self._executions: _Cache[dict[str, Any]] = _Cache(256)
        self._parameters: _Cache[dict[str, str]] = _Cache(256)
        self._steps: _Cache[list[dict[str, Any]]] = _Cache(256)
        self._jobs: _Cache[dict[str, Any]] = _Cache(4096)
        self._reports: _Cache[Any] = _Cache(512)
        # What is the same while a pipeline's LastModifiedTime (its current definition)
        # or LastExecutionTime (its latest execution) is: the scan of a region's pipelines.
        self._current: _Cache[tuple[Any, str]] = _Cache(2048)
        self._latest: _Cache[tuple[Any, dict[str, Any] | None]] = _Cache(2048)
        # What can: a bucket's posture (with when it was read), kept for posture_ttl_s,
        # per principal (bucket names are global, what a principal may read is not).
        self._posture: _Cache[tuple[dict[str, Outcome], str]] = _Cache(
            1024, ttl=self.config.posture_ttl_s
        )
        self._observers: tuple[CallObserver, ...] = ()

    # -- plumbing ---------------------------------------------------------------

    def principal(self) -> str:
        """Who this gateway reads as now (the client factory's ``principal()``, a
        credential source's fingerprint; "" for a factory without one, such as the demo's)."""
        principal = getattr(self._factory, "principal", None)
        return str(principal()) if callable(principal) else ""

    def client(self, service: str, region: str) -> Any:
        """The client for ``service`` in ``region`` as the current :meth:`principal`,
        created on first use: a changed AWS_PROFILE or AWS_* variable is another client.

        Building one client never holds up reads that use another (each key
        has its own lock; the gateway lock only guards the two dicts).
        """
        key = (service, region, self.principal())
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            lock = self._client_locks.setdefault(key, threading.Lock())
        with lock:
            client = self._clients.get(key)
            if client is None:
                client = self._factory(service, region, self._botocore_config(service))
                with self._lock:
                    self._clients[key] = client
                    while len(self._clients) > MAX_CLIENTS:
                        evicted, _ = self._clients.popitem(last=False)
                        self._client_locks.pop(evicted, None)
            return client

    def prepare(self, region: str, services: tuple[str, ...]) -> None:
        """Build clients a request will need later in the background, off its critical path.

        They are built one after another (one session builds them), in order.
        """
        principal = self.principal()
        missing = [s for s in services if (s, region, principal) not in self._clients]
        if missing:
            self.pool.submit(lambda: [self.client(service, region) for service in missing])

    def _botocore_config(self, service: str) -> Config:
        pool = self.config.max_concurrency
        if service == "s3":
            seconds = self.config.s3_timeout_ms / 1000
            return Config(
                connect_timeout=seconds,
                read_timeout=seconds,
                retries={"mode": "adaptive", "max_attempts": min(3, self.config.max_attempts)},
                max_pool_connections=pool,
            )
        return Config(
            retries={"mode": "adaptive", "max_attempts": self.config.max_attempts},
            max_pool_connections=pool,
        )

    def pool_for(self, service: str) -> ThreadPoolExecutor:
        """The pool of reads that call ``service``: at most ``max_concurrency`` under way,
        threads started as reads need them. One pool per service, so that a round of 100
        job describes and the posture reads of 20 buckets run side by side, and a service
        that throttles only holds up its own reads."""
        with self._lock:
            pool = self._pools.get(service)
            if pool is None:
                pool = self._pools[service] = ThreadPoolExecutor(
                    max_workers=self.config.max_concurrency,
                    thread_name_prefix=f"lineage-{service}",
                )
            return pool

    @property
    def pool(self) -> ThreadPoolExecutor:
        return self.pool_for("sagemaker")

    def observe(self, observer: CallObserver) -> None:
        """Hand every AWS call made from now on to ``observer`` (tests and benchmarks)."""
        with self._lock:
            self._observers = (*self._observers, observer)

    def unobserve(self, observer: CallObserver) -> None:
        with self._lock:
            self._observers = tuple(o for o in self._observers if o is not observer)

    def submit(self, fn: Callable[..., Any], *args: Any, after: After = None) -> Future[Any]:
        """Run one read on the bounded pool, after the reads in ``after``.

        Each AWS call the task makes is one round deeper than the task's
        dependencies (pages of one listing are successive rounds); observers see
        that depth, and the future's ``lineage_round`` holds the round it finished in.
        """
        box = _TaskBox(round_of(after))

        def task() -> Any:
            _task.box = box
            try:
                return fn(*args)
            finally:
                _task.box = None

        future = self.pool_for(_service_of(fn)).submit(task)
        future.lineage_round = box  # type: ignore[attr-defined]
        return future

    def clear_caches(self) -> None:
        caches: tuple[_Cache[Any], ...] = (
            self._definitions, self._executions, self._parameters, self._steps, self._jobs,
            self._reports, self._posture, self._current, self._latest,
        )  # fmt: skip
        for cache in caches:
            cache.clear()

    def close(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.shutdown(wait=False, cancel_futures=True)
            self._pools.clear()

    def _call(self, service: str, region: str, operation: str, **kwargs: Any) -> dict[str, Any]:
        client = self.client(service, region)
        method = getattr(client, _snake(operation))
        box = getattr(_task, "box", None)
        depth = 0
        if box is not None:
            box.round += 1
            depth = box.round
        observers = self._observers
        if not observers:
            return method(**kwargs)  # type: ignore[no-any-return]
        start = time.monotonic()
        try:
            return method(**kwargs)  # type: ignore[no-any-return]
        finally:
            record = CallRecord(operation, start, time.monotonic(), depth)
            for observer in observers:
                observer(record)

    def _primary(self, service: str, region: str, operation: str, **kwargs: Any) -> dict[str, Any]:
        """One read, with every botocore failure mapped to the core's error tree.

        Callers decide whether a failure ends the request or becomes a warning;
        nothing botocore-specific leaves this module.
        """
        try:
            return self._call(service, region, operation, **kwargs)
        except NoCredentialsError:
            raise CredentialsError("no AWS credentials found") from None
        except ProfileNotFound as exc:
            profile = exc.kwargs.get("profile", "")
            raise CredentialsError(
                f"the AWS profile {profile!r} (AWS_PROFILE) is not in the AWS config files"
            ) from None
        except ClientError as exc:
            code = error_code(exc)
            if is_not_found(exc):
                raise NotFoundError() from None
            if code in DENIED_CODES:
                raise AccessDeniedError(f"{service}:{operation}") from None
            if code in THROTTLE_CODES:
                raise ThrottledError() from None
            if code in CREDENTIAL_CODES:
                raise CredentialsError(f"AWS rejected the credentials ({code})") from None
            raise AwsReadError(operation, code) from None
        except BotoCoreError as exc:
            raise AwsReadError(operation, error_code(exc)) from None

    # -- SageMaker --------------------------------------------------------------

    def describe_pipeline(self, region: str, name: str) -> dict[str, Any]:
        return self._primary("sagemaker", region, "DescribePipeline", PipelineName=name)

    def _pages(self, region: str, operation: str, items: str, **kwargs: Any) -> list[Any]:
        """Every item of a paginated SageMaker listing (pages are read one after another).

        Raises ``AwsReadError`` (``RepeatedNextToken``, ``TooManyPages``) when the
        listing would never end: a NextToken seen before, or more than MAX_PAGES pages.
        """
        collected: list[Any] = []
        token = None
        seen: set[str] = set()
        while True:
            page = self._primary(
                "sagemaker", region, operation, **kwargs, **({"NextToken": token} if token else {})
            )
            collected.extend(page.get(items) or [])
            token = page.get("NextToken")
            if not token:
                return collected
            if token in seen:
                raise AwsReadError(operation, "RepeatedNextToken")
            if len(seen) >= MAX_PAGES:
                raise AwsReadError(operation, "TooManyPages")
            seen.add(token)

    def list_tags(self, region: str, arn: str) -> dict[str, str]:
        tags = self._pages(region, "ListTags", "Tags", ResourceArn=arn, MaxResults=100)
        return {t["Key"]: t.get("Value", "") for t in tags}

    def latest_execution(self, region: str, name: str) -> dict[str, Any] | None:
        """The most recently started execution's summary, or None if it never ran."""
        newest = self.recent_executions(region, name, 1)
        return newest[0] if newest else None

    def recent_executions(self, region: str, name: str, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` execution summaries, newest first (one page: limit <= 100)."""
        page = self._primary(
            "sagemaker",
            region,
            "ListPipelineExecutions",
            PipelineName=name,
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=limit,
        )
        summaries = page.get("PipelineExecutionSummaries") or []
        # Newest first, whatever order (and page size) the endpoint used; a summary
        # without a StartTime sorts last.
        summaries.sort(key=_start_key, reverse=True)
        return summaries[:limit]

    def execution_before(
        self, region: str, name: str, arn: str, started: Any
    ) -> dict[str, Any] | None:
        """The newest execution summary of pipeline ``name`` that started before
        ``started`` (a datetime), other than ``arn``; None if there is none.
        ListPipelineExecutions with CreatedBefore, checked here too."""
        page = self._primary(
            "sagemaker",
            region,
            "ListPipelineExecutions",
            PipelineName=name,
            CreatedBefore=started,
            SortBy="CreationTime",
            SortOrder="Descending",
            MaxResults=10,
        )
        earlier = [
            s
            for s in page.get("PipelineExecutionSummaries") or []
            if s.get("PipelineExecutionArn") != arn
            and s.get("StartTime")
            and s["StartTime"] < started
        ]
        earlier.sort(key=lambda s: s["StartTime"], reverse=True)
        return earlier[0] if earlier else None

    def describe_execution(self, region: str, arn: str) -> dict[str, Any]:
        cached = self._executions.get(arn)
        if cached is not None:
            return cached
        answer = self._primary(
            "sagemaker", region, "DescribePipelineExecution", PipelineExecutionArn=arn
        )
        if answer.get("PipelineExecutionStatus") in FINAL_EXECUTION:
            self._executions.put(arn, answer)
        return answer

    def definition_for_execution(self, region: str, arn: str) -> str:
        cached = self._definitions.get(arn)
        if cached is None:
            answer = self._primary(
                "sagemaker",
                region,
                "DescribePipelineDefinitionForExecution",
                PipelineExecutionArn=arn,
            )
            cached = answer["PipelineDefinition"]
            self._definitions.put(arn, cached)
        return cached

    def execution_parameters(self, region: str, arn: str, finished: bool) -> dict[str, str]:
        cached = self._parameters.get(arn)
        if cached is not None:
            return cached
        items = self._pages(
            region,
            "ListPipelineParametersForExecution",
            "PipelineParameters",
            PipelineExecutionArn=arn,
            MaxResults=100,
        )
        params = {p["Name"]: p.get("Value", "") for p in items}
        if finished:
            self._parameters.put(arn, params)
        return params

    def execution_steps_page(
        self, region: str, arn: str, token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of ListPipelineExecutionSteps: (steps, next token)."""
        kwargs = {"PipelineExecutionArn": arn, "MaxResults": 100, "SortOrder": "Ascending"}
        if token:
            kwargs["NextToken"] = token
        page = self._primary("sagemaker", region, "ListPipelineExecutionSteps", **kwargs)
        return page.get("PipelineExecutionSteps") or [], page.get("NextToken")

    def cached_steps(self, arn: str) -> list[dict[str, Any]] | None:
        return self._steps.get(arn)

    def store_steps(self, arn: str, steps: list[dict[str, Any]]) -> None:
        """Remember a succeeded execution's steps (they cannot change any more)."""
        self._steps.put(arn, steps)

    def cached_job(self, region: str, arn: str) -> dict[str, Any] | None:
        """A finished job's Describe* answer, when this process has read it before."""
        return self._jobs.get((region, arn))

    def describe_job(self, region: str, kind: str, arn: str) -> dict[str, Any]:
        """Describe the job behind a step (``kind`` is a step-metadata key such as ``TrainingJob``)."""
        cached = self._jobs.get((region, arn))
        if cached is not None:
            return cached
        operation, parameter = JOB_DESCRIBES[kind]
        answer = self._primary(
            "sagemaker", region, operation, **{parameter: arn.rsplit("/", 1)[-1]}
        )
        status = next((answer[k] for k in JOB_STATUS_KEYS if k in answer), None)
        if status in TERMINAL_JOB:
            self._jobs.put((region, arn), answer)
        return answer

    def describe_model_package(self, region: str, arn: str) -> dict[str, Any]:
        return self._primary("sagemaker", region, "DescribeModelPackage", ModelPackageName=arn)

    def current_definition(self, region: str, summary: dict[str, Any]) -> str:
        """The pipeline's current definition (DescribePipeline.PipelineDefinition) for
        its ListPipelines ``summary``, reused while its LastModifiedTime stays the same."""
        key, modified = (region, summary["PipelineArn"]), summary.get("LastModifiedTime")
        cached = self._current.get(key)
        if cached is not None and modified is not None and cached[0] == modified:
            return cached[1]
        text = str(self.describe_pipeline(region, summary["PipelineName"])["PipelineDefinition"])
        self._current.put(key, (modified, text))
        return text

    def latest_execution_of(self, region: str, summary: dict[str, Any]) -> dict[str, Any] | None:
        """The pipeline's newest execution summary (ListPipelineExecutions) for its
        ListPipelines ``summary``, reused while its LastExecutionTime stays the same;
        None without a LastExecutionTime (it never ran)."""
        started = summary.get("LastExecutionTime")
        if started is None:
            return None
        key = (region, summary["PipelineArn"])
        cached = self._latest.get(key)
        if cached is not None and cached[0] == started:
            return cached[1]
        latest = self.latest_execution(region, summary["PipelineName"])
        self._latest.put(key, (started, latest))
        return latest

    def list_pipelines(self, region: str, prefix: str | None) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"MaxResults": 100, "SortBy": "Name", "SortOrder": "Ascending"}
        if prefix:
            kwargs["PipelineNamePrefix"] = prefix
        pipelines = self._pages(region, "ListPipelines", "PipelineSummaries", **kwargs)
        return sorted(pipelines, key=lambda p: _natural(p.get("PipelineName", "")))

    # -- S3 ---------------------------------------------------------------------

    def cached_posture(self, bucket: str, region: str) -> tuple[dict[str, Outcome], str] | None:
        """A bucket's kept posture reads and when they were made (ISO-8601), or None."""
        return self._posture.get((self.principal(), region, bucket))

    def store_posture(
        self, bucket: str, region: str, outcomes: dict[str, Outcome], read_at: str
    ) -> None:
        """Keep a posture (read at ``read_at``) for ``posture_ttl_s`` when every answer is
        one that lasts: a value, "not configured", or a denial. Timeouts and server
        errors are read again next time."""
        lasting = {None, "AccessDenied", "AccessDeniedException", *NOT_CONFIGURED.values()}
        if len(outcomes) == len(POSTURE_OPERATIONS) and all(
            o.error in lasting for o in outcomes.values()
        ):
            self._posture.put((self.principal(), region, bucket), (outcomes, read_at))

    def posture_read(self, operation: str, bucket: str, region: str) -> Outcome:
        """One S3 posture read; failures come back as an Outcome, never raise."""
        try:
            return Outcome(response=self._call("s3", region, operation, Bucket=bucket))
        except (ClientError, BotoCoreError) as exc:
            return Outcome(error=error_code(exc))

    def read_report(self, region: str, bucket: str, key: str, cache_key: Any = None) -> Any:
        """GetObject of a small JSON document (an evaluation report).

        ``cache_key`` (e.g. the execution ARN that wrote it) keeps the document
        for the process; reports of one path are overwritten by the next run,
        so the path alone is never a key.
        """
        cached = self._reports.get((cache_key, bucket, key)) if cache_key else None
        if cached is not None:
            return cached
        answer = self._primary("s3", region, "GetObject", Bucket=bucket, Key=key)
        body = answer["Body"]
        try:
            data = body.read(self.config.report_max_bytes + 1)
        except BotoCoreError as exc:
            raise AwsReadError("GetObject", error_code(exc)) from None
        finally:
            body.close()
        if len(data) > self.config.report_max_bytes:
            raise AwsReadError("GetObject", "ReportTooLarge")
        try:
            document = json.loads(data)
        except ValueError:
            raise AwsReadError("GetObject", "ReportNotJson") from None
        except RecursionError:  # nested deeper than Python's parser goes
            raise AwsReadError("GetObject", "ReportTooDeep") from None
        if cache_key:
            self._reports.put((cache_key, bucket, key), document)
        return document

    # -- DataZone: the one write, opt-in (sagemaker-lineage openlineage --datazone-domain) ---

    def post_lineage_event(self, region: str, domain: str, event: str, token: str) -> str:
        """DataZone ``PostLineageEvent``: one OpenLineage event (its JSON text) into the
        domain ``domain`` (``dzd_...``); ``token`` is the idempotency token (the same
        token twice is one event). Returns the event's id. Raises the core's errors
        (``AccessDeniedError`` naming ``datazone:PostLineageEvent``, ``NotFoundError``)."""
        answer = self._primary(
            "datazone", region, "PostLineageEvent",
            domainIdentifier=domain, event=event.encode("utf-8"), clientToken=token,
        )  # fmt: skip
        return str(answer.get("id") or "")


def _start_key(summary: dict[str, Any]) -> tuple[bool, float]:
    start = summary.get("StartTime")
    return (True, start.timestamp()) if isinstance(start, datetime) else (False, 0.0)


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_DIGITS = re.compile(r"(\d+)")


def _service_of(fn: Callable[..., Any]) -> str:
    """The service a read submitted to the gateway calls (its pool)."""
    return "s3" if getattr(fn, "__name__", "") in S3_READS else "sagemaker"


def _natural(name: str) -> list[Any]:
    """Sort key that puts large-pipeline-50 before large-pipeline-200."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(name)]


def _snake(operation: str) -> str:
    return _CAMEL.sub("_", operation).lower()
