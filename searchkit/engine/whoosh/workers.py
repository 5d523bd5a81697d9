"""The worker processes of a parallel build (``--jobs N``): Whoosh's, made to end with it.

Whoosh's workers wait on a queue for the build's next batch; when the build was killed
(``kill -9``, the OOM killer, a test's timeout) nothing ever arrived and they waited
forever, each holding memory. A worker now dies with the process that started it: Linux's
parent-death signal, elsewhere a thread that watches the parent. Imported by parallel builds
only (it imports Whoosh's multiprocessing writer).
"""

from __future__ import annotations

import os

from whoosh.multiproc import SubWriterTask

from ...lifetime import end_with_parent


class BuildWorker(SubWriterTask):
    """Whoosh's ``SubWriterTask`` that ends when its build process is gone."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.build_pid = os.getpid()

    def run(self) -> None:
        end_with_parent(self.build_pid)
        super().run()
