"""What the CLI's commands write, at the door kit's level (``kit/outputs.py``): the text,
the exit code and the stderr notes :func:`render` makes of an answer, and the inputs the
doors read through it (a definition on stdin, a policy for any door's namespace).

The answers are the core's own ``preview_lineage`` of small definitions: no AWS.
"""

from __future__ import annotations

import argparse
import io
import json

import pytest

from sagemaker_lineage_ext.core.errors import InvalidInputError
from sagemaker_lineage_ext.core.policy import Policy, evaluate_check
from sagemaker_lineage_ext.core.service import preview_lineage
from sagemaker_lineage_ext.kit import outputs
from sagemaker_lineage_ext.kit.arguments import add_demo_option


def graph_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    outputs.add_options("graph", parser)
    return parser.parse_args(list(argv))


def preview(*steps: dict) -> dict:
    return preview_lineage(json.dumps({"Version": "2020-12-01", "Steps": list(steps)}))


def test_render_json_is_the_answer_indented_unless_compact():
    body = preview({"Name": "A", "Type": "Fail"})
    indented = outputs.render("graph", body, graph_args(), None)
    compact = outputs.render("graph", body, graph_args("--compact"), None)
    assert json.loads(indented["text"]) == json.loads(compact["text"]) == body
    assert indented["text"].startswith('{\n  "') and "\n" not in compact["text"]
    assert (indented["code"], indented["notes"]) == (0, [])


def test_render_graph_warnings_are_notes_and_a_definition_sagemaker_rejects_exits_2():
    body = preview(
        {"Name": "A", "Type": "Fail", "DependsOn": ["B"]},
        {"Name": "B", "Type": "Fail", "DependsOn": ["A"]},
    )
    rendered = outputs.render("graph", body, graph_args(), None)
    assert rendered["code"] == 2
    assert any(n.startswith("warning DependencyCycle (A): ") for n in rendered["notes"])
    assert json.loads(rendered["text"]) == body, "the graph is written all the same"


def test_render_graph_warnings_sagemaker_accepts_exit_0():
    rendered = outputs.render(
        "graph", preview({"Name": "A", "Type": "Brand:New"}), graph_args(), None
    )
    assert rendered["code"] == 0
    assert [n.split(" (")[0] for n in rendered["notes"]] == ["warning UnknownStepType"]


def test_render_drawing_holds_nothing_a_terminal_would_obey():
    # GIVEN a step name with a right-to-left override and a C1 control (CSI)
    body = preview({"Name": "A\u202eB\x9bC", "Type": "Fail"})
    text = outputs.render("graph", body, graph_args("--format", "mermaid"), None)["text"]
    assert text.startswith("---\n") and "flowchart LR" in text
    # THEN the drawing shows spaces (core/export.py), never the characters, nor the
    # terminal escaper's "\u202e", which the renderers would draw as "u202e"
    assert not set(text) & {"\u202e", "\x9b"} and "\\u202e" not in text
    assert '["A B C<br/>' in text


def test_extra_query_reads_a_policy_from_a_namespace_without_the_clis_options(tmp_path):
    # GIVEN the magic's namespace: --policy, but none of the CLI's --datazone-* options
    path = tmp_path / "gate.toml"
    path.write_text("[rules]\nversioning = false\n", encoding="utf-8")
    args = argparse.Namespace(policy=str(path))
    policy = outputs.extra_query("check", args)["policy"]
    assert isinstance(policy, Policy) and policy.source == str(path)
    assert "versioning" not in policy.rules
    assert outputs.extra_query("openlineage", args) == {}
    assert outputs.extra_query("lineage", args) == {}, "a policy only goes with check"


def test_extra_query_names_the_option_of_a_policy_file_that_is_missing(tmp_path):
    args = argparse.Namespace(policy=str(tmp_path / "none.toml"))
    with pytest.raises(InvalidInputError) as raised:
        outputs.extra_query("check", args)
    assert raised.value.parameter == "--policy"


