"""Named points in an indexing run where a test can make the real process die.

``SEARCHKIT_FAULT=POINT:kill`` makes the run SIGKILL itself when it reaches POINT, as a
power cut or ``kill -9`` would stop it there: the crash tests kill at a known step of the
commit instead of after a guessed delay (which a fast or a loaded machine turns into a
kill before or after the write). A run that never reaches POINT ends normally, so such a
test fails on its exit status. The points, in the order of a commit:

- ``after-segment-write``: the new segment's files are written. An update's are fsynced and
  its TOC (the commit point of an update in place) is not written; a rebuild's new
  generation is complete on disk, not yet recorded nor named by the pointer.
- ``before-manifest``: the TOC is written; the manifest recording its files' checksums is not.
- ``before-pointer-swap``: everything of the run is written but the pointer, whose swap
  makes a rebuild live.

Unset (always, outside tests) it costs one environment lookup per commit step.
"""

from __future__ import annotations

import os
import signal

FAULT_VARIABLE = "SEARCHKIT_FAULT"
POINTS = ("after-segment-write", "before-manifest", "before-pointer-swap")


def fault_point(name: str) -> None:
    """Die here if ``SEARCHKIT_FAULT`` names this point (see the module's docstring)."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted:
        return
    point, _, action = wanted.partition(":")
    if point == name and action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
