#!/usr/bin/env python
"""Benchmark of ``LineageService.lineage`` on the demo account's large pipelines.

Builds the lineage of ``large-pipeline-10``, ``-50`` and ``-200`` (Succeeded
executions; the 200-step one spreads its data over 20 buckets) with a simulated
per-call AWS latency, and prints per pipeline and mode:

- calls    AWS calls made by the request
- rounds   ``CallLog.rounds()``: the longest chain of calls each of which began
           after the previous one ended (what the latency really cost)
- depth    ``CallLog.depth()`` when the core provides it: the rounds the plan
           needed (each read one deeper than what it waited for)
- peak     ``CallLog.max_in_flight()`` when the core provides it
- wall ms  wall time of the request; cpu ms: process CPU time during it
- lead     ms from the request's start to its first AWS call (building clients)
- tail     ms from its last AWS call's end to the answer (parsing, graph building)
- ideal    rounds x latency; ratio = wall / ideal (medians over --repeat runs;
           the last column lists every run's wall ms/rounds)

Modes: ``cold`` is a new service and gateway (no clients, no threads, empty
caches); ``warm`` is the next request on that service (the finished execution's
definition, steps, jobs and the bucket posture are cached); ``cleared`` is one
more request after ``gateway.clear_caches()`` (caches empty, but the boto3
clients and pool threads already exist: ``cold`` minus building clients).

Seeding the demo account happens once per process, before any timing, and is
reported separately. See README.md next to this file.

    python benchmarks/bench_lineage.py                      # 50 ms, 3 repeats
    python benchmarks/bench_lineage.py --latency-ms 0       # CPU cost only
    python benchmarks/bench_lineage.py --max-concurrency 32 64 128 --json
    python benchmarks/bench_lineage.py --cpu-breakdown      # where the CPU goes
    python benchmarks/bench_lineage.py --backend server     # moto in another process
    python benchmarks/bench_lineage.py --gc off             # without the cyclic GC
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from sagemaker_lineage_ext.core import (  # noqa: E402
    AwsGateway,
    CallLog,
    LineageConfig,
    LineageService,
    parse_lineage_request,
)

DEFAULT_PIPELINES = ("large-pipeline-10", "large-pipeline-50", "large-pipeline-200")
TARGET_PIPELINE = "large-pipeline-200"
TARGET_ROUNDS = 6
TARGET_RATIO = 1.5

ClientFactory = Callable[[str, str, Any], Any]


# -- backends: where the demo account lives ------------------------------------------


class InProcessBackend:
    """The embedded demo account (moto in this process), exactly as the product's demo uses it."""

    name = "inproc"

    def setup(self) -> None:
        from sagemaker_lineage_ext.demo.account import DemoAccount

        DemoAccount.get()

    def factory(self, latency_ms: float) -> ClientFactory:
        from sagemaker_lineage_ext.demo.account import DemoAccount

        account = DemoAccount.get()

        def make(service: str, region: str, botocore_config: Any) -> Any:
            return account.client(service, region, botocore_config, latency_ms / 1000.0)

        return make

    def service(self, config: LineageConfig, latency_ms: float) -> LineageService:
        from sagemaker_lineage_ext.demo.account import demo_service

        return demo_service(config, latency_ms)

    def close(self) -> None:
        return None


