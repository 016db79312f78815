"""docs/api.md stays true to the contract: its examples validate against the schemas,
and it explains every field of them and names every IAM action."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sagemaker_lineage_ext.core.permissions import ALL_ACTIONS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "api.md").read_text("utf-8")
SCHEMAS = ROOT / "sagemaker_lineage_ext" / "core" / "schema"
EXAMPLE = re.compile(r"<!-- example: ([a-z-]+) -->\n```json\n(.*?)\n```", re.S)
EXAMPLES = [(name, json.loads(text)) for name, text in EXAMPLE.findall(DOC)]


def test_api_doc_has_an_example_of_every_answer():
    assert {name for name, _ in EXAMPLES} == {
        "lineage-response",
        "pipelines-response",
        "executions-response",
        "openlineage-response",
        "check-response",
        "compare-response",
        "artifact-response",
        "export-response",
        "error-response",
    }


@pytest.mark.parametrize(
    ("name", "example"), EXAMPLES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(EXAMPLES)]
)
def test_api_doc_examples_are_valid_answers(validate_against, name, example):
    validate_against(f"{name}.schema.json", example)


def test_api_doc_explains_every_field():
    defs = json.loads((SCHEMAS / "defs.schema.json").read_text("utf-8"))["$defs"]
    answers = [json.loads(p.read_text("utf-8")) for p in SCHEMAS.glob("*-response.schema.json")]
    fields = {key for schema in [*defs.values(), *answers] for key in schema.get("properties", {})}
    assert sorted(f for f in fields if f"`{f}`" not in DOC and f".{f}`" not in DOC) == []


def test_api_doc_names_every_iam_action():
    assert [action for action in ALL_ACTIONS if f"`{action}`" not in DOC] == []


def test_api_doc_door_table_spells_each_parameter_as_the_doors_do():
    """'The parameters on each door' agrees with the parameter table (core/request.py)."""
    from sagemaker_lineage_ext.core.request import PARAMETERS
    from sagemaker_lineage_ext.core.routes import ROUTES

    section = DOC.split("The parameters on each door:", 1)[1].split("\n\n", 2)[1]
    rows = {
        cells[0].strip("`"): cells[1:]
        for cells in (
            [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            for line in section.splitlines()[2:]
        )
    }
    names = {n for route in ROUTES.values() for n in route.parameters}
    assert set(rows) == names
    for name in names:
        http, cli, magic = rows[name]
        assert f"`{name}=" in http, name
        assert PARAMETERS[name].cli in cli, name
        if name != "pipeline":  # the magic's first word
            assert PARAMETERS[name].magic in magic, name
