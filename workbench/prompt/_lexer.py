"""A pygments lexer for the ``vlcp-shell`` command language (``.vlcp`` files).

One command a line: the command's name, then its words.  Inside the words it
knows the flow language (``key=value`` items, ``actions=`` with action names),
packet builders (``eth(src=...)/ipv4(...)``), numbers, MAC and IP addresses,
datapath ids, options (``--strict``), quoted strings (lexed inside too, since a
flow may be quoted) and ``#`` comments.  ``py``, ``send`` and ``request`` take
Python expressions, lexed by pygments' Python lexer.

It is registered as the pygments plugin ``vlcp`` (``pyproject.toml``), so
``pygmentize -l vlcp FILE``, Sphinx and editors using pygments highlight command
files.  It needs nothing but pygments: no command table, so it stays cheap to
import (pygments imports every plugin lexer on a file-name lookup).  Any
character is some token: the lexer never yields ``Error`` (not even for what
Python's lexer refuses after ``py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

# pygments ships no type information (and types-Pygments is not a dependency).
from pygments.lexer import (  # type: ignore[import-untyped]
    RegexLexer,
    bygroups,
    default,
    include,
    using,
)
from pygments.lexers.python import PythonLexer  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["VlcpLexer"]

_HEX2 = r"[0-9a-fA-F]{2}"
# Not inside a longer run of hex groups (``mod_dl_src:`` may come before).
_NOT_IN_RUN = r"(?<!\w)(?<![0-9a-fA-F]{2}:)"
_MAC = rf"{_NOT_IN_RUN}{_HEX2}(?::{_HEX2}){{5}}(?:/{_HEX2}(?::{_HEX2}){{5}})?(?![\w:])"
_IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:/(?:\d{1,3}(?:\.\d{1,3}){3}|\d{1,2}))?(?![\w.])"
_IPV6 = rf"{_NOT_IN_RUN}(?:[0-9a-fA-F]{{0,4}}:){{2,7}}[0-9a-fA-F]{{0,4}}(?:/\d{{1,3}})?(?![\w:])"
_UUID = r"(?<![\w-])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![\w-])"
# Protocol shorthands that end in a digit: names, not switches.
_SHORTHAND_DIGIT = r"(?:ipv[46]|icmp6|icmpv6|tcp6|udp6|sctp6)\b"


class VlcpLexer(RegexLexer):  # type: ignore[misc]
    """The ``vlcp-shell`` command language, with the flow language inside."""

    name = "vlcp"
    aliases: ClassVar[list[str]] = ["vlcp", "vlcp-shell"]
    filenames: ClassVar[list[str]] = ["*.vlcp"]
    mimetypes: ClassVar[list[str]] = ["text/x-vlcp"]
    url = "https://github.com/hubo1016/vlcp"

    tokens: ClassVar[dict[str, list[object]]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*$", Comment.Single),
            (r"(py)(?=[ \t]|$)", Keyword, "python"),
            (r"(send|request)([ \t]+)([^\s#]+)",
             bygroups(Keyword, Whitespace, Name.Variable), "python"),
            (r"[A-Za-z_][\w-]*", Keyword, ("args", "first")),
            (r"\S+", Text, "args"),
        ],
        # The word after the command: a lowercase word is a subcommand (lab start,
        # ovsdb list, watch packet-in, expect flows, set timeout).
        "first": [
            (r"[^\S\n]+", Whitespace),
            (r"\\\n", String.Escape),
            (r"[a-z][a-z_-]*(?=\s|\\\n|$)", Name.Function, "#pop"),
            default("#pop"),
        ],
        "python": [
            (r"\\\n", String.Escape),
            (r"\n", Whitespace, "#pop"),
            (r"[^\n\\]+|\\", using(PythonLexer)),
        ],
        "args": [
            (r"\\\n", String.Escape),  # a continued line
            (r"\n", Whitespace, "#pop"),
            (r"[^\S\n]+", Whitespace),
            (r"(?<=\s)#.*$", Comment.Single),
            (r"--[\w-]+", Keyword.Pseudo),
            include("words"),
        ],
        # What a word is made of; also inside quotes.
        "words": [
            (r'"', String.Double, "dquote"),
            (r"'", String.Single, "squote"),
            (r"(actions)(=)", bygroups(Name.Attribute, Operator), "actions"),
            (r"([A-Za-z_][\w.-]*)(=)(?!=)", bygroups(Name.Attribute, Operator)),
            include("literals"),
            (r"[A-Za-z_]\w*(?=\()", Name.Function),
            include("names"),
            include("punctuation"),
        ],
        "literals": [
            (_UUID, Number.Hex),
            (_MAC, Number.Hex),
            (_IPV4, Number),
            (_IPV6, Number.Hex),
            (r"(?<![\w.])0[xX][0-9a-fA-F]+(?:/0[xX][0-9a-fA-F]+)?\b", Number.Hex),
            (r"(?<![\w.])[0-9a-fA-F]{16}\b", Number.Hex),  # a datapath id
            (r"(?<!\w)\d+(?:\.\d+)?(?:ms|s)\b", Number.Float),  # a duration
            (r"(?<!\w)\d+\.\d+\b", Number.Float),
            (r"(?<!\w)\d+(?:/\d+)?\b", Number.Integer),
        ],
        "names": [
            (_SHORTHAND_DIGIT, Name),
            (r"[A-Z][A-Z0-9_]*\b", Name.Constant),  # FLOOD, LOCAL, NXM_NX_REG0, OFPT_*
            (r"[A-Z][\w]*", Name.Class),  # OVSDB tables: Bridge, Interface
            (r"[A-Za-z_][\w.]*(?:-[\w.]+)*\d\b", Name.Variable),  # s1, br0, s1-eth1, h1
            (r"[A-Za-z_][\w.-]*", Name),
        ],
        "punctuation": [
            (r"->|==|!=|<=|>=|\.\.|[=:/|+<>!*.@~&%^$?;-]", Operator),
            (r"[,()\[\]{}]", Punctuation),
            (r"\\.", String.Escape),
            (r"[^\s]", Text),
        ],
        # The actions of a flow, up to the end of the word.
        "actions": [
            include("literals"),
            (r"([A-Za-z_][\w]*)(=)", bygroups(Name.Attribute, Operator)),
            (r"(?<=->)[a-z_]\w*", Name.Attribute),  # set_field:VALUE->FIELD
            (r"(?<=:)[a-z_][\w.]*(?:-[\w.]+)*", Name.Variable),  # output:s1-eth2
            (r"[a-z_][a-z0-9_]*", Name.Function),  # output, resubmit, mod_dl_src...
            (r"[A-Z][A-Za-z0-9_]*", Name.Constant),  # FLOOD, CONTROLLER, NXM_NX_REG0
            (r"->|\.\.|[:/+=-]", Operator),
            (r"[,()\[\]{}]", Punctuation),
            default("#pop"),
        ],
        "dquote": [
            (r'"', String.Double, "#pop"),
            (r"\n", Whitespace, "#pop"),
            (r"[^\S\n]+", String.Double),
            include("words"),
        ],
        "squote": [
            (r"'", String.Single, "#pop"),
            (r"\n", Whitespace, "#pop"),
            (r"[^\S\n]+", String.Single),
            include("words"),
        ],
    }

    def get_tokens_unprocessed(self, text: str, stack: tuple[str, ...] = ("root",)
                               ) -> Iterator[tuple[int, Any, str]]:
        """The tokens; what Python's lexer calls an error (``py a$b``) is plain text."""
        for index, kind, value in super().get_tokens_unprocessed(text, stack):
            yield index, Text if kind in Error else kind, value
