"""Ingestion: from a corpus folder to :class:`~searchkit.ingest.article.Article` records.

``walk`` finds the files, ``decode`` turns bytes into text, ``readers/`` holds one reader per
file format (registered by suffix), ``infer`` guesses title, outlet and date from text, and
``sidecar`` reads the user's ``metadata.toml``. Nothing here imports the search engine.
"""

#: Files larger than this are skipped unless `--max-size` says otherwise (50 MB).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
