"""Sending the core's OpenLineage events: through the OpenLineage client, or to DataZone.

``core/openlineage.py`` builds the events as plain JSON (standard library only, so the
Lambda serves them). Here they become the OpenLineage Python client's own models
(:func:`to_run_event`): every facet is one of the client's classes, or one of this
project's two facet classes below, so a field the specification lacks cannot be sent
(attrs refuses an unknown keyword) and the client's validators check run ids, times
and URIs. :func:`send_http` posts them with the client's HTTP transport (retries,
``Authorization: Bearer``); :func:`send_datazone` posts each one with DataZone's
``PostLineageEvent`` through the core's AWS gateway.

Needs the ``openlineage`` extra (``pip install 'sagemaker-lineage-ext[openlineage]'``)
for the client; imported only by the CLI when it sends, never by the core or the Lambda.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..core.errors import InvalidInputError, ServiceError
from ..core.openlineage import (
    BUCKET_POSTURE_FACET,
    FACET_SCHEMAS,
    STEP_RUN_FACET,
    client_token,
    event_json,
)

INSTALL = "pip install 'sagemaker-lineage-ext[openlineage]'"


class ClientMissingError(ServiceError):
    """``--url`` was given, but the OpenLineage client is not installed."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__(f"sending over HTTP needs the OpenLineage client: {INSTALL}")


class SendError(ServiceError):
    """The endpoint refused an event or could not be reached."""


def _client() -> Any:
    try:
        import attr
        from openlineage.client import event_v2
        from openlineage.client.generated import (
            error_message_run,
            execution_parameters_run,
            job_dependencies_run,
            job_type_job,
            ownership_dataset,
            parent_run,
            tags_dataset,
        )
        from openlineage.client.generated.base import DatasetFacet, RunFacet
    except ImportError:
        raise ClientMissingError() from None
    return _Models(
        attr, event_v2, parent_run, error_message_run, execution_parameters_run,
        job_dependencies_run, job_type_job, ownership_dataset, tags_dataset, RunFacet,
        DatasetFacet,
    )  # fmt: skip


class _Models:
    """The client's model classes, and this project's two facets built on them."""

    def __init__(
        self, attr: Any, event_v2: Any, parent_run: Any, error_message_run: Any,
        execution_parameters_run: Any, job_dependencies_run: Any, job_type_job: Any,
        ownership_dataset: Any, tags_dataset: Any, run_facet: Any, dataset_facet: Any,
    ) -> None:  # fmt: skip
        self.event_v2 = event_v2
        self.parent_run = parent_run
        self.error_message_run = error_message_run
        self.execution_parameters_run = execution_parameters_run
        self.job_dependencies_run = job_dependencies_run
        self.job_type_job = job_type_job
        self.ownership_dataset = ownership_dataset
        self.tags_dataset = tags_dataset
        self.step_run, self.model_package, self.bucket_posture = _own_facets(
            attr, run_facet, dataset_facet
        )


_OWN: tuple[Any, Any, Any] | None = None


def _own_facets(attr: Any, run_facet: Any, dataset_facet: Any) -> tuple[Any, Any, Any]:
    """This project's facets as attrs classes of the client (built once)."""
    global _OWN
    if _OWN is not None:
        return _OWN

    @attr.define
    class ModelPackage:
        """The model package a step registered (DescribeModelPackage)."""

        modelPackageArn: str  # noqa: N815
        modelPackageGroup: str | None = attr.field(default=None)  # noqa: N815
        version: int | None = attr.field(default=None)
        approvalStatus: str | None = attr.field(default=None)  # noqa: N815

    @attr.define
    class SageMakerStepRunFacet(run_facet):  # type: ignore[misc, valid-type]
        """What a SageMaker pipeline step ran (``sagemakerLineage_stepRun``)."""

        stepName: str  # noqa: N815
        stepType: str  # noqa: N815
        status: str
        cacheHit: bool  # noqa: N815
        attempts: int
        jobArn: str | None = attr.field(default=None)  # noqa: N815
        jobStatus: str | None = attr.field(default=None)  # noqa: N815
        cacheSource: str | None = attr.field(default=None)  # noqa: N815
        metrics: dict[str, float] = attr.field(factory=dict)
        registry: ModelPackage | None = attr.field(default=None)

        @staticmethod
        def _get_schema() -> str:
            return FACET_SCHEMAS[STEP_RUN_FACET]

    @attr.define
    class S3BucketPostureDatasetFacet(dataset_facet):  # type: ignore[misc, valid-type]
        """The security posture of the dataset's bucket (``sagemakerLineage_bucketPosture``)."""

        encryption: str
        versioning: str
        publicAccess: str  # noqa: N815
        region: str
        findings: list[str] = attr.field(factory=list)

        @staticmethod
        def _get_schema() -> str:
            return FACET_SCHEMAS[BUCKET_POSTURE_FACET]

    _OWN = (SageMakerStepRunFacet, ModelPackage, S3BucketPostureDatasetFacet)
    return _OWN


