"""The ``vlcp`` pygments lexer: the command files lex cleanly, tokens are what they
should be, no input gives an Error token, it is found as a pygments plugin, and it
is cheap to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pygments.lexers  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.document import Document
from prompt_toolkit.lexers import PygmentsLexer
from pygments.token import Error, Token, _TokenType  # type: ignore[import-untyped]

from workbench.prompt._lexer import VlcpLexer

ROOT = Path(__file__).resolve().parent.parent.parent
COMMAND_FILES = sorted((ROOT / "commands").glob("*.vlcp"))


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in VlcpLexer().get_tokens(text)
            if value.strip()]


def kinds(text: str) -> dict[str, _TokenType]:
    """The token of each (non-blank) piece of *text*, by its text (first wins)."""
    found: dict[str, _TokenType] = {}
    for kind, value in tokens(text):
        found.setdefault(value, kind)
    return found


def test_every_command_file_lexes_without_errors_and_round_trips() -> None:
    assert len(COMMAND_FILES) >= 6
    for path in COMMAND_FILES:
        text = path.read_text()
        pieces = list(VlcpLexer().get_tokens(text))
        errors = [(kind, value) for kind, value in pieces if kind in Error]
        assert not errors, f"{path.name}: {errors[:5]}"
        assert "".join(value for _, value in pieces) == text
        # Nothing is left as plain text: every word got a meaning.
        plain = [value for kind, value in pieces if kind is Token.Text and value.strip()]
        assert not plain, f"{path.name}: {plain[:10]}"


def test_commands_flows_and_addresses() -> None:
    found = kinds("add-flow s1 priority=200,tcp,nw_src=10.0.0.0/24,dl_dst=00:00:00:00:00:02,"
                  "actions=mod_dl_src:aa:bb:cc:dd:ee:ff,output:s1-eth2,CONTROLLER:65535 "
                  "# a comment\n")
    assert found["add-flow"] is Token.Keyword
    assert found["s1"] is Token.Name.Variable
    assert found["priority"] is Token.Name.Attribute
    assert found["200"] is Token.Literal.Number.Integer
    assert found["tcp"] is Token.Name
    assert found["10.0.0.0/24"] is Token.Literal.Number
    assert found["00:00:00:00:00:02"] is Token.Literal.Number.Hex
    assert found["actions"] is Token.Name.Attribute
    assert found["mod_dl_src"] is Token.Name.Function
    assert found["aa:bb:cc:dd:ee:ff"] is Token.Literal.Number.Hex
    assert found["output"] is Token.Name.Function
    assert found["s1-eth2"] is Token.Name.Variable
    assert found["CONTROLLER"] is Token.Name.Constant
    assert found["# a comment"] is Token.Comment.Single


def test_subcommands_options_strings_builders_and_nicira_actions() -> None:
    found = kinds("ovsdb find --columns=name,ofport Interface ofport>2\n"
                  "wait-switch br0 --timeout 10\n"
                  "lab inject s1-eth1 eth(src=00:00:00:00:00:01)/ipv6(dst=fe80::2)/\"hi there\"\n"
                  "add-flow s1 \"ip, actions=resubmit(,10),load:0x1->NXM_NX_REG0[0..15]\"\n"
                  "expect sent s1-eth2 count=1 within 2s\n")
    assert found["ovsdb"] is Token.Keyword and found["find"] is Token.Name.Function
    assert found["--columns"] is Token.Keyword.Pseudo
    assert found["Interface"] is Token.Name.Class
    assert found["--timeout"] is Token.Keyword.Pseudo
    assert found["eth"] is Token.Name.Function and found["ipv6"] is Token.Name.Function
    assert found["fe80::2"] is Token.Literal.Number.Hex
    assert found['"'] is Token.Literal.String.Double
    assert found["resubmit"] is Token.Name.Function  # actions inside quotes too
    assert found["0x1"] is Token.Literal.Number.Hex
    assert found["NXM_NX_REG0"] is Token.Name.Constant
    assert found["2s"] is Token.Literal.Number.Float
    assert found["sent"] is Token.Name.Function


def test_python_after_py_send_and_request() -> None:
    found = kinds('py switch("s1").features.n_tables\n'
                  "send s1 flow_mod(match(in_port=1), [output(2)], priority=5)\n")
    assert found["py"] is Token.Keyword
    assert found["s1"] in Token.Literal.String  # Python's string, not a switch
    assert found["send"] is Token.Keyword
    assert found["flow_mod"] in Token.Name  # Python's lexer: a name being called
    assert found["5"] is Token.Literal.Number.Integer
    # What Python's lexer calls an error is plain text here: no Error in docs.
    assert not [kind for kind, _ in tokens("py a$b?\nrequest s1 x`y\n") if kind in Error]


def test_continued_lines_and_comments_at_word_start_only() -> None:
    found = kinds("add-flow s1 priority=1,\\\n  actions=drop\nsleep 1 #done\n")
    assert found["\\\n"] is Token.Literal.String.Escape
    assert found["drop"] is Token.Name.Function  # still the same command's words
    assert found["#done"] is Token.Comment.Single
    # A '#' inside a word is not a comment (the shell splits on it only at a word's start).
    assert Token.Comment.Single not in dict(tokens("set name a#b\n")).keys()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_no_input_gives_an_error_token(text: str) -> None:
    pieces = list(VlcpLexer().get_tokens(text))
    assert not [value for kind, value in pieces if kind in Error]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["add-flow", "s1", " ", ",", "actions=", "output:", "\"",
                                 "py ", "send s1 ", "$", "?", "`", "\x0c", "\u00a0",
                                 "'", "(", ")", "#", "\\\n", "\n", "py", "x=", "00:11",
                                 "::", "0x", "[", "]", "->", "--a", "eth(", "/"]),
                max_size=40))
def test_no_mix_of_the_language_gives_an_error_token(parts: list[str]) -> None:
    text = "".join(parts)
    pieces = list(VlcpLexer().get_tokens(text))
    assert not [value for kind, value in pieces if kind in Error], text


def test_registered_as_a_pygments_plugin() -> None:
    assert isinstance(pygments.lexers.get_lexer_by_name("vlcp"), VlcpLexer)
    assert isinstance(pygments.lexers.get_lexer_by_name("vlcp-shell"), VlcpLexer)
    assert isinstance(pygments.lexers.get_lexer_for_filename("hub.vlcp"), VlcpLexer)
    result = subprocess.run([sys.executable, "-m", "pygments", "-l", "vlcp", "-f", "raw",
                             str(ROOT / "commands" / "hub.vlcp")],
                            capture_output=True, text=True, timeout=60, check=True)
    assert "Token.Keyword\t'add-flow'" in result.stdout
    assert "Token.Error" not in result.stdout


def test_cheap_to_import() -> None:
    """Pygments imports every plugin on a file-name lookup: the lexer must not pull in
    prompt_toolkit, the shell or the OpenFlow definitions."""
    code = ("import sys, pygments.lexers\n"
            "pygments.lexers.get_lexer_for_filename('a.vlcp')\n"
            "heavy = [m for m in sys.modules if m.startswith(('prompt_toolkit', "
            "'workbench.shell', 'workbench.runtime', 'vlcp_core', 'IPython'))]\n"
            "print(sorted(heavy))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "[]"


def test_through_prompt_toolkit() -> None:
    document = Document("dump-flows s1 table=0")
    line = PygmentsLexer(VlcpLexer).lex_document(document)(0)
    styles = {text: style for style, text, *_ in line if text.strip()}
    assert styles["dump-flows"] == "class:pygments.keyword"
    assert styles["s1"] == "class:pygments.name.variable"
    assert styles["table"] == "class:pygments.name.attribute"
