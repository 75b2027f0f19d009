"""``nstruct``: a struct written as data becomes a Python class.

Theory of operation
-------------------
``nstruct(name, *entries, **options)`` normalizes the entries, computes a
``StructInfo`` and creates a class with ``__slots__`` for the fields.  Instances
are plain mutable objects holding ints, bytes, strs, lists and nested struct
instances.  A class made with ``base=B, when={...}`` is a *subtype*: it has B's
fields followed by its own, and is registered in B's dispatch table under the
values of B's ``classify`` fields, so parsing B yields the most specific class.

Each class gets three lazily compiled functions (see ``_compile``): ``_fp``
(parse exactly this class), ``_dp`` (dispatch to the most specific subtype, then
parse) and ``_fb`` (build), plus a lazily generated ``__init__``.  Until first
use they are small stubs, so importing hundreds of definitions stays cheap.
The interpreted engine (``_engine``) is the reference: whenever compiled code
fails, the interpreted code runs again and raises the error, with its path.
"""

from __future__ import annotations

import keyword
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ._entries import AlignEntry, BitsEntry, Entry, FieldEntry, PadEntry
from ._errors import BuildError, DefinitionError
from ._types import Array, Int, Length, Raw, Tracer, Type, as_length

__all__ = ["Struct", "StructInfo", "StructType", "embed", "nstruct"]

_RESERVED = {"parse", "create", "build"}


class _Embed:
    def __init__(self, cls: type[Struct]) -> None:
        self.cls = cls


def embed(cls: type[Struct]) -> _Embed:
    """An entry that places the fields of struct *cls* directly on the enclosing struct."""
    info = cls._ns_info
    if info.size is not None or info.classify or info.base is not None:
        raise DefinitionError(f"cannot embed {info.name}: only plain structs (no size field, "
                              "no subtypes) can be embedded")
    return _Embed(cls)


class StructInfo:
    """Everything the engines need to know about one struct class."""

    def __init__(self, name: str, entries: list[Entry], base: StructInfo | None) -> None:
        self.name = name
        self.base = base
        self.entries = entries
        for i, e in enumerate(entries):
            if isinstance(e, (PadEntry, AlignEntry)):
                e.index = i
        self.cls: type[Struct] = Struct
        self.fields: list[tuple[str, Type]] = []
        for e in entries:
            self.fields.extend(e.field_types())
        self.field_types: dict[str, Type] = dict(self.fields)
        self.field_entries: dict[str, FieldEntry] = {
            e.name: e for e in entries if isinstance(e, FieldEntry)}
        # The entry that holds each named field (a FieldEntry, or the BitsEntry of a part).
        self.holders: dict[str, Entry] = {
            name: e for e in entries for name, _ in e.field_types()}
        self.size: Length | None = None
        self.pad_to = 0
        self.pad_after = 0
        self.classify: tuple[str, ...] = ()
        self.subtypes: dict[tuple[int, ...], type[Struct]] = {}
        # Set by the compiler when the classifier fields fill one machine word: the
        # same table keyed by that word (see _compile._int_key_plan).
        self.int_key: Callable[[tuple[int, ...]], int] | None = None
        self.int_subtypes: dict[int, type[Struct]] = {}
        self.partial: list[tuple[tuple[int, ...], tuple[int, ...], type[Struct]]] = []
        self.when: dict[str, int] = {}
        # Fields compared by ==: all but those computed on build (sizes, counts).
        self.compared: tuple[str, ...] = ()
        self.whens: list[dict[str, int]] = []
        self.defaults: dict[str, Any] = {}
        self.type: StructType

    @property
    def generic(self) -> bool:
        """A class with subtypes: parsed as itself, it keeps its unknown body in ``_tail``."""
        return bool(self.classify)

    @property
    def fixed_size(self) -> int | None:
        """The size in bytes when every entry has a fixed size (and the tail is empty)."""
        total = 0
        for e in self.entries:
            if isinstance(e, AlignEntry):
                total += -total % e.unit
                continue
            if e.size is None:
                return None
            total += e.size
        if self.pad_to:
            total += -total % self.pad_to
        return total

    @property
    def min_size(self) -> int:
        """A lower bound of the size: the sum of the entries that have a fixed size."""
        return sum(e.size or 0 for e in self.entries)

    def lookup(self, key: tuple[int, ...]) -> type[Struct] | None:
        """The subtype registered for classifier values *key*, if any."""
        found = self.subtypes.get(key)
        if found is None:
            for positions, values, cls in self.partial:
                if tuple(key[i] for i in positions) == values:
                    return cls
        return found


