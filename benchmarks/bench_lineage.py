#!/usr/bin/env python
"""Benchmark of the lineage read plan against AWS out of process, with latency and throttling.

An AWS double (``aws_double.py``: moto in a child process behind a WSGI middleware that
adds a latency per request, a per-operation token bucket, and records every request)
holds generated pipelines of 10, 200, 1000 and 2000 steps over 20 buckets, seeded
through the AWS API. Each measurement runs in a fresh worker process that reads them
with the product's own path (``LineageService(config)``: the default credential chain
and ``AWS_ENDPOINT_URL``), and prints per pipeline and latency:

- calls      AWS calls the core made (its ``CallLog``); ``requests``: HTTP requests the
             double answered (retries and throttled attempts included)
- rounds     sequential rounds the double observed: the longest chain of requests each
             of which arrived after the previous one was answered
- bound      (ceil(steps / 100) + 2): pipeline -> execution -> step pages -> jobs and
             buckets; ``wall/bound`` = wall ÷ (bound × latency)
- cpu/step   CPU time of the reading process per listed step (client side: our code and
             botocore; moto's CPU is the double's)
- rss        peak resident memory of the worker process (MB)
- body       the answer's compact JSON size, and gzipped (level 6, tornado's)

Modes: ``first`` is the first request of a fresh process (it builds the boto3 session
and clients); ``cold`` a new LineageService (empty caches) in a process that has served
before; ``warm`` the same request again on that service (a finished execution: its
steps and jobs are cached); ``naive`` a sequential reader written here (one call at a
time, no cache, the same account) with the speed-up = naive wall ÷ cold wall.

Also: the throttled figures (token buckets of 10/s per SageMaker read and 5/s per S3
configuration read) against the rate bound; a 1000-step pipeline under throttling
read again and again with a deadline (``summary.incomplete`` shrinking to 0); the CPU
of the pure modules per step and per URI. See README.md next to this file.

    .venv/bin/python benchmarks/bench_lineage.py                  # everything (~15 min)
    .venv/bin/python benchmarks/bench_lineage.py --quick          # 50 ms, no 2000/naive-200
    .venv/bin/python benchmarks/bench_lineage.py --latency-ms 200 --steps 200 --repeat 5
"""

from __future__ import annotations

import argparse
import gzip
import heapq
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, path)

import aws_double  # noqa: E402

PAGE = 100  # ListPipelineExecutionSteps page size the core asks for


def bound_rounds(steps: int) -> int:
    """Dependent rounds a lineage read needs: pipeline, execution, step pages, jobs."""
    return math.ceil(steps / PAGE) + 2


def observed_rounds(calls: list[Any]) -> int:
    """The longest chain of requests each of which arrived after the previous was answered."""
    best = longest = 0
    pending: list[tuple[float, int]] = []  # (answered at, chain length), a heap
    for call in sorted(calls, key=lambda c: c[1]):
        start, end = call[1], call[2]
        while pending and pending[0][0] <= start:
            best = max(best, heapq.heappop(pending)[1])
        depth = best + 1
        longest = max(longest, depth)
        heapq.heappush(pending, (end, depth))
    return longest


def peak_in_flight(calls: list[Any]) -> int:
    events = sorted([(c[1], 1) for c in calls] + [(c[2], -1) for c in calls])
    current = peak = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the worker: one pipeline, one latency, in its own process -------------------------------


def _enriched(answer: dict[str, Any]) -> int:
    """Steps whose run is complete: a job step with its job described, any other listed step."""
    count = 0
    for node in answer["graph"]["nodes"]:
        run = node.get("run") or {}
        if node["type"] in ("Processing", "Training"):
            count += bool(run.get("jobArn") and run.get("jobStatus"))
        else:
            count += run.get("status") not in (None, "Unknown", "NotStarted")
    return count


