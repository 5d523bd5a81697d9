"""Running the application: a socket on the host and port asked for, uvicorn serving it,
the URL printed, Ctrl-C stopping it cleanly."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path
from typing import TextIO

from ..errors import SearchkitError
from .security import LOOPBACK_NAMES


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port); SearchkitError if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise SearchkitError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                             "choose another with --port (0 picks a free one)") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def serve(index: Path | str, *, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          out: TextIO = sys.stderr) -> int:
    """Serve the index until Ctrl-C (or SIGTERM); return the exit status."""
    import uvicorn

    from ..api import open_index
    from .app import create_app

    opened = open_index(index)  # a missing index is an error now, not a page later
    shown = opened.location  # a URL without its credentials
    opened.close()
    sock = bind(host, port)
    port = sock.getsockname()[1]
    url = url_of(host, port)
    if host.strip("[]") not in LOOPBACK_NAMES:
        print(f"searchkit: warning: listening on {host}: anyone who can reach this machine on that network "
              "can read the whole collection", file=out)
    print(f"searchkit: serving {shown} at {url} (Ctrl-C to stop)", file=out, flush=True)
    config = uvicorn.Config(create_app(index, host=host), log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=3, server_header=False)
    server = uvicorn.Server(config)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn shut down gracefully, then re-raised the Ctrl-C it had caught: a clean stop
    finally:
        sock.close()
    print("searchkit: stopped", file=out)
    return 0
