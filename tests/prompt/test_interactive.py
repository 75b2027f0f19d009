"""The interactive prompt, driven in a pseudo-terminal: the real ``vlcp-shell`` on a lab.

Every test starts ``python -m workbench.shell`` under pexpect with a fixed terminal
(``TERM=xterm-256color``, 30x120), ``HOME`` and the XDG directories in the test's
own directory, and ``PROMPT_TOOLKIT_NO_CPR=1`` (a bare pty never answers the
cursor-position request), except where the toolbar is checked: prompt_toolkit
draws it only once it knows the terminal's height, so that test answers the
requests itself.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.shell._support import processes_mentioning

ROOT = Path(__file__).resolve().parent.parent.parent
PROMPT = "vlcp>"  # its space may be drawn as a cursor move
STARTS = "\x1b[?2004h"  # a prompt starts (bracketed paste on)...
ACCEPTED = "\x1b[?2004l"  # ...and ends: what follows is the command's
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 30
# An ARP request from 00:00:00:00:00:01 (10.0.0.1) for 10.0.0.2.
ARP_HEX = ("ffffffffffff000000000001080600010800060400010000000000010a000001"
           "0000000000000a000002")
ARP_BUILDER = ("eth(src=00:00:00:00:00:01,dst=ff:ff:ff:ff:ff:ff)/"
               "arp(sha=00:00:00:00:00:01,spa=10.0.0.1,tpa=10.0.0.2)")


def plain(text: str) -> str:
    """*text* without terminal escape sequences."""
    return ESCAPES.sub("", text)


def drawn(text: str) -> str:
    """A regex of *text* as the prompt draws it: colours and cursor moves may come
    between its characters (a space may be a cursor move)."""
    escape = r"\x1b\[[0-9;?]*[A-Za-z]"
    return f"(?:{escape})*".join(f"(?:{escape}| )+" if char == " " else re.escape(char)
                                 for char in text)


class Terminal:
    """``vlcp-shell`` in a pseudo-terminal; what it showed is kept in ``shown``."""

    def __init__(self, home: Path, *args: str, lab: bool = True, cpr: bool = False,
                 env: dict[str, str] | None = None) -> None:
        self.home = home
        self.cpr = cpr
        environment = dict(os.environ, TERM="xterm-256color", HOME=str(home),
                           XDG_CONFIG_HOME=str(home / "config"),
                           XDG_DATA_HOME=str(home / "data"))
        for name in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR"):
            environment.pop(name, None)
        if not cpr:
            environment["PROMPT_TOOLKIT_NO_CPR"] = "1"
        environment.update(env or {})
        command = ["-m", "workbench.shell", "--listen", "127.0.0.1:0",
                   *(["--lab"] if lab else []), *args]
        self.child = pexpect.spawn(sys.executable, command, env=environment, cwd=str(ROOT),
                                   dimensions=(30, 120), encoding="utf-8", timeout=TIMEOUT)
        self.shown = ""

    def expect(self, pattern: str, timeout: float = TIMEOUT) -> str:
        """Wait for *pattern* (a regex); what came before it and the match."""
        patterns = [pattern, "\x1b\\[6n"] if self.cpr else [pattern]
        before = ""
        while True:
            index = self.child.expect(patterns, timeout=timeout)
            seen = str(self.child.before) + str(self.child.after)
            before += seen
            self.shown += seen
            if index == 0:
                return before
            self.child.send("\x1b[20;1R")  # "the cursor is on row 20"

    def prompt(self) -> str:
        """Wait for a new prompt (not a redraw of the current one); what came before."""
        before = self.expect(re.escape(STARTS))
        return before + self.expect(re.escape(PROMPT))

    def accepted(self) -> None:
        """Wait until the prompt has taken a line (it leaves bracketed-paste mode)."""
        self.expect(re.escape(ACCEPTED))

    def run(self, line: str) -> str:
        """Type *line* and Enter; its output (escapes removed) up to the next prompt."""
        self.child.send(line + "\r")
        self.accepted()
        return plain(self.prompt())

    def exit(self) -> int:
        """Ctrl-D at an empty prompt; the exit status."""
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF, timeout=TIMEOUT)
        self.shown += str(self.child.before)
        self.child.close()
        assert self.child.signalstatus is None, self.shown[-2000:]
        return int(self.child.exitstatus)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def terminals(tmp_path: Path) -> Iterator[Any]:
    started: list[Terminal] = []

    def start(*args: str, **options: Any) -> Terminal:
        terminal = Terminal(tmp_path / "home", *args, **options)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()



def _lab_dir(terminal: Terminal) -> str:
    match = re.search(r"directory: (\S+)", terminal.run("lab status"))
    assert match, terminal.shown[-2000:]
    return match.group(1)


# -- the tests ----------------------------------------------------------------------------
def test_the_prompt_shows_the_lab_switch_and_copies_the_config(terminals: Any,
                                                               tmp_path: Path) -> None:
    terminal = terminals()
    banner = terminal.prompt()
    assert "1 switch(es) connected: s1" in banner
    listing = terminal.run("switches")
    assert re.search(r"^s1\s+[0-9a-f]{16}\s+1\.3\s+127\.0\.0\.1:\d+", listing, re.M), listing
    assert "False" in terminal.run('py "IPython" in __import__("sys").modules')
    shipped = (ROOT / "workbench/prompt/vlcpshellrc").read_text()
    copied = tmp_path / "home/config/vlcp-workbench/vlcpshellrc"
    assert copied.read_text() == shipped  # the first run made the user's file
    assert terminal.exit() == 0


def test_without_a_terminal_lines_are_read_plainly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.shell", "--listen", "127.0.0.1:0"],
        input='set timeout 3\npy "prompt_toolkit" in __import__("sys").modules\nset\n',
        capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT,
        env=dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config")))
    assert result.returncode == 0, result.stderr
    assert "vlcp> False" in result.stdout and "timeout: 3.0" in result.stdout, result.stdout
    assert not (tmp_path / "config").exists()  # no settings file: not the prompt


def test_ctrl_d_exits_with_0_and_stops_the_lab(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    lab_dir = _lab_dir(terminal)
    assert processes_mentioning(lab_dir)  # its daemons run
    assert terminal.exit() == 0
    deadline = time.monotonic() + 5
    while processes_mentioning(lab_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not processes_mentioning(lab_dir)  # no ovs-vswitchd/ovsdb-server left
    assert not os.path.exists(lab_dir)


def test_history_is_kept_in_the_data_directory_and_recalled(terminals: Any,
                                                            tmp_path: Path) -> None:
    first = terminals(lab=False)
    first.prompt()
    first.run("set timeout 7")
    assert first.exit() == 0
    history = tmp_path / "home/data/vlcp-workbench/history"
    assert "\n+set timeout 7\n" in history.read_text()

    second = terminals(lab=False)
    second.prompt()
    second.child.send("\x1b[A")  # Up: the last command comes back
    second.expect(drawn("set timeout 7"))
    second.child.send("\r")
    second.prompt()
    assert "timeout: 7.0" in second.run("set")  # it ran (the default is 10.0)
    assert second.exit() == 0
    entries = re.findall(r"^\+(.*)$", history.read_text(), re.M)
    assert entries == ["set timeout 7", "set"]  # a recalled line is not stored twice


def test_tab_completes_a_command_name(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    terminal.child.send("dump-f")
    terminal.expect(drawn("dump-f"))
    terminal.child.send("\t")
    terminal.expect(drawn("dump-flows"))
    terminal.child.send("\r")  # Enter takes the completion chosen in the menu...
    time.sleep(0.3)
    output = terminal.run(" s1")  # ...and does not run the line yet
    assert "OFPST_FLOW reply" in output, output
    assert "error" not in output
    assert terminal.exit() == 0


def test_watch_output_appears_above_the_line_being_typed(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    assert "error" not in terminal.run("add-flow s1 priority=0,actions=CONTROLLER:65535")
    assert "watch 1: packet-in s1" in terminal.run("watch packet-in s1")
    terminal.child.send(f"lab inject s1-eth1 {ARP_BUILDER}\r")
    terminal.expect(r"\[1\] s1 packet-in [^\r\n]*arp")  # printed while the prompt waits
    terminal.prompt()
    lab_dir = _lab_dir(terminal)

    terminal.child.send("show s")  # half a command...
    terminal.expect(drawn("show"))
    time.sleep(0.3)
    appctl = pexpect.run(f"ovs-appctl -t {lab_dir}/ovs-vswitchd.ctl netdev-dummy/receive "
                         f"s1-eth2 {ARP_HEX}", withexitstatus=True, timeout=TIMEOUT)
    assert appctl[1] == 0, appctl  # ...while a host sends a frame: the watch prints it
    shown = plain(terminal.expect(r"\[1\] s1 packet-in [^\r\n]*in_port=2[^\r\n]*\r\n"))
    assert "show" not in shown.rsplit("[1] s1 packet-in", 1)[1]  # a line of its own
    terminal.expect(drawn("vlcp> show s"))  # the prompt comes back under it...
    output = terminal.run("1")  # ...with the typed text intact: "show s" + "1"
    assert "s1: OpenFlow 1.3 dpid:" in output, output
    assert terminal.exit() == 0


def test_ctrl_c_clears_the_line(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    terminal.child.send("show nothing-here")
    terminal.expect(drawn("nothing-here"))
    terminal.child.sendintr()
    terminal.prompt()
    output = terminal.run("switches")
    assert "error" not in output and re.search(r"^s1 ", output, re.M), output
    assert terminal.exit() == 0


def test_ctrl_c_interrupts_a_running_command(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    terminal.child.send("sleep 30\r")
    terminal.expect(drawn("sleep 30"))
    time.sleep(0.5)
    started = time.monotonic()
    terminal.child.sendintr()
    terminal.expect("interrupted", timeout=5)
    terminal.prompt()
    assert time.monotonic() - started < 5
    assert re.search(r"^s1 ", terminal.run("switches"), re.M)  # the shell goes on
    assert terminal.exit() == 0


def test_ctrl_c_interrupts_a_long_python_expression(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    count = ("py [t.name for t in __import__('threading').enumerate()]"
             ".count('vlcp-shell-command')")
    terminal.child.send("py any(x < 0 for x in range(10**12))\r")  # hours of Python
    terminal.accepted()
    time.sleep(0.5)
    terminal.child.sendintr()
    terminal.expect("interrupted", timeout=5)
    terminal.prompt()
    # the expression's thread has ended: only the thread running this count is left
    assert re.search(r"^1\r?$", terminal.run(count), re.M)
    assert terminal.exit() == 0


def test_sigterm_while_a_command_runs_stops_the_lab(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    lab_dir = _lab_dir(terminal)
    terminal.child.send("sleep 30\r")
    terminal.accepted()
    time.sleep(0.5)
    terminal.child.kill(signal.SIGTERM)
    terminal.child.expect(pexpect.EOF, timeout=TIMEOUT)
    rest = plain(str(terminal.child.before))
    terminal.child.close()
    assert terminal.child.exitstatus == 0, rest
    assert "error" not in rest and "interrupted" not in rest, rest
    deadline = time.monotonic() + 5
    while processes_mentioning(lab_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not processes_mentioning(lab_dir)
    assert not os.path.exists(lab_dir)


def test_a_trailing_backslash_continues_the_line(terminals: Any) -> None:
    terminal = terminals()
    terminal.prompt()
    terminal.child.send("add-flow s1 \\\r")
    terminal.expect(r"\.\.\.\.\. ")  # the continuation prompt
    terminal.child.send("priority=77,ip,\\\r")
    terminal.expect(r"\.\.\.\.\. ")
    terminal.child.send("actions=drop\r")
    terminal.prompt()
    flows = terminal.run("dump-flows s1")
    assert "priority=77,ip actions=drop" in flows, flows
    assert terminal.exit() == 0


def test_an_open_quote_continues_the_line(terminals: Any) -> None:
    terminal = terminals(lab=False)
    terminal.prompt()
    terminal.child.send("py 'one' + \"two\r")
    terminal.expect(r"\.\.\.\.\. ")
    terminal.child.send("three\"\r")
    assert "'onetwo three'" in terminal.run("")
    assert terminal.exit() == 0


def test_the_toolbar_shows_switches_watches_and_the_lab(terminals: Any) -> None:
    terminal = terminals(cpr=True)
    terminal.expect("1 switch: ")
    terminal.expect("s1")
    terminal.expect("no watch")
    terminal.expect(r"lab (\x1b\[[0-9;]*m)*lab-[0-9a-f]+")
    terminal.child.send("watch switch\r")
    terminal.expect(drawn("watch 1: switch"))
    terminal.expect(r"1 watch\b")
    assert terminal.exit() == 0


def test_vi_mode(terminals: Any) -> None:
    terminal = terminals("--vi", lab=False)
    terminal.prompt()
    terminal.child.send("xswitches")
    terminal.expect(drawn("xswitches"))
    terminal.child.send("\x1b")  # Escape: normal mode
    time.sleep(0.3)
    terminal.child.send("0x")  # to the start, delete a character
    time.sleep(0.3)
    output = terminal.run("")
    assert "name  datapath" in output and "unknown command" not in output, output
    assert terminal.exit() == 0


def _colours(text: str) -> list[str]:
    """The SGR sequences of *text* that set a colour (foreground or background)."""
    found = []
    for params in re.findall(r"\x1b\[([0-9;]*)m", text):
        codes = [int(p) for p in params.split(";") if p]
        if any(30 <= c <= 49 or 90 <= c <= 107 for c in codes):
            found.append(params)
    return found


@pytest.mark.parametrize("how", ["--no-color", "NO_COLOR"])
def test_no_color(terminals: Any, how: str) -> None:
    if how == "--no-color":
        terminal = terminals("--no-color", lab=False)
    else:
        terminal = terminals(lab=False, env={"NO_COLOR": "1"})
    terminal.prompt()
    terminal.run("switches")
    assert terminal.exit() == 0
    assert not _colours(terminal.shown), _colours(terminal.shown)


def test_colour_is_on_by_default(terminals: Any) -> None:  # so that test_no_color can fail
    terminal = terminals(lab=False)
    terminal.prompt()
    terminal.run("switches")
    assert terminal.exit() == 0
    assert _colours(terminal.shown)


def test_a_bad_config_line_is_reported_and_the_rest_used(terminals: Any,
                                                         tmp_path: Path) -> None:
    config = tmp_path / "home/config/vlcp-workbench/vlcpshellrc"
    config.parent.mkdir(parents=True)
    config.write_text("# mine\nedit_mode = vi\ncolour = off\n")
    terminal = terminals(lab=False)
    shown = plain(terminal.prompt())
    assert f"{config}:3: unknown setting 'colour'" in shown, shown
    terminal.child.send("xswitches\x1b")  # vi mode, from line 2, still applies
    time.sleep(0.3)
    terminal.child.send("0x")
    time.sleep(0.3)
    assert "name  datapath" in terminal.run("")
    assert terminal.exit() == 0