def _measure(
    double: aws_double.AwsDouble, service: Any, request: Any, deadline_s: float | None
) -> dict[str, Any]:
    from sagemaker_lineage_ext.core import CallLog

    double.calls()  # forget what came before
    log = CallLog()
    service.gateway.observe(log)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    deadline = time.monotonic() + deadline_s if deadline_s else None
    try:
        answer = service.lineage(request, deadline=deadline)
    finally:
        service.gateway.unobserve(log)
    ended = time.monotonic()
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    calls = double.calls()
    records = list(log.records)
    lead = (min(r.start for r in records) - (ended - wall)) * 1000 if records else 0.0
    tail = (ended - max(r.end for r in records)) * 1000 if records else 0.0
    body = json.dumps(answer, separators=(",", ":")).encode()
    steps = answer["summary"]["stepCount"]
    return {
        "wall_ms": wall * 1000,
        "cpu_ms": cpu * 1000,
        "cpu_per_step_ms": cpu * 1000 / max(steps, 1),
        "lead_ms": lead,
        "tail_ms": tail,
        "calls": log.calls,
        "depth": log.depth(),
        "by_operation": log.by_operation(),
        "requests": len(calls),
        "throttled": sum(1 for c in calls if c[4]),
        "answered": _answered(calls),
        "rounds": observed_rounds(calls),
        "peak": peak_in_flight(calls),
        "steps": steps,
        "enriched": _enriched(answer),
        "incomplete": answer["summary"].get("incomplete", 0),
        "warnings": [w["code"] for w in answer["warnings"]],
        "bytes": len(body),
        "gzip6": len(gzip.compress(body, 6)),
        "gzip9": len(gzip.compress(body, 9)),
        "jupyter_bytes": len(json.dumps(answer).encode()),
    }


def _answered(calls: list[Any]) -> dict[str, int]:
    """Requests per operation that were answered (not throttled)."""
    counts: dict[str, int] = {}
    for operation, _, _, _, throttled in calls:
        if not throttled:
            counts[operation] = counts.get(operation, 0) + 1
    return counts


