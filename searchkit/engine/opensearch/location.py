"""An OpenSearch index location (``opensearch://HOST:PORT/NAME`` or ``https://...``), its
credentials and the client that talks to it.

Credentials come from ``SEARCHKIT_OPENSEARCH_USER``/``SEARCHKIT_OPENSEARCH_PASSWORD`` or from
``~/.netrc`` (the machine named by the host), never from the URL's text shown back to the
user: :attr:`Location.display` is the URL without any user or password. TLS certificates are
verified unless ``insecure`` (``--insecure``, or ``SEARCHKIT_OPENSEARCH_INSECURE=1``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ...errors import SearchkitError

SCHEMES = ("opensearch", "opensearchs", "http", "https")
#: Lower case letters, digits and - _ (OpenSearch's own rule, plus no leading - or _).
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,200}$")


def is_url(location: object) -> bool:
    """Whether an ``--index`` value names a cluster rather than a folder."""
    return isinstance(location, str) and bool(re.match(r"^(opensearchs?|https?)://", location, re.I))


@dataclass(frozen=True, repr=False)
class Location:
    scheme: str  # "http" or "https"
    #: (host, port) of each node given: the client fails over between them.
    hosts: tuple[tuple[str, int], ...]
    name: str
    user: str | None = None
    password: str | None = None
    insecure: bool = False

    @property
    def display(self) -> str:
        """The location as shown to users: no credentials, ever."""
        kind = "opensearch" if self.scheme == "http" else "https"
        nodes = ",".join(f"{host}:{port}" for host, port in self.hosts)
        return f"{kind}://{nodes}/{self.name}"

    def __repr__(self) -> str:  # never the password, not even in a traceback
        return f"Location({self.display!r})"

    def __str__(self) -> str:
        return self.display


def parse_location(text: str, *, insecure: bool | None = None) -> Location:
    """The location a URL names; a one-line SearchkitError for a malformed one."""
    scheme, _, rest = text.partition("://")
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise SearchkitError(f"not an index URL: {_without_secret(text)} (use opensearch://HOST:PORT/NAME)")
    secure = scheme in ("https", "opensearchs")
    netloc, _, path = rest.partition("/")
    url_user = url_password = None
    if "@" in netloc:
        userinfo, _, netloc = netloc.rpartition("@")
        url_user, _, url_password = userinfo.partition(":")
    hosts = []
    for node in netloc.split(","):  # several nodes: opensearch://h1:9200,h2:9200/name
        parts = urlsplit(f"//{node}")
        try:
            port = parts.port or (443 if secure else 9200)
        except ValueError:
            raise SearchkitError(f"index URL has a bad port: {_without_secret(text)}") from None
        if parts.hostname:
            hosts.append((parts.hostname, port))
    name = path.strip("/")
    if not hosts or not name:
        raise SearchkitError(f"index URL needs a host and an index name: {_without_secret(text)} "
                             "(opensearch://HOST:PORT/NAME)")
    if not _NAME.match(name):
        raise SearchkitError(f"index name {name!r} is not one OpenSearch accepts (lower case letters, "
                             "digits, - and _)")
    user, password = _credentials(hosts[0][0], url_user or None, url_password or None)
    if insecure is None:
        insecure = os.environ.get("SEARCHKIT_OPENSEARCH_INSECURE", "") not in ("", "0")
    return Location("https" if secure else "http", tuple(hosts), name, user, password, insecure)


def _without_secret(text: str) -> str:
    return re.sub(r"//[^/@]*@", "//", text)


def _credentials(host: str, url_user: str | None, url_password: str | None) -> tuple[str | None, str | None]:
    """User and password: the environment, else the URL, else ~/.netrc's entry for the host."""
    user = os.environ.get("SEARCHKIT_OPENSEARCH_USER") or url_user
    password = os.environ.get("SEARCHKIT_OPENSEARCH_PASSWORD") or url_password
    if user and password:
        return user, password
    try:
        import netrc

        entry = netrc.netrc().authenticators(host)
    except (OSError, netrc.NetrcParseError):
        entry = None
    if entry:
        login, _, secret = entry
        return user or login, password or secret
    return user, password


def connect(location: Location, *, timeout: float = 30.0) -> Any:
    """An ``opensearchpy.OpenSearch`` client for the location (imported here, on first use)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise SearchkitError("searching an OpenSearch index needs the opensearch extra: "
                             "pip install 'searchkit[opensearch]'") from None
    import logging

    # The client logs each failed request as a warning with a traceback; errors reach users
    # as one sentence instead (explain), so its log goes nowhere unless the caller sets it up.
    for name in ("opensearch", "opensearchpy"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    auth = (location.user, location.password) if location.user and location.password else None
    kwargs: dict[str, Any] = {}
    if location.scheme == "https":
        kwargs.update(use_ssl=True, verify_certs=not location.insecure, ssl_show_warn=False)
        if location.insecure:
            kwargs.update(ssl_assert_hostname=False)
    return OpenSearch(
        hosts=[{"host": host, "port": port} for host, port in location.hosts], http_auth=auth,
        timeout=timeout,
        # With several nodes given, a request that finds one down goes to the next (and the
        # dead one is set aside for a while); the writer adds its own retries with backoff.
        max_retries=len(location.hosts) - 1, retry_on_timeout=False, http_compress=True, **kwargs,
    )
