"""How the core reads AWS: retries, denials, timeouts, concurrency, caches, deadlines.

Faults are injected on the real botocore clients of the demo account with a
``before-send`` hook, i.e. in place of the HTTP response, so botocore's own
parsing and retry logic handle them exactly as they would a real answer.
"""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ReadTimeoutError
from tests_support import json_error, observed

from sagemaker_lineage_ext.core import (
    AccessDeniedError,
    CallLog,
    LineageConfig,
    parse_lineage_request,
)
from sagemaker_lineage_ext.core.errors import DeadlineError, ThrottledError
from sagemaker_lineage_ext.demo import demo_service as make_demo_service
from sagemaker_lineage_ext.demo.seed import REGION


def inject(service, api: str, operation: str, handler) -> None:
    client = service.gateway.client(api, REGION)
    client.meta.events.register_first(f"before-send.{api}.{operation}", handler)


def request(service, **params):
    return parse_lineage_request({"pipeline": "mlops-pipeline", **params}, service.config)


def test_read_plan_throttling_is_retried(demo_account, validate_lineage):
    demo_service = make_demo_service(LineageConfig(max_attempts=3))
    attempts = []

    def throttle_twice(**_):
        attempts.append(1)
        if len(attempts) <= 2:
            return json_error(400, "ThrottlingException", "Rate exceeded")
        return None

    inject(demo_service, "sagemaker", "DescribePipeline", throttle_twice)
    response = validate_lineage(demo_service.lineage(request(demo_service)))
    assert response["pipeline"]["name"] == "mlops-pipeline"
    assert len(attempts) == 3


def test_read_plan_throttling_without_end_is_a_500_with_a_reason(demo_account):
    service = make_demo_service(LineageConfig(max_attempts=2))
    inject(
        service,
        "sagemaker",
        "DescribePipeline",
        lambda **_: json_error(400, "ThrottlingException", "Rate exceeded"),
    )
    with pytest.raises(ThrottledError) as caught:
        service.lineage(request(service))
    assert caught.value.status == 500
    assert "throttling" in caught.value.user_message


def test_read_plan_denied_pipeline_is_access_denied(demo_service):
    def deny(**_):
        return json_error(
            400, "AccessDeniedException", "not authorized: sagemaker:DescribePipeline"
        )

    inject(demo_service, "sagemaker", "DescribePipeline", deny)
    with pytest.raises(AccessDeniedError) as caught:
        demo_service.lineage(request(demo_service))
    assert caught.value.status == 500, "the API has no 403: a 500 that names the action"
    assert "sagemaker:DescribePipeline" in caught.value.user_message


def test_read_plan_denied_job_is_a_warning(demo_service, validate_lineage):
    inject(
        demo_service,
        "sagemaker",
        "DescribeTrainingJob",
        lambda **_: json_error(400, "AccessDeniedException", "no"),
    )
    response = validate_lineage(demo_service.lineage(request(demo_service)))
    train = next(n for n in response["graph"]["nodes"] if n["id"] == "Train")
    assert train["run"]["status"] == "Succeeded", "the step's run still comes from the step list"
    assert train["run"]["metrics"] == {}
    denied = [w for w in response["warnings"] if w["target"] == "Train"]
    assert [w["code"] for w in denied] == ["AccessDenied"]
    assert "sagemaker:DescribeTrainingJob" in denied[0]["message"]


def test_read_plan_s3_timeout_is_unknown_with_warning(demo_account, validate_lineage):
    service = make_demo_service(LineageConfig(s3_timeout_ms=200, max_attempts=1))

    def time_out(request, **_):
        raise ReadTimeoutError(endpoint_url=request.url)

    inject(service, "s3", "GetBucketEncryption", time_out)
    response = validate_lineage(service.lineage(request(service)))
    postures = [a["s3"] for a in response["graph"]["artifacts"] if a["s3"]]
    assert postures and all(p["encryption"] == "Unknown" for p in postures)
    assert all(p["versioning"] != "Unknown" for p in postures)
    timeouts = [w for w in response["warnings"] if w["code"] == "Timeout"]
    assert timeouts and all("encryption is Unknown" in w["message"] for w in timeouts)


