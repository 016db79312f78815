"""The ``%lineage`` magic in a bare IPython shell (no kernel, no browser).

GIVEN ``%load_ext sagemaker_lineage_ext`` on the demo account, WHEN a user runs
``%lineage ...``, THEN the line is parsed into the route's query, user mistakes are one
line, and the returned object carries the response for programmatic use.
"""

from __future__ import annotations

from dataclasses import replace as dataclass_replace

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from tests_support import demo_run_name

from sagemaker_lineage_ext.kit.account import Account
from sagemaker_lineage_ext.magic import LineageMagics
from sagemaker_lineage_ext.result import LineageResult

REGION = "ap-northeast-2"


@pytest.fixture
def shell(demo_service):
    ip = InteractiveShell.instance()
    ip.extension_manager.load_extension("sagemaker_lineage_ext")
    # a fresh service per test: own caches, own hooks
    LineageMagics.account = Account.of(demo_service)
    yield ip
    LineageMagics.account = None


def one_error_line(shell, capsys, line: str) -> str:
    """Run ``line`` as a cell; return the one line it printed on stderr."""
    result = shell.run_cell(line)
    captured = capsys.readouterr()
    assert not result.success
    assert "Traceback" not in captured.err + captured.out
    lines = [x for x in captured.err.splitlines() if x.strip()]
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("UsageError: ")
    return lines[0]


def test_magic_load_ext_registers_lineage(shell):
    assert "lineage" in shell.magics_manager.magics["line"]


def test_magic_returns_result_with_the_response(shell, validate_lineage):
    with capture_output() as shown:
        result = shell.run_line_magic("lineage", "mlops-pipeline")
    assert isinstance(result, LineageResult)
    validate_lineage(result.to_dict())
    assert result.pipeline["name"] == "mlops-pipeline"
    assert result.summary["overallStatus"] == "Succeeded"
    assert [n["id"] for n in result.nodes][:3] == ["Preprocess", "Train", "Evaluate"]
    assert result.node("Train")["run"]["metrics"]
    assert result.edges and result.artifacts
    # the status line says what was read; the graph itself is shown by IPython, once
    status = shown.outputs[-1].data["text/plain"]
    assert status.startswith("mlops-pipeline (demo account): Succeeded, 7 steps, read in")


def test_magic_options_map_to_spec_parameters(shell, demo_service):
    no_exec = shell.run_line_magic("lineage", f"mlops-pipeline --no-exec --region {REGION}")
    assert no_exec.execution is None
    assert no_exec.summary["overallStatus"] == "NotExecuted"
    assert all("run" not in n for n in no_exec.nodes)

    oldest = shell.run_line_magic("lineage", "mlops-pipeline").to_dict()
    from sagemaker_lineage_ext.core.request import parse_executions_request

    executions = demo_service.list_executions(
        parse_executions_request({"pipeline": "mlops-pipeline"}, demo_service.config)
    )["executions"]
    failed = next(e for e in executions if e["status"] == "Failed")
    named = shell.run_line_magic("lineage", f"mlops-pipeline --execution-arn {failed['arn']}")
    assert named.execution["arn"] == failed["arn"] != oldest["execution"]["arn"]
    assert named.summary["overallStatus"] == "Failed"

    in_domain = shell.run_line_magic("lineage", "'mlops-pipeline' --domain mlops-studio")
    assert in_domain.pipeline["name"] == "mlops-pipeline"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("%lineage", "UsageError: pipeline is required"),
        ("%lineage bad_name!", "UsageError: pipeline must be"),
        ("%lineage mlops-pipeline --region mars", "UsageError: --region is not a valid AWS region"),
        ("%lineage mlops-pipeline --execution-arn nope", "UsageError: --execution-arn"),
        (
            f"%lineage mlops-pipeline --no-exec --execution-arn arn:aws:sagemaker:{REGION}:"
            "123456789012:pipeline/mlops-pipeline/execution/abc",
            "UsageError: --execution-arn cannot be combined with --no-exec",
        ),
        ("%lineage mlops-pipeline --bogus", "UsageError: unrecognized arguments: --bogus"),
        ("%lineage mlops-pipeline --domain ''", "UsageError: --domain must not be empty"),
        (
            "%lineage no-such-pipeline",
            "UsageError: pipeline not found or domain filter mismatched: no pipeline named "
            "'no-such-pipeline'",
        ),
        (
            "%lineage mlops-pipeline --domain risk-studio",
            "UsageError: pipeline not found or domain filter mismatched",
        ),
    ],
)
def test_magic_user_error_is_one_line(shell, capsys, line, says):
    assert one_error_line(shell, capsys, line).startswith(says)


