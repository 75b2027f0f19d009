"""Python values in ``%vlcp`` lines and ``%%vlcp`` cells: one expander for both.

IPython's own expansion is off for the magics (``@no_var_expand``): it skips
cell bodies, and gives up silently on a whole line when one pair of braces is
not Python (JSON in ``ovsdb transact``).  This one goes left to right:

- ``$$`` is a ``$``; ``{{`` is a ``{``, and the ``}}`` that closes it a ``}``
  (``{{port}}`` gives ``{port}``); a ``}}`` that closes no ``{{`` stays as it is,
  since JSON's nested objects end with it;
- ``$name`` (a Python identifier) is that variable's value;
- ``{expression}``, where the text between the braces has no brace and is a
  Python expression, is its value;
- anything else is left as it is: braces around what is not an expression (JSON
  objects such as ``{"op": "select"}``, ``{}``), a ``$`` before no name;
- a name that is not defined, or an expression that fails, is an error that
  says so (nothing is left unexpanded silently); escape it for certainty.

Values go in as ``str(value)``, unquoted: write ``'{text}'`` for one with spaces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["ExpandError", "expand"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ExpandError(Exception):
    """A ``$name`` or ``{expression}`` that has no value; the message says which."""


def _is_expression(text: str) -> bool:
    if not text.strip():
        return False
    try:
        compile(text.strip(), "<vlcp>", "eval")
    except SyntaxError:
        return False
    return True


def _evaluate(text: str, namespace: Mapping[str, Any], shown: str, escape: str) -> str:
    try:
        value = eval(text.strip(), dict(namespace))  # noqa: S307 (the user's own)
    except Exception as exc:
        raise ExpandError(f"{shown}: {type(exc).__name__}: {exc} (write {escape} for the "
                          f"text itself)") from None
    return str(value)


def expand(text: str, namespace: Mapping[str, Any]) -> str:
    """*text* with ``$name`` and ``{expression}`` replaced by their values in
    *namespace* (see the module's rules); ``ExpandError`` when one has none."""
    out: list[str] = []
    closes = 0  # "{{" escapes waiting for their "}}"
    at, end = 0, len(text)
    while at < end:
        char = text[at]
        pair = text[at:at + 2]
        if pair == "$$":
            out.append("$")
            at += 2
        elif pair == "{{":
            out.append("{")
            closes += 1
            at += 2
        elif pair == "}}" and closes:
            out.append("}")
            closes -= 1
            at += 2
        elif char == "$" and (name := _NAME.match(text, at + 1)):
            if name.group() not in namespace:
                raise ExpandError(f"${name.group()}: name {name.group()!r} is not defined "
                                  f"(write $${name.group()} for the text itself)")
            out.append(str(namespace[name.group()]))
            at = name.end()
        elif char == "{" and (close := text.find("}", at + 1)) != -1 \
                and "{" not in text[at + 1:close] and _is_expression(text[at + 1:close]):
            inner = text[at + 1:close]
            out.append(_evaluate(inner, namespace, f"{{{inner}}}", f"{{{{{inner}}}}}"))
            at = close + 1
        else:
            out.append(char)
            at += 1
    return "".join(out)
