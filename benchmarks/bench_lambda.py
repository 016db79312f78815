"""Figures of the serverless front door: cold import, requests through the handler, synth.

    .venv/bin/python benchmarks/bench_lambda.py [--repeat 5] [--latency-ms 50] [--no-synth]
        [--python /root/.pyenv/versions/3.13.0/bin/python]

1. Cold import in fresh interpreters of ``boto3``, then of the handler from the
   staged Lambda asset: from source (as on Lambda, whose code directory is
   read-only and where the asset carries no bytecode) and with bytecode.
   ``--python`` runs this probe under another interpreter (e.g. a 3.12/3.13 closer
   to the Lambda runtime): boto3 and its pure-Python dependencies come from this
   venv, their bytecode for that interpreter goes to a temporary pycache prefix.
2. Requests through the handler on the demo account (real botocore clients,
   moto, a simulated latency per AWS call): the first request of a container
   (service and clients built) and the next one, with the response size that
   API Gateway (10 MB) and Lambda (6 MB) limit.
3. Synthesis of LineageApiStack in-process with cdk-nag, and ``npx cdk synth``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERLESS = ROOT / "serverless"
EVENTS = ROOT / "tests" / "events"
sys.path.insert(0, str(SERVERLESS))

IMPORT_PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
t = time.perf_counter(); import boto3; b = time.perf_counter() - t
t = time.perf_counter(); import sagemaker_lineage_ext.lambda_handler; h = time.perf_counter() - t
print(b * 1000, h * 1000)
"""


class Context:
    aws_request_id = "bench"

    def __init__(self, budget_ms: int = 25000) -> None:
        self._ends = time.monotonic() + budget_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return int((self._ends - time.monotonic()) * 1000)


def probe_env(python: str, pycache: Path) -> dict[str, str]:
    """The probe's environment: no bytecode written; another interpreter gets this venv's
    boto3 (pure Python) on its path and its own bytecode of it under ``pycache``."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if python != sys.executable:
        import boto3

        site = Path(boto3.__file__).resolve().parents[1]
        env.update({"PYTHONPATH": str(site), "PYTHONPYCACHEPREFIX": str(pycache)})
        packages = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil")
        subprocess.run(
            [python, "-m", "compileall", "-q", *(str(site / p) for p in packages)],
            check=False,  # a file of a newer syntax elsewhere in a package is no reason to stop
            capture_output=True,
            env={k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"},
        )
    return env


def compile_asset(python: str, asset: Path, env: dict[str, str]) -> None:
    """Bytecode of the asset for ``python`` (in the asset, or under its pycache prefix)."""
    writable = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([python, "-m", "compileall", "-q", str(asset)], check=True, env=writable)


def cold_imports(
    asset: Path, repeat: int, python: str, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    boto3_ms, handler_ms = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [python, "-c", IMPORT_PROBE, str(asset)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        b, h = map(float, out.stdout.split())
        boto3_ms.append(b)
        handler_ms.append(h)
    return boto3_ms, handler_ms


def requests(pipeline: str, latency_ms: float) -> dict:
    from sagemaker_lineage_ext.demo import demo_service
    from sagemaker_lineage_ext.lambda_handler import build_handler

    event = json.loads((EVENTS / "lineage-get.json").read_text())
    event["queryStringParameters"] = {"pipeline": pipeline}
    event["multiValueQueryStringParameters"] = {"pipeline": [pipeline]}
    built: list = []

    def factory():
        built.append(demo_service(latency_ms=latency_ms))
        return built[0]

    handler = build_handler(factory)
    try:
        started = time.perf_counter()
        first = handler(event, Context())
        first_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        second = handler(event, Context())
        second_ms = (time.perf_counter() - started) * 1000
    finally:
        for service in built:
            service.gateway.close()
    assert first["statusCode"] == second["statusCode"] == 200, first["body"][:200]
    body = json.loads(first["body"])
    return {
        "steps": len(body["graph"]["nodes"]),
        "first_ms": first_ms,
        "next_ms": second_ms,
        "bytes": len(first["body"].encode()),
        "warnings": len(body["warnings"]),
    }


def synth_in_process() -> float:
    import aws_cdk as cdk
    from cdk_nag import AwsSolutionsChecks
    from stacks.lineage_api_stack import LineageApiStack, build_lambda_asset

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        app = cdk.App(outdir=str(Path(tmp) / "cdk.out"))
        LineageApiStack(app, "LineageApiStack", asset_dir=build_lambda_asset(Path(tmp) / "a"))
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        app.synth()
        return time.perf_counter() - started


def synth_cli() -> float:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "CDK_DISABLE_VERSION_CHECK": "true",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            ["npx", "--no", "cdk", "synth", "--no-notices", "-q", "-o", tmp],
            cwd=SERVERLESS,
            env=env,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--no-synth", action="store_true")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter of the cold-import probe (default: this one)",
    )
    args = parser.parse_args()
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

    from stacks.lineage_api_stack import build_lambda_asset

    with tempfile.TemporaryDirectory() as tmp:
        asset = build_lambda_asset(Path(tmp) / "source")
        compiled = shutil.copytree(asset, Path(tmp) / "compiled")
        env = probe_env(args.python, Path(tmp) / "pycache")
        compile_asset(args.python, compiled, env)
        boto3_ms, source_ms = cold_imports(asset, args.repeat, args.python, env)
        _, bytecode_ms = cold_imports(compiled, args.repeat, args.python, env)
        version = subprocess.run(
            [args.python, "-c", "import sys; print(sys.version.split()[0])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    med = statistics.median
    print(f"Cold import, median of {args.repeat} fresh interpreters (Python {version}):")
    print(f"  import boto3                            {med(boto3_ms):6.0f} ms")
    print(f"  handler on top of boto3, from source    {med(source_ms):6.0f} ms   (as on Lambda)")
    print(f"  handler on top of boto3, with bytecode  {med(bytecode_ms):6.0f} ms")

    from sagemaker_lineage_ext.demo.account import DemoAccount

    DemoAccount.get()  # seeding moto is the demo's cost, not the handler's: done before timing
    print(f"\nRequests through the handler, demo account, {args.latency_ms:.0f} ms per AWS call:")
    print("  pipeline               steps  first request  next request  body      warnings")
    for pipeline in ("mlops-pipeline", "large-pipeline-50", "large-pipeline-200"):
        r = requests(pipeline, args.latency_ms)
        print(
            f"  {pipeline:<22} {r['steps']:>5}  {r['first_ms']:>10.0f} ms  {r['next_ms']:>9.0f} ms"
            f"  {r['bytes'] / 1024:>6.0f} KiB  {r['warnings']:>3}"
        )

    if not args.no_synth:
        print("\nSynthesis of LineageApiStack:")
        print(f"  in process, with cdk-nag      {synth_in_process():6.1f} s")
        print(f"  npx cdk synth (CLI, offline)  {synth_cli():6.1f} s")


if __name__ == "__main__":
    main()