def test_magic_access_denied_is_one_line_with_the_reason(shell, capsys, demo_service):
    from tests_support import json_error

    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-send.sagemaker.DescribePipeline",
        lambda **_: json_error(400, "AccessDeniedException", "not authorized"),
    )
    line = one_error_line(shell, capsys, "%lineage mlops-pipeline")
    assert "sagemaker:DescribePipeline" in line


def test_magic_internal_error_is_one_line_with_a_reference(shell, capsys, demo_service, caplog):
    def explode(**_):
        raise RuntimeError("secret detail")

    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first("before-send.sagemaker.DescribePipeline", explode)
    line = one_error_line(shell, capsys, "%lineage mlops-pipeline")
    assert line.startswith("UsageError: internal error (reference ")
    assert "secret" not in line
    reference = line.split("reference ")[1].split(")")[0]
    assert reference in caplog.text and "secret detail" in caplog.text


def test_magic_run_line_magic_raises_usage_error(shell):
    with pytest.raises(UsageError, match="pipeline is required"):
        shell.run_line_magic("lineage", "")


def test_magic_json_option_displays_json_once(shell):
    result = shell.run_line_magic("lineage", "mlops-pipeline --json")
    with capture_output() as shown:
        result._ipython_display_()
    (output,) = shown.outputs
    assert output.data["application/json"]["pipeline"]["name"] == "mlops-pipeline"
    assert '"overallStatus": "Succeeded"' in output.data["text/plain"]


def test_magic_result_rows_and_frames(shell):
    result = shell.run_line_magic("lineage", "mlops-pipeline")
    rows = {r["id"]: r for r in result.rows("nodes")}
    assert rows["Train"]["status"] == "Succeeded"
    assert rows["Train"]["jobArn"].startswith("arn:aws:sagemaker:")
    assert any(k.startswith("metric:") for k in rows["Train"])
    register = next(r for r in rows.values() if r["type"] == "RegisterModel")
    assert register["approvalStatus"] and register["modelPackageArn"]
    frame = result.to_frame("artifacts")
    assert len(frame) == len(result.artifacts)
    assert {"uri", "encryption", "versioning", "publicAccess"} <= set(frame.columns)
    assert set(result.to_frame("edges").columns) >= {"from", "to", "via"}
    with pytest.raises(ValueError, match="table must be one of"):
        result.rows("steps")
    with pytest.raises(KeyError, match="no step 'Nope'"):
        result.node("Nope")


def test_magic_refresh_reads_again(shell, demo_service):
    calls = []
    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register(
        "before-call.sagemaker.DescribePipelineExecution", lambda **_: calls.append(1)
    )
    result = shell.run_line_magic("lineage", "churn-pipeline")
    read_once = len(calls)
    assert read_once >= 1
    assert result.refresh() is result
    assert len(calls) > read_once, "an Executing pipeline is read again, not served from cache"
    assert result.summary["overallStatus"] == "Executing"


def test_magic_widget_refresh_shows_one_line_on_failure(shell, demo_service):
    result = shell.run_line_magic("lineage", "churn-pipeline")
    widget = result.widget
    assert widget.response == result.response

    def explode(**_):
        raise RuntimeError("secret detail")

    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first("before-send.sagemaker.DescribePipeline", explode)
    widget.refresh()  # as its Refresh button does: the failure is shown, not raised
    assert "internal error (reference " in widget.status.value
    assert "secret" not in widget.status.value
    assert widget.response["pipeline"]["name"] == "churn-pipeline", "the last good graph stays"
    with pytest.raises(UsageError, match="internal error"):
        result.refresh()  # called from code, the failure is raised