def _serve_demo_account(conn: Any) -> None:
    """Child process of ``ServerBackend``: seed the demo account, serve it over HTTP."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import ThreadedMotoServer

    from sagemaker_lineage_ext.demo.account import DemoAccount

    account = DemoAccount.get()  # starts mock_aws here and seeds the backends
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    conn.send((server.get_host_and_port()[1], account.step_records))
    conn.recv()  # any message: stop
    server.stop()


class ServerBackend:
    """Diagnostic: the same seeded account served by moto in a child process over HTTP.

    Our process then pays only the client side (botocore serialization, HTTP,
    parsing) and our own code, like against real AWS; the server's CPU is
    another process's (on this 2-core box it still competes for the cores).
    The hooks are the demo's own (steps served from the seeded records, latency).
    """

    name = "server"

    def __init__(self) -> None:
        self._conn: Any = None
        self._process: Any = None
        self.port = 0
        self.records: dict[str, list[dict]] = {}

    def setup(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_demo_account, args=(child,), daemon=True)
        self._process.start()
        self.port, self.records = self._conn.recv()

    def factory(self, latency_ms: float) -> ClientFactory:
        import boto3
        from botocore.config import Config

        from sagemaker_lineage_ext.demo import hooks
        from sagemaker_lineage_ext.demo.seed import DENIED_BUCKETS

        latency = latency_ms / 1000.0
        url = f"http://127.0.0.1:{self.port}"

        def make(service: str, region: str, botocore_config: Any) -> Any:
            session = boto3.session.Session(
                region_name=region,
                aws_access_key_id="demo",
                aws_secret_access_key="demo",
                aws_session_token="demo",
            )
            if service == "s3":
                botocore_config = botocore_config.merge(Config(s3={"addressing_style": "path"}))
            client = session.client(
                service, region_name=region, config=botocore_config, endpoint_url=url
            )
            return hooks.install(client, self.records, DENIED_BUCKETS, latency)

        return make

    def service(self, config: LineageConfig, latency_ms: float) -> LineageService:
        gateway = AwsGateway(config, client_factory=self.factory(latency_ms))
        return LineageService(config, gateway)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.send("stop")
            self._process.join(5)


# -- one request -----------------------------------------------------------------------


@dataclass
class Sample:
    pipeline: str
    mode: str
    pool: int
    steps: int
    buckets: int
    calls: int
    rounds: int
    depth: int | None
    peak: int | None
    wall_ms: float
    cpu_ms: float
    lead_ms: float
    tail_ms: float
    ratio: float | None
    operations: dict[str, int] = field(default_factory=dict)
    graph_digest: str = ""
    warnings: int = 0


def _observed(service: LineageService) -> CallLog:
    """A fresh call log attached to the service's gateway (the core's observer hook)."""
    log = CallLog()
    for old in getattr(service.gateway, "_observers", ()):
        service.gateway.unobserve(old)
    service.gateway.observe(log)
    return log


def run_request(
    service: LineageService, request: Any, latency_ms: float, pipeline: str, mode: str
) -> Sample:
    """One timed ``lineage`` call with its own call log (whichever API the core has)."""
    log = _observed(service)
    cpu0, wall0, mono0 = time.process_time(), time.perf_counter(), time.monotonic()
    answer = service.lineage(request)
    mono1 = time.monotonic()
    wall = (time.perf_counter() - wall0) * 1000
    cpu = (time.process_time() - cpu0) * 1000
    rounds = log.rounds()
    records = list(log.records)
    lead = (min(r.start for r in records) - mono0) * 1000 if records else 0.0
    tail = (mono1 - max(r.end for r in records)) * 1000 if records else 0.0
    graph = answer["graph"]
    buckets = {a["bucket"] for a in graph["artifacts"] if a.get("bucket")}
    ideal = rounds * latency_ms
    return Sample(
        pipeline=pipeline,
        mode=mode,
        pool=service.config.max_concurrency,
        steps=len(graph["nodes"]),
        buckets=len(buckets),
        calls=log.calls,
        rounds=rounds,
        depth=log.depth() if hasattr(log, "depth") else None,
        peak=log.max_in_flight() if hasattr(log, "max_in_flight") else None,
        wall_ms=wall,
        cpu_ms=cpu,
        lead_ms=lead,
        tail_ms=tail,
        ratio=wall / ideal if ideal else None,
        operations=log.by_operation(),
        graph_digest=_digest(graph),
        warnings=len(answer["warnings"]),
    )


def _digest(graph: dict) -> str:
    return hashlib.sha256(json.dumps(graph, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _close(service: LineageService) -> None:
    close = getattr(service.gateway, "close", None)
    if close is not None:
        close()  # let the pool threads of this service go before the next one


def measure(
    backend: Any, config: LineageConfig, pipelines: list[str], latency_ms: float, repeat: int
) -> list[Sample]:
    samples: list[Sample] = []
    for pipeline in pipelines:
        request = parse_lineage_request({"pipeline": pipeline}, config)
        for _ in range(repeat):
            service = backend.service(config, latency_ms)
            try:
                samples.append(run_request(service, request, latency_ms, pipeline, "cold"))
                samples.append(run_request(service, request, latency_ms, pipeline, "warm"))
                service.gateway.clear_caches()
                samples.append(run_request(service, request, latency_ms, pipeline, "cleared"))
            finally:
                _close(service)
    return samples


# -- summaries -------------------------------------------------------------------------


@dataclass
class Row:
    pipeline: str
    mode: str
    pool: int
    steps: int
    buckets: int
    calls: float
    rounds: float
    depth: float | None
    peak: float | None
    wall_ms: float
    cpu_ms: float
    lead_ms: float
    tail_ms: float
    ideal_ms: float
    ratio: float | None
    wall_ms_all: list[float]
    rounds_all: list[int]
    same_answer: bool
    warnings: int


def _median(values: list[Any]) -> Any:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(samples: list[Sample], latency_ms: float) -> list[Row]:
    rows: list[Row] = []
    keys: list[tuple[int, str, str]] = []
    for s in samples:
        if (s.pool, s.pipeline, s.mode) not in keys:
            keys.append((s.pool, s.pipeline, s.mode))
    for pool, pipeline, mode in keys:
        group = [s for s in samples if (s.pool, s.pipeline, s.mode) == (pool, pipeline, mode)]
        every_mode = [s for s in samples if (s.pool, s.pipeline) == (pool, pipeline)]
        rounds = _median([s.rounds for s in group])
        rows.append(
            Row(
                pipeline=pipeline,
                mode=mode,
                pool=pool,
                steps=group[0].steps,
                buckets=group[0].buckets,
                calls=_median([s.calls for s in group]),
                rounds=rounds,
                depth=_median([s.depth for s in group]),
                peak=_median([s.peak for s in group]),
                wall_ms=_median([s.wall_ms for s in group]),
                cpu_ms=_median([s.cpu_ms for s in group]),
                lead_ms=_median([s.lead_ms for s in group]),
                tail_ms=_median([s.tail_ms for s in group]),
                ideal_ms=rounds * latency_ms,
                ratio=_median([s.wall_ms for s in group]) / (rounds * latency_ms)
                if rounds * latency_ms
                else None,
                wall_ms_all=[round(s.wall_ms, 1) for s in group],
                rounds_all=[s.rounds for s in group],
                same_answer=len({s.graph_digest for s in every_mode}) == 1,
                warnings=max(s.warnings for s in group),
            )
        )
    return rows


def _num(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer() or digits:
        return f"{value:.{digits}f}"
    return str(int(value))


def print_table(rows: list[Row]) -> None:
    header = (
        "pool",
        "pipeline",
        "steps",
        "buckets",
        "mode",
        "calls",
        "rounds",
        "depth",
        "peak",
        "wall ms",
        "cpu ms",
        "lead",
        "tail",
        "ideal ms",
        "ratio",
        "each run: wall ms/rounds",
    )
    lines = [
        (
            str(r.pool),
            r.pipeline,
            str(r.steps),
            str(r.buckets),
            r.mode,
            _num(r.calls),
            _num(r.rounds),
            _num(r.depth),
            _num(r.peak),
            _num(r.wall_ms),
            _num(r.cpu_ms),
            _num(r.lead_ms),
            _num(r.tail_ms),
            _num(r.ideal_ms),
            _num(r.ratio, 2),
            " ".join(f"{w:.0f}/{n}" for w, n in zip(r.wall_ms_all, r.rounds_all, strict=True)),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    left = {1, 4, 15}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(fmt(header))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def target_verdicts(rows: list[Row], latency_ms: float) -> list[dict]:
    verdicts = []
    for r in rows:
        if r.pipeline != TARGET_PIPELINE or r.mode not in ("cold", "cleared"):
            continue
        if latency_ms <= 0:
            verdict = "n/a"
        else:
            ok = r.rounds <= TARGET_ROUNDS and r.ratio is not None and r.ratio <= TARGET_RATIO
            verdict = "PASS" if ok else "MISS"
        verdicts.append(
            {
                "pool": r.pool,
                "mode": r.mode,
                "rounds": r.rounds,
                "ratio": r.ratio,
                "wall_ms": r.wall_ms,
                "cpu_ms": r.cpu_ms,
                "budget_ms": TARGET_ROUNDS * TARGET_RATIO * latency_ms,
                "verdict": verdict,
            }
        )
    return verdicts


def print_targets(verdicts: list[dict], latency_ms: float) -> None:
    if not verdicts:
        print(f"TARGET: {TARGET_PIPELINE} not measured (add it to --pipelines)")
        return
    for v in verdicts:
        if v["verdict"] == "n/a":
            print(
                f"TARGET n/a at --latency-ms 0 ({TARGET_PIPELINE} {v['mode']}, pool {v['pool']}): "
                "rounds and ratio need a latency"
            )
            continue
        print(
            f"TARGET {v['verdict']}: {TARGET_PIPELINE} {v['mode']}, pool {v['pool']}: "
            f"rounds {_num(v['rounds'])} (want <= {TARGET_ROUNDS}), "
            f"wall {v['wall_ms']:.0f} ms = {v['ratio']:.2f} x rounds x latency "
            f"(want <= {TARGET_RATIO}); "
            f"budget at {TARGET_ROUNDS} rounds: {v['budget_ms']:.0f} ms; "
            f"the request used {v['cpu_ms']:.0f} ms of CPU"
        )


# -- where the CPU goes ----------------------------------------------------------------


class _BackendTimer:
    """before-send (first) .. before-parse: the backend's part of each call.

    In process this is moto's request handling and response serialization; with
    ``--backend server`` it is the HTTP round trip to the moto server.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self.seconds = 0.0

    def start(self, **_: Any) -> None:
        self._local.start = time.perf_counter()

    def stop(self, **_: Any) -> None:
        started = getattr(self._local, "start", None)
        if started is not None:
            with self._lock:
                self.seconds += time.perf_counter() - started
            self._local.start = None

    def wrap(self, factory: ClientFactory) -> ClientFactory:
        def make(service: str, region: str, botocore_config: Any) -> Any:
            client = factory(service, region, botocore_config)
            service_id = client.meta.service_model.service_id.hyphenize()
            client.meta.events.register_first(f"before-send.{service_id}", self.start)
            client.meta.events.register_first(f"before-parse.{service_id}", self.stop)
            return client

        return make


