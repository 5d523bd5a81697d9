"""Import Whoosh without two standard-library packages that it imports and never uses.

- ``whoosh.compat`` does ``from urllib.request import urlretrieve`` and nothing in Whoosh
  calls it; ``urllib.request`` brings ``http.client``, ``email``, ``ssl``, ``socket`` and more.
- ``whoosh.reading`` uses the ``cached_property`` package, whose module does ``import
  asyncio`` (with ``concurrent.futures``, ``subprocess``, ``logging``...) only so that its
  ``__get__`` can ask ``asyncio.iscoroutinefunction(func)``: Whoosh's one cached property,
  ``SegmentReader.deleted_docs_set``, is read by every ``postings()`` call.

Together they are about a third of what importing Whoosh costs a one-shot ``searchkit
query``. :func:`import_whoosh_lean` imports those two modules while a stand-in
(:class:`StandIn`) is in ``sys.modules`` for the package they import, and removes it right
after, so no later ``import urllib.request`` or ``import asyncio`` anywhere in the process
meets it: they load the real packages as usual. The importing modules keep the stand-in
(``whoosh.compat.urlretrieve`` is a forwarding function, ``cached_property.asyncio`` the
stand-in), which answers one name itself, exactly as the real function would, and imports the
real package for any other name, so code that really uses them works as before.

Why not :class:`importlib.util.LazyLoader`: a lazy module loads itself on any attribute
read, and both uses read one at once (``from ... import urlretrieve`` at import time,
``asyncio.iscoroutinefunction`` at the first search), so it would defer nothing.

Nothing is stood in for a package that is already imported (the shell's prompt_toolkit
imports asyncio, for instance), nor when Whoosh's modules already are.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from typing import Any


class StandIn(types.ModuleType):
    """Answers the names given to it; imports the real module of its name for any other."""

    def __init__(self, name: str, names: dict[str, Callable[..., Any]]) -> None:
        super().__init__(name, f"Stand-in for {name} (see {__name__}).")
        self.__dict__.update(names)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and sys.modules.get(self.__name__) is self:
            # The import system asks for __path__ (is it a package?) while this stands in:
            # answering it would import the real module there and then.
            raise AttributeError(attr)
        return getattr(real_module(self.__name__), attr)


def real_module(name: str) -> types.ModuleType:
    """The real module ``name``, imported now if need be (taking a stand-in out first)."""
    module = sys.modules.get(name)
    if module is None or isinstance(module, StandIn):
        sys.modules.pop(name, None)
        module = _import(name)
    return module


def _import(name: str) -> types.ModuleType:
    # __import__ rather than importlib.import_module: only the former shows in -X importtime.
    __import__(name)
    return sys.modules[name]


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    return real_module("urllib.request").urlretrieve(*args, **kwargs)


def _iscoroutinefunction(func: object) -> bool:
    # asyncio's own answer is inspect's, or func carrying asyncio.coroutines' private marker,
    # which no object can carry while asyncio.coroutines is not imported: then ask it.
    coroutines = sys.modules.get("asyncio.coroutines")
    if coroutines is not None:
        return bool(coroutines.iscoroutinefunction(func))
    return inspect.iscoroutinefunction(func)


#: (module imported under a stand-in, the package stood in for, the names the stand-in answers)
STAND_INS: tuple[tuple[str, str, dict[str, Callable[..., Any]]], ...] = (
    ("whoosh.compat", "urllib.request", {"urlretrieve": _urlretrieve}),
    ("cached_property", "asyncio", {"iscoroutinefunction": _iscoroutinefunction}),
)


def import_whoosh_lean() -> None:
    """Import ``whoosh.compat`` and ``cached_property`` (what imports them later gets them
    from ``sys.modules``) with stand-ins for the packages they import and never need."""
    for importer, package, names in STAND_INS:
        if importer in sys.modules:
            continue
        if package in sys.modules:
            _import(importer)
            continue
        stand_in = StandIn(package, names)
        sys.modules[package] = stand_in
        try:
            _import(importer)
        finally:
            if sys.modules.get(package) is stand_in:
                del sys.modules[package]
