"""Risk paths (core/risks.py): flagged S3 data that reaches a registered model, on graphs
built by hand so every path is known."""

from __future__ import annotations

import copy
import random

import pytest

from sagemaker_lineage_ext.core.risks import is_model_step, risk_paths

PACKAGE = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-models/3"
OK = {"encryption": "aws:kms", "versioning": "Enabled", "publicAccess": "Blocked",
      "tags": {}, "region": "eu-west-1", "findings": []}  # fmt: skip
OPEN = {**OK, "encryption": "None", "findings": ["NotEncrypted"]}


def node(name: str, kind: str = "Processing", registry: dict | None = None) -> dict:
    run = {"status": "Succeeded", "registry": registry}
    return {"id": name, "type": kind, "inputs": [], "outputs": [], "run": run}


def artifact(aid: int, producers: list, consumers: list, s3: dict | None = OK) -> dict:
    uri = f"s3://bucket-{aid}/key"
    return {"id": aid, "uri": uri, "bucket": f"bucket-{aid}", "key": "key", "resolved": True,
            "producers": producers, "consumers": consumers, "s3": s3}  # fmt: skip


def registry(approval: str = "Approved") -> dict:
    return {"modelPackageArn": PACKAGE, "modelPackageGroup": "churn-models", "version": 3,
            "approvalStatus": approval, "packageStatus": "Completed", "creationTime": None}  # fmt: skip


def edge(a: str, b: str, via: str = "ref:Get") -> dict:
    return {"from": a, "to": b, "via": via}


def graph(nodes: list, edges: list, artifacts: list) -> dict:
    return {"nodes": nodes, "edges": edges, "artifacts": artifacts, "risks": []}


#: raw (1, unencrypted) -> Prep -> features (2) -> Train -> model (3) -> Register;
#: Train -> Evaluate -> Check -(if)-> Register; Other reads raw and leads nowhere.
PIPELINE = graph(
    [node("Prep"), node("Train", "Training"), node("Evaluate"), node("Check", "Condition"),
     node("Register", "RegisterModel", registry()), node("Other")],
    [edge("Prep", "Train"), edge("Train", "Evaluate"), edge("Evaluate", "Check"),
     edge("Check", "Register", "condition:if")],
    [artifact(1, [], ["Prep", "Other"], OPEN), artifact(2, ["Prep"], ["Train"]),
     artifact(3, ["Train"], ["Evaluate", "Register"])],
)  # fmt: skip


def test_risks_unencrypted_input_reaches_the_approved_model_on_the_shortest_path():
    (risk,) = risk_paths(PIPELINE)
    assert risk == {
        "artifactId": 1,
        "uri": "s3://bucket-1/key",
        "findings": ["NotEncrypted"],
        "modelStep": "Register",
        "modelPackageArn": PACKAGE,
        "approvalStatus": "Approved",
        # Train's model artifact (3) is read by Register: shorter than Evaluate -> Check.
        "steps": ["Prep", "Train", "Register"],
        "artifacts": [1, 3],
        "message": "unencrypted input upstream of the approved model package churn-models v3: "
        "s3://bucket-1/key → Prep → Train → Register",
    }


def test_risks_follow_condition_edges_when_no_data_path_exists():
    g = copy.deepcopy(PIPELINE)
    g["artifacts"][2]["consumers"] = ["Evaluate"]  # Register no longer reads the model
    (risk,) = risk_paths(g)
    assert risk["steps"] == ["Prep", "Train", "Evaluate", "Check", "Register"]


def test_risks_name_the_producer_of_flagged_intermediate_data_and_a_pending_package():
    g = copy.deepcopy(PIPELINE)
    g["artifacts"][0]["s3"] = OK
    g["artifacts"][2]["s3"] = {**OK, "versioning": "Suspended", "publicAccess": "NotBlocked",
                               "findings": ["PublicAccessNotBlocked", "VersioningOff"]}  # fmt: skip
    g["nodes"][4]["run"]["registry"] = registry("PendingManualApproval")
    (risk,) = risk_paths(g)
    assert (risk["artifactId"], risk["steps"], risk["artifacts"]) == (3, ["Register"], [3])
    assert risk["message"] == (
        "publicly accessible, unversioned output of Train upstream of model package "
        "churn-models v3 (PendingManualApproval): s3://bucket-3/key → Register"
    )


def test_risks_none_without_flagged_data_or_without_a_model_step():
    clean = copy.deepcopy(PIPELINE)
    clean["artifacts"][0]["s3"] = OK
    assert risk_paths(clean) == []
    no_model = copy.deepcopy(PIPELINE)
    no_model["nodes"][4] = node("Register", "Model")
    assert risk_paths(no_model) == []
    unread = copy.deepcopy(PIPELINE)
    unread["artifacts"][0]["s3"] = None  # bucket metadata off: nothing is flagged
    assert risk_paths(unread) == []


def test_risks_flagged_data_that_reaches_no_model_is_not_a_risk():
    g = copy.deepcopy(PIPELINE)
    g["artifacts"][0]["consumers"] = ["Other"]
    assert risk_paths(g) == []


