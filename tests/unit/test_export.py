"""Mermaid and DOT text of a lineage answer (core/export.py), on a small answer built by
hand; tests/render draws the demo's answers and hostile names with the real tools."""

from __future__ import annotations

import pytest

from sagemaker_lineage_ext.core.export import (
    dot_string,
    format_elapsed,
    mermaid_text,
    to_dot,
    to_mermaid,
)

OK = {"encryption": "aws:kms", "versioning": "Enabled", "publicAccess": "Blocked",
      "tags": {}, "region": "eu-west-1", "findings": []}  # fmt: skip
ANSWER = {
    "pipeline": {"name": "p"},
    "execution": {"arn": "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/p/execution/abc",
                  "status": "Failed", "displayName": None},
    "graph": {
        "nodes": [
            {"id": "Prep", "type": "Processing", "run": {"status": "Succeeded", "elapsedSec": 65}},
            {"id": "Check", "type": "Condition", "run": {"status": "Failed", "elapsedSec": 1}},
            {"id": "Later", "type": "Training", "run": {"status": "NotStarted", "elapsedSec": None}},
        ],
        "edges": [
            {"from": "Prep", "to": "Check", "via": "ref:Get"},
            {"from": "Check", "to": "Later", "via": "condition:else"},
            {"from": "Prep", "to": "Later", "via": "dependsOn"},
        ],
        "artifacts": [
            {"id": 1, "uri": "s3://data/in/raw.csv", "bucket": "data", "key": "in/raw.csv",
             "producers": [], "consumers": ["Prep"], "s3": {**OK, "findings": ["NotEncrypted"]}},
            {"id": 2, "uri": "s3://data/out/", "bucket": "data", "key": "out/",
             "producers": ["Prep"], "consumers": ["Check"], "s3": OK},
        ],
        "risks": [],
    },
}  # fmt: skip


def test_export_mermaid_steps_only():
    assert to_mermaid(ANSWER) == (
        "---\n"
        'title: "p · Failed · abc"\n'
        "---\n"
        "flowchart LR\n"
        '  s1["Prep<br/>Processing · 1 min 5 s"]:::stSucceeded\n'
        '  s2{"Check<br/>Condition · 1 s"}:::stFailed\n'
        '  s3["Later<br/>Training"]:::stNotStarted\n'
        "  s1 --> s2\n"
        "  s2 -->|else| s3\n"
        "  s1 -.-> s3\n"
        "  linkStyle 0 stroke:#607d8b\n"
        "  linkStyle 1 stroke:#c62828\n"
        "  linkStyle 2 stroke:#90a4ae\n"
        "  classDef stSucceeded fill:#d4eed8,stroke:#2e7d32,color:#212121\n"
        "  classDef stFailed fill:#f9d4d1,stroke:#c62828,color:#212121\n"
        "  classDef stNotStarted fill:#eeeeee,stroke:#9e9e9e,color:#212121,stroke-dasharray:4 3\n"
    )


def test_export_mermaid_with_artifacts_draws_data_between_steps_and_flags_bad_buckets():
    text = to_mermaid(ANSWER, artifacts=True)
    assert '  a1[("raw.csv<br/>data")]:::artflagged\n' in text
    assert '  a2[("out<br/>data")]:::artok\n' in text
    assert "  a1 --> s1\n  s1 --> a2\n  a2 --> s2\n" in text
    # Prep -> Check (ref:Get) is drawn through artifact 2, not twice
    assert "  s1 --> s2\n" not in text
    assert "classDef artflagged fill:#fdecea,stroke:#c62828" in text


def test_export_dot_steps_and_artifacts():
    text = to_dot(ANSWER, artifacts=True)
    assert text.startswith('digraph lineage {\n  graph [rankdir=LR, label="p · Failed · abc"')
    assert (
        '  s2 [label="Check\\nCondition · 1 s", fillcolor="#f9d4d1", color="#c62828", '
        "shape=diamond];\n"
    ) in text
    assert 'style="rounded,filled,dashed"' in text.split("\n  s3 ")[1].split("\n")[0]
    assert '  a1 [label="raw.csv\\ndata", shape=cylinder, style=filled, fillcolor="#fdecea"' in text
    assert '  s2 -> s3 [style=solid, color="#c62828", label="else", fontcolor="#c62828"];' in text
    assert '  s1 -> s3 [style=dashed, color="#90a4ae"];' in text
    assert text.endswith("}\n")


def test_export_labels_are_escaped_for_each_format():
    assert mermaid_text('a"b #c; 50% <i>`x`</i> s3://k\nnext') == (
        "a#34;b #35;c#59; 50#37; #60;i#62;#96;x#96;#60;/i#62; s3#58;//k next"
    )
    assert dot_string('a"b\\N c\\\nd') == '"a\\"b\\\\N c\\\\ d"'


def test_export_entity_references_in_a_name_stay_text_in_dot():
    # GIVEN names holding what Graphviz reads as entity references (&lt; &#60; &amp;)
    # THEN the ampersand is escaped, so dot draws the name, not "<"
    assert dot_string("x&lt;y &#60; & &amp;") == '"x&amp;lt;y &amp;#60; &amp; &amp;amp;"'


@pytest.mark.parametrize("control", ["\x85", "\x9b", "\x80", "\u202e", "\u2066", "\u2069"])
def test_export_c1_controls_and_bidi_overrides_are_spaces_like_c0(control):
    # GIVEN a C1 control (NEL breaks lines in some renderers; CSI) or a bidirectional
    # override (it reorders what is drawn: "evil" shows as "live") in a step name
    # THEN the drawings hold a space instead, in both formats, as for C0 controls: the
    # CLI's terminal escaping then finds nothing to write as "\x85" inside a label
    name = f"a{control}b"
    assert mermaid_text(name) == "a b"
    assert dot_string(name) == '"a b"'


def test_export_elapsed_reads_like_the_widget():
    assert [format_elapsed(s) for s in (None, 0, 59.6, 60, 125, 3600, 5777)] == [
        "", "0 s", "1 min", "1 min", "2 min 5 s", "1 h", "1 h 36 min"
    ]  # fmt: skip


def test_plural_counts_take_their_number():
    from sagemaker_lineage_ext.core.export import plural

    assert [plural(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert plural(1, "OpenLineage event") == "1 OpenLineage event"
    assert plural(3, "policy", "policies") == "3 policies"
