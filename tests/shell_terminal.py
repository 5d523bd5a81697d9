"""Two terminals for `searchkit shell` tests, with one interface (keys in, screen out).

``InProcessShell`` (the fast lane) runs the real CLI entry point, ``main(["shell", ...])``,
in a thread of the test process: prompt_toolkit reads the keys from a pipe input and draws
through its own VT100 renderer into a screen buffer, exactly the bytes it would send to a
terminal, so colours, redraws and escape sequences can be asserted as on a pty. It answers
the renderer's cursor-position requests as a terminal does. ``PtyShell`` runs
``python -m searchkit shell`` in a real pseudo-terminal under pexpect (the slow lane: a few
tests run on both).

prompt_toolkit redraws the input line as it goes, so assertions either expect() strings our
own output prints in one piece, or look at the output with the escape sequences stripped.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
import time
from pathlib import Path

from .conftest import REPO

TIMEOUT = 15
UP, CTRL_C, CTRL_D, TAB = "\x1b[A", "\x03", "\x04", "\t"
ALT_N, ALT_P = "\x1bn", "\x1bp"
# Anything a terminal treats as a control sequence: CSI, OSC, and two-byte escapes.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# The prompt, possibly with standing filters: "searchkit [outlet:Forbes]> " (colours between).
PROMPT = r"searchkit(?:\x1b\[[0-9;]*m)*(?: \[[^\]\n]*\])?(?:\x1b\[[0-9;]*m)*> "
STATUS = r"(\d+) match(?:es)? · showing (\d+)-(\d+) · page (\d+) of (\d+)"
CURSOR_POSITION_REQUEST = "\x1b[6n"


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text).replace("\r", "")


def shell_environment(tmp_path: Path) -> dict[str, str]:
    """A clean environment: history under tmp_path, a colour terminal, `cat` as the pager."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SEARCHKIT_", "LESS")) and k not in ("NO_COLOR", "PAGER")}
    env.update({
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # pexpect does not answer cursor position requests; the toolbar test does its own.
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "PAGER": "cat",
    })
    return env


class ShellTerminal:
    """What both terminals share: lines typed, patterns awaited, marks in the output."""

    index: Path
    _pos = 0  # where the next expect() starts looking, as pexpect's buffer does

    @property
    def raw(self) -> str:
        raise NotImplementedError

    def send(self, keys: str) -> None:
        raise NotImplementedError

    def expect(self, pattern: str) -> str:
        raise NotImplementedError

    def settle(self, seconds: float = 0.3) -> None:
        raise NotImplementedError

    def quit(self, keys: str = ":quit\r") -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def screen(self) -> str:
        return strip_ansi(self.raw)

    def mark(self) -> int:
        """A position in ``raw``; ``since(mark)`` is what was printed after it."""
        return len(self.raw)

    def since(self, mark: int) -> str:
        return self.raw[mark:]

    def wait_prompt(self) -> None:
        self.expect(PROMPT)

    def run(self, line: str, pattern: str) -> str:
        """Type a line, press Enter, wait for ``pattern``, then for the next prompt."""
        self.send(line + "\r")
        found = self.expect(pattern)
        self.wait_prompt()
        return found

    def tab_complete_and_enter(self, text: str) -> int:
        """Type ``text``, press Tab, then Enter; return the mark taken just before Enter."""
        self.send(text)
        self.settle()
        self.send(TAB)
        self.settle()
        start = self.mark()
        self.send("\r")
        return start

    def _never_appeared(self, pattern: str) -> AssertionError:
        return AssertionError(f"{pattern!r} never appeared; the screen ends with:\n{self.raw[-1500:]!r}")


