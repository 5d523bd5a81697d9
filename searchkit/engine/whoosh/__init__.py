"""The Whoosh engine: every ``import whoosh`` of searchkit lives in this package.

Modules: ``schema`` (fields and their version), ``analysis`` and ``fastindex`` (text
analysis; both are pickled into every index by import path, so they never move),
``compile`` (query tree -> Whoosh query) and ``queries`` (the Whoosh query classes it
needs), ``index`` (opening a generation, columns, stored documents), ``bulkwriter`` (full
builds), ``docsets``, ``bulkscore``, ``facets``, ``snippets`` and ``search`` (running a query),
``engine`` (the :class:`~searchkit.engine.base.Engine` implementation).
"""

from __future__ import annotations

from .engine import WhooshEngine

__all__ = ["WhooshEngine"]
