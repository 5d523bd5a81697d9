"""Search engines behind one small protocol (:mod:`searchkit.engine.base`).

Only Whoosh today (:mod:`searchkit.engine.whoosh`, where every Whoosh import lives). The
rest of searchkit talks to an engine through :func:`default_engine`, so a second engine can
be added without touching the library's interfaces.
"""

from __future__ import annotations

from .base import Engine


def default_engine() -> Engine:
    """The engine indexes are built with (imported on first use: Whoosh costs ~60 ms)."""
    from .whoosh import WhooshEngine

    return WhooshEngine()