def test_read_plan_rounds_are_bounded_for_200_steps(demo_account):
    service = make_demo_service(latency_ms=20)
    log = CallLog()
    observed(service, log)(
        parse_lineage_request({"pipeline": "large-pipeline-200"}, service.config)
    )
    assert log.calls > 280, "every job and bucket was read"
    assert log.depth() <= 6, log.by_operation()
    # With 20 ms per call, reads that really ran side by side overlap in time.
    assert log.max_in_flight() >= 10


def test_read_plan_reads_concurrently(demo_account):
    service = make_demo_service(latency_ms=20)
    log = CallLog()
    observed(service, log)(request(service))
    # 7 steps over 2 buckets: 22 reads in a handful of dependent rounds.
    assert log.calls >= 20
    assert log.depth() <= 5
    assert log.max_in_flight() >= 8


def test_read_plan_finished_execution_is_cached(demo_service):
    demo_service.lineage(request(demo_service))
    log = CallLog()
    observed(demo_service, log)(request(demo_service))
    second = log.by_operation()
    assert set(second) == {
        "DescribePipeline",
        "ListPipelineExecutions",
        "ListTags",
        "DescribeModelPackage",
    }


def test_read_plan_running_execution_is_read_again(demo_service):
    params = {"pipeline": "churn-pipeline"}
    demo_service.lineage(parse_lineage_request(params, demo_service.config))
    log = CallLog()
    observed(demo_service, log)(parse_lineage_request(params, demo_service.config))
    second = log.by_operation()
    assert second["ListPipelineExecutionSteps"] == 1
    assert second["DescribePipelineExecution"] == 1
    assert "GetBucketEncryption" not in second, "bucket posture is reused within its TTL"


def test_read_plan_deadline_returns_partial_answer(demo_account, validate_lineage):
    service = make_demo_service(latency_ms=100)
    started = time.monotonic()
    response = validate_lineage(service.lineage(request(service), deadline=started + 0.35))
    assert time.monotonic() - started < 2.0
    assert any(w["code"] == "Timeout" for w in response["warnings"])
    assert response["pipeline"]["name"] == "mlops-pipeline"


def test_read_plan_deadline_before_pipeline_is_read(demo_account):
    service = make_demo_service(latency_ms=100)
    with pytest.raises(DeadlineError) as caught:
        service.lineage(request(service), deadline=time.monotonic() + 0.02)
    assert caught.value.status == 500


def test_read_plan_measured_rounds_follow_the_plan(demo_account):
    """With latency dominating, the calls really run in as many rounds as the plan has."""
    service = make_demo_service(latency_ms=150)
    log = CallLog()
    observed(service, log)(request(service))
    # 22 calls at 150 ms each would take 3.3 s one after another.
    assert log.rounds() <= log.depth() + 1 <= 6


def test_read_plan_failed_execution_is_not_cached_as_final(demo_service, demo_account):
    """A Failed execution can be retried under the same ARN: its steps are read again."""
    params = {"pipeline": "fraud-detection-pipeline"}
    demo_service.lineage(parse_lineage_request(params, demo_service.config))
    log = CallLog()
    observed(demo_service, log)(parse_lineage_request(params, demo_service.config))
    assert log.by_operation()["ListPipelineExecutionSteps"] == 1
    assert log.by_operation()["DescribePipelineExecution"] == 1


def test_read_plan_default_client_factory_builds_working_clients_from_one_session(demo_account):
    """The real-AWS path's factory (moto answers it here, as it would any botocore client)."""
    from botocore.config import Config

    from sagemaker_lineage_ext.core.aws import SessionClientFactory

    factory = SessionClientFactory(
        {"aws_access_key_id": "k", "aws_secret_access_key": "s", "aws_session_token": "t"}
    )
    sagemaker = factory("sagemaker", REGION, Config())
    s3 = factory("s3", REGION, Config())
    assert (
        sagemaker.describe_pipeline(PipelineName="mlops-pipeline")["PipelineName"]
        == "mlops-pipeline"
    )
    assert "Buckets" in s3.list_buckets()
    assert sagemaker.meta.region_name == s3.meta.region_name == REGION


