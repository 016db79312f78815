"""A lineage response for programmatic use in a notebook.

``%lineage`` returns a :class:`LineageResult`: displayed, it draws the graph
widget (or pretty JSON); assigned, it is data — the response dict, its nodes,
edges and artifacts, flat rows for tables, and pandas DataFrames when pandas is
installed. Nothing here reads AWS: ``refresh`` is given by the caller.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

from .core.export import plural
from .core.jsonsafe import dumps, printable

#: What :meth:`LineageResult.rows` can flatten.
TABLES = ("nodes", "edges", "artifacts", "warnings")


def node_row(node: dict) -> dict:
    """One step as a flat row: id, type, status, times, job, metrics as ``metric:<name>``."""
    run = node.get("run") or {}
    registry = run.get("registry") or {}
    row = {
        "id": node["id"],
        "type": node["type"],
        "status": run.get("status"),
        "startTime": run.get("startTime"),
        "endTime": run.get("endTime"),
        "elapsedSec": run.get("elapsedSec"),
        "cacheHit": run.get("cacheHit"),
        "jobArn": run.get("jobArn"),
        "failureReason": run.get("failureReason"),
        "modelPackageArn": registry.get("modelPackageArn"),
        "approvalStatus": registry.get("approvalStatus"),
        "inputs": len(node.get("inputs") or []),
        "outputs": len(node.get("outputs") or []),
    }
    for name, value in (run.get("metrics") or {}).items():
        row[f"metric:{name}"] = value
    return row


def artifact_row(artifact: dict) -> dict:
    """One S3 artifact as a flat row, with its bucket's posture."""
    s3 = artifact.get("s3") or {}
    return {
        "id": artifact["id"],
        "uri": artifact["uri"],
        "bucket": artifact.get("bucket"),
        "key": artifact.get("key"),
        "producers": ", ".join(artifact.get("producers") or []),
        "consumers": ", ".join(artifact.get("consumers") or []),
        "encryption": s3.get("encryption"),
        "versioning": s3.get("versioning"),
        "publicAccess": s3.get("publicAccess"),
        "findings": ", ".join(s3.get("findings") or []),
    }


def comparison_row(step: dict) -> dict:
    """One compared step as a flat row: verdict, statuses, durations, what changed, and
    each metric as ``metric:<name>`` (before -> after)."""
    duration = step["durationSec"]
    cache = step.get("cache") or {}
    row = {
        "step": step["step"],
        "type": step["type"],
        "verdict": step["verdict"],
        "statusBefore": step["status"]["before"],
        "statusAfter": step["status"]["after"],
        "secondsBefore": duration["before"],
        "secondsAfter": duration["after"],
        "deltaSec": duration["delta"],
        "deltaPercent": duration["percent"],
        "arguments": ", ".join(a["path"] for a in step["arguments"]),
        "inputs": ", ".join(c["name"] for c in step["inputs"]),
        "outputs": ", ".join(c["name"] for c in step["outputs"]),
        "cache": cache.get("reason"),
    }
    for metric in step["metrics"]:
        row[f"metric:{metric['name']}"] = f"{metric['before']} -> {metric['after']}"
    return row


