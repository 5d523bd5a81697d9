"""Registered domains of URLs (``www.pravda.com.ua/...`` -> ``pravda.com.ua``), by the public
suffix list bundled with tldextract: never the network. Used by the HTML reader (an outlet
named after its domain) and by the user's ``[outlets]`` map."""

from __future__ import annotations

import re
from typing import Any


_EXTRACTOR: Any = None


def registered_label(url: str) -> str | None:
    """The registrable domain's name part ("theguardian" for www.theguardian.com,
    "pravda" for www.pravda.com.ua), by the public suffix list bundled with tldextract (no
    network: the extractor is built without suffix-list URLs and without a cache folder)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        import tldextract

        _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE).split("/")[0]
    try:
        parts = _EXTRACTOR(host)
    except Exception:  # noqa: BLE001
        return None
    return parts.domain or None


def registered_domain(url: str) -> str | None:
    """"www.pravda.com.ua/news/..." -> "pravda.com.ua" (for the user's [outlets] map)."""
    registered_label(url)  # builds the extractor
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE).split("/")[0]
    try:
        parts = _EXTRACTOR(host)
    except Exception:  # noqa: BLE001
        return None
    if not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}" if parts.suffix else parts.domain