def test_read_plan_s3_clients_use_the_configured_timeout(demo_account):
    service = make_demo_service(LineageConfig(s3_timeout_ms=1500))
    s3 = service.gateway.client("s3", REGION)
    sagemaker = service.gateway.client("sagemaker", REGION)
    assert (s3.meta.config.connect_timeout, s3.meta.config.read_timeout) == (1.5, 1.5)
    assert sagemaker.meta.config.read_timeout == 60, "the SageMaker reads keep botocore's default"
    assert s3.meta.config.max_pool_connections == service.config.max_concurrency


def test_read_plan_calls_are_recorded_only_for_an_attached_observer(demo_service):
    from sagemaker_lineage_ext.core.request import parse_list_request

    request = parse_list_request({"prefix": "mlops"}, demo_service.config)
    log = CallLog()
    demo_service.list_pipelines(request)
    assert log.calls == 0
    demo_service.gateway.observe(log)
    demo_service.list_pipelines(request)
    seen = log.calls
    assert seen >= 2 and log.by_operation()["ListPipelines"] == 1
    demo_service.gateway.unobserve(log)
    demo_service.list_pipelines(request)
    assert log.calls == seen


def test_read_plan_pipelines_listing_answers_by_its_deadline(demo_account):
    """Every route takes the deadline: a slow listing is a 200 with a Timeout warning."""
    from sagemaker_lineage_ext.core.request import parse_list_request

    service = make_demo_service(latency_ms=400)
    try:
        started = time.monotonic()
        answer = service.list_pipelines(
            parse_list_request({}, service.config), deadline=started + 0.6
        )
        took = time.monotonic() - started
    finally:
        service.gateway.close()
    assert took < 0.75
    assert answer["pipelines"], "the listing itself was read"
    assert any(p["latestExecution"] is None for p in answer["pipelines"])
    assert [w["code"] for w in answer["warnings"]] == ["Timeout"]


def test_read_plan_executions_past_the_deadline_is_a_deadline_error(demo_account):
    from sagemaker_lineage_ext.core.request import parse_executions_request

    service = make_demo_service(latency_ms=500)
    try:
        with pytest.raises(DeadlineError):
            service.list_executions(
                parse_executions_request({"pipeline": "mlops-pipeline"}, service.config),
                deadline=time.monotonic() + 0.1,
            )
    finally:
        service.gateway.close()


def test_read_plan_deadline_answer_names_unfinished_steps_and_a_second_read_finishes_them(
    demo_account, validate_lineage
):
    """A job describe still under way at the deadline: the answer says which step is not
    fully read (summary.incomplete, an Incomplete warning); asking again reads only what
    is missing, since finished jobs, the step list and the posture were kept."""
    import threading

    cold = make_demo_service()
    cold_log = CallLog()
    observed(cold, cold_log)(request(cold))
    cold.gateway.close()

    service = make_demo_service()
    release = threading.Event()

    def slow_training_job(**_):
        release.wait(30)  # the one read the deadline cuts off

    inject(service, "sagemaker", "DescribeTrainingJob", slow_training_job)
    try:
        first = validate_lineage(service.lineage(request(service), deadline=time.monotonic() + 3))
    finally:
        release.set()
    assert first["summary"]["incomplete"] == 1
    incomplete = [w for w in first["warnings"] if w["code"] == "Incomplete"]
    assert len(incomplete) == 1 and "1 step is not fully read yet" in incomplete[0]["message"]
    assert ": Train. Ask again" in incomplete[0]["message"]
    assert next(n for n in first["graph"]["nodes"] if n["id"] == "Train")["run"]["metrics"] == {}

    log = CallLog()
    second = validate_lineage(observed(service, log)(request(service)))
    service.gateway.close()
    assert "incomplete" not in second["summary"]
    assert not [w for w in second["warnings"] if w["code"] in ("Incomplete", "Timeout")]
    train = next(n for n in second["graph"]["nodes"] if n["id"] == "Train")["run"]
    assert train["metrics"] == {"train:rmse": 1.712, "validation:rmse": 2.078}
    assert log.calls < cold_log.calls / 2, (log.by_operation(), cold_log.by_operation())
    assert log.by_operation().get("DescribeTrainingJob", 0) <= 1
    assert "DescribeProcessingJob" not in log.by_operation()
    assert "ListPipelineExecutionSteps" not in log.by_operation()