class _Screen:
    """The terminal's side of the output: every byte written, kept in order, waitable."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, on_write) -> None:  # type: ignore[no-untyped-def]
        self._parts: list[str] = []
        self._changed = threading.Condition()
        self._on_write = on_write

    def write(self, text: str) -> int:
        with self._changed:
            self._parts.append(text)
            self._changed.notify_all()
        self._on_write(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("an in-process screen has no file descriptor")

    def text(self) -> str:
        with self._changed:
            return "".join(self._parts)

    def wait(self, seconds: float) -> None:
        with self._changed:
            self._changed.wait(seconds)


class InProcessShell(ShellTerminal):
    """The shell's real entry point in a thread, on a pipe input and a screen buffer.

    The environment ``env`` is applied to this process for the session (``monkeypatch``
    undoes it). A pager would write to the test's own file descriptors, so ``PAGER=cat``
    becomes the pager-less print, which shows the same text.
    """

    def __init__(self, index: Path, env: dict[str, str], monkeypatch, dimensions: tuple[int, int] = (40, 120),
                 args: tuple[str, ...] = ()) -> None:
        from prompt_toolkit.data_structures import Size
        from prompt_toolkit.input import create_pipe_input
        from prompt_toolkit.output.vt100 import Vt100_Output

        self.index = index
        rows, columns = dimensions
        applied = {**env, "LINES": str(rows), "COLUMNS": str(columns)}
        if applied.get("PAGER") == "cat":
            applied["PAGER"] = ""
        for name in set(os.environ) - set(applied):
            monkeypatch.delenv(name)
        for name, value in applied.items():
            monkeypatch.setenv(name, value)
        self._input_context = create_pipe_input()
        self._input = self._input_context.__enter__()
        self._screen = _Screen(self._answer_cursor_requests)
        self._output = Vt100_Output(self._screen, lambda: Size(rows=rows, columns=columns),  # type: ignore[arg-type]
                                    term=env.get("TERM"))
        keyboard = _Keyboard()
        for stream in ("stdin", "stdout", "stderr"):
            monkeypatch.setattr(sys, stream, keyboard if stream == "stdin" else self._screen)
        self.exit_status: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, args=(["shell", "--index", str(index), *args],),
                                        name="searchkit-shell", daemon=True)
        self._thread.start()
        self.expect("Type a query")
        self.wait_prompt()

    def _main(self, argv: list[str]) -> None:
        from prompt_toolkit.application import create_app_session

        from searchkit.cli import main

        try:
            with create_app_session(input=self._input, output=self._output):
                self.exit_status = main(argv)
        except BaseException as exc:  # noqa: BLE001 - reported by the test's next expect()
            self.error = exc

    def _answer_cursor_requests(self, text: str) -> None:
        if CURSOR_POSITION_REQUEST in text:
            self._input.send_text("\x1b[1;1R")

    @property
    def raw(self) -> str:
        return self._screen.text()

    def send(self, keys: str) -> None:
        self._input.send_text(keys)

    def expect(self, pattern: str) -> str:
        compiled = re.compile(pattern, re.DOTALL)
        deadline = time.monotonic() + TIMEOUT
        while True:
            raw = self.raw
            found = compiled.search(raw, self._pos)
            if found:
                self._pos = found.end()
                return found.group(0)
            if self.error is not None:
                raise AssertionError(f"the shell raised {self.error!r}") from self.error
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise self._never_appeared(pattern)
            self._screen.wait(0.05)

    def settle(self, seconds: float = 0.3) -> None:
        time.sleep(seconds)
        self._pos = len(self.raw)

    def quit(self, keys: str = ":quit\r") -> int:
        self.send(keys)
        self._thread.join(TIMEOUT)
        assert not self._thread.is_alive(), f"the shell did not end; the screen ends with {self.raw[-500:]!r}"
        if self.error is not None:
            raise AssertionError(f"the shell raised {self.error!r}") from self.error
        self._input_context.__exit__(None, None, None)
        assert self.exit_status is not None
        return self.exit_status

    def close(self) -> None:
        if self._thread.is_alive():
            self._input.close()  # the prompt reads end of input: the shell ends as on Ctrl-D
            self._thread.join(TIMEOUT)
        self._input_context.__exit__(None, None, None)


class _Keyboard(io.StringIO):
    """sys.stdin for the in-process shell: a terminal (the keys themselves go to the pipe input)."""

    def isatty(self) -> bool:
        return True


class PtyShell(ShellTerminal):
    """The shell in a real pseudo-terminal, with everything it printed kept in ``raw``."""

    def __init__(self, index: Path, env: dict[str, str], dimensions: tuple[int, int] = (40, 120),
                 args: tuple[str, ...] = ()) -> None:
        import pexpect

        self._pexpect = pexpect
        self.index = index
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable, ["-m", "searchkit", "shell", "--index", str(index), *args],
            cwd=str(REPO), env=env, dimensions=dimensions, encoding="utf-8",
            codec_errors="replace", timeout=TIMEOUT,
        )
        self.child.logfile_read = self.log
        self.expect("Type a query")
        self.wait_prompt()

    @property
    def raw(self) -> str:
        return self.log.getvalue()

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def expect(self, pattern: str) -> str:
        """Wait for a regular expression in the output (escape sequences left in).

        pexpect compiles patterns with re.DOTALL: write [^\\n]* rather than .* in them.
        """
        try:
            self.child.expect(pattern)
        except self._pexpect.TIMEOUT:
            raise self._never_appeared(pattern) from None
        return self.child.after

    def settle(self, seconds: float = 0.3) -> None:
        """Let the shell react to keys for a moment, collecting what it draws."""
        self.child.expect(self._pexpect.TIMEOUT, timeout=seconds)

    def quit(self, keys: str = ":quit\r") -> int:
        self.child.send(keys)
        self.child.expect(self._pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
