"""``searchkit serve``: the web page over the library (Starlette, Jinja2, uvicorn).

Only ``searchkit serve`` imports this package: ``import searchkit`` and the one-shot
commands load none of the web stack (tests/test_web_server.py checks it in a real process).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