def cpu_breakdown(backend: Any, pipeline: str, pools: list[int], repeat: int) -> list[dict]:
    """``pipeline`` with caches cleared at latency 0: total, AWS calls (backend vs client), ours.

    With one worker thread nothing overlaps, so each part is its CPU cost; with
    more workers the same work takes longer (GIL contention between threads).
    """
    results = []
    for pool in pools:
        config = LineageConfig(max_concurrency=pool)
        request = parse_lineage_request({"pipeline": pipeline}, config)
        runs = []
        for _ in range(repeat):
            timer = _BackendTimer()
            gateway = AwsGateway(config, client_factory=timer.wrap(backend.factory(0)))
            service = LineageService(config, gateway)
            try:
                run_request(service, request, 0, pipeline, "cold")  # builds clients, threads
                gateway.clear_caches()
                timer.seconds = 0.0
                log = _observed(service)
                cpu0, wall0 = time.process_time(), time.perf_counter()
                service.lineage(request)
                wall = time.perf_counter() - wall0
                cpu = time.process_time() - cpu0
                in_calls = sum(r.end - r.start for r in log.records)
                runs.append(
                    {
                        "wall_ms": wall * 1000,
                        "cpu_ms": cpu * 1000,
                        "calls": log.calls,
                        "in_calls_ms": in_calls * 1000,
                        "backend_ms": timer.seconds * 1000,
                    }
                )
            finally:
                _close(service)
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        med["pool"] = pool
        med["client_side_ms"] = med["in_calls_ms"] - med["backend_ms"]
        med["outside_calls_ms"] = med["wall_ms"] - med["in_calls_ms"] if pool == 1 else None
        results.append(med)
    return results


