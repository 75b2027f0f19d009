"""The ``ovs-ofctl`` flow language (in progress: the lexer and errors are in place).

``FlowSyntaxError`` names the column, the token and, where it can, the word that
was probably meant.
"""

from ._errors import FlowSyntaxError

__all__ = ["FlowSyntaxError"]
