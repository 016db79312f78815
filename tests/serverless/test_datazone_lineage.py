"""OpenLineage to Amazon DataZone from the REST API's stack: opt-in, off by default.

GIVEN the stack synthesized with and without the ``datazoneDomain`` context, THEN only
with it does the role get ``datazone:PostLineageEvent`` (on that domain alone) and an
EventBridge rule send SageMaker's pipeline-execution events to the function; WHEN such an
event reaches the handler on the demo account, THEN the execution's OpenLineage events
are posted to that domain, as botocore models PostLineageEvent.
"""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template
from serverless_support import LambdaContext
from test_lineage_api_stack import (
    actions_of,
    cfn_lint,
    nag_findings,
    only,
    render,
    resources_of,
    role_statements,
    synth_stack,
)

from sagemaker_lineage_ext.demo import DemoAccount
from sagemaker_lineage_ext.lambda_handler import PIPELINE_STATUS_EVENT, build_handler

DOMAIN = "dzd_abc123lineage"
OPTED_IN = {"datazoneDomain": DOMAIN}
EXECUTION = (
    "arn:aws:sagemaker:ap-northeast-2:123456789012:pipeline/mlops-pipeline/execution/osjobqge7m52"
)


@pytest.fixture(scope="module")
def opted_in(tmp_path_factory) -> Template:
    return Template.from_stack(synth_stack(tmp_path_factory.mktemp("datazone"), OPTED_IN))


def test_datazone_role_may_post_lineage_to_that_domain_only(opted_in):
    statements = [
        s for s in role_statements(opted_in) if "datazone:PostLineageEvent" in actions_of(s)
    ]
    (statement,) = statements
    assert actions_of(statement) == ["datazone:PostLineageEvent"]
    assert resources_of(statement) == [
        f"arn:<Partition>:datazone:<Region>:<AccountId>:domain/{DOMAIN}"
    ]
    env = only(opted_in, "AWS::Lambda::Function")["Environment"]["Variables"]
    assert env["DATAZONE_DOMAIN_ID"] == DOMAIN


def test_datazone_rule_sends_pipeline_execution_events_to_the_function(opted_in):
    rule = only(opted_in, "AWS::Events::Rule")
    assert rule["EventPattern"] == {
        "source": ["aws.sagemaker"],
        "detail-type": [PIPELINE_STATUS_EVENT],
    }
    (target,) = rule["Targets"]
    function_id = next(iter(opted_in.find_resources("AWS::Lambda::Function")))
    assert render(target["Arn"]) == {"Fn::GetAtt": [function_id, "Arn"]}
    permission = only(opted_in, "AWS::Lambda::Permission", {"Principal": "events.amazonaws.com"})
    assert permission["Action"] == "lambda:InvokeFunction"


def test_datazone_is_off_by_default(tmp_path):
    template = Template.from_stack(synth_stack(tmp_path, {}))
    assert template.find_resources("AWS::Events::Rule") == {}
    assert "datazone" not in json.dumps(template.to_json())


def test_datazone_stack_passes_cdk_nag_and_cfn_lint(tmp_path, opted_in):
    assert nag_findings(synth_stack(tmp_path, OPTED_IN)) == []
    assert cfn_lint(opted_in.to_json()) == []


def test_datazone_bad_domain_stops_synth_naming_the_option(tmp_path):
    with pytest.raises(Exception, match="context datazoneDomain must be a DataZone domain id"):
        synth_stack(tmp_path, {"datazoneDomain": "my-domain"})


def status_event(execution: str = EXECUTION) -> dict:
    """What SageMaker sends to EventBridge when a pipeline execution changes status."""
    pipeline = execution.split("/execution/")[0]
    return {
        "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": PIPELINE_STATUS_EVENT, "source": "aws.sagemaker",
        "account": "123456789012", "time": "2026-11-26T01:43:31Z", "region": "ap-northeast-2",
        "resources": [pipeline, execution],
        "detail": {"pipelineExecutionArn": execution, "pipelineArn": pipeline,
                   "currentPipelineExecutionStatus": "Succeeded",
                   "previousPipelineExecutionStatus": "Executing"},
    }  # fmt: skip


@pytest.fixture
def posted(demo_account, monkeypatch):
    """PostLineageEvent requests, answered after botocore serialised them."""
    from botocore.awsrequest import AWSResponse

    sent: list[dict] = []

    def answer(params, model, **_):
        sent.append(params)
        return AWSResponse(params["url"], 200, {}, None), {"id": "e", "domainId": DOMAIN}

    account = DemoAccount.get()
    make_client = account.client

    def client(service, *args, **kwargs):
        made = make_client(service, *args, **kwargs)
        if service == "datazone":
            made.meta.events.register("before-call.datazone.PostLineageEvent", answer)
        return made

    monkeypatch.setattr(account, "client", client)
    monkeypatch.setenv("AWS_REGION", "ap-northeast-2")
    return sent


def test_datazone_handler_posts_the_executions_events(demo_service, posted, monkeypatch):
    monkeypatch.setenv("DATAZONE_DOMAIN_ID", DOMAIN)
    result = build_handler(lambda: demo_service)(status_event(), LambdaContext())
    assert result == {"status": 200, "sent": 14, "execution": EXECUTION, "domain": DOMAIN}
    assert len(posted) == 14
    assert {p["url_path"] for p in posted} == {f"/v2/domains/{DOMAIN}/lineage/events"}
    first = json.loads(posted[0]["body"])
    assert (first["eventType"], first["job"]["name"]) == ("START", "mlops-pipeline")


def test_datazone_handler_unknown_execution_is_not_retried(demo_service, posted, monkeypatch):
    monkeypatch.setenv("DATAZONE_DOMAIN_ID", DOMAIN)
    gone = EXECUTION.replace("osjobqge7m52", "abcdef123456")
    result = build_handler(lambda: demo_service)(status_event(gone), LambdaContext())
    assert result["status"] == 404 and posted == []


def test_datazone_handler_without_a_domain_fails_to_be_retried(demo_service, posted, monkeypatch):
    monkeypatch.delenv("DATAZONE_DOMAIN_ID", raising=False)
    with pytest.raises(RuntimeError, match="sending lineage to DataZone failed"):
        build_handler(lambda: demo_service)(status_event(), LambdaContext())
    assert posted == []


@pytest.mark.parametrize("detail", ["x", ["a"], None, 5])
def test_datazone_handler_malformed_detail_is_a_400_not_retried(
    demo_service, posted, monkeypatch, detail
):
    # GIVEN an event of the right type whose detail is not an object (a test invocation,
    # a hand-made rule target): retrying it would fail the same way twice more
    monkeypatch.setenv("DATAZONE_DOMAIN_ID", DOMAIN)
    event = {**status_event(), "detail": detail}
    result = build_handler(lambda: demo_service)(event, LambdaContext())
    assert result == {"status": 400, "message": "pipeline is required"} and posted == []
