"""`searchkit` as real processes that a test starts, pauses, kills, and always cleans up.

Each run starts in its own process group, and the ``searchkit_runs`` fixture (conftest.py)
kills every group it started when the test ends, passed or failed: a test that times out
never leaves an indexer or its workers running. Two ways to act at a known step rather
than after a guessed delay:

- ``pause_at=NAME``: the run stops when it reads the corpus file NAME (a sitecustomize
  hook) until the test calls ``release()``;
- ``fault=POINT:kill``: the run kills itself at a named point of its commit
  (:mod:`searchkit.faults`), and ``killed_at()`` fails the test if it never got there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PAUSE_TIMEOUT = 120


def searchkit_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any SEARCHKIT_ setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env.update(extra or {})
    return env


class SearchkitRuns:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen[str]] = []

    def start(self, *args: str, pause_at: str | None = None, fault: str | None = None) -> subprocess.Popen[str]:
        """``python -m searchkit ARGS`` in a new process group, output captured."""
        env = searchkit_env({"SEARCHKIT_FAULT": fault} if fault else None)
        if pause_at is not None:
            hook = self.tmp_path / "pause-hook"
            hook.mkdir(exist_ok=True)
            (hook / "sitecustomize.py").write_text(
                "import os, time\n"
                "import searchkit.ingest.readers.text as text\n"
                "real_read = text.read\n"
                "def read(source):\n"
                f"    if source.name == {pause_at!r}:\n"
                f"        open({str(self.tmp_path / 'paused')!r}, 'w').close()\n"
                f"        while not os.path.exists({str(self.tmp_path / 'go')!r}):\n"
                "            time.sleep(0.01)\n"
                "    return real_read(source)\n"
                "text.read = read\n", encoding="utf-8")
            env["PYTHONPATH"] = f"{hook}{os.pathsep}{env.get('PYTHONPATH', '')}"
        proc = subprocess.Popen([sys.executable, "-m", "searchkit", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.started.append(proc)
        return proc

    def wait_for_pause(self, proc: subprocess.Popen[str]) -> None:
        deadline = time.monotonic() + PAUSE_TIMEOUT
        while not (self.tmp_path / "paused").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached the file it pauses at"
            time.sleep(0.01)

    def release(self) -> None:
        (self.tmp_path / "go").touch()

    @staticmethod
    def killed_at(proc: subprocess.Popen[str], point: str, timeout: float = 300) -> None:
        """Wait for a run started with ``fault=POINT:kill``; fail unless it died there."""
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != -signal.SIGKILL:
            pytest.fail(f"the run never reached the fault point {point} (exit status {proc.returncode}): "
                        f"{err.strip()[-500:]}", pytrace=False)

    def kill_all(self) -> None:
        """SIGKILL every process group started (the runs and any worker they forked)."""
        for proc in self.started:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.communicate(timeout=30)
            except (subprocess.TimeoutExpired, ValueError):
                pass
