"""Whatever a definition document holds, the result is a graph or a DefinitionError."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sagemaker_lineage_ext.core import DefinitionError, preview_lineage

NAMES = st.sampled_from(["A", "B", "C", "Train", "Cond", "X-RegisterModel"])
TYPES = st.sampled_from(
    ["Processing", "Training", "Condition", "Fail", "Lambda", "EMR", "Mystery", 7, None]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
EXPRESSIONS = st.one_of(
    st.builds(
        lambda n: {"Get": f"Steps.{n}.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri"}, NAMES
    ),
    st.builds(lambda n: {"Get": f"Parameters.{n}"}, NAMES),
    st.just({"Get": "Execution.PipelineExecutionId"}),
    st.builds(lambda v: {"Std:Join": {"On": "/", "Values": v}}, st.lists(SCALARS, max_size=3)),
    st.builds(
        lambda n: {
            "Std:JsonGet": {"PropertyFile": {"Get": f"Steps.{n}.PropertyFiles.R"}, "Path": "a.b"}
        },
        NAMES,
    ),
    st.just({"Std:Join": "not an object"}),
    st.just({"Get": 5}),
)
VALUES = st.recursive(
    st.one_of(SCALARS, EXPRESSIONS, st.just("s3://bucket/key")),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=12,
)


@st.composite
def steps(draw, depth=0):
    step = {"Name": draw(NAMES), "Type": draw(TYPES), "Arguments": draw(VALUES)}
    for key in ("CheckType", "SuppliedBaselineStatistics", "ModelPackageGroupName"):
        if draw(st.booleans()):
            step[key] = draw(VALUES)
    if draw(st.booleans()):
        step["DependsOn"] = draw(st.one_of(st.lists(NAMES, max_size=2), SCALARS))
    if step["Type"] == "Condition" and depth < 2:
        step["Arguments"] = {
            "Conditions": draw(st.lists(VALUES, max_size=2)),
            "IfSteps": draw(st.lists(steps(depth + 1), max_size=2)),
            "ElseSteps": draw(st.one_of(st.lists(steps(depth + 1), max_size=2), SCALARS)),
        }
    if draw(st.booleans()):
        step["PropertyFiles"] = draw(
            st.one_of(VALUES, st.just([{"PropertyFileName": "R", "OutputName": "o"}]))
        )
    return step


DOCUMENTS = st.one_of(
    st.builds(
        lambda s, p: {"Version": "2020-12-01", "Parameters": p, "Steps": s},
        st.lists(steps(), max_size=5),
        st.one_of(
            st.none(),
            st.lists(st.fixed_dictionaries({"Name": NAMES, "DefaultValue": SCALARS}), max_size=2),
            VALUES,
        ),
    ),
    VALUES,
    st.text(max_size=40),
)


DEEP: list = []
_level = DEEP
for _ in range(90):  # deep, but within what a definition may nest
    _level.append([])
    _level = _level[0]


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(DOCUMENTS)
@example(
    {
        "Steps": [
            {"Name": "A", "Type": "Processing", "Arguments": {"ProcessingInputs": ["s3://b/x"]}}
        ]
    }
)
@example({"Steps": [{"Name": "A", "Type": "RegisterModel", "Arguments": {"ModelMetrics": ["x"]}}]})
@example({"Steps": [{"Name": "A", "Type": "Tuning", "Arguments": {"TrainingJobDefinitions": "x"}}]})
@example({"Steps": [{"Name": "A", "Type": "AutoML", "Arguments": {"InputDataConfig": {"a": 1}}}]})
@example(
    {"Steps": [{"Name": "A", "Type": "Training", "Arguments": {"InputDataConfig": [1, None]}}]}
)
@example({"Steps": [{"Name": "A", "Type": "EMR", "Arguments": {"Args": DEEP}}]})
def test_preview_lineage_never_crashes(document):
    try:
        response = preview_lineage(document)
    except DefinitionError as exc:
        assert exc.status == 400 and exc.user_message.startswith("definition ")
        return
    names = [n["id"] for n in response["graph"]["nodes"]]
    assert len(names) == len(set(names))
    for edge in response["graph"]["edges"]:
        assert edge["from"] in names and edge["to"] in names
    ids = {a["id"] for a in response["graph"]["artifacts"]}
    for node in response["graph"]["nodes"]:
        for loc in node["inputs"] + node["outputs"]:
            assert loc["artifactId"] in ids


def test_parse_definition_rejects_documents_nested_too_deeply():
    from sagemaker_lineage_ext.core import parse_definition
    from sagemaker_lineage_ext.core.jsonsafe import MAX_DEPTH

    deep: list = []
    level = deep
    for _ in range(5000):
        level.append([])
        level = level[0]
    for document in (
        {"Steps": [], "Deep": deep},
        '{"Steps": [], "Deep": ' + "[" * 5000 + "]" * 5000 + "}",
    ):
        try:
            parse_definition(document)
        except DefinitionError as exc:
            assert f"nested more than {MAX_DEPTH} levels" in exc.user_message
        else:
            raise AssertionError("accepted a document nested 5000 levels deep")
