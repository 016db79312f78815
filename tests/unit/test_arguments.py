"""The door kit's modes (``kit/arguments.py``): which route a line of options picks, and
which options a route refuses, as pure functions of parsed options and the route table.

The namespaces are what the magic's parser gives: every query parameter None unless
typed, ``--json`` False, each mode's option False (a flag), None (``--compare``,
``--artifact``) or its values.
"""

from __future__ import annotations

import argparse

import pytest

from sagemaker_lineage_ext.core.request import PARAMETERS
from sagemaker_lineage_ext.kit.arguments import Modes, OptionError

FLAGS = {"pipelines": "--list", "executions": "--executions", "check": "--check",
         "openlineage": "--openlineage", "compare": "--compare", "artifact": "--artifact"}  # fmt: skip
MODES = Modes("magic", "lineage", FLAGS, {"json": ("lineage", "compare"), "policy": ("check",)})


def namespace(**typed: object) -> argparse.Namespace:
    """Options as parsed when only ``typed`` was given."""
    options: dict[str, object] = {name: None for name in PARAMETERS}
    options.update(json=False, policy=None, mode_compare=None)
    options.update(
        {f"mode_{r}": False for r in ("pipelines", "executions", "check", "openlineage")}
    )
    return argparse.Namespace(**{**options, **typed})


def test_modes_dest_is_the_parameter_a_mode_option_spells_else_a_mode_name():
    assert MODES.dest("artifact") == "uri"  # --artifact is uri's magic spelling
    assert MODES.dest("compare") == "mode_compare"  # --compare BASE is not --compare
    assert MODES.dest("pipelines") == "mode_pipelines"


@pytest.mark.parametrize(
    ("typed", "route"),
    [
        ({"pipeline": "p"}, "lineage"),
        ({"mode_pipelines": True}, "pipelines"),
        ({"mode_compare": []}, "compare"),  # --compare with no ARN: the latest two
        ({"mode_compare": ["arn-a"]}, "compare"),
        ({"uri": "s3://bucket"}, "artifact"),
        ({"uri": ""}, "artifact"),  # typed, even if empty: the core says what is wrong
    ],
)
def test_modes_route_is_the_mode_given_else_the_default(typed, route):
    assert MODES.route(namespace(**typed)) == route


def test_modes_route_refuses_two_modes_naming_both_in_table_order():
    with pytest.raises(OptionError, match=r"^--list and --executions cannot be combined$"):
        MODES.route(namespace(mode_executions=True, mode_pipelines=True))
    with pytest.raises(OptionError, match=r"^--check and --artifact cannot be combined$"):
        MODES.route(namespace(uri="s3://b", mode_check=True))


@pytest.mark.parametrize(
    ("typed", "route"),
    [
        ({"pipeline": "p", "json": True, "includeLatestExec": False}, "lineage"),
        ({"pipeline": "p", "policy": "p.toml", "allowUnknown": True}, "check"),
        ({"pipeline": "p", "json": True, "mode_compare": ["a", "b"]}, "compare"),
        ({"uri": "s3://b", "region": "us-east-1"}, "artifact"),
    ],
)
def test_modes_refuse_others_accepts_a_routes_parameters_and_own_options(typed, route):
    assert MODES.refuse_others(namespace(**typed), route) is None


@pytest.mark.parametrize(
    ("typed", "route", "says"),
    [
        ({"prefix": "ml"}, "lineage", "--prefix goes with --list"),
        ({"limit": "3"}, "lineage", "--limit goes with --executions"),
        ({"policy": "p.toml"}, "lineage", "--policy goes with --check"),  # an option of the door
        ({"json": True}, "pipelines", "--list takes only --region, --domain, --prefix; not --json"),
        # --no-exec sets includeLatestExec to False: typed all the same
        ({"includeLatestExec": False}, "executions",
         "--executions takes only pipeline, --region, --domain, --limit; not --no-exec"),
        # --compare's own values (BASE, HEAD) and --artifact's own URI are not listed
        ({"limit": "3"}, "compare", "--compare takes only pipeline, --region, --domain, --json; not --limit"),
        ({"json": True}, "artifact", "--artifact takes only --region, --domain; not --json"),
    ],
)  # fmt: skip
def test_modes_refuse_others_names_the_option_as_the_door_spells_it(typed, route, says):
    with pytest.raises(OptionError) as raised:
        MODES.refuse_others(namespace(**typed), route)
    assert str(raised.value) == says


def test_modes_refuse_others_names_the_first_wrong_option_in_parser_order():
    args = namespace(prefix="ml", limit="3")  # the parameter table lists limit after prefix
    with pytest.raises(OptionError, match=r"^--prefix goes with --list$"):
        MODES.refuse_others(args, "lineage")