class Struct:
    """Base class of every class made by ``nstruct``."""

    __slots__ = ("_pads", "_tail")
    _ns_info: ClassVar[StructInfo]
    _tail: bytes
    # Padding that was not zero when parsed, by entry index (normally None).
    _pads: dict[int, bytes] | None

    # The compiled functions; each class gets its own lazy stubs in ``nstruct``.
    _fp: ClassVar[Any]
    _dp: ClassVar[Any]

    if TYPE_CHECKING:
        # Fields are made at run time from the definition: to a type checker, any
        # keyword is accepted and any attribute is a value.
        def __init__(self, **fields: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def _fb(self, out: bytearray) -> None:  # replaced per class
        raise NotImplementedError

    def __bytes__(self) -> bytes:
        out = bytearray()
        try:
            self._fb(out)
            return bytes(out)
        except Exception:
            pass
        out = bytearray()
        _engine.build_struct(self, out, None, top=True)
        return bytes(out)

    def __len__(self) -> int:
        return len(bytes(self))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        if self._tail != other._tail or self._pads != other._pads:
            return False
        return all(getattr(self, n) == getattr(other, n) for n in self._ns_info.compared)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"{n}={getattr(self, n, '<unset>')!r}" for n, _ in self._ns_info.fields]
        if getattr(self, "_tail", b""):
            parts.append(f"_tail={self._tail!r}")
        if getattr(self, "_pads", None):
            parts.append(f"_pads={self._pads!r}")
        return f"{self._ns_info.name}({', '.join(parts)})"

    @classmethod
    def parse(cls, buf: bytes | bytearray | memoryview, offset: int = 0
              ) -> tuple[Any, int] | None:
        """Parse at *offset*: ``(obj, size)`` with the most specific subtype, or ``None``
        when *buf* ends before the value does.  Malformed data raises ``ParseError``.

        Example: ``msg, n = ofp_header.parse(data)``.
        """
        return _engine.parse_top(cls, buf, offset)

    @classmethod
    def create(cls, buf: bytes | bytearray | memoryview) -> Any:
        """Parse a value that uses exactly all of *buf*; anything else raises ``ParseError``."""
        return _engine.create_top(cls, buf)

    @classmethod
    def build(cls, obj: Any) -> bytes:
        """``bytes(obj)``, checking that *obj* is an instance of this struct."""
        if not isinstance(obj, cls):
            raise BuildError(f"expected a {cls._ns_info.name}, got {type(obj).__name__}")
        return bytes(obj)


class StructType(Type):
    """A struct class used as the type of a field or an array element."""

    def __init__(self, cls: type[Struct]) -> None:
        super().__init__(None)
        self.cls = cls

    def describe(self) -> str:
        return self.cls._ns_info.name

    def default(self) -> Any:
        return self.cls()

    def convert(self, value: Any) -> Any:
        if isinstance(value, self.cls):
            return value
        if isinstance(value, Mapping):
            from ._dump import load_nested

            return load_nested(self.cls, value)
        raise BuildError(f"expected a {self.describe()}, got {type(value).__name__}")

    def load_value(self, data: Any) -> Any:
        return self.convert(data)

    def parse_value(self, buf: memoryview, off: int, end: int, open_end: bool,
                    obj: Any) -> tuple[Any, int]:
        from ._engine import parse_struct

        return parse_struct(self.cls, buf, off, end, open_end)

    def build_value(self, value: Any, out: bytearray, obj: Any, tracer: Tracer | None) -> None:
        from ._engine import build_struct

        build_struct(self.convert(value), out, tracer)

    def dump_value(self, value: Any) -> Any:
        from ._dump import dump

        return dump(value)

    def text(self, value: Any) -> str:
        return type(value)._ns_info.name if isinstance(value, Struct) else repr(value)