def _plain(facet: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    fields = copy.deepcopy(dict(facet))  # taken apart below; the event stays as it is
    return fields.pop("_producer"), fields.pop("_schemaURL"), fields


def _checked(model: Any, schema_url: str) -> Any:
    if model._schemaURL != schema_url:
        raise ValueError(f"facet schema {schema_url} is not the client's {model._schemaURL}")
    return model


def _run_facet(m: _Models, name: str, facet: Mapping[str, Any]) -> Any:
    producer, schema, f = _plain(facet)
    p = m.parent_run
    # every field is passed on (``**f``): one the model lacks is a TypeError, not dropped
    if name == "parent":
        root = f.pop("root", None)
        model = p.ParentRunFacet(
            run=p.Run(**f.pop("run")),
            job=p.Job(**f.pop("job")),
            root=p.Root(run=p.RootRun(**root.pop("run")), job=p.RootJob(**root.pop("job")), **root)
            if root
            else None,
            producer=producer,
            **f,
        )
    elif name == "errorMessage":
        model = m.error_message_run.ErrorMessageRunFacet(**f, producer=producer)
    elif name == "executionParameters":
        parameters = [
            m.execution_parameters_run.ExecutionParameter(**x) for x in f.pop("parameters")
        ]
        model = m.execution_parameters_run.ExecutionParametersRunFacet(
            parameters=parameters, producer=producer, **f
        )
    elif name == "jobDependencies":
        d = m.job_dependencies_run

        def dependency(x: Mapping[str, Any]) -> Any:
            run = d.RunIdentifier(**x["run"]) if "run" in x else None
            extra = {k: v for k, v in x.items() if k not in ("job", "run")}
            return d.JobDependency(job=d.JobIdentifier(**x["job"]), run=run, **extra)

        model = d.JobDependenciesRunFacet(
            upstream=[dependency(x) for x in f.pop("upstream", [])],
            downstream=[dependency(x) for x in f.pop("downstream", [])],
            producer=producer,
            **f,
        )
    elif name == STEP_RUN_FACET:
        registry = f.pop("registry", None)
        model = m.step_run(
            **f, registry=m.model_package(**registry) if registry else None, producer=producer
        )
    else:
        raise ValueError(f"no OpenLineage run facet {name!r}")
    return _checked(model, schema)


def _job_facet(m: _Models, name: str, facet: Mapping[str, Any]) -> Any:
    producer, schema, f = _plain(facet)
    if name != "jobType":
        raise ValueError(f"no OpenLineage job facet {name!r}")
    return _checked(m.job_type_job.JobTypeJobFacet(**f, producer=producer), schema)


def _dataset_facet(m: _Models, name: str, facet: Mapping[str, Any]) -> Any:
    producer, schema, f = _plain(facet)
    if name == "ownership":
        owners = [m.ownership_dataset.Owner(**o) for o in f.pop("owners")]
        model = m.ownership_dataset.OwnershipDatasetFacet(owners=owners, producer=producer, **f)
    elif name == "tags":
        tags = [m.tags_dataset.TagsDatasetFacetFields(**t) for t in f.pop("tags")]
        model = m.tags_dataset.TagsDatasetFacet(tags=tags, producer=producer, **f)
    elif name == BUCKET_POSTURE_FACET:
        model = m.bucket_posture(**f, producer=producer)
    else:
        raise ValueError(f"no OpenLineage dataset facet {name!r}")
    return _checked(model, schema)


def _facets(
    m: _Models, facets: Mapping[str, Any], build: Callable[[_Models, str, Any], Any]
) -> dict[str, Any]:
    return {name: build(m, name, facet) for name, facet in facets.items()}


def to_run_event(event: Mapping[str, Any]) -> Any:
    """One event of the core's ``/openlineage`` answer as the client's ``RunEvent``.

    Raises ValueError or TypeError for anything the client's models do not hold (an
    unknown facet or field, a run id that is not a UUID, a time that is not ISO-8601).
    """
    m = _client()
    ev = m.event_v2
    run, job = event["run"], event["job"]
    inputs = [
        ev.InputDataset(
            namespace=d["namespace"], name=d["name"],
            facets=_facets(m, d["facets"], _dataset_facet), inputFacets=d["inputFacets"],
        )
        for d in event["inputs"]
    ]  # fmt: skip
    outputs = [
        ev.OutputDataset(
            namespace=d["namespace"], name=d["name"],
            facets=_facets(m, d["facets"], _dataset_facet), outputFacets=d["outputFacets"],
        )
        for d in event["outputs"]
    ]  # fmt: skip
    model = ev.RunEvent(
        eventType=ev.RunState(event["eventType"]),
        eventTime=event["eventTime"],
        run=ev.Run(runId=run["runId"], facets=_facets(m, run["facets"], _run_facet)),
        job=ev.Job(
            namespace=job["namespace"],
            name=job["name"],
            facets=_facets(m, job["facets"], _job_facet),
        ),  # fmt: skip
        inputs=inputs,
        outputs=outputs,
        producer=event["producer"],
    )
    return _checked_event(model, event["schemaURL"])


def _checked_event(model: Any, schema_url: str) -> Any:
    if model.schemaURL != schema_url:
        raise ValueError(f"event schema {schema_url} is not the client's {model.schemaURL}")
    return model


#: How many times an event is posted before the endpoint counts as failing: the
#: client's retries (connection errors, 500, 502, 503, 504, with its backoff), bounded so
#: a wrong or failing endpoint ends the command in about a second, not after 5 retries.
ATTEMPTS = 3
RETRIED_STATUSES = (500, 502, 503, 504)


def send_http(
    events: Iterable[Mapping[str, Any]],
    url: str,
    *,
    endpoint: str = "api/v1/lineage",
    api_key: str | None = None,
    timeout: float = 10.0,
) -> int:
    """POST each event to ``url``/``endpoint`` with the client's HTTP transport (Marquez
    and most OpenLineage servers take ``api/v1/lineage``); ``api_key`` is sent as
    ``Authorization: Bearer``. Each event is tried up to :data:`ATTEMPTS` times. Returns
    how many were sent; raises SendError naming the HTTP status or what failed."""
    _client()
    from openlineage.client.transport.http import HttpConfig, HttpTransport

    retry = {"total": ATTEMPTS - 1, "connect": ATTEMPTS - 1, "read": ATTEMPTS - 1,
             "status_forcelist": list(RETRIED_STATUSES),
             # the last answer, not urllib3's MaxRetryError: its status is what we report
             "raise_on_status": False}  # fmt: skip
    config: dict[str, Any] = {"url": url, "endpoint": endpoint, "timeout": timeout, "retry": retry}
    if api_key:
        config["auth"] = {"type": "api_key", "apiKey": api_key}
    try:
        transport = HttpTransport(HttpConfig.from_dict(config))
    except ValueError:
        raise InvalidInputError("--url", f"is not an http(s) URL: {url}") from None
    sent = 0
    try:
        for event in events:
            try:
                transport.emit(to_run_event(event))
            except Exception as exc:  # requests' errors, HTTP status errors
                raise SendError(f"{url} did not take event {sent + 1}: {_reason(exc)}") from None
            sent += 1
    finally:
        transport.close()
    return sent


def _reason(exc: Exception) -> str:
    """What went wrong with a post, in a few words: the HTTP status, else the failure."""
    import requests

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) if response is not None else None
    if status:
        return f"HTTP {status}" + (f" ({ATTEMPTS} attempts)" if status in RETRIED_STATUSES else "")
    if isinstance(exc, requests.exceptions.Timeout):
        return f"no answer in time ({ATTEMPTS} attempts)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return f"cannot connect ({ATTEMPTS} attempts)"
    return type(exc).__name__


def send_datazone(
    gateway: Any, region: str, domain: str, events: Iterable[Mapping[str, Any]]
) -> int:
    """Post each event to the DataZone domain ``domain`` in ``region`` with
    ``PostLineageEvent`` (through the core's gateway: its credentials, retries and error
    mapping). The event is the JSON the client would send; the idempotency token comes
    from the event, so sending the same events again adds nothing. Returns how many."""
    sent = 0
    for event in events:
        gateway.post_lineage_event(region, domain, event_json(event), client_token(event))
        sent += 1
    return sent
