"""``dataclass``: the standard library's, with fewer methods written as source.

On Python before 3.13, ``dataclasses.dataclass`` writes every method it adds
as source text and compiles it with its own ``exec``: creating the 37
dataclasses a one-file check imports took about 19 ms of its 60, three
quarters of it in those ``exec`` calls.  This ``dataclass`` lets the
standard library write ``__init__`` (and a frozen class's ``__setattr__``
and ``__delattr__``) and adds ``__repr__``, ``__eq__`` and ``__hash__`` as
closures over the class's fields that behave exactly as the generated ones:
the same text (``...`` for a recursive repr), the same tuple comparison of
the fields with ``compare``, ``NotImplemented`` for another class, the same
``__hash__`` rules (None for a mutable class with ``__eq__``; the hash of the
compared fields' tuple for a frozen one; a class's own methods kept).
``tests/test_records.py`` holds it to ``dataclasses.dataclass`` on random
classes.  Python 3.13 writes a class's methods in one ``exec``: there the
standard one is used as it is.
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import sys

__all__ = ["dataclass"]

_standard = dataclasses.dataclass


def _values(names: tuple[str, ...]):
    """A function: instance -> the tuple of these attributes (as the generated methods build it)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        get = operator.attrgetter(names[0])
        return lambda self: (get(self),)
    return operator.attrgetter(*names)


def _repr(cls, names: tuple[str, ...]):
    @reprlib.recursive_repr("...")
    def __repr__(self):
        return (self.__class__.__qualname__ + "("
                + ", ".join(f"{name}={getattr(self, name)!r}" for name in names) + ")")

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    return __repr__


def _eq(cls, names: tuple[str, ...]):
    values = _values(names)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    return __eq__


def _hash(cls, names: tuple[str, ...]):
    values = _values(names)

    def __hash__(self):
        return hash(values(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    return __hash__


def _process(cls, kw: dict):
    repr_, eq = kw.pop("repr", True), kw.pop("eq", True)
    if kw.get("order") or kw.get("unsafe_hash"):  # need the generated methods as they are: leave it all to dataclasses
        return _standard(cls, repr=repr_, eq=eq, **kw)
    own = cls.__dict__
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    had = {name: name in own for name in ("__repr__", "__eq__")}
    cls = _standard(cls, repr=False, eq=False, **kw)
    fields = dataclasses.fields(cls)
    if repr_ and not had["__repr__"]:
        cls.__repr__ = _repr(cls, tuple(f.name for f in fields if f.repr))
    if eq and not had["__eq__"]:
        cls.__eq__ = _eq(cls, tuple(f.name for f in fields if f.compare))
    if eq and not explicit_hash:  # dataclasses' table for eq=True, unsafe_hash=False
        if kw.get("frozen"):
            cls.__hash__ = _hash(cls, tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
        else:
            cls.__hash__ = None
    cls.__dataclass_params__.repr, cls.__dataclass_params__.eq = repr_, eq  # as dataclasses.dataclass records them
    return cls


def dataclass(cls=None, /, **kw):
    """``dataclasses.dataclass(cls, **kw)``, behaving the same, created faster."""
    if cls is None:
        return lambda c: _process(c, dict(kw))
    return _process(cls, dict(kw))


if sys.version_info >= (3, 13):  # pragma: no cover - one exec per class there already
    dataclass = _standard  # noqa: F811
