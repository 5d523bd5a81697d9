"""The prompt around :class:`~searchkit.shell.app.Shell`: prompt_toolkit's session with
completion, highlighting, history, toolbar and key bindings; or, on a pipe, one line at a time.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..render import Style, safe, use_color
from .app import Shell
from .commands import _QUIT_LINES, COMMANDS, DEFAULT_LIMIT, resolve_command

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples

    from ..api import Index


def history_path(ix: Index | None = None, where: str = "global") -> Path:
    """Where the shell keeps its history: the user data directory platformdirs gives, or the
    index folder itself for ``where="index"`` (a story's searches stay with its index)."""
    if where == "index" and ix is not None:
        return ix.path / "shell_history"
    import platformdirs

    return platformdirs.user_data_path("searchkit", appauthor=False) / "shell_history"


def private_file(path: Path) -> None:
    """Create ``path`` (and its folder) readable by its owner only, 0600, as ssh and psql keep
    their histories: every query typed is in it. An existing file is made private too."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def run_shell(ix: Index, *, history: str = "global", limit: int = DEFAULT_LIMIT, color: str = "auto",
              collapse: bool = True) -> int:
    """Entry point of ``searchkit shell`` on an open index (closed on return); returns the
    exit status. ``history`` is "global", "index" (kept in the index folder) or "off";
    ``limit`` the hits per page and ``color`` auto, always or never (the user's settings)."""
    with ix:
        out = sys.stdout
        path = history_path(ix, history) if history != "off" else None
        shell = Shell(ix, out, Style(use_color(color, out)), history=history, history_file=path, limit=limit,
                      collapse=collapse)
        if not (sys.stdin.isatty() and out.isatty()):
            return _run_piped(shell, sys.stdin)
        return _run_prompt(shell)


def _run_piped(shell: Shell, lines: TextIO) -> int:
    """Lines from a pipe or file, one at a time, with no prompt (for scripts)."""
    for line in lines:
        if not _run_line(shell, line):
            break
    return 0


def _run_line(shell: Shell, line: str) -> bool:
    """One line, a bug in it said in one line rather than ending the session (a prompt or a
    pipe alike); False when the shell should end."""
    try:
        return shell.execute(line)
    except KeyboardInterrupt:
        shell.note("(interrupted)")
    except Exception as exc:  # noqa: BLE001 - a bug must not close the user's session
        if os.environ.get("SEARCHKIT_DEBUG", "") not in ("", "0"):
            import traceback

            traceback.print_exc()
        shell.error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in searchkit: please "
                    "report it with what you typed (SEARCHKIT_DEBUG=1 shows the traceback)")
    return True


@dataclass(frozen=True)
class _KeyCommand:
    """What a key binding asks the loop to run, and the half-typed line to give back."""

    command: str
    keep: str


#: The colours of the prompt, the query as it is typed (classes from .lexer) and the toolbar.
PROMPT_STYLE = {
    "prompt": "ansigreen bold",
    "prompt.state": "ansicyan",
    "query.operator": "ansimagenta bold",
    "query.modifier": "ansimagenta bold",
    "query.field": "ansiblue bold",
    "query.badfield": "ansired underline",
    "query.phrase": "ansiyellow",
    "query.near": "ansiyellow bold",
    "query.paren": "bold",
    "query.range": "ansigreen",
    "query.wildcard": "ansicyan",
    "query.fuzzy": "ansicyan",
    "query.error": "ansired bold underline",
    "command": "ansigreen bold",
    "command.unknown": "ansired",
    "bottom-toolbar": "noreverse bg:ansiblack ansiwhite",
    "bottom-toolbar.keys": "noreverse bg:ansiblack ansigray",
}


def _run_prompt(shell: Shell) -> int:
    """The interactive loop: read a line (or a key's command), run it, until Ctrl-D or quit."""
    session = _session(shell)
    stats = shell.stats()
    shell.note(
        f"searchkit shell: {stats.documents} documents in {safe(str(shell.ix.path))}. "
        "Type a query; :help lists commands; Ctrl-D quits."
    )
    keep = ""
    while True:
        try:
            line = session.prompt(default=keep)
        except KeyboardInterrupt:
            keep = ""
            continue
        except EOFError:
            break
        keep = ""
        if isinstance(line, _KeyCommand):
            keep, line = line.keep, line.command
        if not _run_line(shell, line):
            break
    return 0


def _session(shell: Shell):
    """prompt_toolkit's session with the shell's completion, highlighting, history, toolbar,
    keys and colours."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
    from prompt_toolkit.completion import ThreadedCompleter
    from prompt_toolkit.styles import Style as PTStyle

    from .complete import ShellCompleter
    from .lexer import ShellLexer

    completer = ShellCompleter(
        COMMANDS, resolve_command, shell.outlet_counts, shell.complete_words, shell.hits_on_screen,
    )
    session: PromptSession = PromptSession(
        message=lambda: _prompt_message(shell),
        lexer=ShellLexer(lambda name: resolve_command(name) is not None, shell.ix.check_query,
                         lambda name: getattr(resolve_command(name), "query_argument", False)),
        completer=ThreadedCompleter(completer),
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        history=_history(shell),
        bottom_toolbar=lambda: _toolbar(shell),
        style=PTStyle.from_dict(PROMPT_STYLE),
        include_default_pygments_style=False,
        key_bindings=_key_bindings(completer),
        search_ignore_case=True,
    )
    return session


def _history(shell: Shell):
    """The session's history: a private file that skips quitting lines and immediate
    repeats, or memory only (--no-history, or a file that cannot be made private)."""
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory

    class ShellHistory(FileHistory):
        def append_string(self, string: str) -> None:
            if string.strip() in _QUIT_LINES or (self._loaded_strings and self._loaded_strings[0] == string):
                return
            super().append_string(string)

    history: History
    if shell.history_file is None:
        return InMemoryHistory()
    try:
        private_file(shell.history_file)
        history = ShellHistory(str(shell.history_file))
    except OSError:
        history = InMemoryHistory()
        shell.history_file = None
    return history


def _key_bindings(completer):
    """Tab completes (or cycles); Alt-n and Alt-p page through the hits."""
    from prompt_toolkit.key_binding import KeyBindings

    from .complete import complete_or_cycle

    bindings = KeyBindings()

    def page_key(command: str):
        def handler(event) -> None:
            buffer = event.app.current_buffer
            keep = buffer.text
            buffer.text = command  # so the screen shows what ran
            event.app.exit(result=_KeyCommand(command, keep))

        return handler

    @bindings.add("tab")
    def _tab(event) -> None:
        complete_or_cycle(event.current_buffer, completer)

    bindings.add("escape", "n")(page_key(":next"))
    bindings.add("escape", "p")(page_key(":prev"))
    return bindings


def _prompt_message(shell: Shell) -> StyleAndTextTuples:
    """``searchkit [standing filters]> ``."""
    parts = shell.prompt_parts()
    fragments: StyleAndTextTuples = [("class:prompt", "searchkit")]
    if parts:
        fragments.append(("class:prompt.state", " [" + " ".join(parts) + "]"))
    fragments.append(("class:prompt", "> "))
    return fragments


def _toolbar(shell: Shell) -> StyleAndTextTuples:
    """The bottom line: the index and its state, then the keys."""
    try:
        text = shell.toolbar_text()
    except Exception:  # noqa: BLE001 - an index being swapped must not break the prompt
        text = f" {safe(str(shell.ix.path))} "
    return [("class:bottom-toolbar", text),
            ("class:bottom-toolbar.keys", "· Tab complete · Alt-n/p pages · :help · Ctrl-D quit ")]
