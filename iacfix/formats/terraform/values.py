"""What a value is, wherever it is written: the expression classes both syntaxes
read into (strings and lists with their spans, objects, references, branches,
opaque values), a block's body, and a loaded file."""

from __future__ import annotations

from ...records import dataclass


UNSET = "null"  # what a null value's _Opaque says: no runtime set, nothing to report


class _At:
    """An HCL node and its reader: the path is worked out only if needed."""

    __slots__ = ("reader", "node")

    def __init__(self, reader, node):
        self.reader, self.node = reader, node

    def path(self) -> tuple:
        return self.reader.path(self.node)


@dataclass
class _Str:
    value: str
    start: int
    end: int
    quote: str | None  # None: written so that it cannot be rewritten in place (escapes)
    where: object  # JSON: the key path; HCL: the node, whose path is found only if it becomes a site

    @property
    def path(self) -> tuple:
        return self.where if isinstance(self.where, tuple) else self.where.path()


@dataclass
class _Tuple:
    items: list
    start: int
    end: int
    where: object
    json: bool

    path = _Str.path


@dataclass
class _Obj:
    fields: dict


@dataclass
class _Ref:
    kind: str  # var | local | ...
    name: str
    rest: list  # attribute names / indexes after var.NAME
    start: int
    end: int


@dataclass
class _Cond:
    branches: list  # any of them may be the value: a ? b : c, try(b, c), coalesce(b, c)


@dataclass
class _Values:
    """Every value of a map (lookup's first argument)."""

    of: object
    start: int
    end: int


@dataclass
class _Opaque:
    what: str
    start: int
    end: int


class _Attrs:
    """An HCL body's attributes, each turned into an expression only when asked
    for: most of a configuration is never looked at."""

    def __init__(self, reader, nodes: dict):
        self.reader, self.nodes, self.done = reader, nodes, {}

    def get(self, name: str, default=None):
        if name not in self.done:
            node = self.nodes.get(name)
            if node is None:
                return default
            self.done[name] = self.reader.expr(node)
        return self.done[name]

    def __contains__(self, name) -> bool:
        return name in self.nodes

    def __getitem__(self, name: str):
        if name not in self.nodes:
            raise KeyError(name)
        return self.get(name)

    def keys(self):
        return self.nodes.keys()


@dataclass
class _Body:
    attrs: object  # name -> expression: _Attrs (HCL) or a dict (JSON: every field)
    blocks: list  # (type, labels, body node) for HCL; built on demand
    reader: object = None  # the _Hcl reader; None for JSON

    def nested(self, name: str) -> list[_Body]:
        if self.reader is not None:
            out = [self.reader.body(node) for t, _, node in self.blocks if t == name]
            for t, labels, node in self.blocks:  # dynamic "name" { content { ... } }
                if t == "dynamic" and labels == [name]:
                    out += self.reader.body(node).nested("content")
            return out
        out = []
        value = self.attrs.get(name)
        for v in (value.items if isinstance(value, _Tuple) else [value]):
            if isinstance(v, _Obj):
                out.append(_body_of(v))
        return out

    def contains(self) -> list:
        """The literal lists of ``contains([...], ...)`` in ``condition`` (HCL only)."""
        node = self.attrs.nodes.get("condition") if self.reader is not None else None
        return self.reader.contains(node) if node is not None else []

    def literals(self) -> list[str]:
        """Every string literal in ``condition`` (HCL only)."""
        node = self.attrs.nodes.get("condition") if self.reader is not None else None
        return self.reader.literals(node) if node is not None else []


def _body_of(obj: _Obj) -> _Body:
    return _Body(attrs=obj.fields, blocks=[])


@dataclass
class _File:
    path: str
    top: list  # (type, labels, _Body)
    tfvars: object  # name -> expression (see _Attrs), for .tfvars files
