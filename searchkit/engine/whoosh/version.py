"""The Whoosh release this package's private-attribute code was written against.

Several modules read Whoosh internals (``matcher._data``, ``column._dbfile``,
``results._char_cache``, codec internals): a different release may lay them out otherwise,
so opening an index with one is refused with a message instead of failing obscurely.
"""

from __future__ import annotations

from ...errors import SearchkitError

#: ``whoosh.__version__`` of the pinned ``whoosh-reloaded`` release.
SUPPORTED_WHOOSH = (2, 7, 5)


def check_whoosh_version() -> None:
    import whoosh

    found = tuple(whoosh.__version__[:3])
    if found != SUPPORTED_WHOOSH:
        raise SearchkitError(
            "searchkit needs Whoosh %s (the whoosh-reloaded release it pins), but Whoosh %s is "
            "installed: reinstall searchkit (`pip install -e .` or `make install`)"
            % (".".join(map(str, SUPPORTED_WHOOSH)), ".".join(map(str, found)))
        )
