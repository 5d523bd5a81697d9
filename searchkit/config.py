"""The user's settings: command-line flags over environment over config file over defaults.

The config file is TOML in the platform's config folder (``~/.config/searchkit/config.toml``
on Linux, per platformdirs; ``$SEARCHKIT_CONFIG`` names another file)::

    index = "~/news/index"     # default index folder
    corpus = "~/news/corpus"   # default corpus folder
    color = "auto"             # auto | always | never
    limit = 20                 # hits per page
    collapse = true            # one hit per story (query --no-collapse, :collapse off)
    history = "global"         # shell history: global | index (kept in the index folder) | off

Each setting may also come from ``SEARCHKIT_<NAME>`` in the environment (``SEARCHKIT_INDEX``,
``SEARCHKIT_LIMIT``...). ``searchkit config`` shows every effective value and its source.

Cheap on purpose (the one-shot ``searchkit query`` reads it): no import of platformdirs on
Linux, and tomllib only when a config file exists.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from .errors import SearchkitError

#: Where the shell keeps its history.
History = Literal["global", "index", "off"]
HISTORY_CHOICES: tuple[History, ...] = get_args(History)
#: When output is coloured (grep's and ripgrep's words).
Color = Literal["auto", "always", "never"]
COLOR_CHOICES: tuple[Color, ...] = get_args(Color)


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("index", str, "index", "index folder"),
    Setting("corpus", str, "seeds", "corpus folder a missing index is built from"),
    Setting("color", str, "auto", "colour output (auto: on a terminal, unless NO_COLOR is set)", COLOR_CHOICES),
    Setting("limit", int, 10, "hits per page"),
    Setting("collapse", bool, True, "one hit per story in results, its other versions named under it "
            "(query --no-collapse, shell :collapse off)"),
    Setting("history", str, "global", "shell history: global, index (in the index folder) or off",
            HISTORY_CHOICES),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Value:
    value: Any
    #: "flag", "environment (SEARCHKIT_X)", "config file (PATH)" or "default".
    source: str


def config_path() -> Path:
    """The config file: ``$SEARCHKIT_CONFIG``, else ``config.toml`` in the user config folder."""
    explicit = os.environ.get("SEARCHKIT_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        # What platformdirs.user_config_path answers on these systems, without importing it.
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return Path(base) / "searchkit" / "config.toml"
    import platformdirs

    return platformdirs.user_config_path("searchkit", appauthor=False) / "config.toml"


def _convert(setting: Setting, raw: Any, where: str) -> Any:
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise SearchkitError(f"{where}: {setting.name} must be true or false, not {raw!r}")
    if setting.kind is int:
        try:
            number = int(raw) if not isinstance(raw, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or number < 1:
            raise SearchkitError(f"{where}: {setting.name} must be a whole number of at least 1, not {raw!r}")
        return number
    if setting.name == "history" and isinstance(raw, bool):
        raw = "global" if raw else "off"
    if not isinstance(raw, str):
        raise SearchkitError(f"{where}: {setting.name} must be text, not {raw!r}")
    if setting.choices and raw not in setting.choices:
        raise SearchkitError(f"{where}: {setting.name} must be one of {', '.join(setting.choices)}, not {raw!r}")
    return raw


class Config:
    """The settings of one run: read the environment and the file once."""

    def __init__(self, path: Path | None = None, environ: dict[str, str] | None = None) -> None:
        self.path = path or config_path()
        self.environ = os.environ if environ is None else environ
        self.file_values: dict[str, Any] = self._read_file()

    def _read_file(self) -> dict[str, Any]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SearchkitError(f"config file {self.path}: cannot read: {exc.strerror or exc}") from None
        if not data.strip():
            return {}
        import tomllib

        try:
            table = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SearchkitError(f"config file {self.path}: not valid TOML: {exc}") from None
        unknown = sorted(set(table) - set(BY_NAME))
        if unknown:
            raise SearchkitError(f"config file {self.path}: unknown setting {unknown[0]!r} "
                                 f"(known: {', '.join(BY_NAME)})")
        return {name: _convert(BY_NAME[name], raw, f"config file {self.path}") for name, raw in table.items()}

    def get(self, name: str, flag: Any = None) -> Value:
        """The effective value of ``name``: ``flag`` (the command line's) if not None, then
        ``SEARCHKIT_<NAME>``, then the config file, then the default."""
        setting = BY_NAME[name]
        if flag is not None:
            return Value(flag, "flag")
        env_name = f"SEARCHKIT_{name.upper()}"
        raw = self.environ.get(env_name)
        if raw is not None and raw != "":
            return Value(_convert(setting, raw, f"environment {env_name}"), f"environment ({env_name})")
        if name in self.file_values:
            value = self.file_values[name]
            if name in ("index", "corpus"):
                value = str(Path(value).expanduser())
            return Value(value, f"config file ({self.path})")
        return Value(setting.default, "default")

    def value(self, name: str, flag: Any = None) -> Any:
        return self.get(name, flag).value
