"""OpenLineage out, on the demo account: the events are what the OpenLineage client's own
models serialise, they reach an HTTP endpoint through the client's transport, and they
reach DataZone as botocore serialises PostLineageEvent.

GIVEN the demo's executions, WHEN they are turned into events (GET /openlineage, the CLI),
THEN every event round-trips through ``openlineage.client`` unchanged (a key the spec
lacks cannot survive it), this project's facets match their published JSON Schemas, a
local endpoint receives exactly those events (the same run ids when sent twice), and the
DataZone request is PostLineageEvent as botocore's model has it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
import referencing
from botocore.awsrequest import AWSResponse
from botocore.validate import ParamValidator
from openlineage.client.serde import Serde

from sagemaker_lineage_ext.cli import run
from sagemaker_lineage_ext.core.http import answer_query
from sagemaker_lineage_ext.demo import DemoAccount
from sagemaker_lineage_ext.kit.openlineage import send_datazone, to_run_event

FACETS = (
    Path(__file__).resolve().parents[2] / "sagemaker_lineage_ext" / "core" / "schema" / "facets"
)
DEMO = ("mlops-pipeline", "churn-pipeline", "fraud-detection-pipeline", "large-pipeline-50")
DOMAIN = "dzd_demo4lineage01"


@pytest.fixture(scope="module")
def answers(demo_account):
    from sagemaker_lineage_ext.demo import demo_service

    service = demo_service()
    try:
        return {
            name: answer_query(service, "openlineage", {"pipeline": name}, request_id="r").body
            for name in DEMO
        }
    finally:
        service.gateway.close()


@pytest.mark.parametrize("pipeline", DEMO)
def test_openlineage_demo_answers_are_valid_and_round_trip_through_the_client(
    answers, pipeline, validate_against
):
    answer = validate_against("openlineage-response.schema.json", answers[pipeline])
    assert answer["demo"] is True and answer["events"]
    for event in answer["events"]:
        model = to_run_event(event)
        assert Serde.to_dict(model) == event, "exactly what the client sends"


def test_openlineage_client_refuses_a_field_the_spec_lacks(answers):
    """The round trip can fail: an extra key in a facet has nowhere to go."""
    event = json.loads(json.dumps(answers["mlops-pipeline"]["events"][1]))
    event["run"]["facets"]["parent"]["note"] = "not in ParentRunFacet"
    with pytest.raises(TypeError):
        to_run_event(event)
    event = json.loads(json.dumps(answers["mlops-pipeline"]["events"][1]))
    event["run"]["runId"] = "not-a-uuid"
    with pytest.raises(ValueError):
        to_run_event(event)


@pytest.fixture(scope="module")
def facet_validators():
    """Each facet of this project against its published schema (the facet's own part:
    the base facet's ``_producer``/``_schemaURL`` are checked by the client's models)."""
    schemas = {p.stem: json.loads(p.read_text("utf-8")) for p in FACETS.glob("*.json")}
    registry = referencing.Registry().with_resources(
        (s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()
    )
    validators = {}
    for name, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        (key,) = schema["properties"]
        own = {"$ref": f"{schema['$id']}#/$defs/{name}/allOf/1"}
        validators[key] = (
            f"{schema['$id']}#/$defs/{name}",
            jsonschema.Draft202012Validator(own, registry=registry),
        )
    return validators


def test_openlineage_demo_own_facets_match_their_published_schemas(answers, facet_validators):
    seen = {key: 0 for key in facet_validators}
    for answer in answers.values():
        for event in answer["events"]:
            places = [event["run"]["facets"]] + [
                d["facets"] for d in event["inputs"] + event["outputs"]
            ]
            for facets in places:
                for key, facet in facets.items():
                    if key in facet_validators:
                        url, validator = facet_validators[key]
                        assert facet["_schemaURL"] == url
                        assert list(validator.iter_errors(facet)) == []
                        seen[key] += 1
    assert all(seen.values()), seen
    (_, validator) = facet_validators["sagemakerLineage_bucketPosture"]
    assert list(
        validator.iter_errors(
            {
                "encryption": "SSE",
                "versioning": "Enabled",
                "publicAccess": "Blocked",
                "region": "x",
                "findings": [],
            }
        )
    )


def test_openlineage_demo_events_tell_the_story_of_each_run(answers):
    mlops = answers["mlops-pipeline"]["events"]
    assert (mlops[0]["eventType"], mlops[0]["job"]["name"]) == ("START", "mlops-pipeline")
    assert (mlops[-1]["eventType"], mlops[-1]["job"]["name"]) == ("COMPLETE", "mlops-pipeline")
    register = [
        e for e in mlops if e["job"]["name"] == "mlops-pipeline.RegisterAbalone-RegisterModel"
    ]
    step = register[-1]["run"]["facets"]["sagemakerLineage_stepRun"]
    assert step["registry"]["modelPackageGroup"] == "abalone-models"
    preprocess = [e for e in mlops if e["job"]["name"] == "mlops-pipeline.Preprocess"]
    assert preprocess[0]["run"]["facets"]["sagemakerLineage_stepRun"]["cacheHit"] is True
    churn = answers["churn-pipeline"]["events"]
    assert [e["eventType"] for e in churn if e["job"]["name"] == "churn-pipeline"] == [
        "START",
        "RUNNING",
    ]
    fraud = answers["fraud-detection-pipeline"]["events"]
    failed = [
        e
        for e in fraud
        if e["eventType"] == "FAIL" and e["job"]["name"] != "fraud-detection-pipeline"
    ]
    assert failed and failed[0]["run"]["facets"]["errorMessage"]["message"]


class _Capture(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, dict(self.headers), json.loads(body)))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    """A local OpenLineage endpoint that keeps what it receives (127.0.0.1 only)."""
    handler = type("Capture", (_Capture,), {"received": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_openlineage_cli_sends_the_events_over_http_twice_with_the_same_run_ids(
    demo_account, endpoint, capsys, monkeypatch
):
    handler, url = endpoint
    monkeypatch.setenv("OPENLINEAGE_API_KEY", "secret-key")
    argv = ["openlineage", "--demo", "--pipeline-name", "mlops-pipeline", "--url", url]
    assert run(argv) == 0
    err = capsys.readouterr().err
    first = [body for _, _, body in handler.received]
    assert f"sent {len(first)} OpenLineage events to {url}/api/v1/lineage" in err
    path, headers, _ = handler.received[0]
    assert path == "/api/v1/lineage" and headers["Authorization"] == "Bearer secret-key"
    assert run(["openlineage", "--demo", "--pipeline-name", "mlops-pipeline", "--compact"]) == 0
    printed = json.loads(capsys.readouterr().out)["events"]
    assert first == printed, "the endpoint got exactly the events the answer holds"
    assert run(argv) == 0
    again = [body for _, _, body in handler.received[len(first) :]]
    assert [e["run"]["runId"] for e in again] == [e["run"]["runId"] for e in first]


def test_openlineage_cli_endpoint_refusal_is_one_line(demo_account, endpoint, capsys):
    handler, url = endpoint
    handler.status = 400
    code = run(["openlineage", "--demo", "--pipeline-name", "mlops-pipeline", "--url", url,
                "--endpoint", "ingest"])  # fmt: skip
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1] == f"sagemaker-lineage: {url} did not take event 1: HTTP 400"
    assert handler.received[0][0] == "/ingest"


def test_openlineage_cli_endpoint_failing_with_500_is_one_line_after_three_attempts(
    demo_account, endpoint, capsys, caplog
):
    # GIVEN an endpoint that answers every event with a 500 (retried: it may be passing)
    handler, url = endpoint
    handler.status = 500
    started = time.monotonic()
    with caplog.at_level(logging.DEBUG):
        code = run(["openlineage", "--demo", "--pipeline-name", "mlops-pipeline", "--url", url])
    # THEN three attempts of the first event, then one line naming the status (not the
    # name of a class inside requests), no retry log lines on stderr, and no long wait
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"sagemaker-lineage: {url} did not take event 1: HTTP 500 (3 attempts)"
    assert len(handler.received) == 3
    assert [r for r in caplog.records if not r.name.startswith("sagemaker_lineage_ext")] == []
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--url", "nowhere"], "--url is not an http(s) URL: nowhere"),
        (
            ["--datazone-domain", "my-domain"],
            "--datazone-domain is not a DataZone domain id (dzd_...)",
        ),
        (
            ["--datazone-domain", DOMAIN, "--datazone-region", "moon"],
            "--datazone-region is not a valid AWS region name",
        ),
    ],
)
def test_openlineage_cli_bad_destination_is_exit_2_naming_the_option(
    demo_account, capsys, argv, says
):
    assert run(["openlineage", "--demo", "--pipeline-name", "mlops-pipeline", *argv]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"sagemaker-lineage: {says}"


@pytest.fixture
def datazone(demo_account, monkeypatch):
    """DataZone's PostLineageEvent answered after botocore validated and serialised the
    request (``before-call``: moto has no DataZone); what it received is kept."""
    sent: list[dict] = []
    validator = ParamValidator()

    def params(params, model, **_):
        report = validator.validate(params, model.input_shape)
        assert not report.has_errors(), report.generate_report()
        sent.append({"params": dict(params)})

    def answer(params, model, **_):
        sent[-1]["request"] = params
        parsed = {"id": f"event-{len(sent)}", "domainId": DOMAIN}
        report = validator.validate(parsed, model.output_shape)
        assert not report.has_errors(), report.generate_report()
        return AWSResponse(params["url"], 200, {}, None), parsed

    account = DemoAccount.get()
    make_client = account.client

    def client(service, *args, **kwargs):  # every demo gateway's DataZone client, from now
        made = make_client(service, *args, **kwargs)
        if service == "datazone":
            made.meta.events.register("provide-client-params.datazone.PostLineageEvent", params)
            made.meta.events.register("before-call.datazone.PostLineageEvent", answer)
        return made

    monkeypatch.setattr(account, "client", client)
    return sent


def test_openlineage_datazone_request_is_post_lineage_event_as_botocore_models_it(
    demo_service, answers, datazone
):
    events = answers["mlops-pipeline"]["events"]
    assert send_datazone(demo_service.gateway, "eu-west-1", DOMAIN, events) == len(events)
    assert len(datazone) == len(events)
    first = datazone[0]
    assert first["params"]["domainIdentifier"] == DOMAIN
    request = first["request"]
    assert (request["method"], request["url_path"]) == (
        "POST",
        f"/v2/domains/{DOMAIN}/lineage/events",
    )
    assert (
        request["url"] == f"https://datazone.eu-west-1.api.aws/v2/domains/{DOMAIN}/lineage/events"
    )
    assert json.loads(request["body"]) == events[0], "the body is the event, as sent over HTTP"
    tokens = [d["request"]["headers"]["Client-Token"] for d in datazone]
    assert len(set(tokens)) == len(events) and all(len(t) <= 128 for t in tokens)


def test_openlineage_cli_sends_to_datazone_in_the_pipelines_region(demo_account, datazone, capsys):
    assert (
        run(
            [
                "openlineage",
                "--demo",
                "--pipeline-name",
                "mlops-pipeline",
                "--datazone-domain",
                DOMAIN,
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert f"OpenLineage events to DataZone domain {DOMAIN} (ap-northeast-2)" in err
    assert datazone and all("ap-northeast-2" in d["request"]["url"] for d in datazone)
    tokens = [d["request"]["headers"]["Client-Token"] for d in datazone]
    datazone.clear()
    assert (
        run(
            [
                "openlineage",
                "--demo",
                "--pipeline-name",
                "mlops-pipeline",
                "--datazone-domain",
                DOMAIN,
            ]
        )
        == 0
    )
    assert [d["request"]["headers"]["Client-Token"] for d in datazone] == tokens, "idempotent"


def test_openlineage_pipeline_that_never_ran_is_404(demo_service, monkeypatch):
    definition_only = answer_query(
        demo_service, "lineage", {"pipeline": "mlops-pipeline", "includeLatestExec": "false"},
        request_id="r",
    ).body  # fmt: skip
    monkeypatch.setattr(demo_service, "lineage", lambda request, **_: definition_only)
    outcome = answer_query(
        demo_service, "openlineage", {"pipeline": "mlops-pipeline"}, request_id="r"
    )
    # the 404 says what is missing (the pipeline is there, past any domain filter)
    assert (outcome.status, outcome.body) == (
        404,
        {"message": "pipeline 'mlops-pipeline' has no execution to describe"},
    )
    assert outcome.error.explanation == "pipeline 'mlops-pipeline' has no execution to describe"
