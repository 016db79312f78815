"""Lineage across pipelines: which steps of a region's pipelines write or read a URI (pure).

Each pipeline's S3 locations come from its current definition resolved with its latest
execution's parameters (``pipeline_uses``); what only a run can know stays a ``{...}``
placeholder, which matches any one path segment. A location and a URI are related
when they are the same (``exact``), when the location is a folder that holds the URI
(``contains``: a step writing ``s3://b/features`` produces ``s3://b/features/train``),
or when the URI is a folder that holds the location (``within``). Folders are whole
path segments: ``s3://b/features`` never holds ``s3://b/features-old``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from .definition import parse_definition
from .graph import resolve_io
from .models import ArtifactUse, LatestExecution, LineageResponse, UriRelation
from .references import ResolutionContext

Role = Literal["in", "out"]
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_HOLE = "\x00"  # a placeholder, once the URI is cut into segments


@dataclass(frozen=True)
class Use:
    """One input (``in``) or output (``out``) of one step, as its definition resolves it."""

    step: str
    step_type: str
    location: str
    uri: str
    resolved: bool
    role: Role
    segments: tuple[str, ...] = field(compare=False, default=())


@dataclass(frozen=True)
class PipelineUses:
    """A pipeline of the region and the S3 locations of its steps."""

    name: str
    arn: str
    last_modified: str | None
    latest: LatestExecution | None
    uses: tuple[Use, ...]


def segments(uri: str) -> tuple[str, ...] | None:
    """``s3://b/a/b/`` -> ``("b", "a", "b")`` with each ``{...}`` placeholder a hole;
    None when it is not an ``s3://`` URI with a known bucket."""
    if not uri.startswith("s3://"):
        return None
    parts = tuple(p for p in _PLACEHOLDER.sub(_HOLE, uri[5:]).split("/") if p)
    if not parts or _HOLE in parts[0]:
        return None
    return parts


def pipeline_uses(definition_text: str, parameters: Mapping[str, str]) -> tuple[Use, ...]:
    """Every S3 input and output of a definition's steps, resolved against the
    parameters (the latest execution's values over the defaults). Raises
    ``DefinitionError`` for a document that is not a pipeline definition.

    Remembered for the same text and parameters: a scan of an unchanged region gets
    the same (cached) definition texts again, and parsing them was most of its CPU."""
    return _uses(definition_text, tuple(sorted(parameters.items())))


@functools.lru_cache(maxsize=1024)
def _uses(definition_text: str, parameters: tuple[tuple[str, str], ...]) -> tuple[Use, ...]:
    definition = parse_definition(definition_text)
    ctx = ResolutionContext.from_definition(definition, parameters=dict(parameters))
    io = resolve_io(definition, ctx, {})
    uses: list[Use] = []
    for step in definition.steps:
        step_io = io.get(step.name)
        if step_io is None:
            continue
        for role, locations in (("out", step_io.outputs), ("in", step_io.inputs)):
            for location in locations:
                parts = segments(location.uri)
                if parts is not None:
                    uses.append(
                        Use(step.name, step.type, location.name, location.uri,
                            location.resolved, role, parts)  # type: ignore[arg-type]
                    )  # fmt: skip
    return tuple(uses)


def _segment_matches(a: str, b: str) -> bool:
    if a == b:
        return True
    if _HOLE not in a and _HOLE not in b:
        return False
    return _wildcard(a, b.replace(_HOLE, "x")) or _wildcard(b, a.replace(_HOLE, "x"))


def _wildcard(pattern: str, text: str) -> bool:
    """Whether ``text`` is ``pattern`` with each hole one or more characters.

    Greedy, leftmost: each literal part is found at its first place after the previous
    one (and one character for the hole between), which finds a match whenever one
    exists. A regular expression of ``.+-.+-...`` would instead try every split of a
    long ``a-a-a-...`` text: minutes of CPU for one /artifact query.
    """
    if _HOLE not in pattern:
        return pattern == text
    first, *middle, last = pattern.split(_HOLE)
    holes = len(middle) + 1
    if len(text) < len(first) + len(last) + holes + sum(map(len, middle)):
        return False
    if not (text.startswith(first) and text.endswith(last)):
        return False
    position, end = len(first), len(text) - len(last)
    for part in middle:
        found = text.find(part, position + 1, end - 1)
        if found < 0:
            return False
        position = found + len(part)
    return position + 1 <= end