def data_frame(rows: list[dict]) -> Any:
    """``rows`` as a pandas DataFrame; pandas stays an optional dependency."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame needs pandas: pip install pandas") from None
    return pd.DataFrame(rows)


class Answer:
    """What every ``%lineage`` result shares: ``response``, the route's answer exactly as
    the REST API returns it (docs/api.md), as data or as JSON."""

    def __init__(self, response: dict) -> None:
        self.response = response

    def to_dict(self) -> dict:
        """The answer, exactly as the REST API returns it (docs/api.md)."""
        return self.response

    def to_json(self, indent: int | None = 2) -> str:
        """The answer as strict JSON (non-finite numbers are ``null``)."""
        return dumps(self.response, indent=indent, ensure_ascii=False)


class LineageResult(Answer):
    """The lineage of one pipeline: data first, a widget when displayed."""

    def __init__(
        self,
        response: dict,
        *,
        refresh: Callable[[], dict] | None = None,
        as_json: bool = False,
        open_pipeline: Callable[[str], dict] | None = None,
    ) -> None:
        super().__init__(response)
        self._refresh = refresh
        self._as_json = as_json
        #: name -> that pipeline's lineage (same query otherwise): the widget's "Open"
        #: buttons for the other pipelines that write or read an artifact.
        self._open_pipeline = open_pipeline
        self._widget: Any = None

    # -- data -------------------------------------------------------------------------
    @property
    def pipeline(self) -> dict:
        return self.response["pipeline"]

    @property
    def execution(self) -> dict | None:
        return self.response.get("execution")

    @property
    def summary(self) -> dict:
        return self.response["summary"]

    @property
    def nodes(self) -> list[dict]:
        return self.response["graph"]["nodes"]

    @property
    def edges(self) -> list[dict]:
        return self.response["graph"]["edges"]

    @property
    def artifacts(self) -> list[dict]:
        return self.response["graph"]["artifacts"]

    @property
    def warnings(self) -> list[dict]:
        return self.response.get("warnings", [])

    def node(self, step: str) -> dict:
        """The node of step ``step``; KeyError names the steps there are."""
        for node in self.nodes:
            if node["id"] == step:
                return node
        raise KeyError(f"no step {step!r}; steps: {', '.join(n['id'] for n in self.nodes)}")

    def rows(self, table: str = "nodes") -> list[dict]:
        """``nodes``, ``edges``, ``artifacts`` or ``warnings`` as flat rows for a table."""
        if table == "nodes":
            return [node_row(n) for n in self.nodes]
        if table == "artifacts":
            return [artifact_row(a) for a in self.artifacts]
        if table == "edges":
            return [dict(e) for e in self.edges]
        if table == "warnings":
            return [dict(w) for w in self.warnings]
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")

    def to_frame(self, table: str = "nodes") -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        return data_frame(self.rows(table))

    def to_mermaid(self, *, artifacts: bool = False) -> str:
        """The graph as a Mermaid flowchart (``artifacts``: with the S3 artifacts), for
        Markdown cells, READMEs and pull requests (``core/export.py``)."""
        from .core.export import to_mermaid

        return to_mermaid(self.response, artifacts=artifacts)  # type: ignore[arg-type]

    def to_dot(self, *, artifacts: bool = False) -> str:
        """The graph as Graphviz DOT (``dot -Tsvg``; ``artifacts``: with the S3 artifacts)."""
        from .core.export import to_dot

        return to_dot(self.response, artifacts=artifacts)  # type: ignore[arg-type]

    @property
    def risks(self) -> list[dict]:
        """``graph.risks``: paths from flagged S3 data to registered models."""
        return self.response["graph"].get("risks", [])

    # -- display ----------------------------------------------------------------------
    @property
    def widget(self) -> Any:
        """The interactive graph (built on first use; its Refresh button reads again)."""
        if self._widget is None:
            from .widget import LineageWidget

            refresh = self._read_again if self._refresh else None
            self._widget = LineageWidget(
                self.response, refresh=refresh, open_pipeline=self._open_pipeline
            )
        return self._widget

    def refresh(self) -> LineageResult:
        """Read the lineage again (the latest execution, unless one was named); a widget
        already shown redraws. A failed read raises (the widget's button shows it instead)."""
        if self._refresh is None:
            raise RuntimeError("this result cannot be refreshed")
        self._read_again()
        if self._widget is not None:
            self._widget.update(self.response)
        return self

    def _read_again(self) -> dict:
        assert self._refresh is not None
        self.response = self._refresh()
        return self.response

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self._as_json:
            display(
                {"application/json": self.response, "text/plain": self.to_json()},
                raw=True,
            )
        else:
            display(self.widget)

    def __repr__(self) -> str:
        s, g = self.summary, self.response["graph"]
        return printable(
            f"<LineageResult {self.pipeline['name']}: {s['overallStatus']}, "
            f"{plural(len(g['nodes']), 'step')}, {plural(len(g['edges']), 'edge')}, "
            f"{plural(len(g['artifacts']), 'artifact')}>"
        )


class _Table(Answer):
    """A listing answer: an HTML table when displayed, rows and a DataFrame otherwise."""

    COLUMNS: tuple[str, ...] = ()

    def rows(self) -> list[dict]:
        raise NotImplementedError

    def caption(self) -> str:
        """What the table is, ``(demo account)`` for an answer read from it, and for a
        region with no pipeline at all, where to look instead (``region_hint``)."""
        from .kit.account import region_hint

        hint = region_hint(self.response)
        demo = " (demo account)" if self.response.get("demo") else ""
        return self.title() + demo + (f"; {hint}" if hint else "")

    def title(self) -> str:
        raise NotImplementedError

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        return data_frame(self.rows())

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{escape(c)}</th>" for c in self.COLUMNS)
        # times and statuses never break mid-value (an ISO date wrapped at its hyphens)
        nowrap = ' style="white-space:nowrap"'
        body = "".join(
            "<tr>"
            + "".join(
                f"<td{nowrap if _unbroken(c) else ''}>"
                f"{escape(str(r[c] if r[c] is not None else ''))}</td>"
                for c in self.COLUMNS
            )
            + "</tr>"
            for r in self.rows()
        )
        return f"<table><caption>{escape(self.caption())}</caption><tr>{head}</tr>{body}</table>"

    def __repr__(self) -> str:
        lines = [self.caption()]
        lines += ["  " + "  ".join(str(r[c] or "-") for c in self.COLUMNS[:3]) for r in self.rows()]
        return printable("\n".join(lines))


def _unbroken(column: str) -> bool:
    """A column whose values read only whole: times, statuses, names."""
    return column.endswith(("Time", "Start", "Status")) or column in ("status", "name")


class PipelineList(_Table):
    """A region's pipelines (``%lineage --list``)."""

    COLUMNS = ("name", "latestStatus", "latestStart", "lastModifiedTime", "description")

    @property
    def names(self) -> list[str]:
        return [p["name"] for p in self.response["pipelines"]]

    def title(self) -> str:
        return f"{plural(len(self.names), 'pipeline')} in {self.response.get('region')}"

    def rows(self) -> list[dict]:
        """One flat row per pipeline, with its latest execution's status and start."""
        return [
            {
                "name": p["name"],
                "latestStatus": (p.get("latestExecution") or {}).get("status"),
                "latestStart": (p.get("latestExecution") or {}).get("startTime"),
                "lastModifiedTime": p.get("lastModifiedTime"),
                "description": p.get("description"),
            }
            for p in self.response["pipelines"]
        ]


class ExecutionList(_Table):
    """A pipeline's recent executions, newest first (``%lineage NAME --executions``)."""

    COLUMNS = ("status", "startTime", "displayName", "arn", "failureReason")

    @property
    def arns(self) -> list[str]:
        return [e["arn"] for e in self.response["executions"]]

    def title(self) -> str:
        return f"{len(self.arns)} recent executions of {self.response.get('pipeline')}"

    def rows(self) -> list[dict]:
        return [{c: e.get(c) for c in self.COLUMNS} for e in self.response["executions"]]


class ArtifactUsage(_Table):
    """The pipelines that write or read an S3 URI or prefix (``%lineage --artifact URI``)."""

    COLUMNS = ("pipeline", "step", "role", "relation", "uri")

    @property
    def pipelines(self) -> list[str]:
        return [p["name"] for p in self.response["pipelines"]]

    def caption(self) -> str:
        return (
            f"{self.response['uri']}: {plural(len(self.response['producers']), 'producer')}, "
            f"{plural(len(self.response['consumers']), 'consumer')} in "
            f"{plural(len(self.pipelines), 'pipeline')} "
            f"({self.response['scanned']} scanned in {self.response['region']})"
        )

    def __repr__(self) -> str:
        rows = [[str(r[c]) for c in self.COLUMNS] for r in self.rows()]
        widths = [max([len(row[i]) for row in rows] or [0]) for i in range(len(self.COLUMNS))]
        lines = ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
                 for row in rows]  # fmt: skip
        return "\n".join([self.caption(), *lines])

    def rows(self) -> list[dict]:
        """One row per step: ``role`` is ``produces`` or ``consumes``."""
        return [
            {"pipeline": u["pipeline"], "step": u["step"], "role": role, "relation": u["relation"],
             "uri": u["uri"], "location": u["location"], "stepType": u["stepType"]}
            for role, key in (("produces", "producers"), ("consumes", "consumers"))
            for u in self.response[key]
        ]  # fmt: skip