def test_magic_result_refresh_redraws_the_widget(shell):
    result = shell.run_line_magic("lineage", "churn-pipeline")
    widget = result.widget
    before = widget.response
    result.refresh()
    assert widget.response == result.response and widget.response is not before


def test_magic_list_shows_the_region_pipelines(shell):
    listing = shell.run_line_magic("lineage", "--list --prefix large-")
    assert set(listing.names) == {
        "large-pipeline-10",
        "large-pipeline-50",
        "large-pipeline-200",
        "large-pipeline-1000",
    }
    rows = {r["name"]: r for r in listing.rows()}
    assert rows["large-pipeline-200"]["latestStatus"] == "Succeeded"
    html = listing._repr_html_()
    # a demo answer says so where it is shown, as the widget's header does
    assert "4 pipelines in ap-northeast-2 (demo account)" in html and "large-pipeline-50" in html
    assert "large-pipeline-10" in repr(listing)
    everything = shell.run_line_magic("lineage", "--list")
    assert {"mlops-pipeline", "churn-pipeline"} <= set(everything.names)
    in_domain = shell.run_line_magic("lineage", "--list --domain risk-studio")
    assert "fraud-detection-pipeline" in in_domain.names
    assert "mlops-pipeline" not in in_domain.names


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("%lineage --list mlops-pipeline", "UsageError: --list takes only"),
        ("%lineage --list --json", "UsageError: --list takes only"),
        ("%lineage mlops-pipeline --prefix ml", "UsageError: --prefix goes with --list"),
        ("%lineage --list --prefix 'a b'", "UsageError: --prefix"),
        ("%lineage --list --region mars", "UsageError: --region"),
        # two modes: refused, not the last one silently
        (
            "%lineage mlops-pipeline --list --executions",
            "UsageError: --list and --executions cannot be combined",
        ),
    ],
)
def test_magic_list_user_errors_are_one_line(shell, capsys, line, says):
    assert one_error_line(shell, capsys, line).startswith(says)


def test_magic_bad_demo_variable_is_one_line(shell, capsys, monkeypatch):
    LineageMagics.account = None  # the kernel's first %lineage decides demo or real
    monkeypatch.setenv("SAGEMAKER_LINEAGE_DEMO", "yes")
    line = one_error_line(shell, capsys, "%lineage mlops-pipeline")
    assert line.startswith("UsageError: invalid configuration: SAGEMAKER_LINEAGE_DEMO")


def test_magic_executions_lists_recent_runs_for_execution_arn(shell):
    runs = shell.run_line_magic("lineage", "mlops-pipeline --executions")
    assert [r["status"] for r in runs.rows()] == ["Succeeded", "Succeeded", "Failed"]
    assert "3 recent executions of mlops-pipeline (demo account)" in runs._repr_html_()
    failed = shell.run_line_magic("lineage", f"mlops-pipeline --execution-arn {runs.arns[-1]}")
    assert failed.summary["overallStatus"] == "Failed"
    assert set(runs.to_frame().columns) >= {"status", "startTime", "arn"}


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("%lineage --executions", "UsageError: pipeline is required"),
        ("%lineage mlops-pipeline --executions --no-exec", "UsageError: --executions takes only"),
        ("%lineage no-such-pipeline --executions", "UsageError: pipeline not found"),
    ],
)
def test_magic_executions_user_errors_are_one_line(shell, capsys, line, says):
    assert one_error_line(shell, capsys, line).startswith(says)


def test_magic_quoted_options_are_unquoted(shell):
    result = shell.run_line_magic("lineage", f"\"mlops-pipeline\" --region '{REGION}' --no-exec")
    assert result.pipeline["name"] == "mlops-pipeline"


@pytest.mark.parametrize(
    "line", ["%lineage 'mlops-pipeline", '%lineage mlops-pipeline --region "eu']
)
def test_magic_unbalanced_quote_is_one_usage_line(shell, capsys, line):
    assert one_error_line(shell, capsys, line) == "UsageError: No closing quotation"