def print_breakdown(results: list[dict], pipeline: str, backend: str) -> None:
    where = "moto in process" if backend == "inproc" else "HTTP round trip to the moto server"
    print(f"\nCPU breakdown: {pipeline}, caches cleared, latency 0, backend {backend}")
    single = next((r for r in results if r["pool"] == 1), None)
    for r in results:
        n = r["calls"]
        if r is single:
            print(
                f"  pool   1: wall {r['wall_ms']:.0f} ms, cpu {r['cpu_ms']:.0f} ms = "
                f"{n:.0f} calls x {r['in_calls_ms'] / n:.2f} ms ({r['in_calls_ms']:.0f} ms: "
                f"{where} {r['backend_ms']:.0f} ms = {r['backend_ms'] / n:.2f}/call, "
                f"botocore client side {r['client_side_ms']:.0f} ms = "
                f"{r['client_side_ms'] / n:.2f}/call) + outside the calls (our code) "
                f"{r['outside_calls_ms']:.0f} ms"
            )
        else:
            print(
                f"  pool {r['pool']:>3}: wall {r['wall_ms']:.0f} ms, cpu {r['cpu_ms']:.0f} ms; "
                f"a call lasts {r['in_calls_ms'] / n:.1f} ms on average "
                "(the same CPU work, plus waiting for the GIL behind the other threads)"
            )