class ComparisonResult(Answer):
    """Two executions of a pipeline compared (``%lineage NAME --compare``): data first,
    the head execution drawn coloured by change when displayed."""

    def __init__(self, response: dict, *, as_json: bool = False) -> None:
        super().__init__(response)
        self._as_json = as_json
        self._widget: Any = None

    @property
    def summary(self) -> dict:
        return self.response["summary"]

    @property
    def steps(self) -> list[dict]:
        return self.response["steps"]

    @property
    def parameters(self) -> list[dict]:
        return self.response["parameters"]

    def step(self, name: str) -> dict:
        """The comparison of step ``name``; KeyError names the steps there are."""
        for step in self.steps:
            if step["step"] == name:
                return step
        raise KeyError(f"no step {name!r}; steps: {', '.join(s['step'] for s in self.steps)}")

    def rows(self) -> list[dict]:
        return [comparison_row(step) for step in self.steps]

    def to_frame(self) -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        return data_frame(self.rows())

    @property
    def widget(self) -> Any:
        """The head execution's graph coloured by change (built on first use)."""
        if self._widget is None:
            from .widget import ComparisonWidget

            self._widget = ComparisonWidget(self.response)
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self._as_json:
            display({"application/json": self.response, "text/plain": self.to_json()}, raw=True)
        else:
            display(self.widget)

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<ComparisonResult {self.response['pipeline']['name']}: "
            f"{len(s['changed'])} of {plural(len(self.steps), 'step')} changed, "
            f"{len(s['slower'])} slower, {len(s['faster'])} faster, "
            f"{len(s['newlyFailing'])} newly failing>"
        )


