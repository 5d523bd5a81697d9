"""Child processes that end with the process that started them (a build's workers)."""

from __future__ import annotations

import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with_parent(parent: int) -> None:
    """Have this process die when ``parent`` does (called first thing in the child): when a
    build is killed (``kill -9``, the OOM killer, a test's timeout) its workers would otherwise
    wait forever on their queue, each holding memory. Linux's parent-death signal, elsewhere a
    thread that watches the parent."""
    try:
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):  # not Linux
        threading.Thread(target=_watch, args=(parent,), name="watch-build", daemon=True).start()
    if os.getppid() != parent:  # the build died before the signal was asked for
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