def relation(location: tuple[str, ...], uri: tuple[str, ...]) -> UriRelation | None:
    """How a location relates to a URI (both as :func:`segments`), or None."""
    shorter = min(len(location), len(uri))
    if not all(_segment_matches(location[i], uri[i]) for i in range(shorter)):
        return None
    if len(location) == len(uri):
        return "exact"
    return "contains" if len(location) < len(uri) else "within"


class _Folder:
    """One path segment of the locations of a bucket: the locations that end here, and
    the segments under it (literal ones by name; those with placeholders apart, each
    compared with the segment asked for)."""

    __slots__ = ("ending", "named", "patterns")

    def __init__(self) -> None:
        self.ending: list[tuple[PipelineUses, Use]] = []
        self.named: dict[str, _Folder] = {}
        self.patterns: dict[str, _Folder] = {}

    def under(self, segment: str) -> list[_Folder]:
        """The folders under this one whose segment matches ``segment``."""
        if _HOLE in segment:  # a placeholder of the URI asked for: any segment may match
            folders = [*self.named.items(), *self.patterns.items()]
            return [f for name, f in folders if _segment_matches(name, segment)]
        found = [f for name, f in self.patterns.items() if _segment_matches(name, segment)]
        named = self.named.get(segment)
        return [named, *found] if named is not None else found

    def below(self) -> list[tuple[PipelineUses, Use]]:
        """The locations that end under this folder (not at it)."""
        uses: list[tuple[PipelineUses, Use]] = []
        stack = [*self.named.values(), *self.patterns.values()]
        while stack:
            folder = stack.pop()
            uses += folder.ending
            stack += [*folder.named.values(), *folder.patterns.values()]
        return uses


class UsageIndex:
    """The locations of many pipelines as a tree of path segments per bucket, to find the
    steps related to a URI by walking its segments: the work is the URI's depth and what
    is found, not the number of locations in its bucket."""

    def __init__(self, pipelines: Iterable[PipelineUses]) -> None:
        self.pipelines = {p.name: p for p in pipelines}
        self._buckets: dict[str, _Folder] = {}
        for pipeline in self.pipelines.values():
            for use in pipeline.uses:
                folder = self._buckets.setdefault(use.segments[0], _Folder())
                for segment in use.segments[1:]:
                    kind = folder.patterns if _HOLE in segment else folder.named
                    folder = kind.setdefault(segment, _Folder())
                folder.ending.append((pipeline, use))

    def _related(self, parts: tuple[str, ...]) -> list[tuple[PipelineUses, Use, UriRelation]]:
        """Every location related to the URI ``parts``, with how (see :func:`relation`)."""
        root = self._buckets.get(parts[0])
        if root is None:
            return []
        related: list[tuple[PipelineUses, Use, UriRelation]] = []
        folders = [root]
        for segment in parts[1:]:
            related += [(p, u, "contains") for f in folders for p, u in f.ending]
            folders = [under for f in folders for under in f.under(segment)]
        for folder in folders:
            related += [(p, u, "exact") for p, u in folder.ending]
            related += [(p, u, "within") for p, u in folder.below()]
        return related

    def find(
        self, uri: str, *, exclude: str | None = None
    ) -> tuple[list[ArtifactUse], list[ArtifactUse]]:
        """(producers, consumers) of ``uri`` among the indexed pipelines other than
        ``exclude``, by pipeline name, then step, then location; each (pipeline, step,
        location, role) once."""
        parts = segments(uri)
        if parts is None:
            return [], []
        found: dict[Role, dict[tuple[str, str, str, str], ArtifactUse]] = {"out": {}, "in": {}}
        for pipeline, use, related in self._related(parts):
            if pipeline.name == exclude:
                continue
            key = (pipeline.name, use.step, use.location, use.uri)
            found[use.role].setdefault(
                key,
                {
                    "pipeline": pipeline.name, "arn": pipeline.arn, "step": use.step,
                    "stepType": use.step_type, "location": use.location, "uri": use.uri,
                    "resolved": use.resolved, "relation": related,
                },
            )  # fmt: skip
        return (
            [found["out"][k] for k in sorted(found["out"])],
            [found["in"][k] for k in sorted(found["in"])],
        )


def link_artifacts(answer: LineageResponse, index: UsageIndex) -> None:
    """Give each artifact of a lineage answer the other pipelines that write it
    (``upstreamPipelines``) and read it (``downstreamPipelines``), in place."""
    pipeline = answer["pipeline"]
    name = pipeline["name"] if pipeline else None
    for artifact in answer["graph"]["artifacts"]:
        producers, consumers = index.find(artifact["uri"], exclude=name)
        artifact["upstreamPipelines"] = producers
        artifact["downstreamPipelines"] = consumers
