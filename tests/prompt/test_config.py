"""The prompt's settings file, history trimming and line continuation (no terminal)."""

from __future__ import annotations

import os
import re
from dataclasses import fields
from pathlib import Path

import pytest

from workbench.prompt import Config, load_config, parse_config
from workbench.prompt._app import join_lines, needs_more, trim_history
from workbench.prompt._config import config_path, data_dir, default_text, history_path

SHIPPED = Path(__file__).resolve().parent.parent.parent / "workbench/prompt/vlcpshellrc"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), **extra}


# -- the shipped file -------------------------------------------------------------------
def test_the_shipped_file_comments_out_every_setting_with_its_default() -> None:
    text = SHIPPED.read_text()
    assert default_text() == text  # package data, read through importlib.resources
    shown = dict(re.findall(r"^# (\w+) =[ ]?(.*)$", text, re.M))
    defaults = Config()
    assert set(shown) == {f.name for f in fields(Config)}
    for item in fields(Config):
        value = getattr(defaults, item.name)
        words = {True: "on", False: "off"}.get(value, str(value)) \
            if isinstance(value, bool) else str(value)
        assert shown[item.name] == words, item.name
    # Uncommented, the shipped lines give the defaults and no complaint.
    uncommented = re.sub(r"^# (\w+ =)", r"\1", text, flags=re.M)
    assert parse_config(uncommented, "x") == (defaults, [])
    assert parse_config(text, "x") == (defaults, [])


# -- parsing ------------------------------------------------------------------------------
def test_settings_are_read() -> None:
    config, errors = parse_config(
        "edit_mode = VI\ncolor=off\n  # a comment\n\nhistory_file = ~/h\nhistory_size = 5\n"
        "auto_suggest = no\ncomplete_while_typing = false\ntoolbar = 0\nwatch_rate = 3\n")
    assert errors == []
    assert config == Config(edit_mode="vi", color=False, history_file="~/h", history_size=5,
                            auto_suggest=False, complete_while_typing=False, toolbar=False,
                            watch_rate=3)


@pytest.mark.parametrize(("line", "message"), [
    ("color on", "expected 'name = value', found 'color on'"),
    ("= on", "expected 'name = value'"),
    ("colour = on", "unknown setting 'colour' (settings: edit_mode, color,"),
    ("color = maybe", "color: 'maybe' is not on or off; the default is used"),
    ("edit_mode = nano", "edit_mode: 'nano' is not emacs or vi"),
    ("history_size = lots", "history_size: 'lots' is not a whole number"),
    ("watch_rate = 0", "watch_rate: 0 is too small (1 or more)"),
    ("[prompt]", "expected 'name = value', found '[prompt]'"),
])
def test_a_bad_line_is_named_and_its_setting_keeps_the_default(line: str,
                                                               message: str) -> None:
    config, errors = parse_config(f"toolbar = off\n\n{line}\nwatch_rate = 7\n", "/etc/rc")
    assert len(errors) == 1 and errors[0].startswith(f"/etc/rc:3: {message}"), errors
    assert config == Config(toolbar=False, watch_rate=7)  # the good lines still count


def test_a_setting_given_twice_is_reported_and_the_first_kept() -> None:
    config, errors = parse_config("color = off\ncolor = on\n", "rc")
    assert errors == ["rc:2: color is set twice (first on line 1)"]
    assert config.color is False


# -- where things are ----------------------------------------------------------------------
def test_xdg_directories_are_honoured(tmp_path: Path) -> None:
    env = _env(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "c"), XDG_DATA_HOME=str(tmp_path / "d"))
    assert config_path(env) == tmp_path / "c/vlcp-workbench/vlcpshellrc"
    assert history_path(Config(), env) == tmp_path / "d/vlcp-workbench/history"


@pytest.mark.parametrize("value", ["", "relative/dir"])
def test_unset_or_relative_xdg_directories_fall_back_to_home(tmp_path: Path,
                                                              value: str) -> None:
    env = _env(tmp_path, XDG_CONFIG_HOME=value, XDG_DATA_HOME=value)
    assert config_path(env) == tmp_path / "home/.config/vlcp-workbench/vlcpshellrc"
    assert data_dir(env) == tmp_path / "home/.local/share/vlcp-workbench"


