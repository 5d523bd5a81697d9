"""``python -m searchkit.clidocs reference [PAGE]`` (``readme`` is its old name): regenerate the
command reference, docs/reference.md of the checkout by default. A module of its own so that
the documents (imported by the CLI) do not import the CLI back."""

from __future__ import annotations

import sys
from pathlib import Path

from . import REFERENCE_PAGE, update_reference


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("reference", "readme") or len(args) > 2:
        print("usage: python -m searchkit.clidocs reference [PAGE]   (PAGE: docs/reference.md of this checkout)",
              file=sys.stderr)
        return 2
    page = Path(args[1]) if len(args) == 2 else REFERENCE_PAGE
    if not page.is_file():
        print(f"searchkit.clidocs: no file {page}: run it in a checkout of searchkit, or name the page", file=sys.stderr)
        return 2
    from ..cli import build_parser

    print(f"{page} updated" if update_reference(page, build_parser()) else f"{page} already current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
