"""Start JupyterLab on the embedded demo account with the demo notebook open.

``./run demo`` runs this. It picks a free port, starts JupyterLab with the
server extension enabled, SAGEMAKER_LINEAGE_DEMO=1 and (unless set) DEFAULT_REGION
the demo's region (kernels inherit both),
waits until the server answers, prints the notebook's URL, opens a browser
when there is a display, and stops JupyterLab on Ctrl-C.

    python scripts/demo_lab.py [--port 8888] [--token T] [--no-browser] [--base-url /jupyterlab/default/]

The first start lays the demo out: the notebook, and beside it the side panel's
Lineage tab on ``mlops-pipeline`` with the "Pipeline lineage" sidebar open (its
own JupyterLab workspace, in the file root's ``.jupyterlab-workspaces/``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK = "lineage_demo.ipynb"
#: Where the demo's notebooks are opened: copies, so running them (and JupyterLab's
#: autosave) never writes outputs into the committed notebooks. Git ignores it.
WORKSPACE = ROOT / "demo-workspace"


def prepare_workspace(root: Path) -> None:
    """Give ``root`` a clean copy of each of the repository's notebooks at every start.

    JupyterLab autosaves the copy with its outputs, and widget outputs name widget
    models that only lived in the kernel of that session: reopened, every one of them
    showed "Error displaying widget: model not found". So a copy whose cells are the
    committed ones is replaced by the committed (output-free) notebook; a copy the user
    edited keeps its cells and loses only its outputs and saved widget state."""
    root.mkdir(parents=True, exist_ok=True)
    for source in NOTEBOOKS.glob("*.ipynb"):
        copy = root / source.name
        if not copy.exists() or _sources(copy) == _sources(source):
            shutil.copy2(source, copy)
            continue
        notebook = json.loads(copy.read_text("utf-8"))
        notebook.get("metadata", {}).pop("widgets", None)
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "code":
                cell["outputs"], cell["execution_count"] = [], None
        copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")


def _sources(path: Path) -> list[str] | None:
    """The cells' sources of a notebook (None: not a notebook JSON can read)."""
    try:
        cells = json.loads(path.read_text("utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    return ["".join(c.get("source", "")) for c in cells]


class _Stop(Exception):
    """SIGTERM or SIGHUP: stop JupyterLab as Ctrl-C does."""


def _stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def _die_with_parent() -> None:
    """In the child (Linux): get SIGTERM if this script dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_lab(process: subprocess.Popen) -> None:
    """JupyterLab and its kernels (its own process group) stop; SIGKILL if they hang."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


#: The port tried when none is asked for; taken, another free one is used (and said).
DEFAULT_PORT = 8888


def choose_port(requested: int | None, ip: str = "127.0.0.1") -> tuple[int, str | None]:
    """The port to serve on, and a note when it is not the default one asked for.

    An explicitly requested port (``--port``, ``PORT``) that is taken is a clear error,
    never silently another port: a URL, a tunnel or a published container port names it.
    Without one, ``DEFAULT_PORT`` is used if free, else any free port, and the note says so.
    ``0`` asks for any free port."""
    if requested is not None:
        if requested != 0 and not _free(ip, requested):
            raise SystemExit(
                f"./run demo: port {requested} is taken (another JupyterLab?): stop what "
                "listens there, or pick another port with --port N (--port 0: any free port)"
            )
        return (requested or _any_port(ip)), None
    if _free(ip, DEFAULT_PORT):
        return DEFAULT_PORT, None
    port = _any_port(ip)
    return port, f"port {DEFAULT_PORT} is taken: serving on port {port} (--port N picks one)"


def _free(ip: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((ip, port))
        except OSError:
            return False
        return True


def _any_port(ip: str) -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"JupyterLab exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"JupyterLab did not answer within {timeout:.0f} s")


def lab_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """JupyterLab's environment, which its kernels inherit: the demo account on one clock
    (``SAGEMAKER_LINEAGE_DEMO_EPOCH``: the server and every kernel date the demo's runs
    from the same moment, so the notebook and the side panel show the same times), and,
    unless ``DEFAULT_REGION`` says otherwise, the demo's region as the default (the
    machine's ``AWS_REGION`` or profile region would send the notebook where the demo
    has nothing)."""
    from sagemaker_lineage_ext.demo.clock import share_epoch
    from sagemaker_lineage_ext.demo.seed import REGION

    env = {"DEFAULT_REGION": REGION, **environ, "SAGEMAKER_LINEAGE_DEMO": "1"}
    share_epoch(env)
    return env


#: The demo's first layout: the notebook, the Lineage tab beside it, the sidebar open.
LINEAGE_TAB = "sagemaker-lineage:default:mlops-pipeline"
DEMO_LAYOUT = {
    "data": {
        "layout-restorer:data": {
            "main": {
                "dock": {
                    "type": "split-area",
                    "orientation": "horizontal",
                    "sizes": [0.45, 0.55],
                    "children": [
                        {
                            "type": "tab-area",
                            "currentIndex": 0,
                            "widgets": [f"notebook:{NOTEBOOK}"],
                        },
                        {"type": "tab-area", "currentIndex": 0, "widgets": [LINEAGE_TAB]},
                    ],
                },
                "current": LINEAGE_TAB,
            },
            "left": {"collapsed": False, "current": "sagemaker-lineage-sidebar", "widgets": []},
        },
        f"notebook:{NOTEBOOK}": {"data": {"path": NOTEBOOK, "factory": "Notebook"}},
        LINEAGE_TAB: {"data": {"pipeline": "mlops-pipeline", "region": ""}},
    },
    "metadata": {"id": "default"},
}


def lay_out_demo(base: str, token: str) -> None:
    """Give the demo's own default workspace its first layout (a user's later one stays)."""
    url = f"{base}lab/api/workspaces/default"
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        current = json.load(r)
    if current.get("data"):
        return
    request = urllib.request.Request(
        url, data=json.dumps(DEMO_LAYOUT).encode(), headers=headers, method="PUT"
    )
    urllib.request.urlopen(request, timeout=10).close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ["PORT"]) if os.environ.get("PORT", "").strip() else None,
        help=f"port to serve on (default {DEFAULT_PORT}, or a free one when it is taken; "
        "a port asked for that is taken is an error)",
    )
    parser.add_argument("--token", default=os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24))
    parser.add_argument("--no-browser", action="store_true", help="only print the URL")
    parser.add_argument(
        "--root-dir",
        default=str(WORKSPACE),
        help="JupyterLab's file root (default: demo-workspace/)",
    )
    parser.add_argument(
        "--ip",
        default=os.environ.get("JUPYTER_IP", "127.0.0.1"),
        help="address to listen on; 0.0.0.0 inside a container whose port is published",
    )
    parser.add_argument(
        "--base-url",
        default="/",
        help="the server's base URL; SageMaker Studio serves JupyterLab under /jupyterlab/default/",
    )
    parser.add_argument(
        "lab_args", nargs="*", help="more JupyterLab options, after --", metavar="-- OPTION"
    )
    args = parser.parse_args(argv)
    base_url = "/" + args.base_url.strip("/") + "/" if args.base_url.strip("/") else "/"

    # a closed terminal (SIGHUP) or a kill (SIGTERM) stops JupyterLab too, as Ctrl-C does
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    root = Path(args.root_dir).resolve()
    prepare_workspace(root)
    port, note = choose_port(args.port, args.ip)
    if note:
        print(f"  {note}", flush=True)
    base = f"http://127.0.0.1:{port}{base_url}"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ip={args.ip}", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={args.token}", f"--ServerApp.root_dir={root}",
        "--LineageExtensionApp.demo=True",
        # a demo: no news feed to fetch, and no "get notified about news?" prompt over the graph
        "--LabApp.news_url=None",
        f"--LabApp.app_settings_dir={ROOT / 'scripts' / 'demo_lab_settings'}",
        # the demo's own workspaces: its layout never replaces the user's JupyterLab's
        f"--LabApp.workspaces_dir={root / '.jupyterlab-workspaces'}",
        f"--ServerApp.base_url={base_url}",
        *args.lab_args,
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI and containers run as root
    env = lab_environment(os.environ)
    # Its own session: Ctrl-C reaches only this script, which then stops JupyterLab
    # with SIGTERM (SIGINT would make JupyterLab ask "Shutdown this server?").
    process = subprocess.Popen(
        command,
        env=env,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        wait_until_up(f"{base}api/status?token={args.token}", process, timeout=120)
        lay_out_demo(base, args.token)
        url = f"{base}lab/tree/{NOTEBOOK}?token={args.token}"
        where = "" if args.ip == "127.0.0.1" else f" (listening on {args.ip}:{port})"
        print(f"\n  JupyterLab is running on the embedded demo account (no AWS account used){where}:\n\n"
              f"      {url}\n\n  Open the URL: the Pipeline lineage panel shows mlops-pipeline beside the\n"
              f"  notebook; Run > Run All Cells runs the notebook. Ctrl-C stops it.\n"
              f"  The notebooks are copies in {root}: the committed ones stay clean.\n",
              flush=True)  # fmt: skip
        has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        if not args.no_browser and (has_display or platform.system() in ("Darwin", "Windows")):
            webbrowser.open(url)
        return process.wait()
    except (KeyboardInterrupt, _Stop):
        return 0  # a startup failure (SystemExit with its message) goes through
    finally:
        stop_lab(process)


if __name__ == "__main__":
    sys.exit(main())
