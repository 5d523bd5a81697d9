"""The one atomic writer (searchkit.atomic): a reader sees the old file or the new one, an
error or a killed process leaves the old one, and no temporary file is left behind on error."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from searchkit.atomic import atomic_file, write_atomically


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_text_and_bytes_replace_the_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "nouveau \u00e9t\u00e9")
    assert target.read_bytes() == "nouveau \u00e9t\u00e9".encode("utf-8")
    write_atomically(target, b"\x00\x01raw")
    assert target.read_bytes() == b"\x00\x01raw"
    assert _debris(tmp_path) == []


def test_an_error_while_writing_keeps_the_old_file_and_leaves_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("the old export\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_file(target, newline="") as out:
            out.write("half of a new ")
            raise RuntimeError("disk full, say")
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert list(tmp_path.iterdir()) == [target]


def test_ctrl_c_while_writing_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "memo.md"
    with pytest.raises(KeyboardInterrupt):
        with atomic_file(target) as out:
            out.write("partial")
            raise KeyboardInterrupt
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_private_mode_applies_even_over_a_stale_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "saved.json"
    write_atomically(target, "{}", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_process_killed_mid_write_leaves_the_old_content(tmp_path: Path) -> None:
    """A real process killed (SIGKILL) inside the block: the target still holds the old text."""
    target = tmp_path / "pointer.json"
    target.write_text('{"generation": "gen1"}', encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom searchkit.atomic import atomic_file\n"
         f"with atomic_file(Path({str(target)!r})) as out:\n"
         "    out.write('{\"generation\": '); out.flush()\n"
         "    print('writing', flush=True)\n"
         "    time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert target.read_text(encoding="utf-8") == '{"generation": "gen1"}'
    # What a kill leaves is hidden (a dot file), so a corpus walk never reads it as a document.
    assert all(name.startswith(".") for name in _debris(tmp_path))
