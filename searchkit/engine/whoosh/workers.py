"""The worker processes of a parallel build (``--jobs N``): Whoosh's, made to end with it.

Whoosh's workers wait on a queue for the build's next batch; when the build was killed
(``kill -9``, the OOM killer, a test's timeout) nothing ever arrived and they waited
forever, each holding memory. A worker now dies with the process that started it: Linux's
parent-death signal, elsewhere a thread that watches the parent. Imported by parallel builds
only (it imports Whoosh's multiprocessing writer).
"""

from __future__ import annotations

import os
import signal
import threading
import time

from whoosh.multiproc import SubWriterTask

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class BuildWorker(SubWriterTask):
    """Whoosh's ``SubWriterTask`` that ends when its build process is gone."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.build_pid = os.getpid()

    def run(self) -> None:
        end_with_parent(self.build_pid)
        super().run()


def end_with_parent(parent: int) -> None:
    """Have this process die when ``parent`` does (called first thing in the child)."""
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