def naive_read(pipeline: str) -> dict[str, Any]:
    """A sequential reader: one call at a time, no cache, every step's job and the posture
    of each bucket a job names (read again for every step that names it)."""
    import boto3
    from botocore.exceptions import ClientError

    session = boto3.session.Session()
    sm, s3 = session.client("sagemaker"), session.client("s3")
    posture = ("get_bucket_location", "get_bucket_encryption", "get_bucket_versioning",
               "get_public_access_block", "get_bucket_tagging")  # fmt: skip

    def pages(method: Any, key: str, **kwargs: Any) -> list[Any]:
        items: list[Any] = []
        while True:
            page = method(**kwargs)
            items += page.get(key, [])
            if not page.get("NextToken"):
                return items
            kwargs["NextToken"] = page["NextToken"]

    started = time.perf_counter()
    described = sm.describe_pipeline(PipelineName=pipeline)
    sm.list_tags(ResourceArn=described["PipelineArn"])
    latest = sm.list_pipeline_executions(
        PipelineName=pipeline, SortBy="CreationTime", SortOrder="Descending", MaxResults=1
    )
    arn = latest["PipelineExecutionSummaries"][0]["PipelineExecutionArn"]
    sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)
    pages(sm.list_pipeline_parameters_for_execution, "PipelineParameters", PipelineExecutionArn=arn)
    steps = pages(
        sm.list_pipeline_execution_steps, "PipelineExecutionSteps", PipelineExecutionArn=arn
    )
    jobs = without_job = 0
    for step in steps:
        metadata = step.get("Metadata", {})
        uris: list[str] = []
        if "ProcessingJob" in metadata:
            job = sm.describe_processing_job(
                ProcessingJobName=metadata["ProcessingJob"]["Arn"].rsplit("/", 1)[1]
            )
            uris += [i["S3Input"]["S3Uri"] for i in job.get("ProcessingInputs", [])]
            uris += [
                o["S3Output"]["S3Uri"]
                for o in job.get("ProcessingOutputConfig", {}).get("Outputs", [])
            ]
        elif "TrainingJob" in metadata:
            job = sm.describe_training_job(
                TrainingJobName=metadata["TrainingJob"]["Arn"].rsplit("/", 1)[1]
            )
            uris += [
                c["DataSource"]["S3DataSource"]["S3Uri"] for c in job.get("InputDataConfig", [])
            ]
            uris.append(job["ModelArtifacts"]["S3ModelArtifacts"])
        else:
            without_job += 1
            continue
        jobs += 1
        for bucket in dict.fromkeys(uri[5:].split("/", 1)[0] for uri in uris):
            for operation in posture:
                try:
                    getattr(s3, operation)(Bucket=bucket)
                except ClientError:
                    pass  # not configured
    return {
        "wall_ms": (time.perf_counter() - started) * 1000,
        "steps": len(steps),
        "jobs": jobs,
        "without_job": without_job,
    }


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Measure one pipeline in this (fresh) process; ``spec`` comes from the parent."""
    double = aws_double.AwsDouble()
    double.port = spec["port"]
    rss_start = _rss_mb()
    import boto3  # noqa: F401  (imports belong to the process, not to a request)

    from sagemaker_lineage_ext.core import LineageConfig, LineageService, parse_lineage_request

    config = LineageConfig(default_region=aws_double.REGION, **spec.get("config", {}))
    request = parse_lineage_request({"pipeline": spec["pipeline"]}, config)
    rss_imported = _rss_mb()
    result: dict[str, Any] = {
        "spec": spec,
        "runs": [],
        "rss_start_mb": rss_start,
        "rss_imported_mb": rss_imported,
    }
    deadline = spec.get("deadline_s")
    if spec["mode"] == "prime":
        for pipeline in spec["pipelines"]:
            LineageService(config).lineage(parse_lineage_request({"pipeline": pipeline}, config))
        return result
    if spec["mode"] == "deadline":
        service = LineageService(config)
        for attempt in range(spec.get("attempts", 6)):
            run = _measure(double, service, request, deadline)
            result["runs"].append({"mode": f"request {attempt + 1}", **run})
            if not run["incomplete"]:
                break
        result["peak_rss_mb"] = _peak_rss_mb()
        return result
    service = LineageService(config)
    result["runs"].append({"mode": "first", **_measure(double, service, request, deadline)})
    service.gateway.close()
    for _ in range(spec["repeat"]):
        service = LineageService(config)
        result["runs"].append({"mode": "cold", **_measure(double, service, request, deadline)})
        result["runs"].append({"mode": "warm", **_measure(double, service, request, deadline)})
        service.gateway.close()
    result["peak_rss_mb"] = _peak_rss_mb()
    if spec.get("naive"):
        double.calls()
        naive = naive_read(spec["pipeline"])
        calls = double.calls()
        naive.update(requests=len(calls), rounds=observed_rounds(calls))
        # a step without a job (a Condition) is read in full by the step list
        result["naive"] = naive
    return result


def run_worker(double: aws_double.AwsDouble, spec: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, **aws_double.client_environment(double.endpoint)}
    env.pop("SAGEMAKER_LINEAGE_DEMO", None)
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps({**spec, "port": double.port})],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"worker failed ({spec}):\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the pure modules alone -------------------------------------------------------------------


def pure_cpu(sizes: list[int], uri_counts: list[int], repeat: int) -> dict[str, Any]:
    """CPU of the definition-only graph (no AWS) per step, and per URI of one step."""
    from sagemaker_lineage_ext.core import preview_lineage

    def best_of(build: Any) -> float:
        times = []
        for _ in range(repeat):
            started = time.process_time()
            build()
            times.append(time.process_time() - started)
        return min(times)

    per_step = {}
    for size in sizes:
        definition, _ = aws_double.generate(size)
        per_step[size] = best_of(lambda d=definition: preview_lineage(d)) * 1e6 / size
    per_uri = {}
    for count in uri_counts:
        uris = [f"s3://{aws_double.BUCKETS[i % 20]}/lambda/input-{i:05d}.csv" for i in range(count)]
        definition = {
            "Version": "2020-12-01",
            "Steps": [
                {
                    "Name": "ManyUris",
                    "Type": "Lambda",
                    "FunctionArn": f"arn:aws:lambda:{aws_double.REGION}:{aws_double.ACCOUNT}:function:f",
                    "Arguments": {"inputs": uris},
                }
            ],
        }
        per_uri[count] = best_of(lambda d=definition: preview_lineage(d)) * 1e6 / count
    return {"us_per_step": per_step, "us_per_uri": per_uri}


# -- the report ------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _table(header: list[str], rows: list[list[str]], left: int = 1) -> None:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def summarize_plain(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (latency, steps, mode): medians over the runs of that mode."""
    rows = []
    for result in results:
        spec = result["spec"]
        latency = spec["latency_ms"]
        cold_wall = None
        for mode in ("first", "cold", "warm"):
            runs = [r for r in result["runs"] if r["mode"] == mode]
            steps = runs[0]["steps"]
            rounds_bound = bound_rounds(steps) if mode != "warm" else 2
            wall = _median([r["wall_ms"] for r in runs])
            if mode == "cold":
                cold_wall = wall
            rows.append({
                "latency_ms": latency, "steps": steps, "mode": mode,
                "calls": _median([r["calls"] for r in runs]),
                "requests": _median([r["requests"] for r in runs]),
                "rounds": _median([r["rounds"] for r in runs]),
                "rounds_all": [r["rounds"] for r in runs],
                "depth": _median([r["depth"] for r in runs]),
                "bound": rounds_bound,
                "wall_ms": wall, "wall_all": [round(r["wall_ms"]) for r in runs],
                "wall_over_bound": wall / (rounds_bound * latency) if latency else None,
                "cpu_ms": _median([r["cpu_ms"] for r in runs]),
                "cpu_per_step_ms": _median([r["cpu_per_step_ms"] for r in runs]),
                "lead_ms": _median([r["lead_ms"] for r in runs]),
                "tail_ms": _median([r["tail_ms"] for r in runs]),
                "peak": _median([r["peak"] for r in runs]),
                "rss_mb": result["peak_rss_mb"],
                "bytes": runs[0]["bytes"], "gzip6": runs[0]["gzip6"], "gzip9": runs[0]["gzip9"],
                "jupyter_bytes": runs[0]["jupyter_bytes"],
                "enriched": min(r["enriched"] for r in runs),
                "warnings": sorted({w for r in runs for w in r["warnings"]}),
            })  # fmt: skip
        naive = result.get("naive")
        if naive:
            rows.append({
                "latency_ms": latency, "steps": naive["steps"], "mode": "naive",
                "calls": naive["requests"], "requests": naive["requests"], "rounds": naive["rounds"],
                "rounds_all": [naive["rounds"]], "depth": None, "bound": None,
                "wall_ms": naive["wall_ms"], "wall_all": [round(naive["wall_ms"])],
                "wall_over_bound": None, "cpu_ms": None, "cpu_per_step_ms": None, "peak": 1,
                "lead_ms": None, "tail_ms": None,
                "rss_mb": None, "bytes": None, "gzip6": None, "gzip9": None, "jupyter_bytes": None,
                "enriched": naive["jobs"] + naive["without_job"], "warnings": [],
                "speedup": naive["wall_ms"] / cold_wall if cold_wall else None,
            })  # fmt: skip
    return rows


