"""What the client's exceptions mean to a user: one sentence each, as SearchkitError
subclasses (the CLI prints one line and exits 2)."""

from __future__ import annotations

from typing import Any

from ...errors import IndexMissingError, IndexWriteError, SearchkitError


class ClusterError(SearchkitError):
    """The cluster cannot be reached or refused the request."""


def _reason(exc: Any) -> str:
    info = getattr(exc, "info", None)
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            root = (error.get("root_cause") or [error])[0]
            return f"{root.get('type', '')}: {root.get('reason', '')}".strip(": ")
        if error:
            return str(error)
    return str(getattr(exc, "error", "") or exc)


def is_read_only(exc: Any) -> bool:
    text = _reason(exc)
    return "block_exception" in text or "read-only" in text or "read_only" in text


def explain(exc: BaseException, where: str, *, writing: bool = False) -> SearchkitError:
    """The one-line error for an exception of the OpenSearch client at ``where``."""
    from opensearchpy import exceptions as ox

    if isinstance(exc, SearchkitError):
        return exc
    if isinstance(exc, ox.SSLError):
        return ClusterError(f"the TLS certificate of {where} could not be verified ({_short(exc)}); "
                            "pass --insecure to connect anyway")
    again = "; what was written is searchable: run `searchkit index` again to finish" if writing else ""
    if isinstance(exc, ox.ConnectionTimeout):
        return ClusterError(f"OpenSearch at {where} did not answer in time; is the cluster overloaded?{again}")
    if isinstance(exc, ox.ConnectionError):
        return ClusterError(f"cannot reach OpenSearch at {where} ({_short(exc)}); is the cluster running?{again}")
    if isinstance(exc, ox.AuthenticationException):
        return ClusterError(f"OpenSearch at {where} refused the user name or password (HTTP 401); set "
                            "SEARCHKIT_OPENSEARCH_USER and SEARCHKIT_OPENSEARCH_PASSWORD, or ~/.netrc")
    if isinstance(exc, ox.AuthorizationException):
        if is_read_only(exc):
            return _read_only(where, exc)
        return ClusterError(f"OpenSearch at {where} does not allow this user to do that (HTTP 403: "
                            f"{_reason(exc)})")
    if isinstance(exc, ox.NotFoundError):
        if "index_not_found" in _reason(exc):
            return IndexMissingError(f"no index at {where}: build it with `searchkit index`")
        return ClusterError(f"not found at {where}: {_reason(exc)}")
    if isinstance(exc, ox.TransportError):
        status = exc.status_code
        if is_read_only(exc):
            return _read_only(where, exc)
        if status == 429:
            return ClusterError(f"OpenSearch at {where} is overloaded (HTTP 429, still after retries); "
                                "try again later")
        if status in (502, 503, 504) or "no_shard_available" in _reason(exc) or "all shards failed" in _reason(exc):
            return ClusterError(f"OpenSearch at {where} cannot serve the index (HTTP {status}: {_reason(exc)}); "
                                "check the cluster's health (some shards have no live copy)")
        if writing:
            return IndexWriteError(f"OpenSearch at {where} refused the request (HTTP {status}: {_reason(exc)[:200]}); "
                                   "what was written is searchable: run `searchkit index` again to finish")
        return ClusterError(f"OpenSearch at {where} refused the request (HTTP {status}: {_reason(exc)[:200]})")
    return ClusterError(f"OpenSearch at {where}: {type(exc).__name__}: {_short(exc)}")


def _read_only(where: str, exc: Any) -> IndexWriteError:
    return IndexWriteError(
        f"OpenSearch at {where} is read-only ({_reason(exc)[:160]}): free disk space on its nodes (the "
        "flood-stage watermark makes indexes read-only) or lift the block, then run `searchkit index` "
        "again; the index is still searchable")


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "info", "") or exc)
    for marker in ("Connection refused", "Name or service not known", "timed out", "certificate verify failed"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:160] if text else type(exc).__name__
