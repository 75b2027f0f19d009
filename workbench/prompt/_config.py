"""The prompt's settings: a small ``name = value`` file with commented defaults.

Theory of operation
-------------------
The package ships ``vlcpshellrc``, every setting commented out with its default.
On the first interactive start it is copied to ``$XDG_CONFIG_HOME/vlcp-workbench/``
(``~/.config/vlcp-workbench/`` when the variable is unset, empty or relative, as
the XDG specification asks); the history lives in ``$XDG_DATA_HOME/vlcp-workbench/``
(``~/.local/share/...``).  ``parse_config`` reads the text line by line: blank
lines and ``#`` comments are skipped, every other line is ``name = value``.  A line
it cannot read (no ``=``, an unknown name, a wrong value, a name given twice) is
reported as ``FILE:LINE: ...`` and ignored, so that setting keeps its default:
a broken file never stops the shell.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = ["Config", "config_path", "data_dir", "default_text", "ensure_config", "history_path",
           "load_config", "parse_config"]

APP = "vlcp-workbench"
FILE_NAME = "vlcpshellrc"
_TRUE = {"on", "yes", "true", "1"}
_FALSE = {"off", "no", "false", "0"}


@dataclass(frozen=True)
class Config:
    """The prompt's settings (the defaults are the shipped file's)."""

    edit_mode: str = "emacs"  # or "vi"
    color: bool = True
    history_file: str = ""  # empty: the data directory's "history"
    history_size: int = 10000
    auto_suggest: bool = True
    complete_while_typing: bool = True
    toolbar: bool = True
    watch_rate: int = 20


def _boolean(text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not on or off")


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise ValueError(f"{number} is too small (1 or more)")
    return number


def _edit_mode(text: str) -> str:
    if text.lower() not in ("emacs", "vi"):
        raise ValueError(f"{text!r} is not emacs or vi")
    return text.lower()


_PARSERS: dict[str, Callable[[str], Any]] = {
    "edit_mode": _edit_mode, "color": _boolean, "history_file": str,
    "history_size": _positive, "auto_suggest": _boolean,
    "complete_while_typing": _boolean, "toolbar": _boolean, "watch_rate": _positive,
}
assert set(_PARSERS) == {f.name for f in fields(Config)}


def parse_config(text: str, source: str = "<config>") -> tuple[Config, list[str]]:
    """The settings in *text*, and a ``SOURCE:LINE: ...`` message per line ignored."""
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name, value = name.strip(), value.strip()
        where = f"{source}:{number}"
        if not equals or not name:
            errors.append(f"{where}: expected 'name = value', found {line!r}")
            continue
        parser = _PARSERS.get(name)
        if parser is None:
            errors.append(f"{where}: unknown setting {name!r} "
                          f"(settings: {', '.join(_PARSERS)})")
            continue
        if name in seen:
            errors.append(f"{where}: {name} is set twice (first on line {seen[name]})")
            continue
        try:
            values[name] = parser(value)
        except ValueError as exc:
            errors.append(f"{where}: {name}: {exc}; the default is used")
            continue
        seen[name] = number
    return replace(Config(), **values), errors


def _xdg(env: Mapping[str, str], variable: str, fallback: str) -> Path:
    value = env.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or os.path.expanduser("~")
    return Path(home) / fallback


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the user's file is: ``$XDG_CONFIG_HOME/vlcp-workbench/vlcpshellrc``."""
    return _xdg(os.environ if env is None else env, "XDG_CONFIG_HOME", ".config") \
        / APP / FILE_NAME


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/vlcp-workbench`` (the history's directory)."""
    return _xdg(os.environ if env is None else env, "XDG_DATA_HOME", ".local/share") / APP


def history_path(config: Config, env: Mapping[str, str] | None = None) -> Path:
    """The history file: the setting (``~`` expanded), or the data directory's."""
    if config.history_file:
        return Path(os.path.expanduser(config.history_file))
    return data_dir(env) / "history"


def default_text() -> str:
    """The shipped file (package data)."""
    return _shipped().read_text(encoding="utf-8")


def _shipped() -> Traversable:
    return resources.files("workbench.prompt").joinpath(FILE_NAME)


def ensure_config(path: Path) -> str | None:
    """Copy the shipped file to *path* if nothing is there; a message if it failed."""
    if path.exists():
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with resources.as_file(_shipped()) as shipped:
            shutil.copyfile(shipped, path)
    except OSError as exc:
        return f"cannot create {path}: {exc.strerror or exc}; the defaults are used"
    return None


def load_config(env: Mapping[str, str] | None = None) -> tuple[Config, list[str]]:
    """The user's settings (the file made on the first run), and messages about it."""
    path = config_path(env)
    problem = ensure_config(path)
    if problem is not None:
        return Config(), [problem]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        return Config(), [f"cannot read {path}: {reason}; the defaults are used"]
    return parse_config(text, str(path))