def test_read_plan_deadline_before_the_step_list_counts_every_step_incomplete(
    demo_account, validate_lineage
):
    import threading

    service = make_demo_service()
    release = threading.Event()
    # The demo serves this operation in a before-call hook: wait before it.
    client = service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-call.sagemaker.ListPipelineExecutionSteps", lambda **_: release.wait(30) and None
    )
    try:
        answer = validate_lineage(service.lineage(request(service), deadline=time.monotonic() + 3))
    finally:
        release.set()
        service.gateway.close()
    steps = len(answer["graph"]["nodes"])
    assert answer["summary"]["incomplete"] == steps == 7
    assert {n["run"]["status"] for n in answer["graph"]["nodes"]} == {"Unknown"}


def test_read_plan_incomplete_warning_names_the_first_steps_and_counts_the_rest():
    from sagemaker_lineage_ext.core.plan import incomplete_warning

    warning = incomplete_warning([f"S{i}" for i in range(25)])
    assert warning["code"] == "Incomplete" and warning["target"] == "request"
    assert warning["message"].startswith("25 steps are not fully read yet")
    assert "S0, S1," in warning["message"] and "S19 and 5 more." in warning["message"]
    assert "S20" not in warning["message"]


ROTATING_CREDENTIALS = """\
import datetime, json, pathlib, sys
counter = pathlib.Path(sys.argv[1])
n = int(counter.read_text() or 0) + 1 if counter.exists() else 1
counter.write_text(str(n))
expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=2)
print(json.dumps({"Version": 1, "AccessKeyId": f"ASIAROTATING{n:04d}", "SecretAccessKey": "s",
                  "SessionToken": f"t{n}", "Expiration": expires.isoformat()}))
"""