def as_type(spec: Any) -> Type:
    """A field type from a ``Type`` or a struct class."""
    if isinstance(spec, Type):
        return spec
    if isinstance(spec, type) and issubclass(spec, Struct) and spec is not Struct:
        return spec._ns_info.type
    raise DefinitionError(f"{spec!r} is not a field type")


def _normalize(entries: Sequence[Any], where: str) -> list[Entry]:
    out: list[Entry] = []
    for i, spec in enumerate(entries):
        if isinstance(spec, (PadEntry, AlignEntry, BitsEntry)):
            out.append(spec.clone())
        elif isinstance(spec, _Embed):
            out.extend(e.clone() for e in spec.cls._ns_info.entries)
        elif isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], str):
            out.append(FieldEntry(spec[1], as_type(spec[0])))
        else:
            raise DefinitionError(f"{where}: entry {i} ({spec!r}) is not (type, 'name'), "
                                  "pad(n), align(n), bits(...) or embed(S)")
    return out


def _check_names(info: StructInfo) -> None:
    seen: set[str] = set()
    for name, _ in info.fields:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise DefinitionError(f"{info.name}: {name!r} cannot be a field name")
        if name in _RESERVED:
            raise DefinitionError(f"{info.name}: {name!r} is reserved (a class method)")
        if name in seen:
            raise DefinitionError(f"{info.name}: field {name!r} is defined twice")
        seen.add(name)


def _mark_auto(info: StructInfo, name: str, user: str, before: int) -> None:
    entry = info.holders.get(name)
    plain = isinstance(entry, FieldEntry) and isinstance(entry.type, Int) and \
        entry.present is None
    if entry is None or not (plain or isinstance(entry, BitsEntry)):
        raise DefinitionError(f"{info.name}: {user} refers to {name!r}, which is not a plain "
                              "integer or bit field of this struct")
    if info.entries.index(entry) >= before:
        raise DefinitionError(f"{info.name}: {user} refers to {name!r}, which comes after it")
    if isinstance(entry, BitsEntry):
        entry.auto.add(name)
    else:
        assert isinstance(entry, FieldEntry)
        entry.auto = True