def test_risks_an_explicit_flag_map_replaces_the_findings():
    """The posture gate flags what its policy says, not every finding."""
    assert risk_paths(PIPELINE, {1: []}) == []
    (risk,) = risk_paths(PIPELINE, {2: ["VersioningOff"]})
    assert (risk["artifactId"], risk["findings"], risk["steps"]) == (
        2,
        ["VersioningOff"],
        ["Train", "Register"],
    )


def test_risks_a_step_with_a_registry_is_a_model_step_whatever_its_type():
    lambda_step = node("Publish", "Lambda", registry())
    assert is_model_step(lambda_step) and is_model_step(node("R", "RegisterModel"))
    assert not is_model_step(node("CreateModel", "Model"))
    g = graph([node("Prep"), lambda_step], [edge("Prep", "Publish")],
              [artifact(1, [], ["Prep"], OPEN)])  # fmt: skip
    (risk,) = risk_paths(g)
    assert risk["modelStep"] == "Publish" and risk["steps"] == ["Prep", "Publish"]


def test_risks_a_registration_step_without_a_run_is_named_as_a_step():
    g = copy.deepcopy(PIPELINE)
    del g["nodes"][4]["run"]
    (risk,) = risk_paths(g)
    assert (risk["modelPackageArn"], risk["approvalStatus"]) == (None, None)
    assert "upstream of the model registration step Register:" in risk["message"]


def test_risks_a_cycle_ends_the_walk():
    g = copy.deepcopy(PIPELINE)
    g["edges"] += [edge("Evaluate", "Prep"), edge("Check", "Evaluate")]
    assert [r["steps"] for r in risk_paths(g)] == [["Prep", "Train", "Register"]]


def test_risks_one_per_artifact_and_model_pair_sorted_by_artifact():
    g = copy.deepcopy(PIPELINE)
    g["nodes"].append(node("RegisterToo", "RegisterModel"))
    g["edges"].append(edge("Train", "RegisterToo"))
    g["artifacts"][1]["s3"] = OPEN
    pairs = [(r["artifactId"], r["modelStep"]) for r in risk_paths(g)]
    assert pairs == [(1, "Register"), (1, "RegisterToo"), (2, "Register"), (2, "RegisterToo")]


def _reference_distance(g: dict, artifact_id: int, model: str) -> int | None:
    """Moves from an artifact to a step, by a plain breadth-first walk forward."""
    names = {n["id"] for n in g["nodes"]}
    writes: dict[str, list[int]] = {}
    for a in g["artifacts"]:
        for p in a["producers"]:
            writes.setdefault(p, []).append(a["id"])
    by_id = {a["id"]: a for a in g["artifacts"]}
    seen, frontier, moves = {("a", artifact_id)}, [("a", artifact_id)], 0
    while frontier:
        if ("s", model) in frontier:
            return moves
        following = []
        for kind, key in frontier:
            if kind == "a":
                nexts = [("s", c) for c in by_id[key]["consumers"] if c in names]
            else:
                nexts = [("a", a) for a in writes.get(key, [])]
                nexts += [
                    ("s", e["to"]) for e in g["edges"] if e["from"] == key and e["to"] in names
                ]
            for nxt in nexts:
                if nxt not in seen:
                    seen.add(nxt)
                    following.append(nxt)
        frontier, moves = following, moves + 1
    return None


@pytest.mark.parametrize("seed", range(40))
def test_risks_every_connected_pair_gets_a_shortest_path_that_exists(seed):
    """GIVEN random graphs (cycles, steps missing from the nodes, several model steps)
    THEN a risk exists exactly for the pairs a plain forward walk connects, and each path
    is as short as that walk's and made only of moves the graph has."""
    rnd = random.Random(seed)
    steps = [f"S{i}" for i in range(rnd.randint(2, 14))]
    kinds = {s: "RegisterModel" if rnd.random() < 0.25 else "Processing" for s in steps}
    g = graph(
        [node(s, kinds[s]) for s in steps],
        [edge(rnd.choice(steps), rnd.choice(steps)) for _ in range(rnd.randint(0, 20))],
        [
            artifact(
                i,
                rnd.sample([*steps, "Gone"], rnd.randint(0, 2)),
                rnd.sample([*steps, "Gone"], rnd.randint(0, 3)),
                OPEN if rnd.random() < 0.6 else OK,
            )
            for i in range(rnd.randint(1, 12))
        ],
    )
    risks = risk_paths(g)
    got = {(r["artifactId"], r["modelStep"]): r for r in risks}
    for a in g["artifacts"]:
        for model in [s for s in steps if kinds[s] == "RegisterModel"]:
            want = _reference_distance(g, a["id"], model) if a["s3"] is OPEN else None
            risk = got.get((a["id"], model))
            assert (risk is not None) == (want is not None), (a["id"], model)
            if risk is None:
                continue
            # moves: one per step and per artifact on the path, less the start
            assert len(risk["steps"]) + len(risk["artifacts"]) - 1 == want
            assert risk["artifacts"][0] == a["id"] and risk["steps"][-1] == model
    order = [(r["artifactId"], steps.index(r["modelStep"])) for r in risks]
    assert order == sorted(order)