# -- main ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--latency-ms", type=float, default=50.0, help="simulated latency per AWS call"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per pipeline and mode (median reported)"
    )
    parser.add_argument("--pipelines", nargs="+", default=list(DEFAULT_PIPELINES), metavar="NAME")
    parser.add_argument(
        "--max-concurrency",
        type=int,
        nargs="+",
        default=[LineageConfig().max_concurrency],
        metavar="N",
        help="LineageConfig.max_concurrency values to compare (default: the config default)",
    )
    parser.add_argument(
        "--backend",
        choices=("inproc", "server"),
        default="inproc",
        help="inproc: the embedded demo account (default); server: moto in a child process",
    )
    parser.add_argument(
        "--cpu-breakdown",
        action="store_true",
        help=f"also split the CPU cost of {TARGET_PIPELINE} (latency 0; pool 1 and each pool)",
    )
    parser.add_argument(
        "--gc",
        choices=("on", "freeze", "off"),
        default="on",
        help="diagnostic: Python's cyclic GC during the timed runs (freeze: gc.freeze() "
        "after seeding and the warm-up request, so that heap is never scanned again; "
        "off: gc.disable())",
    )
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    return parser


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for package in ("boto3", "botocore", "moto"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing version is not worth failing for
            found[package] = "?"
    return found


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    from botocore.config import Config

    args = build_parser().parse_args(argv)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    backend = InProcessBackend() if args.backend == "inproc" else ServerBackend()
    versions = _versions()
    print(
        "lineage benchmark: "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f", {os.cpu_count()} CPUs, backend {backend.name}, latency {args.latency_ms:g} ms, "
        f"median of {args.repeat}, load average {_load()}"
    )
    try:
        started = time.perf_counter()
        backend.setup()
        seed_s = time.perf_counter() - started
        print(f"seeding the demo account: {seed_s:.2f} s (once per process, not timed below)")

        # One untimed request first: imports and one-time initialisation of botocore
        # and moto belong to the process, not to any measured request.
        started = time.perf_counter()
        warmup_config = LineageConfig()
        warmup = backend.service(warmup_config, 0)
        warmup.lineage(parse_lineage_request({"pipeline": args.pipelines[0]}, warmup_config))
        _close(warmup)
        warmup_s = time.perf_counter() - started
        started = time.perf_counter()
        make = backend.factory(0)
        for service in ("sagemaker", "s3"):
            make(service, warmup_config.default_region, Config(max_pool_connections=64))
        clients_ms = (time.perf_counter() - started) * 1000
        print(
            f"process warm-up request: {warmup_s:.2f} s; building the sagemaker + s3 clients "
            f"of a new gateway: {clients_ms:.0f} ms (inside every cold run)"
        )

        if args.gc != "on":
            gc.collect()
            if args.gc == "freeze":
                gc.freeze()
            else:
                gc.disable()
            print(f"gc: {args.gc}")

        samples: list[Sample] = []
        for pool in args.max_concurrency:
            config = LineageConfig(max_concurrency=pool)
            samples += measure(backend, config, args.pipelines, args.latency_ms, args.repeat)
        rows = summarize(samples, args.latency_ms)
        print()
        print_table(rows)

        for row in rows:
            if not row.same_answer:
                print(f"WARNING: {row.pipeline} (pool {row.pool}) answers differ between modes")
            if row.warnings:
                print(f"WARNING: {row.pipeline} {row.mode} answered with {row.warnings} warnings")

        largest = max(
            args.pipelines, key=lambda p: max(s.steps for s in samples if s.pipeline == p)
        )
        cold = next(s for s in samples if s.pipeline == largest and s.mode == "cold")
        print(f"\nAWS calls by operation, {largest} cold (pool {cold.pool}):")
        for operation, count in sorted(cold.operations.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {operation:<42} {count:>4}")

        print()
        verdicts = target_verdicts(rows, args.latency_ms)
        print_targets(verdicts, args.latency_ms)

        breakdown = None
        if args.cpu_breakdown:
            pools = [1, *[p for p in args.max_concurrency if p != 1]]
            breakdown = cpu_breakdown(backend, TARGET_PIPELINE, pools, args.repeat)
            print_breakdown(breakdown, TARGET_PIPELINE, backend.name)

        print(
            f"\nload average at the end: {_load()} (other work on the machine inflates wall times)"
        )
        if args.json:
            document = {
                "latency_ms": args.latency_ms,
                "repeat": args.repeat,
                "backend": backend.name,
                "gc": args.gc,
                "cpus": os.cpu_count(),
                "versions": versions,
                "seed_s": seed_s,
                "warmup_s": warmup_s,
                "client_build_ms": clients_ms,
                "rows": [asdict(r) for r in rows],
                "operations": {"pipeline": largest, "mode": "cold", **cold.operations},
                "target": verdicts,
                "cpu_breakdown": breakdown,
            }
            print()
            print(json.dumps(document, indent=2, default=str))
    finally:
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
