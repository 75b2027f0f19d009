"""Field types: integers, raw bytes, strings, arrays, optional fields.

Each type implements the *interpreted* protocol used by the general engine:

- ``parse_value(buf, off, end, open_end, obj) -> (value, new_off)`` reads from a
  ``memoryview`` between ``off`` and ``end`` (``open_end``: ``end`` is the open
  end of the input, so a shortage there means "incomplete", not "malformed");
  ``obj`` is the struct being filled, for fields that refer to earlier fields;
- ``build_value(value, out, obj, tracer)`` appends to a ``bytearray``;
- ``convert`` (user value to stored value), ``dump_value``/``load_value`` (JSON),
  ``text`` (pretty-printing) and ``default``.

The compiler (``_compile``) generates faster code for the common shapes and
falls back to this protocol for everything else; errors always come from here.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._display import Display, as_display
from ._errors import BuildError, LengthError, ParseError, TruncatedError

__all__ = [
    "Array",
    "CString",
    "Char",
    "Int",
    "Length",
    "Optional",
    "Raw",
    "Tracer",
    "Type",
    "need",
]


@dataclass(frozen=True)
class Length:
    """A field that holds a size or count: ``bytes = value * unit + extra``.

    ``Length("ihl", unit=4)`` reads the IPv4 header length in 32-bit words.
    Wherever a ``Length`` is accepted, a plain field name means ``Length(name)``.
    """

    field: str
    unit: int = 1
    extra: int = 0

    def to_bytes(self, value: int) -> int:
        return value * self.unit + self.extra

    def to_value(self, nbytes: int) -> int | None:
        q, r = divmod(nbytes - self.extra, self.unit)
        return None if r or q < 0 else q


def as_length(spec: str | Length | None) -> Length | None:
    if spec is None or isinstance(spec, Length):
        return spec
    if isinstance(spec, str):
        return Length(spec)
    raise TypeError(f"expected a field name or Length, got {spec!r}")


class Tracer:
    """Collects the leaves written by a build, for ``explain``."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, str, Callable[[bytes], str]]] = []
        self.path: list[str] = []

    def leaf(self, offset: int, size: int, render: Callable[[bytes], str], name: str = "") -> None:
        parts = self.path + ([name] if name else [])
        text = ""
        for p in parts:
            text += p if (p.startswith("[") or not text) else "." + p
        self.rows.append((offset, size, text, render))


def need(n: int, off: int, end: int, open_end: bool, what: str) -> None:
    """Raise ``TruncatedError`` unless ``n`` bytes are available at ``off``."""
    if off + n > end:
        left = max(end - off, 0)
        raise TruncatedError(
            f"{what} needs {n} bytes but {left} remain", offset=off, incomplete=open_end
        )