def test_read_definition_reads_stdin_for_a_dash_and_drops_a_bom(monkeypatch):
    data = b"\xef\xbb\xbf" + b'{"Version": "2020-12-01", "Steps": []}'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert json.loads(outputs.read_definition("-"))["Steps"] == []
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe")))
    with pytest.raises(InvalidInputError, match=r"^definition is not UTF-8 text$"):
        outputs.read_definition("-")


def test_add_demo_option_is_true_when_given_else_none_for_the_account_to_decide():
    parser = argparse.ArgumentParser()
    add_demo_option(parser)
    assert parser.parse_args([]).demo is None
    assert parser.parse_args(["--demo"]).demo is True


def test_extra_query_policy_nested_deeper_than_toml_reads_is_named_not_an_internal_error(
    tmp_path,
):
    # GIVEN a policy file of 100,000 nested arrays (tomllib recurses per level)
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        outputs.extra_query("check", argparse.Namespace(policy=str(path)))
    assert raised.value.parameter == "--policy"
    assert "nested too deeply" in raised.value.problem


def test_extra_query_policy_file_larger_than_the_limit_is_refused_unread(tmp_path):
    # GIVEN a "policy" of 2 MiB (a policy is a few lines; parsing MiBs of TOML takes seconds)
    path = tmp_path / "huge.toml"
    path.write_text("# x\n" * (outputs.MAX_POLICY_BYTES // 4 + 1), encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        outputs.extra_query("check", argparse.Namespace(policy=str(path)))
    assert raised.value.parameter == "--policy"
    assert raised.value.problem.startswith("is larger than ")


@pytest.mark.parametrize(
    ("route", "option", "dest"),
    [
        ("check", "--policy", "policy"),
        ("openlineage", "--url", "url"),
        ("openlineage", "--datazone-domain", "datazone_domain"),
        ("openlineage", "--datazone-region", "datazone_region"),
        ("openlineage", "--endpoint", "endpoint"),
        ("lineage", "--out", "out"),
        ("graph", "--out", "out"),
    ],
)
def test_extra_query_an_empty_option_is_refused_never_the_default(route, option, dest):
    # GIVEN an option typed with an empty value (--policy "" from an unset shell variable):
    # it must not silently mean "no policy file", "print instead of sending", "stdout"
    args = argparse.Namespace(**{dest: "  "})
    with pytest.raises(InvalidInputError) as raised:
        outputs.extra_query(route, args)
    assert raised.value.in_terms(str) == f"{option} must not be empty when given"


@pytest.mark.parametrize(
    "url", ["ftp://host/", "http://", "http:///lineage", "file:///etc/passwd", "localhost:5000"]
)
def test_extra_query_url_that_is_not_http_with_a_host_is_refused(url):
    args = argparse.Namespace(url=url, datazone_domain=None, datazone_region=None)
    with pytest.raises(InvalidInputError) as raised:
        outputs.extra_query("openlineage", args)
    assert raised.value.in_terms(str) == f"--url is not an http(s) URL: {url}"


def check_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    outputs.add_options("check", parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_render_check_json_formats_stay_json_with_control_characters_in_a_key(fmt):
    # GIVEN an S3 key holding DEL, a C1 control and a right-to-left override (S3 allows
    # any UTF-8 in a key), in a step's input
    uri = "s3://bucket/in/x\x7f\x85\u202ey"
    lineage = preview(
        {"Name": "P", "Type": "Processing", "Arguments": {"ProcessingInputs": [
            {"InputName": "in", "S3Input": {"S3Uri": uri, "LocalPath": "/opt/in"}}]}}
    )  # fmt: skip
    lineage["pipeline"] = {"name": "p", "region": "eu-west-1",
                           "arn": "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p"}  # fmt: skip
    body = evaluate_check(lineage)
    text = outputs.render("check", body, check_args("--format", fmt), None)["text"]
    # THEN the text is JSON whose strings hold the key as it is, and no character a
    # terminal would obey is written raw
    document = json.loads(text)
    assert uri in json.dumps(document, ensure_ascii=False)
    assert not set(text) & {"\x7f", "\x85", "\u202e"}
