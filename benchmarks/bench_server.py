"""The Jupyter server extension under a slow read: does the rest of Jupyter stay responsive?

Starts a real Jupyter server on the demo account with a simulated latency per AWS
call, then, while ``/sagemaker-lineage/lineage`` reads a pipeline, polls
``/api/status`` (what every JupyterLab client polls) and prints its latency.
Also prints the end-to-end time of the lineage request through the server, cold
(first request of the server, starting the demo account included) and warm.

    .venv/bin/python benchmarks/bench_server.py [--latency-ms 100] [--pipelines large-pipeline-200]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str) -> tuple[int, dict, float]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.load(response)
        return response.status, body, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument(
        "--pipelines",
        nargs="+",
        default=["large-pipeline-10", "large-pipeline-50", "large-pipeline-200"],
    )
    args = parser.parse_args()
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", "--LineageExtensionApp.demo=True",
         f"--LineageExtensionApp.demo_latency_ms={args.latency_ms}"],
        env=dict(os.environ, SAGEMAKER_LINEAGE_DEMO="1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                get(f"{base}/api/status", token)
                break
            except OSError:
                time.sleep(0.1)
        print(
            f"Jupyter server, demo account, {args.latency_ms:.0f} ms per AWS call, {os.cpu_count()} cores"
        )
        print(
            f"{'pipeline':<20} {'steps':>5} {'cold':>8} {'warm':>8}   /api/status during the cold read"
        )
        for name in args.pipelines:
            url = f"{base}/sagemaker-lineage/lineage?pipeline={name}"
            result: dict = {}

            def read(url: str = url, result: dict = result) -> None:
                result["answer"] = get(url, token)

            reader = threading.Thread(target=read)
            reader.start()
            polls = []
            while reader.is_alive():
                polls.append(get(f"{base}/api/status", token)[2] * 1000)
                time.sleep(0.05)
            reader.join()
            status, body, cold = result["answer"]
            assert status == 200, body
            warm = get(url, token)[2]
            print(
                f"{name:<20} {body['summary']['stepCount']:>5} {cold * 1000:>6.0f} ms {warm * 1000:>5.0f} ms"
                f"   {len(polls)} polls: median {statistics.median(polls):.1f} ms, max {max(polls):.1f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
