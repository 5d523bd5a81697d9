"""Which outlet a name typed by a user means: the one rule behind ``--outlet``, the shell's
``:filter outlet:`` and the query language's ``outlet:`` (every engine calls it with the
outlet names its index holds).

A name means the outlet whose name it is, in any case, spacing or accents ("eu today",
"Liberation" for "Libération"); else the one outlet whose name, or one of whose words, it
begins ("tibetan" and "tib" for "Tibetan Review", "today" for "EU Today"). When it begins
several, or none, the error names the candidates, or the closest names, so the user never
gets an empty result for a typo.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .errors import OutletError

#: How many names an error lists before "and N more".
LISTED = 8


def name_key(name: str) -> str:
    """A name folded for comparison: case, runs of spaces, accents and invisible characters
    (controls, bidi and zero-width marks a paste may carry) do not count."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = (c for c in decomposed
            if not unicodedata.combining(c) and (c.isspace() or unicodedata.category(c) not in ("Cc", "Cf")))
    return " ".join("".join(kept).split())


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")


def resolve_outlet(name: str, known: Iterable[str]) -> str:
    """The outlet of ``known`` that ``name`` means (see the module's docstring); raises
    :class:`OutletError` naming the candidates when it is ambiguous, or the closest names
    (or where to find them) when nothing matches."""
    wanted = name_key(name)
    names = sorted(set(known), key=lambda n: (name_key(n), n))
    if not wanted:
        raise OutletError("an outlet filter needs a name")
    exact = [n for n in names if name_key(n) == wanted]
    if exact:
        return exact[0]
    begun = [n for n in names if (" " + name_key(n)).find(" " + wanted) >= 0]
    if len(begun) == 1:
        return begun[0]
    if begun:
        raise OutletError(f"outlet {name!r} could be any of {len(begun)} outlets: {_listing(begun)}; "
                         "give more of the name")
    if not names:
        raise OutletError(f"no outlet {name!r}: no article in the index has a known outlet")
    import difflib  # only for a name that matches nothing: the one-shot query does not pay for it

    keys = {name_key(n): n for n in names}
    close = [keys[k] for k in difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.6)]
    if close:
        hint = f"; did you mean {' or '.join(close)}?"
    elif len(names) <= LISTED:
        hint = f" (its outlets: {_listing(names)})"
    else:
        hint = f" ({len(names)} outlets; `searchkit stats` lists them)"
    raise OutletError(f"no outlet {name!r} in the index{hint}")
