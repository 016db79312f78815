"""The Python types (core/models.py) and the JSON Schemas (core/schema/) say the same.

Both sides are reduced to one canonical form: for each object, its keys, which are
required, and each key's type as a set of members (``str``, ``int``, a literal value,
``None``, ``list[...]``, ``dict[key, value]``, or a named object). A renamed key, a
key required on one side only, a widened enum or a lost ``null`` fails here.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from tests_support import packages_after

from sagemaker_lineage_ext.core import models

SCHEMAS = Path(models.__file__).parent / "schema"
DEFS = json.loads((SCHEMAS / "defs.schema.json").read_text("utf-8"))["$defs"]
ANSWERS = {
    path.name: json.loads(path.read_text("utf-8"))
    for path in sorted(SCHEMAS.glob("*-response.schema.json"))
}

Canon = frozenset  # of members: ("str",), ("lit", value), ("list", Canon), ("typed", name), ...

JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
PY_TYPES = {str: "str", int: "int", float: "float", bool: "bool"}


def _ref(ref: str) -> dict:
    """The def a ``$ref`` names (``#/$defs/x`` or ``defs.schema.json#/$defs/x``)."""
    file, _, pointer = ref.partition("#")
    assert file in ("", "defs.schema.json") and pointer.startswith("/$defs/"), ref
    return DEFS[pointer.removeprefix("/$defs/")]


def _is_object(schema: dict) -> bool:
    return schema.get("type") == "object" and "properties" in schema


def schema_canon(schema: dict) -> Canon:
    """The canonical type of a JSON Schema (an object with properties is its title)."""
    if "$ref" in schema:
        target = _ref(schema["$ref"])
        return Canon({("typed", target["title"])}) if _is_object(target) else schema_canon(target)
    if "const" in schema:
        return _literals([schema["const"]])
    if "enum" in schema:
        return _literals(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return Canon().union(*(schema_canon(branch) for branch in schema[key]))
    if "type" not in schema:
        return Canon({("any",)})
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    members: set = set()
    for kind in kinds:
        if kind == "null":
            members.add(("none",))
        elif kind == "array":
            members.add(("list", schema_canon(schema["items"])))
        elif kind == "object":
            assert "properties" not in schema, "an object with properties must be a titled def"
            keys = schema_canon(schema.get("propertyNames", {"type": "string"}))
            values = schema.get("additionalProperties", {})
            members.add(("dict", keys, schema_canon(values if isinstance(values, dict) else {})))
        else:
            members.add((JSON_TYPES[kind],))
    return Canon(members)


def _literals(values: list) -> Canon:
    return Canon(("none",) if v is None else ("lit", v) for v in values)


def python_canon(hint: Any) -> Canon:
    """The canonical type of a Python annotation."""
    if hint is Any:
        return Canon({("any",)})
    if hint is type(None):
        return Canon({("none",)})
    if hint in PY_TYPES:
        return Canon({(PY_TYPES[hint],)})
    if typing.is_typeddict(hint):
        return Canon({("typed", hint.__name__)})
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return _literals(list(args))
    if origin in (typing.Union, types.UnionType):
        return Canon().union(*(python_canon(arg) for arg in args))
    if origin is list:
        return Canon({("list", python_canon(args[0]))})
    if origin is dict:
        return Canon({("dict", python_canon(args[0]), python_canon(args[1]))})
    raise AssertionError(f"no JSON counterpart for {hint!r}")


def named_schemas() -> dict[str, dict]:
    """Every titled schema: the defs and the four answers, by title."""
    named = {d["title"]: d for d in DEFS.values() if "title" in d}
    named.update({a["title"]: a for a in ANSWERS.values()})
    return named


NAMED = named_schemas()
OBJECTS = sorted(title for title, schema in NAMED.items() if _is_object(schema))
ALIASES = sorted(title for title, schema in NAMED.items() if not _is_object(schema))


def test_models_names_are_the_schema_titles():
    assert sorted(models.__all__) == sorted(NAMED)
    assert all(hasattr(models, name) for name in models.__all__)


def test_models_every_def_has_a_title():
    assert [name for name, schema in DEFS.items() if "title" not in schema] == []


@pytest.mark.parametrize("title", OBJECTS)
def test_models_typeddict_keys_and_required_match_the_schema(title):
    schema, cls = NAMED[title], getattr(models, title)
    assert typing.is_typeddict(cls), f"{title} is an object in the schema"
    hints = typing.get_type_hints(cls)
    assert sorted(hints) == sorted(schema["properties"])
    assert sorted(cls.__required_keys__) == sorted(schema.get("required", []))


@pytest.mark.parametrize("title", OBJECTS)
def test_models_typeddict_value_types_match_the_schema(title):
    schema, hints = NAMED[title], typing.get_type_hints(getattr(models, title))
    mismatched = {
        key: (schema_canon(prop), python_canon(hints[key]))
        for key, prop in schema["properties"].items()
        if schema_canon(prop) != python_canon(hints[key])
    }
    assert mismatched == {}


@pytest.mark.parametrize("title", ALIASES)
def test_models_aliases_match_the_schema(title):
    assert python_canon(getattr(models, title)) == schema_canon(NAMED[title])


@pytest.mark.parametrize(
    ("python", "schema"),
    [
        (str | None, {"enum": ["a", None]}),
        (typing.Literal["a", "b"], {"enum": ["a"]}),
        (list[str], {"type": "array", "items": {"type": "integer"}}),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "number"}}),
        (models.Run, {"$ref": "#/$defs/iteration"}),
    ],
    ids=["enum-vs-string", "wider-enum", "list-items", "dict-values", "other-object"],
)
def test_models_canonical_forms_tell_different_types_apart(python, schema):
    assert python_canon(python) != schema_canon(schema)


def test_models_canonical_forms_see_nullability():
    assert schema_canon({"type": ["string", "null"]}) == python_canon(str | None)
    assert schema_canon({"type": "string"}) != python_canon(str | None)
    assert schema_canon({"anyOf": [{"$ref": "#/$defs/jobStatus"}, {"type": "null"}]}) == (
        python_canon(models.JobStatus | None)
    )


def test_models_import_only_the_standard_library():
    loaded = packages_after("import sagemaker_lineage_ext.core.models")
    assert loaded - set(sys.stdlib_module_names) == {"sagemaker_lineage_ext"}