class StatusLine:
    """One line under a notebook cell that says what is being read, then what was read
    (``mlops-pipeline (demo account): Succeeded, 7 steps, read in 0.4 s``)."""

    def __init__(self) -> None:
        self._handle: Any = None
        self._started = time.perf_counter()  # the read is timed from here

    def _show(self, text: str) -> None:
        from IPython.display import display

        body = {"text/plain": printable(text), "text/html": '<span class="sagemaker-lineage-'
                f'status">{html.escape(text)}</span>'}  # fmt: skip
        if self._handle is None:
            self._handle = display(body, raw=True, display_id=True)
        else:
            self._handle.update(body, raw=True)

    def say(self, message: str) -> None:
        self._show(f"{message}…")

    def done(self, response: dict[str, Any]) -> None:
        """Show what ``response`` holds and how long reading it took."""
        seconds = time.perf_counter() - self._started
        s, pipeline = response["summary"], response["pipeline"]
        where = "demo account" if response.get("demo") else pipeline["region"]
        if "steps" in response:  # a comparison (GET /compare)
            base, head = response["base"], response["head"]
            self._show(
                f"{pipeline['name']} ({where}): {_execution_name(base)} → "
                f"{_execution_name(head)}, {len(s['changed'])} of "
                f"{plural(len(response['steps']), 'step')} changed, read in {seconds:.1f} s"
            )
            return
        failed = f" at {', '.join(s['failedSteps'])}" if s.get("failedSteps") else ""
        self._show(
            f"{pipeline['name']} ({where}): {s['overallStatus']}{failed}, "
            f"{plural(len(response['graph']['nodes']), 'step')}, read in {seconds:.1f} s"
        )


def _execution_name(execution: dict[str, Any]) -> str:
    return str(execution.get("displayName") or execution["arn"].rsplit("/", 1)[-1])


class CheckReport(Answer):
    """The posture gate's verdict (``%lineage NAME --check``): its text report when
    displayed; ``passed``, the answer, SARIF and JUnit XML as data."""

    @property
    def passed(self) -> bool:
        return bool(self.response["passed"])

    def to_sarif(self) -> dict:
        from .core.reports import check_sarif

        return check_sarif(self.response)  # type: ignore[arg-type]

    def to_junit(self) -> str:
        from .core.reports import check_junit

        return check_junit(self.response)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        from .core.reports import check_text

        return check_text(self.response)  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        from html import escape

        colour = "#2e7d32" if self.passed else "#c62828"
        return (
            f'<pre style="border-left:4px solid {colour};padding-left:8px">'
            f"{escape(repr(self))}</pre>"
        )


class OpenLineageEvents(Answer):
    """An execution as OpenLineage RunEvents (``%lineage NAME --openlineage``): a table of
    the events when displayed; ``events`` and :meth:`send` as data."""

    @property
    def events(self) -> list[dict]:
        return self.response["events"]

    def send(
        self, url: str, *, endpoint: str = "api/v1/lineage", api_key: str | None = None
    ) -> int:
        """POST the events to an OpenLineage HTTP endpoint (Marquez: ``http://HOST:5000``);
        needs the ``openlineage`` extra. Returns how many were sent."""
        from .kit.openlineage import send_http

        return send_http(self.events, url, endpoint=endpoint, api_key=api_key)

    def rows(self) -> list[dict]:
        return [
            {"eventTime": e["eventTime"], "eventType": e["eventType"], "job": e["job"]["name"],
             "runId": e["run"]["runId"], "inputs": len(e["inputs"]), "outputs": len(e["outputs"])}
            for e in self.events
        ]  # fmt: skip

    def __repr__(self) -> str:
        lines = [f"{plural(len(self.events), 'OpenLineage event')} of {self.response['execution']}"]
        lines += [f"  {r['eventTime']}  {r['eventType']:<8} {r['job']}" for r in self.rows()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{c}</th>" for c in ("time", "event", "job", "run id", "in", "out"))
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row.values()) + "</tr>"
            for row in self.rows()
        )
        caption = escape(
            f"{plural(len(self.events), 'OpenLineage event')} of {self.response['execution']}"
        )
        return f"<table><caption>{caption}</caption><tr>{head}</tr>{body}</table>"