def test_magic_refresh_reads_the_buckets_posture_again(shell, demo_service):
    # GIVEN a lineage read once: its buckets' posture is cached (it lasts 5 minutes)
    reads = []
    client = demo_service.gateway.client("s3", REGION)
    client.meta.events.register(
        "before-call.s3.GetPublicAccessBlock", lambda **kw: reads.append(kw["model"].name)
    )
    result = shell.run_line_magic("lineage", "mlops-pipeline")
    first = len(reads)
    assert first >= 1
    shell.run_line_magic("lineage", "mlops-pipeline")
    assert len(reads) == first, "a second %lineage uses the cached posture"
    # WHEN the user presses Refresh (result.refresh), THEN every bucket is read again
    result.refresh()
    assert len(reads) == 2 * first
    assert all(a["s3"]["readAt"] for a in result.artifacts if a["s3"])


def test_magic_ends_at_the_time_limit(shell, capsys, demo_service, monkeypatch):
    # GIVEN reads slower than the time limit (REQUEST_TIMEOUT_S)
    import time as clock

    LineageMagics.account = Account.of(
        type(demo_service)(
            dataclass_replace(demo_service.config, request_timeout_s=1),
            demo_service.gateway,
            demo=True,
        )
    )
    client = demo_service.gateway.client("sagemaker", REGION)
    client.meta.events.register_first(
        "before-send.sagemaker.DescribePipeline", lambda **_: clock.sleep(2.5)
    )
    # THEN the magic gives up with one line instead of waiting
    line = one_error_line(shell, capsys, "%lineage mlops-pipeline")
    assert line == "UsageError: timed out reading the pipeline; try again"


# -- --compare, --artifact, --cross-pipeline (issue 11) -----------------------------------


def test_magic_compare_returns_the_comparison_and_draws_it(shell, validate_against):
    from sagemaker_lineage_ext.result import ComparisonResult

    with capture_output() as shown:
        result = shell.run_line_magic("lineage", "mlops-pipeline --compare")
    assert isinstance(result, ComparisonResult)
    validate_against("compare-response.schema.json", result.to_dict())
    assert result.summary["parametersChanged"] == ["TrainingInstanceType"]
    assert result.step("Train")["verdict"] == "faster"
    status = shown.outputs[-1].data["text/plain"]
    assert status.startswith(
        f"mlops-pipeline (demo account): {demo_run_name('nightly', 27)} → {demo_run_name('nightly', 3)}, "
        "5 of 7 steps changed, read in"
    )
    rows = {r["step"]: r for r in result.rows()}
    assert rows["Train"]["metric:validation:rmse"] == "2.131 -> 2.078"
    assert rows["Preprocess"]["cache"].startswith("cache hit")
    assert "5 of 7 steps changed, 1 slower, 2 faster" in repr(result)
    assert result.widget.selected == "Preprocess", "the first changed step is shown"
    with pytest.raises(KeyError, match="no step 'Nope'"):
        result.step("Nope")


def test_magic_compare_takes_base_and_head(shell):
    runs = shell.run_line_magic("lineage", "mlops-pipeline --executions")
    latest, _, failed = runs.arns
    result = shell.run_line_magic("lineage", f"mlops-pipeline --compare {failed} {latest}")
    assert (result.to_dict()["base"]["arn"], result.to_dict()["head"]["arn"]) == (failed, latest)
    base_only = shell.run_line_magic("lineage", f"mlops-pipeline --compare {failed}")
    assert base_only.to_dict()["head"]["arn"] == latest
    as_json = shell.run_line_magic("lineage", "mlops-pipeline --compare --json")
    with capture_output() as shown:
        as_json._ipython_display_()
    (output,) = shown.outputs
    assert output.data["application/json"]["summary"]["cacheHits"] == ["Preprocess"]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("%lineage mlops-pipeline --compare a b c",
         "UsageError: --compare takes at most two execution ARNs: BASE [HEAD]"),
        ("%lineage mlops-pipeline --compare nope",
         "UsageError: --compare BASE is not a SageMaker pipeline execution ARN"),
        ("%lineage mlops-pipeline --compare --limit 3",
         "UsageError: --compare takes only pipeline, --region, --domain, --json; not --limit"),
        ("%lineage mlops-pipeline --compare --list", "UsageError: --list and --compare cannot be combined"),
        ("%lineage fraud-detection-pipeline --compare",
         "UsageError: pipeline 'fraud-detection-pipeline' has only one execution: "
         "a comparison needs two"),
        ("%lineage --artifact bucket/key", "UsageError: --artifact must be an S3 URI or prefix"),
        ("%lineage --artifact s3://bucket --json", "UsageError: --artifact takes only --region, --domain; not --json"),
        ("%lineage mlops-pipeline --cross-pipeline --no-exec --executions",
         "UsageError: --executions takes only"),
    ],
)  # fmt: skip
def test_magic_compare_and_artifact_errors_are_one_line(shell, capsys, line, says):
    assert one_error_line(shell, capsys, line).startswith(says)


