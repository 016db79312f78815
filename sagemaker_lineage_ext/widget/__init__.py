"""The lineage graph widget for notebooks: ``LineageWidget(response, refresh=None)``, and
``ComparisonWidget(compare_response)`` for two executions compared.

``elements`` and ``panes`` are pure (response → Cytoscape JSON, styles, HTML);
``view`` composes them with ipywidgets and ipycytoscape, imported only when
``LineageWidget`` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .comparison_view import ComparisonWidget
    from .view import LineageWidget

__all__ = ["ComparisonWidget", "LineageWidget"]


def __getattr__(name: str) -> Any:
    if name == "LineageWidget":
        from .view import LineageWidget

        return LineageWidget
    if name == "ComparisonWidget":
        from .comparison_view import ComparisonWidget

        return ComparisonWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
