#!/usr/bin/env python
"""Benchmark of issue 11's two reads on the demo account, with a per-call AWS latency.

1. ``compare``: ``LineageService.compare`` of two executions against ``lineage`` of one.
   A comparison is one ListPipelineExecutions plus the read plan of ``/lineage`` for
   the head and for the base at the same time, without bucket posture; so next to a
   lineage it should cost about twice the SageMaker reads, no S3 reads, and about one
   round more. Pipelines: ``mlops-pipeline`` (7 steps, its two latest executions) and
   ``large-pipeline-200`` (200 steps), to which this script adds a second Succeeded
   execution (the demo account has one).
2. ``scan``: the region scan behind ``/artifact`` and ``includeCrossPipeline``, with the
   region grown to ``--pipelines`` pipelines (default 100: the demo's 8 plus copies of
   ``customer-features-pipeline`` / ``customer-ltv-pipeline`` writing and reading their
   own prefixes, each with one execution). Cold is a new service; warm the next request
   (definitions and latest executions cached by LastModifiedTime / LastExecutionTime);
   and ``lineage +cross`` is ``/lineage`` of customer-ltv-pipeline with
   ``includeCrossPipeline=true`` (the scan runs beside the lineage's own reads) against
   the same lineage without it.

Per row: calls, rounds (``CallLog.rounds()``: the longest chain of calls each started
after the previous ended), depth (``CallLog.depth()``: the plan's dependent rounds),
wall and CPU ms (medians over ``--repeat`` runs).

    .venv/bin/python benchmarks/bench_compare.py [--latency-ms 50] [--repeat 3] [--pipelines 100]

Seeding the demo account and adding the executions and pipelines happen before
anything is timed. See README.md next to this file ("Compare and scan benchmark").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from sagemaker_lineage_ext.core import (  # noqa: E402
    CallLog,
    LineageConfig,
    LineageService,
    parse_artifact_request,
    parse_compare_request,
    parse_lineage_request,
)

FEATURES = "s3://my-mlops-dev2-v2-main-data/features/customers"


def seed_extra(pipelines: int) -> None:
    """A second execution of large-pipeline-200, and the region grown to ``pipelines``."""
    from sagemaker_lineage_ext.core.definition import parse_definition
    from sagemaker_lineage_ext.demo.account import DemoAccount
    from sagemaker_lineage_ext.demo.seed import (
        PIPELINES,
        REGION,
        ROLE_ARN,
        ExecutionSeed,
        ExecutionSimulator,
        load_definition_text,
    )

    account = DemoAccount.get()
    sm = account.client("sagemaker", REGION)
    s3 = account.client("s3", REGION)
    now = datetime.now(timezone.utc)

    # large-pipeline-200: one more Succeeded run, a day before the demo's.
    name = "large-pipeline-200"
    definition = parse_definition(load_definition_text(name))
    seed = ExecutionSeed("Succeeded", 36, "bench-200-previous")
    arn = sm.start_pipeline_execution(
        PipelineName=name, PipelineExecutionDisplayName=seed.display_name
    )["PipelineExecutionArn"]
    start = now - timedelta(hours=seed.started_hours_ago)
    simulator = ExecutionSimulator(sm, s3, account.backend, definition, name, arn, seed, start, now)
    steps = simulator.run()
    account.step_records[arn] = steps
    execution = account.backend.pipelines[name].pipeline_executions[arn]
    execution.start_time = execution.creation_time = start
    execution.last_modified_time = max(s["EndTime"] for s in steps if s.get("EndTime"))
    execution.pipeline_execution_status = "Succeeded"

    # The region grown to ``pipelines``: pairs that share a prefix, one execution each.
    texts = {
        kind: load_definition_text(f"customer-{kind}-pipeline") for kind in ("features", "ltv")
    }
    for index in range(pipelines - len(PIPELINES)):
        kind = ("features", "ltv")[index % 2]
        pair = index // 2
        text = texts[kind].replace("features/customers", f"features/segment-{pair:03d}")
        name = f"bench-{kind}-{pair:03d}"
        sm.create_pipeline(PipelineName=name, PipelineDefinition=text, RoleArn=ROLE_ARN)
        sm.start_pipeline_execution(PipelineName=name, PipelineExecutionDisplayName="bench")


def measure(
    service: LineageService, run: Callable[[], Any]
) -> tuple[int, int, int, float, float, Any]:
    log = CallLog()
    service.gateway.observe(log)
    started, cpu = time.perf_counter(), time.process_time()
    answer = run()
    wall = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    service.gateway.unobserve(log)
    return log.calls, log.rounds(), log.depth(), wall, cpu_ms, answer


def row(label: str, samples: list[tuple[int, int, int, float, float, Any]]) -> dict:
    return {
        "what": label,
        "calls": samples[0][0],
        "rounds": statistics.median(s[1] for s in samples),
        "depth": samples[0][2],
        "wall_ms": round(statistics.median(s[3] for s in samples)),
        "cpu_ms": round(statistics.median(s[4] for s in samples)),
        "runs": " ".join(f"{s[3]:.0f}/{s[1]}" for s in samples),
    }


def bench(args: argparse.Namespace) -> list[dict]:
    from sagemaker_lineage_ext.demo.account import demo_service

    def cold(config: LineageConfig, work: Callable[[LineageService], Any]) -> list:
        samples = []
        for _ in range(args.repeat):
            service = demo_service(config, args.latency_ms)
            try:
                samples.append(measure(service, lambda s=service: work(s)))
            finally:
                service.gateway.close()
        return samples

    def warm(config: LineageConfig, work: Callable[[LineageService], Any]) -> list:
        service = demo_service(config, args.latency_ms)
        try:
            work(service)
            return [measure(service, lambda: work(service)) for _ in range(args.repeat)]
        finally:
            service.gateway.close()

    full, bare = LineageConfig(), LineageConfig(enable_s3_meta=False)
    rows = []
    for pipeline in ("mlops-pipeline", "large-pipeline-200"):

        def lineage(service: LineageService, p: str = pipeline) -> Any:
            return service.lineage(parse_lineage_request({"pipeline": p}, service.config))

        def compare(service: LineageService, p: str = pipeline) -> Any:
            return service.compare(parse_compare_request({"pipeline": p}, service.config))

        rows.append(row(f"{pipeline}: lineage, cold", cold(full, lineage)))
        rows.append(row(f"{pipeline}: lineage without posture, cold", cold(bare, lineage)))
        rows.append(row(f"{pipeline}: compare, cold", cold(full, compare)))
        rows.append(row(f"{pipeline}: compare, warm", warm(full, compare)))

    def scan(service: LineageService) -> Any:
        return service.artifact(parse_artifact_request({"uri": FEATURES}, service.config))

    def ltv(service: LineageService, cross: bool = False) -> Any:
        params = {"pipeline": "customer-ltv-pipeline", "includeCrossPipeline": str(cross)}
        return service.lineage(parse_lineage_request(params, service.config))

    samples = cold(full, scan)
    scanned = samples[0][5]["scanned"]
    rows.append(row(f"artifact scan of {scanned} pipelines, cold", samples))
    rows.append(row(f"artifact scan of {scanned} pipelines, warm", warm(full, scan)))
    rows.append(row("customer-ltv-pipeline: lineage, cold", cold(full, ltv)))
    rows.append(
        row("customer-ltv-pipeline: lineage +cross, cold", cold(full, lambda s: ltv(s, True)))
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pipelines", type=int, default=100, help="pipelines in the region")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from sagemaker_lineage_ext.demo.account import DemoAccount

    DemoAccount.get()
    seeded = time.perf_counter()
    seed_extra(args.pipelines)
    print(
        f"seeding the demo account: {seeded - started:.1f} s; adding an execution and "
        f"growing the region to {args.pipelines} pipelines: {time.perf_counter() - seeded:.1f} s"
    )
    print(f"latency {args.latency_ms:g} ms per AWS call, {args.repeat} runs each (median)\n")
    rows = bench(args)
    width = max(len(r["what"]) for r in rows)
    print(f"{'what':<{width}}  calls  rounds  depth  wall ms  cpu ms  runs (wall ms/rounds)")
    for r in rows:
        print(
            f"{r['what']:<{width}}  {r['calls']:>5}  {r['rounds']:>6}  {r['depth']:>5}  "
            f"{r['wall_ms']:>7}  {r['cpu_ms']:>6}  {r['runs']}"
        )
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