def _profiles(tmp_path, monkeypatch):
    """An AWS config with a static profile and one whose credentials expire in 2 minutes
    (botocore renews such credentials before every use), and nothing else in the chain."""
    import sys

    script = tmp_path / "rotating.py"
    script.write_text(ROTATING_CREDENTIALS)
    counter = tmp_path / "refreshes"
    config = tmp_path / "config"
    config.write_text(
        "[profile static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n"
        f"[profile rotating]\ncredential_process = {sys.executable} {script} {counter}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return counter


def test_read_plan_gateways_share_one_session_and_its_clients_per_credential_source(
    tmp_path, monkeypatch
):
    from botocore.config import Config

    from sagemaker_lineage_ext.core.aws import AwsGateway, SessionClientFactory

    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_PROFILE", "static")
    first, second = AwsGateway(LineageConfig()), AwsGateway(LineageConfig())
    client = first.client("sagemaker", REGION)
    assert second.client("sagemaker", REGION) is client, "a new gateway reuses the client"
    assert first.client("s3", REGION) is not client
    assert SessionClientFactory()("sagemaker", REGION, Config(max_pool_connections=3)) is not client
    assert client._request_signer._credentials.access_key == "AKIASTATIC"

    monkeypatch.setenv("AWS_PROFILE", "rotating")  # another credential source
    assert AwsGateway(LineageConfig()).client("sagemaker", REGION) is not client
    monkeypatch.setenv("AWS_PROFILE", "static")
    assert AwsGateway(LineageConfig()).client("sagemaker", REGION) is client


def test_read_plan_one_gateway_follows_a_credential_source_that_changes(tmp_path, monkeypatch):
    """A long-lived gateway (the server's, the kernel's after ``%env AWS_PROFILE=...``)
    reads as the principal of the moment: a changed profile or AWS_* variable is another
    session's client, and going back finds the first one again."""
    from sagemaker_lineage_ext.core.aws import AwsGateway

    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_PROFILE", "static")
    gateway = AwsGateway(LineageConfig())
    static = gateway.client("sagemaker", REGION)
    assert static._request_signer._credentials.access_key == "AKIASTATIC"
    monkeypatch.setenv("AWS_PROFILE", "rotating")
    rotating = gateway.client("sagemaker", REGION)
    assert rotating is not static
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAKEYFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    from_env = gateway.client("sagemaker", REGION)
    assert from_env not in (static, rotating)
    assert from_env._request_signer._credentials.access_key == "AKIAKEYFROMENV"
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_PROFILE", "static")
    assert gateway.client("sagemaker", REGION) is static


def test_read_plan_posture_cache_is_never_served_to_another_principal(tmp_path, monkeypatch):
    """A bucket's posture as one principal read it (AccessDenied, kept for posture_ttl_s)
    is not another's: bucket names are global, permissions are not."""
    from sagemaker_lineage_ext.core.aws import POSTURE_OPERATIONS, AwsGateway
    from sagemaker_lineage_ext.core.posture import Outcome

    _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_PROFILE", "static")
    gateway = AwsGateway(LineageConfig())
    denied = {op: Outcome(error="AccessDenied") for op in POSTURE_OPERATIONS}
    gateway.store_posture("shared-bucket", REGION, denied, "2026-11-29T00:00:00.000Z")
    assert gateway.cached_posture("shared-bucket", REGION) is not None
    assert gateway.cached_posture("shared-bucket", "eu-west-1") is None, "nor another region's"
    monkeypatch.setenv("AWS_PROFILE", "rotating")
    assert gateway.cached_posture("shared-bucket", REGION) is None
    monkeypatch.setenv("AWS_PROFILE", "static")
    assert gateway.cached_posture("shared-bucket", REGION) is not None


def test_read_plan_shared_clients_renew_credentials_that_expire(
    tmp_path, monkeypatch, demo_account
):
    """Two gateways, one shared client: each request is signed with renewed credentials."""
    from sagemaker_lineage_ext.core.aws import AwsGateway

    refreshes = _profiles(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_PROFILE", "rotating")
    first, second = AwsGateway(LineageConfig()), AwsGateway(LineageConfig())
    client = first.client("sagemaker", REGION)
    assert second.client("sagemaker", REGION) is client
    signed_by = []

    def record_key(request, **_):
        authorization = request.headers["Authorization"]
        if isinstance(authorization, bytes):
            authorization = authorization.decode()
        signed_by.append(authorization.split("Credential=")[1].split("/")[0])

    client.meta.events.register_first("before-send.sagemaker", record_key)
    for gateway in (first, second, first):
        assert gateway.describe_pipeline(REGION, "mlops-pipeline")["PipelineName"]
    keys = signed_by
    assert len(keys) == 3 and len(set(keys)) == 3, keys
    assert all(k.startswith("ASIAROTATING") for k in keys)
    assert int(refreshes.read_text()) >= 3


def test_read_plan_sagemaker_reads_waiting_never_hold_up_the_s3_reads(
    demo_account, validate_lineage
):
    """One pool per service: with two threads each, two SageMaker reads that hang (sent
    before the posture reads) take both SageMaker threads, and the buckets' posture is
    still read in full."""
    import threading

    service = make_demo_service(LineageConfig(max_concurrency=2))
    release = threading.Event()
    for operation in (
        "DescribePipelineDefinitionForExecution",
        "ListPipelineParametersForExecution",
    ):
        inject(service, "sagemaker", operation, lambda **_: release.wait(30) and None)
    try:
        answer = validate_lineage(service.lineage(request(service), deadline=time.monotonic() + 4))
    finally:
        release.set()
        service.gateway.close()
    postures = [a["s3"] for a in answer["graph"]["artifacts"] if a["s3"]]
    assert postures and all("Unknown" not in p.values() for p in postures), postures
    assert [w["code"] for w in answer["warnings"]].count("Timeout") == 1


def test_read_plan_next_step_page_is_sent_before_the_describes_of_the_page_that_arrived(
    demo_account,
):
    """The step pages are the critical path: with one thread per service (reads run in
    the order they were started), page 2 goes out before any job of page 1 is described."""
    service = make_demo_service(LineageConfig(max_concurrency=1))
    log = CallLog()
    try:
        observed(service, log)(
            parse_lineage_request({"pipeline": "large-pipeline-200"}, service.config)
        )
    finally:
        service.gateway.close()
    order = [r.operation for r in sorted(log.records, key=lambda r: r.start)]
    pages = [i for i, op in enumerate(order) if op == "ListPipelineExecutionSteps"]
    describes = [i for i, op in enumerate(order) if op.startswith("Describe") and "Job" in op]
    assert len(pages) == 2 and len(describes) > 150
    assert pages[1] < describes[0], order[: describes[0] + 3]