def test_history_file_setting_expands_the_home_directory(tmp_path: Path) -> None:
    expected = Path(os.path.expanduser("~")) / "hist"
    assert history_path(Config(history_file="~/hist"), _env(tmp_path)) == expected


# -- loading ----------------------------------------------------------------------------------
def test_the_first_load_copies_the_shipped_file(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert load_config(env) == (Config(), [])
    made = config_path(env)
    assert made.read_text() == SHIPPED.read_text()
    made.write_text("watch_rate = 4\n")  # the user's own file is then read, never replaced
    assert load_config(env) == (Config(watch_rate=4), [])
    assert made.read_text() == "watch_rate = 4\n"


def test_a_bad_user_file_gives_messages_with_file_and_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = config_path(env)
    made.parent.mkdir(parents=True)
    made.write_text("# mine\ncolor = off\nvi = yes\n")
    config, messages = load_config(env)
    assert config == Config(color=False)
    assert messages == [f"{made}:3: unknown setting 'vi' (settings: edit_mode, color, "
                        "history_file, history_size, auto_suggest, complete_while_typing, "
                        "toolbar, watch_rate)"]


def test_an_unwritable_config_directory_means_defaults_and_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "c"
    blocker.write_text("a file where the directory should be")
    config, messages = load_config(_env(tmp_path, XDG_CONFIG_HOME=str(blocker)))
    assert config == Config()
    assert len(messages) == 1 and messages[0].startswith(f"cannot create {blocker}/"), messages


def test_an_unreadable_file_means_defaults_and_a_message(tmp_path: Path) -> None:
    env = _env(tmp_path)
    made = config_path(env)
    made.parent.mkdir(parents=True)
    made.write_bytes(b"color = \xff\xfe\n")
    config, messages = load_config(env)
    assert config == Config()
    assert len(messages) == 1 and messages[0].startswith(f"cannot read {made}:"), messages


# -- history trimming ------------------------------------------------------------------------
def _history(entries: list[str]) -> str:
    return "".join(f"\n# 2025-01-0{n % 9 + 1} 10:00:00.000000\n" +
                   "".join(f"+{line}\n" for line in entry.split("\n"))
                   for n, entry in enumerate(entries))


def test_trim_history_keeps_the_newest_entries(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_text(_history(["one", "two\nlines", "three", "four"]))
    trim_history(path, 2)
    assert re.findall(r"^\+(.*)$", path.read_text(), re.M) == ["three", "four"]
    before = path.read_text()
    trim_history(path, 2)  # nothing to drop: the file is left alone
    assert path.read_text() == before
    trim_history(path, 1)
    assert re.findall(r"^\+(.*)$", path.read_text(), re.M) == ["four"]
    assert [p.name for p in tmp_path.iterdir()] == ["history"]  # no temporary left


def test_trim_history_keeps_a_multi_line_entry_whole(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_text(_history(["one", "two\nlines"]))
    trim_history(path, 1)
    assert re.findall(r"^\+(.*)$", path.read_text(), re.M) == ["two", "lines"]
    trim_history(tmp_path / "missing", 1)  # no file yet: nothing to do


# -- lines that go on ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "more"), [
    ("add-flow s1 priority=1", False),
    ("add-flow s1 \\", True),
    ("add-flow s1 \\\\", False),  # an escaped backslash
    ("py 'one", True),
    ('py "one', True),
    ("py \"it's\"", False),
    ("py 'a \" b'", False),
    ('py "a \\" b', True),  # the escaped quote does not close
    ("switches # it's a comment", False),
    ("add-flow s1 \\\npriority=1 \\", True),
    ("add-flow s1 \\\npriority=1", False),
    ("py 'one\ntwo'", False),
])
def test_needs_more(text: str, more: bool) -> None:
    assert needs_more(text) is more


def test_join_lines() -> None:
    assert join_lines("add-flow s1 \\\npriority=1,\\\nactions=drop") == \
        "add-flow s1 priority=1,actions=drop"
    assert join_lines("py 'one\ntwo'") == "py 'one two'"
