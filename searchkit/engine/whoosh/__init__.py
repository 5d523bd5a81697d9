"""The Whoosh engine: every ``import whoosh`` of searchkit lives in this package.

Modules: ``schema`` (fields and their version), ``analysis`` and ``fastindex`` (text
analysis; both are pickled into every index by import path, so they never move),
``compile`` (query tree -> Whoosh query) and ``queries`` (the Whoosh query classes it
needs), ``index`` (opening a generation, columns, stored documents), ``bulkwriter`` (full
builds), ``docsets``, ``bulkscore``, ``facets``, ``snippets`` and ``search`` (running a query),
``engine`` (the :class:`~searchkit.engine.base.Engine` implementation), ``leanimports``
(Whoosh imported without ``urllib.request`` and ``asyncio``, which it never uses: this
package runs it before any of its modules imports Whoosh).
"""

from __future__ import annotations

from .leanimports import import_whoosh_lean

import_whoosh_lean()

from .engine import WhooshEngine  # noqa: E402  (after import_whoosh_lean, on purpose)

__all__ = ["WhooshEngine"]
