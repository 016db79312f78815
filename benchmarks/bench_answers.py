#!/usr/bin/env python
"""CPU of the pure work on a lineage answer, per step, at 200, 1000 and 2000 steps.

What every lineage answer computes after its reads (``graph.risks``: ``core/risks.py``),
and what ``/openlineage`` (``core/openlineage.py``) and ``/check`` (``core/policy.py``)
make of an answer. None of it reads AWS, so the answers are generated here: layers of 20
steps over 20 buckets, every step reading the output of the step before it (a ``Get``)
and depending on the step ten before it (``DependsOn``), every bucket without encryption
or versioning (every artifact flagged), and registration steps (``--models``, default 1:
the last step; more are spread evenly). Each figure is the median CPU time of
``--repeat`` runs.

Then the matching behind ``includeCrossPipeline`` (``core/crosspipeline.py``): the
artifacts of a pipeline looked up in the index of a region of ``--pipelines`` other
pipelines of the same size, all in the same 20 buckets.

    .venv/bin/python benchmarks/bench_answers.py [--steps 200 1000 2000] [--models 1] [--repeat 3]

Flat figures per step mean linear work. See README.md next to this file ("Answer CPU").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from sagemaker_lineage_ext.core.crosspipeline import (  # noqa: E402
    PipelineUses,
    UsageIndex,
    Use,
    segments,
)
from sagemaker_lineage_ext.core.openlineage import run_events  # noqa: E402
from sagemaker_lineage_ext.core.policy import evaluate_check  # noqa: E402
from sagemaker_lineage_ext.core.risks import risk_paths  # noqa: E402

ARN = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/bench"
TIME = "2026-11-27T10:00:00.000Z"


def answer(steps: int, models: int) -> dict[str, Any]:
    """A lineage answer of ``steps`` steps (see the module docstring)."""
    every = max(1, steps // models)
    model_steps = {steps - 1 - i * every for i in range(models)}
    posture = {"encryption": "None", "versioning": "Suspended", "publicAccess": "Blocked",
               "tags": {}, "region": "eu-west-1", "findings": ["NotEncrypted", "VersioningOff"],
               "readAt": TIME}  # fmt: skip
    nodes, edges, artifacts = [], [], []
    for i in range(steps):
        run = {"status": "Succeeded", "startTime": TIME, "endTime": TIME, "elapsedSec": 60,
               "jobArn": None, "metrics": {}, "failureReason": None, "cacheHit": False,
               "registry": None}  # fmt: skip
        nodes.append({
            "id": f"S{i}", "type": "RegisterModel" if i in model_steps else "Processing",
            "inputs": [{"name": "in", "uri": f"s3://b{i % 20}/k{i}", "artifactId": i}],
            "outputs": [{"name": "out", "uri": f"s3://b{(i + 1) % 20}/k{i + 1}",
                         "artifactId": i + 1}],
            "run": run,
        })  # fmt: skip
        if i:
            edges.append({"from": f"S{i - 1}", "to": f"S{i}", "via": "ref:Get"})
        if i >= 10:
            edges.append({"from": f"S{i - 10}", "to": f"S{i}", "via": "dependsOn"})
    for i in range(steps + 1):
        artifacts.append({
            "id": i, "uri": f"s3://b{i % 20}/k{i}", "bucket": f"b{i % 20}", "key": f"k{i}",
            "resolved": True, "producers": [f"S{i - 1}"] if i else [],
            "consumers": [f"S{i}"] if i < steps else [], "s3": dict(posture),
        })  # fmt: skip
    execution = {"arn": f"{ARN}/execution/bench", "status": "Succeeded", "startTime": TIME,
                 "endTime": TIME, "parameters": {}, "failureReason": None, "displayName": None,
                 "elapsedSec": 60}  # fmt: skip
    return {
        "pipeline": {"name": "bench", "arn": ARN, "region": "eu-west-1"},
        "execution": execution,
        "summary": {},
        "graph": {"nodes": nodes, "edges": edges, "artifacts": artifacts, "risks": []},
        "warnings": [],
    }


def cpu_ms(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = work()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--models", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipelines", type=int, default=40)
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    print(f"models {args.models}, median of {args.repeat}; CPU ms (per step µs)")
    print(f"{'steps':>6}  {'risk paths':>18}  {'paths':>6}  {'KB':>6}  {'openlineage':>18}  "
          f"{'check':>18}")  # fmt: skip
    for steps in args.steps:
        print(row(steps, args.models, args.repeat, now))
    print(f"\nincludeCrossPipeline matching, {args.pipelines} other pipelines of as many steps")
    for steps in args.steps:
        print(cross_row(steps, args.pipelines, args.repeat))


def cross_row(steps: int, pipelines: int, repeat: int) -> str:
    """CPU of finding every artifact of one pipeline among the others' locations."""

    def uses(pipeline: int) -> tuple[Use, ...]:
        found = []
        for i in range(steps):
            for role, k in (("in", i), ("out", i + 1)):
                uri = f"s3://b{i % 20}/data/p{pipeline}/step{k}/part"
                found.append(Use(f"S{i}", "Processing", "x", uri, True, role, segments(uri)))  # type: ignore[arg-type]
        return tuple(found)

    index = UsageIndex(
        PipelineUses(f"p{p}", f"p{p}", None, None, uses(p)) for p in range(pipelines)
    )
    artifacts = [f"s3://b{i % 20}/data/p0/step{i}/part" for i in range(steps)]
    ms, _ = cpu_ms(lambda: [index.find(uri, exclude="p0") for uri in artifacts], repeat)
    locations = pipelines * steps * 2
    return f"{steps:>6} steps, {locations:>7} locations: {ms:8.1f} ms ({ms / steps * 1000:5.0f} µs/artifact)"


def row(steps: int, models: int, repeat: int, now: datetime) -> str:
    """One line of figures for an answer of ``steps`` steps."""
    lineage = answer(steps, models)
    risks_ms, risks = cpu_ms(lambda: risk_paths(lineage["graph"]), repeat)
    events_ms, _ = cpu_ms(lambda: run_events(lineage, now), repeat)  # type: ignore[arg-type]
    check_ms, _ = cpu_ms(lambda: evaluate_check(lineage), repeat)  # type: ignore[arg-type]
    size = len(json.dumps(risks)) / 1024

    def cell(ms: float) -> str:
        return f"{ms:8.1f} ({ms / steps * 1000:5.0f})"

    return (f"{steps:>6}  {cell(risks_ms):>18}  {len(risks):>6}  {size:>6.0f}  "
            f"{cell(events_ms):>18}  {cell(check_ms):>18}")  # fmt: skip


if __name__ == "__main__":
    main()