def _f(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def print_plain(rows: list[dict[str, Any]]) -> None:
    header = ["latency", "steps", "mode", "calls", "requests", "rounds", "bound", "wall ms", "wall/bound",
              "cpu ms", "cpu/step ms", "lead", "tail", "peak", "rss MB", "body KB", "gzip KB", "enriched", "each run: wall ms/rounds"]  # fmt: skip
    table = []
    for r in rows:
        extra = f"speed-up {r['speedup']:.0f}x" if r.get("speedup") else ""
        table.append([
            f"{r['latency_ms']:g} ms", str(r["steps"]), r["mode"], _f(r["calls"]), _f(r["requests"]),
            _f(r["rounds"]), _f(r["bound"]), _f(r["wall_ms"]), _f(r["wall_over_bound"], 2),
            _f(r["cpu_ms"]), _f(r["cpu_per_step_ms"], 2), _f(r["lead_ms"]), _f(r["tail_ms"]),
            _f(r["peak"]), _f(r["rss_mb"]),
            _f(r["bytes"] / 1024 if r["bytes"] else None, 1), _f(r["gzip6"] / 1024 if r["gzip6"] else None, 1),
            f"{r['enriched']}/{r['steps']}",
            extra or " ".join(f"{w}/{n}" for w, n in zip(r["wall_all"], r["rounds_all"], strict=True)),
        ])  # fmt: skip
    _table(header, table, left=3)


def print_cpu_per_step(rows: list[dict[str, Any]]) -> None:
    """CPU per step of the cold reads, and the marginal CPU per step between sizes (what a
    step more costs, without the fixed cost of the request: 20 buckets' posture, the
    pipeline and execution reads)."""
    for latency in sorted({r["latency_ms"] for r in rows}):
        cold = sorted(
            (r for r in rows if r["latency_ms"] == latency and r["mode"] == "cold"),
            key=lambda r: r["steps"],
        )
        if not cold:
            continue
        per_step = ", ".join(f"{r['steps']}: {r['cpu_per_step_ms']:.2f}" for r in cold)
        marginal = ", ".join(
            f"{a['steps']}->{b['steps']}: {(b['cpu_ms'] - a['cpu_ms']) / (b['steps'] - a['steps']):.2f}"
            for a, b in zip(cold, cold[1:], strict=False)
        )
        print(f"CPU per step, cold, {latency:g} ms (ms): {per_step}; marginal {marginal}")


def throttled_rows(
    results: list[dict[str, Any]], sagemaker_rate: float, s3_rate: float
) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        latency = result["spec"]["latency_ms"]
        for run in (r for r in result["runs"] if r["mode"] in ("first", "cold")):
            per_op = {}
            for operation, count in run["answered"].items():
                rate = (
                    s3_rate
                    if operation in aws_double.S3_CONFIGURATION_READS.values()
                    else sagemaker_rate
                )
                if operation.startswith(("GET ", "PUT ", "POST ")) or operation == "GetObject":
                    continue
                per_op[operation] = (
                    max(0.0, count - rate) / rate
                )  # a full bucket answers `rate` at once
            limiting = max(per_op, key=lambda k: per_op[k]) if per_op else ""
            rate_bound_s = max(
                per_op.get(limiting, 0.0), bound_rounds(run["steps"]) * latency / 1000
            )
            rows.append({
                "steps": run["steps"], "mode": run["mode"], "latency_ms": latency,
                "calls": run["calls"], "requests": run["requests"], "throttled": run["throttled"],
                "wall_s": run["wall_ms"] / 1000, "rate_bound_s": rate_bound_s, "limiting": limiting,
                "ratio": run["wall_ms"] / 1000 / rate_bound_s, "enriched": run["enriched"],
                "warnings": sorted(set(run["warnings"])), "cpu_per_step_ms": run["cpu_per_step_ms"],
            })  # fmt: skip
    return rows


def print_throttled(rows: list[dict[str, Any]]) -> None:
    header = ["steps", "mode", "calls", "requests", "throttled", "wall s", "rate bound s", "wall/rate bound",
              "limiting operation", "enriched", "warnings"]  # fmt: skip
    _table(header, [[
        str(r["steps"]), r["mode"], str(r["calls"]), str(r["requests"]), str(r["throttled"]), _f(r["wall_s"], 1),
        _f(r["rate_bound_s"], 1), _f(r["ratio"], 2), r["limiting"], f"{r['enriched']}/{r['steps']}",
        ",".join(r["warnings"]) or "-",
    ] for r in rows], left=2)  # fmt: skip


def print_deadline(result: dict[str, Any]) -> None:
    spec = result["spec"]
    print(
        f"\n{spec['pipeline']}, throttled, {spec['latency_ms']:g} ms per call, deadline "
        f"{spec['deadline_s']:g} s per request, the same service (its caches) each time:"
    )
    _table(["request", "wall s", "calls", "requests", "throttled", "enriched", "summary.incomplete", "warnings"], [[
        r["mode"], _f(r["wall_ms"] / 1000, 1), str(r["calls"]), str(r["requests"]), str(r["throttled"]),
        f"{r['enriched']}/{r['steps']}", str(r["incomplete"]), ",".join(sorted(set(r["warnings"]))) or "-",
    ] for r in result["runs"]])  # fmt: skip


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _versions() -> str:
    from importlib.metadata import version

    parts = [f"python {platform.python_version()}"]
    for package in ("boto3", "botocore", "moto"):
        parts.append(f"{package} {version(package)}")
    return ", ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[50.0, 200.0])
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 200, 1000, 2000])
    parser.add_argument(
        "--repeat", type=int, default=3, help="cold/warm runs per pipeline (median)"
    )
    parser.add_argument(
        "--naive-max-steps", type=int, default=200, help="run the naive reader up to this size"
    )
    parser.add_argument("--throttled-steps", type=int, nargs="*", default=[200, 1000])
    parser.add_argument("--throttle-latency-ms", type=float, default=50.0)
    parser.add_argument(
        "--sagemaker-rate", type=float, default=10.0, help="per SageMaker operation, per second"
    )
    parser.add_argument(
        "--s3-rate", type=float, default=5.0, help="per S3 configuration read, per second"
    )
    parser.add_argument("--deadline-steps", type=int, default=1000, help="0: skip the deadline run")
    parser.add_argument("--deadline-s", type=float, default=25.0)
    parser.add_argument("--uri-counts", type=int, nargs="*", default=[1000, 2000, 4000, 8000])
    parser.add_argument(
        "--max-concurrency", type=int, default=None, help="LineageConfig.max_concurrency"
    )
    parser.add_argument("--quick", action="store_true", help="50 ms, 10/200/1000 steps, naive to 10 steps, "
                        "throttled 200, no deadline run")  # fmt: skip
    parser.add_argument("--no-memo", action="store_true",
                        help="moto answers every request (by default the double answers a read "
                        "moto answered before from memory: the account no longer changes)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0
    if args.quick:
        args.latency_ms, args.steps, args.naive_max_steps = [50.0], [10, 200, 1000], 10
        args.throttled_steps, args.deadline_steps = [200], 0
    config = {"max_concurrency": args.max_concurrency} if args.max_concurrency else {}
    sizes = sorted(set(args.steps) | set(args.throttled_steps) | ({args.deadline_steps} - {0}))
    print(f"lineage benchmark: {_versions()}, {os.cpu_count()} CPUs, load average {_load()}")
    double = aws_double.AwsDouble()
    double.start()
    document: dict[str, Any] = {"load_start": os.getloadavg(), "versions": _versions()}
    try:
        started = time.perf_counter()
        seeded = aws_double.seed(double.endpoint, sizes)
        double.post_steps(
            {s["execution"]: aws_double.wire_records(s["steps"]) for s in seeded.values()}
        )
        print(f"seeded {len(sizes)} pipelines ({', '.join(map(str, sizes))} steps) over "
              f"{len(aws_double.BUCKETS)} buckets through the API in {time.perf_counter() - started:.1f} s")  # fmt: skip
        if not args.no_memo:
            started = time.perf_counter()
            double.configure(memo=True)
            names = [aws_double.pipeline_name(n) for n in sizes]
            spec = {"mode": "prime", "pipeline": names[0], "pipelines": names, "config": config}
            run_worker(double, spec)
            print(f"moto's answers to every read kept by the double in {time.perf_counter() - started:.1f} s "
                  "(--no-memo: moto answers each request, on the same cores)")  # fmt: skip

        plain = []
        for latency in args.latency_ms:
            double.configure(memo=not args.no_memo, latency_ms=latency, record=True)
            for steps in args.steps:
                spec = {"mode": "plain", "pipeline": aws_double.pipeline_name(steps), "latency_ms": latency,
                        "repeat": args.repeat, "naive": steps <= args.naive_max_steps, "config": config}  # fmt: skip
                plain.append(run_worker(double, spec))
                print(f"  measured {steps} steps at {latency:g} ms (load {_load()})", flush=True)
        rows = summarize_plain(plain)
        print(
            f"\nCold, warm, first and naive reads (median of {args.repeat}; load average now {_load()}):"
        )
        print_plain(rows)
        print_cpu_per_step(rows)
        document["plain"] = rows

        throttled = []
        for steps in args.throttled_steps:
            double.configure(memo=not args.no_memo, latency_ms=args.throttle_latency_ms, throttle=True, record=True,
                             sagemaker_rate=args.sagemaker_rate, s3_rate=args.s3_rate)  # fmt: skip
            spec = {"mode": "plain", "pipeline": aws_double.pipeline_name(steps), "repeat": 1,
                    "latency_ms": args.throttle_latency_ms, "config": config}  # fmt: skip
            throttled.append(run_worker(double, spec))
            print(f"  measured {steps} steps throttled (load {_load()})", flush=True)
        if throttled:
            rows_t = throttled_rows(throttled, args.sagemaker_rate, args.s3_rate)
            print(f"\nThrottled ({args.sagemaker_rate:g}/s per SageMaker read, {args.s3_rate:g}/s per S3 "
                  f"configuration read, {args.throttle_latency_ms:g} ms per call):")  # fmt: skip
            print_throttled(rows_t)
            document["throttled"] = rows_t

        if args.deadline_steps:
            double.configure(memo=not args.no_memo, latency_ms=args.throttle_latency_ms, throttle=True, record=True,
                             sagemaker_rate=args.sagemaker_rate, s3_rate=args.s3_rate)  # fmt: skip
            spec = {"mode": "deadline", "pipeline": aws_double.pipeline_name(args.deadline_steps),
                    "latency_ms": args.throttle_latency_ms, "deadline_s": args.deadline_s, "config": config}  # fmt: skip
            deadline = run_worker(double, spec)
            print_deadline(deadline)
            document["deadline"] = deadline["runs"]
    finally:
        double.stop()

    pure = pure_cpu(args.steps, args.uri_counts, repeat=3)
    print("\nPure modules alone (definition-only graph, best of 3):")
    print(
        "  CPU per step: "
        + ", ".join(f"{n} steps {v:.0f} µs" for n, v in pure["us_per_step"].items())
    )
    if pure["us_per_uri"]:
        print(
            "  CPU per URI of one Lambda step: "
            + ", ".join(f"{n} URIs {v:.1f} µs" for n, v in pure["us_per_uri"].items())
        )
    document["pure"] = pure
    body = next((r for r in rows if r["steps"] == 200 and r["mode"] == "cold"), None)
    if body:
        print(
            f"\n200-step answer: {body['bytes'] / 1024:.0f} KiB compact JSON (the Lambda's), "
            f"{body['jupyter_bytes'] / 1024:.0f} KiB as the Jupyter extension writes it; gzip level 6 "
            f"{body['gzip6'] / 1024:.0f} KiB, level 9 {body['gzip9'] / 1024:.0f} KiB"
        )
    print(f"\nload average at the end: {_load()} (2 cores shared: wall times move with other work)")
    document["load_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(document, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
