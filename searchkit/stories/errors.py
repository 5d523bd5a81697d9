"""Error types of the stories stage."""
from __future__ import annotations

try:  # searchkit's base error when available (the only searchkit import allowed here)
    from searchkit.errors import SearchkitError as _Base
except Exception:  # noqa: BLE001
    _Base = ValueError


class StoryFormatError(_Base, ValueError):
    """A persisted stories model that cannot be read (corrupt, or an unknown format version)."""
