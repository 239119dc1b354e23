"""Resolution: where a sink's value is written (literals, lists, or why it
cannot be known), through variables, tfvars, locals, for_each, branches and
lookups."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

from ...model import Where
from ...records import dataclass
from .values import _Cond, _Obj, _Opaque, _Ref, _Str, _Tuple, _Values

if TYPE_CHECKING:
    from .modules import _Module


@dataclass
class _Hit:
    """A literal (or list) a sink's value comes from, and how it got there."""

    value: object  # _Str | _Tuple | _Opaque
    file: str
    kind: str
    where: Where  # its name may hold a "{}" for the path taken into an object: local.cfg{} -> local.cfg.runtime
    pinned: str | None = None  # why it must not be rewritten, if so


def _taken(where: Where, taken: str, more: str = "") -> Where:
    return dataclasses.replace(where, name=where.name.format(taken) + more)


def _named(where: Where) -> str:
    """How a reason names the place: local.cfg.runtime, var.rt, ..."""
    prefix = {"local": "local.", "variable": "var.", "tfvars": "var."}.get(where.kind, "")
    return prefix + where.name


class Resolver:
    def __init__(self, module: _Module, for_each=None):
        self.m = module
        self.for_each = for_each  # (expression, file) of the resource whose each.value is read

    def hits(self, expr, file: str, kind: str, where: Where, seen=frozenset()) -> list[_Hit]:
        """Where the value of ``expr`` is written: literals, lists, or why it cannot be known."""
        out = []
        for h in self._terms(expr, file, kind, where, seen):
            if isinstance(h.value, _Obj):
                h = _Hit(_Opaque("an object", 0, 0), h.file, h.kind, h.where)
            out.append(h)
        return out

    def _terms(self, expr, file: str, kind: str, where: Where, seen) -> list[_Hit]:
        if isinstance(expr, (_Str, _Tuple, _Obj)):
            return [_Hit(expr, file, kind, where)]
        if isinstance(expr, _Cond):
            return [h for b in expr.branches for h in self._terms(b, file, kind, where, seen)]
        if isinstance(expr, _Values):
            out = []
            for h in self._terms(expr.of, file, kind, where, seen):
                values = h.value.fields.values() if isinstance(h.value, _Obj) else None
                if values is None:
                    out.append(_Hit(_Opaque("a lookup in something that is not a map", expr.start, expr.end),
                                    file, kind, where))
                else:
                    out += [x for v in values for x in self._terms(v, h.file, h.kind, h.where, seen)]
            return out
        if not isinstance(expr, _Ref):
            return [_Hit(expr, file, kind, where)]
        key = (expr.kind, expr.name)
        if key in seen:
            return [_Hit(_Opaque(f"{expr.kind}.{expr.name} refers to itself", expr.start, expr.end), file, kind, where)]
        seen = seen | {key}
        if expr.kind == "each":
            if self.for_each is None:
                return [_Hit(_Opaque("each.value outside a for_each", expr.start, expr.end), file, kind, where)]
            out = []
            for h in self._terms(self.for_each[0], self.for_each[1], kind, where, seen):
                items = h.value.fields.values() if isinstance(h.value, _Obj) else \
                    h.value.items if isinstance(h.value, _Tuple) else None
                if items is None:
                    out.append(_Hit(_Opaque("each.value of a for_each that is not a literal map",
                                            expr.start, expr.end), file, kind, where))
                else:
                    out += [x for v in items for x in self._select(v, expr.rest, h.file, h.kind, h.where, seen)]
            return out
        if expr.kind == "var":
            out = []
            var = self.m.vars.get(expr.name)
            if var is not None and var.default is not None:
                out += self._select(var.default, expr.rest, var.file.path, "variable-default",
                                    Where("variable", f"{expr.name}{{}}", "default"), seen)
            for f, attrs, name in self.m.tfvars.get(expr.name, []):
                out += self._select(attrs.get(name), expr.rest, f.path, "tfvars",
                                    Where("tfvars", f"{expr.name}{{}}", os.path.basename(f.path)), seen)
            if not out:
                why = "is not declared" if var is None else "has no default and no .tfvars value"
                out.append(_Hit(_Opaque(f"var.{expr.name} {why}", expr.start, expr.end), file, kind, where))
            for h in out:
                h.pinned = h.pinned or (var.pinned if var is not None else None)
            return out
        entry = self.m.locals.get(expr.name)
        if entry is None:
            return [_Hit(_Opaque(f"local.{expr.name} is not defined", expr.start, expr.end), file, kind, where)]
        return self._select(entry[1].get(entry[2]), expr.rest, entry[0].path, "local", Where("local", f"{expr.name}{{}}"), seen)

    def _select(self, expr, rest: list, file: str, kind: str, where: Where, seen) -> list[_Hit]:
        """``expr``'s attribute or element named by ``rest``; ``where`` has a
        ``{}`` for the path taken (``local.cfg{}`` -> ``local.cfg.runtime``)."""
        taken = ""
        for i, step in enumerate(rest):
            if isinstance(expr, _Obj) and isinstance(step, str) and step in expr.fields:
                expr = expr.fields[step]
                taken += f".{step}"
            elif isinstance(expr, _Tuple) and isinstance(step, int) and step < len(expr.items):
                self.m.indexed.add(id(expr))  # removing an entry would shift the others
                expr = expr.items[step]
                taken += f"[{step}]"
            elif isinstance(expr, (_Ref, _Cond)):
                if isinstance(expr, _Ref):
                    expr = _Ref(expr.kind, expr.name, expr.rest + rest[i:], expr.start, expr.end)
                    return self._terms(expr, file, kind, _taken(where, taken), seen)
                return [h for b in expr.branches for h in self._select(b, rest[i:], file, kind,
                                                                          _taken(where, taken, "{}"), seen)]
            else:
                what = f"element {step}" if isinstance(step, int) else f"attribute {step!r}"
                return [_Hit(_Opaque(f"{_named(_taken(where, taken))} has no {what}", 0, 0), file, kind, _taken(where, taken))]
        return self._terms(expr, file, kind, _taken(where, taken), seen)

    def vars_reached(self, expr, seen=frozenset()) -> set[str]:
        if isinstance(expr, _Cond):
            return set().union(*(self.vars_reached(b, seen) for b in expr.branches))
        if isinstance(expr, _Values):
            return self.vars_reached(expr.of, seen)
        if isinstance(expr, _Obj):
            return set().union(set(), *(self.vars_reached(v, seen) for v in expr.fields.values()))
        if isinstance(expr, _Tuple):
            return set().union(set(), *(self.vars_reached(i, seen) for i in expr.items))
        if isinstance(expr, _Ref) and (expr.kind, expr.name) not in seen:
            if expr.kind == "var":
                return {expr.name}
            if expr.kind == "each":
                return self.vars_reached(self.for_each[0], seen) if self.for_each else set()
            entry = self.m.locals.get(expr.name)
            return self.vars_reached(entry[1].get(entry[2]), seen | {(expr.kind, expr.name)}) if entry else set()
        return set()