class Type:
    """Base class of field types."""

    size: int | None
    display: Display | None

    def __init__(self, size: int | None, display: Display | None = None) -> None:
        self.size = size
        self.display = display

    def describe(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return self.describe()

    def __call__(self, display: Any) -> Type:
        """A copy of this type shown through *display* (an IntEnum, IntFlag or Display)."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.display = as_display(display)
        return clone

    # -- the interpreted protocol ---------------------------------------------------
    def default(self) -> Any:
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        return value

    def parse_value(
        self, buf: memoryview, off: int, end: int, open_end: bool, obj: Any
    ) -> tuple[Any, int]:
        raise NotImplementedError

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        raise NotImplementedError

    def dump_value(self, value: Any) -> Any:
        return value

    def load_value(self, data: Any) -> Any:
        return self.convert(data)

    def text(self, value: Any) -> str:
        if self.display is not None:
            return self.display.text(value)
        return repr(value)

    # -- public entry points for a type used on its own ---------------------------
    def parse(self, buf: bytes | bytearray | memoryview, offset: int = 0) -> tuple[Any, int] | None:
        """Parse one value at *offset*: ``(value, size)``, or ``None`` if *buf* is incomplete."""
        from . import _engine

        return _engine.parse_top(self, buf, offset)

    def create(self, buf: bytes | bytearray | memoryview) -> Any:
        """Parse a value that must use exactly all of *buf*; raises ``ParseError``."""
        from ._engine import create_top

        return create_top(self, buf)

    def build(self, value: Any) -> bytes:
        """Serialize *value*; raises ``BuildError``."""
        out = bytearray()
        self.build_value(value, out, None, None)
        return bytes(out)


def int_value(t: Type, value: Any) -> int:
    """An int from an int, an IntEnum, or text read through the type's display."""
    if value.__class__ is int:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        try:
            if t.display is not None:
                got = t.display.from_text(value)
            else:
                got = int(value, 0)
        except ValueError as e:
            raise BuildError(str(e)) from None
        return int.from_bytes(got, "big") if isinstance(got, bytes) else got
    if isinstance(value, (bytes, bytearray)) and t.display is not None:
        return int.from_bytes(value, "big")
    raise BuildError(f"expected an integer for {t.describe()}, got {type(value).__name__}")


def int_text(t: Type, value: Any) -> str:
    return t.display.text(value) if t.display is not None else str(value)


_INT_CODES = {(1, False): "B", (1, True): "b", (2, False): "H", (2, True): "h",
              (4, False): "I", (4, True): "i", (8, False): "Q", (8, True): "q"}


class Int(Type):
    """A signed or unsigned integer of 1, 2, 4 or 8 bytes (big-endian unless ``little``)."""

    def __init__(self, size: int, signed: bool = False, little: bool = False,
                 display: Display | None = None) -> None:
        super().__init__(size, display)
        self.signed = signed
        self.little = little
        self.code = _INT_CODES[(size, signed)]
        self.struct = struct.Struct(("<" if little else ">") + self.code)
        bits = size * 8
        self.min = -(1 << (bits - 1)) if signed else 0
        self.max = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1

    def describe(self) -> str:
        name = f"{'int' if self.signed else 'uint'}{self.struct.size * 8}"
        if self.little and self.struct.size > 1:
            name += "le"
        return name

    def default(self) -> int:
        return 0

    def convert(self, value: Any) -> Any:
        return int_value(self, value)

    def check(self, value: Any) -> int:
        v = self.convert(value)
        if not self.min <= v <= self.max:
            raise BuildError(f"{v} is out of range for {self.describe()} ({self.min}..{self.max})")
        return int(v)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        size = self.struct.size
        need(size, off, end, open_end, self.describe())
        return self.struct.unpack_from(buf, off)[0], off + size

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        v = self.check(value)
        if tracer is not None:
            tracer.leaf(len(out), self.struct.size, self.render)
        out += self.struct.pack(v)

    def render(self, data: bytes) -> str:
        return self.text(self.struct.unpack(data)[0])

    def dump_value(self, value: Any) -> Any:
        return self.display.json(value) if self.display is not None else value

    def text(self, value: Any) -> str:
        return int_text(self, value)


class Raw(Type):
    """Raw bytes: ``raw(6)`` fixed, ``raw()`` the rest of the struct, ``raw(size="len")`` sized."""

    def __init__(self, size: int | None = None, length: Length | None = None,
                 display: Display | None = None) -> None:
        super().__init__(size, display)
        self.length = length

    def describe(self) -> str:
        if self.size is not None:
            return f"raw({self.size})"
        return f"raw(size={self.length.field!r})" if self.length else "raw()"

    def default(self) -> bytes:
        return bytes(self.size or 0)

    def convert(self, value: Any) -> Any:
        if value.__class__ is bytes:
            return value
        if isinstance(value, (bytearray, memoryview)):
            return bytes(value)
        if isinstance(value, str):
            try:
                if self.display is not None:
                    got = self.display.from_text(value)
                else:
                    got = bytes.fromhex(value)
            except ValueError as e:
                raise BuildError(str(e)) from None
            if isinstance(got, int):
                got = got.to_bytes(self.size or max(1, (got.bit_length() + 7) // 8), "big")
            return got
        if isinstance(value, int) and self.size is not None:
            try:
                return value.to_bytes(self.size, "big")
            except OverflowError:
                raise BuildError(f"{value} does not fit in {self.size} bytes") from None
        raise BuildError(f"expected bytes for {self.describe()}, got {type(value).__name__}")

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        if self.size is not None:
            n = self.size
        elif self.length is not None:
            n = self.length.to_bytes(getattr(obj, self.length.field))
            if n < 0:
                raise LengthError(f"{self.length.field} gives a negative size {n}", offset=off)
        else:
            n = end - off
        need(n, off, end, open_end, self.describe())
        return bytes(buf[off:off + n]), off + n

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        v = self.convert(value)
        if self.size is not None and len(v) != self.size:
            raise BuildError(f"expected {self.size} bytes, got {len(v)}")
        if tracer is not None and v:
            tracer.leaf(len(out), len(v), self.text)
        out += v

    def dump_value(self, value: Any) -> Any:
        if self.display is not None:
            return self.display.json(value)
        return bytes(value).hex()

    def text(self, value: Any) -> str:
        if self.display is not None:
            return self.display.text(value)
        data = bytes(value)
        if len(data) > 64:
            return f"{data[:64].hex()}... ({len(data)} bytes)"
        return data.hex() if data else "(empty)"


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _encode(text: Any) -> bytes:
    if isinstance(text, str):
        return text.encode("utf-8", "surrogateescape")
    if isinstance(text, (bytes, bytearray)):
        return bytes(text)
    raise BuildError(f"expected a string, got {type(text).__name__}")


class Char(Type):
    """A fixed ``char[n]`` string, NUL-padded; the value is ``str`` without the padding."""

    def __init__(self, size: int, display: Display | None = None) -> None:
        super().__init__(size, display)

    def describe(self) -> str:
        return f"char({self.size})"

    def default(self) -> str:
        return ""

    def convert(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray)):
            return _decode(bytes(value))
        if not isinstance(value, str):
            raise BuildError(f"expected a string for {self.describe()}, got {type(value).__name__}")
        return value

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        n = self.size
        assert n is not None
        need(n, off, end, open_end, self.describe())
        return _decode(bytes(buf[off:off + n]).rstrip(b"\0")), off + n

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        n = self.size
        assert n is not None
        data = _encode(value)
        if len(data) > n:
            raise BuildError(f"{len(data)} bytes do not fit in {self.describe()}")
        if tracer is not None:
            tracer.leaf(len(out), n, lambda b: repr(_decode(b.rstrip(b"\0"))))
        out += data + bytes(n - len(data))

    def text(self, value: Any) -> str:
        return repr(value)


class CString(Type):
    """A NUL-terminated string; the value is ``str`` without the NUL."""

    def __init__(self, display: Display | None = None) -> None:
        super().__init__(None, display)

    def describe(self) -> str:
        return "cstring"

    def default(self) -> str:
        return ""

    convert = Char.convert

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        data = bytes(buf[off:end])
        i = data.find(b"\0")
        if i < 0:
            raise TruncatedError("cstring has no terminating NUL", offset=end,
                                 incomplete=open_end)
        return _decode(data[:i]), off + i + 1

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        data = _encode(value)
        if b"\0" in data:
            raise BuildError("a cstring cannot contain a NUL byte")
        if tracer is not None:
            tracer.leaf(len(out), len(data) + 1, lambda b: repr(_decode(b[:-1])))
        out += data + b"\0"

    def text(self, value: Any) -> str:
        return repr(value)


class Array(Type):
    """A list of elements: fixed count, greedy, or counted/sized by an earlier field."""

    def __init__(self, element: Type, count: int | None = None, count_field: Length | None = None,
                 size_field: Length | None = None) -> None:
        esize = element.size
        super().__init__(esize * count if (count is not None and esize is not None) else None)
        self.element = element
        self.count = count
        self.count_field = count_field
        self.size_field = size_field

    def describe(self) -> str:
        if self.count is not None:
            how = str(self.count)
        elif self.count_field is not None:
            how = f"count={self.count_field.field!r}"
        elif self.size_field is not None:
            how = f"size={self.size_field.field!r}"
        else:
            how = "greedy"
        return f"array({self.element.describe()}, {how})"

    def default(self) -> list[Any]:
        if self.count is not None:
            return [self.element.default() for _ in range(self.count)]
        return []

    def convert(self, value: Any) -> Any:
        if not isinstance(value, list):
            if isinstance(value, (tuple, range)):
                return [self.element.convert(v) for v in value]
            raise BuildError(f"expected a list for {self.describe()}, got {type(value).__name__}")
        return value

    def load_value(self, data: Any) -> Any:
        if not isinstance(data, list):
            raise BuildError(f"expected a list for {self.describe()}, got {type(data).__name__}")
        out = []
        for i, item in enumerate(data):
            try:
                out.append(self.element.load_value(item))
            except BuildError as e:
                e.push(f"[{i}]")
                raise
        return out

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        element = self.element
        items: list[Any] = []
        append = items.append
        count: int | None = self.count
        if self.count_field is not None:
            count = self.count_field.to_bytes(getattr(obj, self.count_field.field))
        elif self.size_field is not None:
            n = self.size_field.to_bytes(getattr(obj, self.size_field.field))
            need(n, off, end, open_end, self.describe())
            end = off + n
            open_end = False
        try:
            if count is not None:
                for _ in range(count):
                    v, off = element.parse_value(buf, off, end, open_end, obj)
                    append(v)
                return items, off
            while off < end:
                v, off = element.parse_value(buf, off, end, open_end, obj)
                append(v)
            return items, off
        except ParseError as e:
            e.push(f"[{len(items)}]")
            raise

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        items = self.convert(value)
        if self.count is not None and len(items) != self.count:
            raise BuildError(f"expected {self.count} elements, got {len(items)}")
        for i, item in enumerate(items):
            if tracer is not None:
                tracer.path.append(f"[{i}]")
            try:
                self.element.build_value(item, out, obj, tracer)
            except BuildError as e:
                e.push(f"[{i}]")
                raise
            if tracer is not None:
                tracer.path.pop()

    def dump_value(self, value: Any) -> Any:
        return [self.element.dump_value(v) for v in value]

    def text(self, value: Any) -> str:
        return "[" + ", ".join(self.element.text(v) for v in value) + "]"


def _field_test(name: str) -> Callable[[Any], bool]:
    def present(obj: Any) -> bool:
        return bool(getattr(obj, name))

    present.__name__ = f"present_when_{name}"
    return present


class Optional(Type):
    """Wraps a field type: the field is present only when ``present(struct)`` is true.

    An absent field holds ``None`` and takes no bytes.
    """

    def __init__(self, inner: Type, present: Callable[[Any], bool] | str) -> None:
        super().__init__(None, inner.display)
        self.inner = inner
        # A field name means "present when that earlier field is not zero"; the
        # compiler turns it into an inline test.
        self.present_field = present if isinstance(present, str) else None
        self.present: Callable[[Any], bool] = (
            _field_test(present) if isinstance(present, str) else present)

    def describe(self) -> str:
        return f"optional({self.inner.describe()})"

    def default(self) -> Any:
        return None
