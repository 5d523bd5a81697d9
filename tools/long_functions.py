"""List the functions of a package longer than a limit (default 80 lines), longest first.

    python tools/long_functions.py            # searchkit/, over 80 lines
    python tools/long_functions.py --limit 60 --json

A function's length is from its ``def`` line (decorators included) to its last line, nested
functions counted in their parent too. tests/test_code_shape.py fails on a function over the
limit that its allow-list does not name.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def long_functions(package: Path, limit: int) -> list[tuple[str, int]]:
    """(``path:qualified.name``, lines) for each function of ``package`` over ``limit`` lines."""
    found: list[tuple[str, int]] = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(package.parent).as_posix()
        found.extend((f"{where}:{name}", n) for name, n in _lengths(tree, "") if n > limit)
    return sorted(found, key=lambda item: (-item[1], item[0]))


def _lengths(node: ast.AST, prefix: str):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = prefix + child.name
            if not isinstance(child, ast.ClassDef):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                yield name, (child.end_lineno or child.lineno) - first + 1
            yield from _lengths(child, name + ".")
        else:
            yield from _lengths(child, prefix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=ROOT / "searchkit")
    parser.add_argument("--limit", type=int, default=80, help="lines a function may have (default 80)")
    parser.add_argument("--json", action="store_true", help="one JSON object: {name: lines}")
    args = parser.parse_args(argv)
    found = long_functions(args.package, args.limit)
    if args.json:
        print(json.dumps(dict(found), indent=1))
    else:
        for name, n in found:
            print(f"{n:5d}  {name}")
        print(f"{len(found)} function(s) over {args.limit} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
