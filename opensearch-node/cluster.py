"""Start real OpenSearch nodes on loopback from the launcher in this folder.

    python opensearch-node/cluster.py [--nodes N] [--heap 512m]

builds the launcher with Maven when needed (``target/``, never committed), starts N nodes
(one JVM each, data in a temporary folder), prints the cluster's URL once it is green, and
stops the nodes on Ctrl-C. The tests and the benchmark use :class:`Cluster` directly.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLASSPATH = f"{HERE / 'target' / 'classes'}{os.pathsep}{HERE / 'target' / 'lib' / '*'}"


def missing_tools() -> str | None:
    """Why nodes cannot run here (no Java 17+, no Maven), or None."""
    if shutil.which("java") is None:
        return "Java is not installed (OpenSearch nodes need Java 17)"
    if not (HERE / "target" / "classes").is_dir() and shutil.which("mvn") is None:
        return "Maven is not installed (it builds the OpenSearch node launcher)"
    return None


def build() -> None:
    """Compile the launcher and copy its jars (Maven Central) into target/, once."""
    stamp = HERE / "target" / "lib"
    if stamp.is_dir() and (HERE / "target" / "classes" / "searchkit" / "node" / "EmbeddedNode.class").exists():
        return
    subprocess.run(["mvn", "-q", "-B", "package", "-DskipTests"], cwd=HERE, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Node:
    def __init__(self, name: str, home: Path, http_port: int, transport_port: int, args: list[str],
                 heap: str) -> None:
        self.name, self.home, self.http_port, self.transport_port = name, home, http_port, transport_port
        self.url = f"http://127.0.0.1:{http_port}"
        self._args, self._heap = args, heap
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.home.parent / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(
            ["java", f"-Xms{self._heap}", f"-Xmx{self._heap}", "-XX:+UseSerialGC", "-Xss1m",
             "-XX:TieredStopAtLevel=1", "-Dlog4j2.disable.jmx=true", "-cp", CLASSPATH,
             "searchkit.node.EmbeddedNode", "--home", str(self.home), "--name", self.name,
             "--http-port", str(self.http_port), "--transport-port", str(self.transport_port), *self._args],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Cluster:
    """``n`` nodes on loopback, each in its own JVM (so that one can be stopped alone)."""

    def __init__(self, n: int = 1, *, heap: str = "512m", settings: dict[str, str] | None = None,
                 root: Path | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="searchkit-opensearch-"))
        self.root.mkdir(parents=True, exist_ok=True)
        http = [free_port() for _ in range(n)]
        transport = [free_port() for _ in range(n)]
        names = [f"node-{i}" for i in range(n)]
        extra = [f"-E{k}={v}" for k, v in (settings or {}).items()]
        if n > 1:
            seeds = ",".join(f"127.0.0.1:{p}" for p in transport)
            extra += ["--seeds", seeds, "--managers", ",".join(names)]
        self.nodes = [Node(names[i], self.root / names[i], http[i], transport[i], extra, heap) for i in range(n)]

    @property
    def url(self) -> str:
        """Every node's address, so that the client fails over: opensearch://h:p,h:p"""
        return "opensearch://" + ",".join(f"127.0.0.1:{node.http_port}" for node in self.nodes)

    def start(self, timeout: float = 180.0) -> Cluster:
        build()
        for node in self.nodes:
            node.start()
        deadline = time.monotonic() + timeout
        while True:
            health = self.health()
            if health and health.get("number_of_nodes") == len(self.nodes) and health.get("status") == "green":
                return self
            dead = [node.name for node in self.nodes if not node.alive]
            if dead or time.monotonic() > deadline:
                logs = "\n".join((self.root / f"{n.name}.log").read_text(errors="replace")[-3000:] for n in self.nodes
                                 if (self.root / f"{n.name}.log").exists())
                self.stop()
                raise RuntimeError(f"OpenSearch nodes did not start ({', '.join(dead) or 'timeout'}):\n{logs}")
            time.sleep(1.0)

    def health(self, node: Node | None = None) -> dict | None:
        for candidate in ([node] if node else self.nodes):
            if not candidate.alive:
                continue
            try:
                with urllib.request.urlopen(f"{candidate.url}/_cluster/health", timeout=5) as response:
                    data: dict = json.loads(response.read())
                    return data
            except OSError:
                continue
        return None

    def request(self, method: str, path: str, body: object = None) -> dict:
        """One REST call to the first live node (for tests: settings, blocks)."""
        node = next(n for n in self.nodes if n.alive)
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{node.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as response:
            answer: dict = json.loads(response.read() or b"{}")
            return answer

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--heap", default="512m")
    args = parser.parse_args()
    why = missing_tools()
    if why:
        print(f"cannot start OpenSearch: {why}", file=sys.stderr)
        return 2
    cluster = Cluster(args.nodes, heap=args.heap).start()
    print(f"{cluster.url}/NAME  (for example: searchkit index seeds --index {cluster.url}/news)", flush=True)
    print("Ctrl-C stops the nodes and deletes their data.", file=sys.stderr, flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
