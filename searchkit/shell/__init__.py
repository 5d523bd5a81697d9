"""The interactive shell (prompt_toolkit), one module per concern: ``app`` (the
:class:`~searchkit.shell.app.Shell` that runs lines, and the prompt loop), ``complete``
(Tab completion), ``lexer`` (highlighting as you type), ``view`` (what hits and articles look
like, the pager)."""

from __future__ import annotations

from .app import Shell
from .prompt import run_shell

__all__ = ["Shell", "run_shell"]
