"""Risk paths (core/risks.py): flagged S3 data that reaches a registered model, on graphs
built by hand so every path is known."""

from __future__ import annotations

import copy

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
