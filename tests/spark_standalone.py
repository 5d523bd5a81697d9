"""A real Spark standalone cluster on loopback for the tests: one Master and one Worker,
started from the pyspark wheel's own jars (``bin/spark-class``), each a JVM of this test
run (its own process group), stopped and deleted at the end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from cluster import free_port  # opensearch-node/cluster.py: a free loopback port


class Standalone:
    """``spark://127.0.0.1:PORT`` with one worker of ``cores`` cores and ``memory``."""

    def __init__(self, *, cores: int = 2, memory: str = "1g") -> None:
        import pyspark

        self.home = Path(pyspark.__file__).parent
        self.root = Path(tempfile.mkdtemp(prefix="searchkit-spark-standalone-"))
        self.port, self.ui_port, self.worker_ui = free_port(), free_port(), free_port()
        self.master = f"spark://127.0.0.1:{self.port}"
        self.cores, self.memory = cores, memory
        self.processes: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, *args: str) -> None:
        env = dict(os.environ, SPARK_HOME=str(self.home), SPARK_LOCAL_IP="127.0.0.1", SPARK_DAEMON_MEMORY="256m",
                   SPARK_LOG_DIR=str(self.root), SPARK_WORKER_DIR=str(self.root / "work"))
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.processes.append(subprocess.Popen([str(self.home / "bin" / "spark-class"), *args], env=env,
                                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True))
        log.close()

    def state(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=5) as r:
                data: dict = json.loads(r.read())
                return data
        except OSError:
            return None

    def start(self, timeout: float = 240.0) -> Standalone:
        self._start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", str(self.port), "--webui-port", str(self.ui_port))
        self._start("worker", "org.apache.spark.deploy.worker.Worker", self.master, "--host", "127.0.0.1",
                    "--cores", str(self.cores), "--memory", self.memory, "--webui-port", str(self.worker_ui),
                    "--work-dir", str(self.root / "work"))
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if state and state.get("aliveworkers", 0) >= 1:
                return self
            dead = [p for p in self.processes if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                logs = "\n".join(f.read_text(errors="replace")[-2000:] for f in sorted(self.root.glob("*.log")))
                self.stop()
                raise RuntimeError(f"the Spark standalone cluster did not start:\n{logs}")
            time.sleep(1.0)

    def stop(self) -> None:
        """Worker first (it stops its executors), then the master; only these processes."""
        for p in reversed(self.processes):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)