def nstruct(name: str, *entries: Any, base: type[Struct] | None = None,
            when: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
            size: str | Length | None = None,
            pad_to: int | None = None, pad_after: int | None = None,
            classify: str | Sequence[str] | None = None,
            defaults: Mapping[str, Any] | None = None, module: str | None = None,
            qualname: str | None = None, doc: str | None = None) -> type[Struct]:
    """Define a struct; returns its class.

    Args:
        name: the struct's name (as in the spec, e.g. ``"ofp_header"``); the class
            should be assigned to a module variable of the same name (pickling).
        entries: ``(type, "name")`` pairs, ``pad(n)``, ``align(n)``, ``bits(...)``,
            ``embed(S)``; ``type`` is a field type or a struct class.
        base: the struct this one extends; requires *when*.
        when: the values of the base's ``classify`` fields that select this subtype
            (a subset of them matches as a fallback); a list of such mappings
            registers the subtype under each (the first gives the defaults).
        size: the field holding the struct's total size in bytes (filled on build);
            the struct's fields cannot extend past it and the rest is kept in ``_tail``.
        pad_to: zero padding up to a multiple of this, counted in *size*.
        pad_after: zero padding up to a multiple of this, after *size* bytes.
        classify: field names whose values pick the subtype when parsing.
        defaults: default values of fields (others default to 0, b"", "", [] ...).
        module, qualname: where pickle finds the class (default: the caller's module
            and *name*); for classes made from a table, e.g. ``"oxm_fields.ip_dst"``.

    Raises:
        DefinitionError: for an inconsistent definition.

    Example::

        ofp_header = nstruct("ofp_header", (uint8, "version"), (uint8(ofp_type), "type"),
                             (uint16, "length"), (uint32, "xid"),
                             size="length", classify=("version", "type"))
    """
    base_info = base._ns_info if base is not None else None
    own = _normalize(entries, name)
    all_entries = [e.clone() for e in base_info.entries] if base_info else []
    all_entries += own
    info = StructInfo(name, all_entries, base_info)
    _check_names(info)
    if base_info is not None:
        info.size = base_info.size
        info.pad_to = base_info.pad_to
        info.pad_after = base_info.pad_after
        info.defaults.update(base_info.defaults)
        info.defaults.update(base_info.when)
    if size is not None:
        if base_info is not None and base_info.size is not None:
            raise DefinitionError(f"{name}: the size field is already set by {base_info.name}")
        info.size = as_length(size)
    if pad_to is not None:
        info.pad_to = pad_to
    if pad_after is not None:
        info.pad_after = pad_after
    if info.size is not None:
        _mark_auto(info, info.size.field, "size", len(all_entries))
    for i, e in enumerate(all_entries):
        if isinstance(e, FieldEntry):
            t = e.type
            ref = None
            if isinstance(t, Array):
                ref = t.count_field or t.size_field
            elif isinstance(t, Raw):
                ref = t.length
            if ref is not None:
                _mark_auto(info, ref.field, f"field {e.name!r}", i)
    info.compared = tuple(
        n for e in all_entries for n, _ in e.field_types()
        if not (isinstance(e, FieldEntry) and e.auto) and not (
            isinstance(e, BitsEntry) and n in e.auto))
    if classify is not None:
        info.classify = (classify,) if isinstance(classify, str) else tuple(classify)
        for f in info.classify:
            if f not in info.field_types:
                raise DefinitionError(f"{name}: classify field {f!r} is not a field")
    if base_info is not None:
        if not base_info.classify:
            raise DefinitionError(f"{name}: base {base_info.name} has no classify fields")
        if not when:
            raise DefinitionError(f"{name}: a subtype needs when={{...}}")
        for choice in ([when] if isinstance(when, Mapping) else list(when)):
            values: dict[str, int] = {}
            for k, v in choice.items():
                if k not in base_info.classify:
                    raise DefinitionError(f"{name}: when-key {k!r} is not a classify field "
                                          f"of {base_info.name} {base_info.classify}")
                values[k] = int(base_info.field_types[k].convert(v))
            info.whens.append(values)
        info.when = info.whens[0]
        info.defaults.update(info.when)
    elif when:
        raise DefinitionError(f"{name}: when= needs base=")
    if defaults:
        for k, v in defaults.items():
            if k not in info.field_types:
                raise DefinitionError(f"{name}: default for unknown field {k!r}")
            info.defaults[k] = v

    namespace: dict[str, Any] = {
        "__slots__": tuple(n for e in own for n, _ in e.field_types()),
        "__module__": module or sys._getframe(1).f_globals.get("__name__", __name__),
        "__qualname__": qualname or name,
        "__doc__": doc or f"The {name} struct (made by nstruct).",
        "_ns_info": info,
    }
    cls = type(name, (base or Struct,), namespace)
    info.cls = cls
    info.type = StructType(cls)
    if base_info is not None:
        for values in info.whens:
            _register(base_info, info.name, values, cls)
    from ._compile import install_stubs

    install_stubs(cls)
    return cls


def _register(base_info: StructInfo, name: str, when: dict[str, int],
              cls: type[Struct]) -> None:
    keys = base_info.classify
    if all(k in when for k in keys):
        key = tuple(when[k] for k in keys)
        if key in base_info.subtypes:
            raise DefinitionError(f"{name}: {base_info.name} already has subtype "
                                  f"{base_info.subtypes[key]._ns_info.name} for {key}")
        base_info.subtypes[key] = cls
        if base_info.int_key is not None:
            base_info.int_subtypes[base_info.int_key(key)] = cls
    else:
        positions = tuple(i for i, k in enumerate(keys) if k in when)
        values = tuple(when[keys[i]] for i in positions)
        base_info.partial.append((positions, values, cls))


# The engine needs Struct, and Struct's methods need the engine: bind it once here.
from . import _engine  # noqa: E402