def test_magic_artifact_lists_the_pipelines_that_share_a_prefix(shell):
    usage = shell.run_line_magic(
        "lineage", "--artifact s3://my-mlops-dev2-v2-main-data/features/customers"
    )
    assert usage.pipelines == ["customer-features-pipeline", "customer-ltv-pipeline"]
    roles = {(r["pipeline"], r["role"]) for r in usage.rows()}
    assert roles == {
        ("customer-features-pipeline", "produces"),
        ("customer-ltv-pipeline", "consumes"),
    }
    assert "2 producers, 2 consumers in 2 pipelines (10 scanned in ap-northeast-2)" in (
        usage._repr_html_()
    )


def test_magic_cross_pipeline_widget_opens_the_other_pipeline_and_back(shell):
    result = shell.run_line_magic("lineage", "customer-ltv-pipeline --cross-pipeline")
    widget = result.widget
    widget.select("TrainLtvModel")
    assert widget.linked_pipelines() == ["customer-features-pipeline"]
    (button,) = [c for c in widget.links.children if hasattr(c, "on_click")]
    assert button.description == "Open customer-features-pipeline"
    button.click()
    assert widget.response["pipeline"]["name"] == "customer-features-pipeline"
    assert widget.back_button.description == "Back to customer-ltv-pipeline"
    features = {a["uri"]: a for a in widget.response["graph"]["artifacts"]}
    written = features["s3://my-mlops-dev2-v2-main-data/features/customers/train"]
    assert [u["pipeline"] for u in written["downstreamPipelines"]] == ["customer-ltv-pipeline"]
    widget.refresh()  # refreshes the pipeline shown, not the one the magic asked for
    assert widget.response["pipeline"]["name"] == "customer-features-pipeline"
    widget.back_button.click()
    assert widget.response["pipeline"]["name"] == "customer-ltv-pipeline"
    assert widget.back_button.layout.display == "none"


def test_magic_listing_of_a_real_account_does_not_say_demo():
    from sagemaker_lineage_ext.result import ExecutionList, PipelineList

    listing = PipelineList({"region": "eu-west-1", "pipelines": [], "warnings": []})
    runs = ExecutionList({"pipeline": "p", "region": "eu-west-1", "executions": [], "warnings": []})
    assert listing.caption() == (
        "0 pipelines in eu-west-1; no pipelines in eu-west-1: are yours in another region? "
        "(--region R)"
    )
    assert runs.caption() == "0 recent executions of p"


def test_magic_empty_list_in_another_region_says_where_the_demo_pipelines_are(shell):
    listing = shell.run_line_magic("lineage", "--list --region eu-west-1")
    assert listing.names == []
    assert listing.caption() == (
        "0 pipelines in eu-west-1 (demo account); no pipelines in eu-west-1: the demo "
        "account's pipelines are in ap-northeast-2 (--region ap-northeast-2)"
    )
    assert "ap-northeast-2" in listing._repr_html_()


def test_magic_list_table_never_wraps_a_time_mid_value(shell):
    html = shell.run_line_magic("lineage", "--list --prefix mlops")._repr_html_()
    row = html.split("<tr>")[2]  # the first pipeline's row
    cells = row.split("<td")[1:]
    assert all(c.startswith(' style="white-space:nowrap">') for c in cells[:4]), row
    assert cells[4].startswith(">")  # the description may wrap
