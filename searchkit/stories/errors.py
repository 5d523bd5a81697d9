"""Error types of the stories stage."""
from __future__ import annotations

from searchkit.errors import SearchkitError


class StoryFormatError(SearchkitError, ValueError):
    """A persisted stories model that cannot be read (corrupt, or an unknown format version)."""
