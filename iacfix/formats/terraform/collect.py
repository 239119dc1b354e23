"""From hits to sites: each sink's resolved literals become Sites (one per
place written, shared by all its users), its lists ListInfos, and what
cannot be followed Unresolved entries, grouped by file."""

from __future__ import annotations

from ...model import Item, ListInfo, Located, Site, Unresolved, Where
from ..shapes import looks_like_runtime
from .hcl import _HCL_COMMENTS
from .modules import _Module
from .resolve import Resolver, _Hit
from .sinks import _Sink
from .values import UNSET, _Cond, _Obj, _Opaque, _Str, _Tuple


class _Collector:
    def __init__(self, module: _Module):
        self.m = module
        self.sites: dict[tuple[str, int], Site] = {}
        self.lists: dict[tuple[str, int], tuple[ListInfo, _Tuple]] = {}  # (file, start) -> list, as read
        self.unresolved: dict[str, list[Unresolved]] = {}

    def sink(self, sink: _Sink) -> None:
        resolver = Resolver(self.m, sink.for_each)
        kind, where = ("module-input", Where("module-input", *sink.via)) if sink.via else \
            ("property", Where("resource", sink.address, sink.attr))
        for hit in resolver.hits(sink.expr, sink.file, kind, where):
            value = hit.value
            if (isinstance(value, _Str) and value.value == "") or (isinstance(value, _Opaque) and value.what == UNSET):
                continue  # "" and null leave the runtime unset (a container image, a module's default)
            if isinstance(value, _Str) and not sink.is_list:
                self._site(sink, hit, value, None)
            elif isinstance(value, _Tuple) and sink.is_list:
                self._list(sink, hit, value, resolver)
            elif not sink.quiet:
                what = value.what if isinstance(value, _Opaque) else \
                    f"{sink.attr} wants {'a list' if sink.is_list else 'a string'}, not {'a list' if isinstance(value, _Tuple) else 'a string'}"
                start, end = _span(sink.expr)
                self.unresolved.setdefault(sink.file, []).append(
                    Unresolved(start, end, what, users=[sink.address], provider=sink.provider))
        for var_name in resolver.vars_reached(sink.expr):
            var = self.m.vars.get(var_name)
            for tup in (var.validation if var is not None else []):
                self._list(sink, _Hit(tup, var.file.path, "allowed-value", Where("validation", var_name)),
                           tup, resolver, validation=True)

    def _site(self, sink: _Sink, hit: _Hit, s: _Str, info: ListInfo | None) -> Site | None:
        value, spell, quote = s.value, None, s.quote
        if sink.convert is not None:
            converted = sink.convert(value)
            if converted is None:
                return None
            value, spell = converted
        elif sink.quiet and not looks_like_runtime(value, sink.provider):
            return None
        key = (hit.file, s.start)
        site = self.sites.get(key)
        if site is not None:
            if sink.address not in site.users:
                site.users.append(sink.address)
            if site.provider != sink.provider and not site.blocked:
                # One value, two spellings (python3.11 on Lambda, python311 on Google): no rewrite fits both.
                site.blocked = (f"also used by {sink.address}, on {sink.provider}, which spells runtimes "
                                "differently")
            return site
        site = Site(value=value, start=s.start, end=s.end, path=s.path, kind=hit.kind, provider=sink.provider,
                    quote=quote, users=[sink.address], where=hit.where, in_list=info, spell=spell,
                    blocked=hit.pinned, tied=_tie(hit.where))
        self.sites[key] = site
        return site

    def _list(self, sink: _Sink, hit: _Hit, tup: _Tuple, resolver: Resolver, validation: bool = False) -> None:
        key = (hit.file, tup.start)
        info = self.lists[key][0] if key in self.lists else None
        if info is None:
            items = []
            for item in tup.items:
                literal = item if isinstance(item, _Str) else None
                start, end = _span(item)
                items.append(Item(value=literal.value if literal else None, start=start, end=end))
            info = ListInfo(path=tup.path, items=items, flow=True, comment="" if tup.json else _HCL_COMMENTS)
            self.lists[key] = info, tup
        for i, item in enumerate(tup.items):
            entry = _Hit(item, hit.file, hit.kind, hit.where)
            if isinstance(item, _Str):
                self._site(sink, entry, item, info)
            elif not validation:
                reached = []
                for h in resolver.hits(item, hit.file, hit.kind, hit.where):
                    if isinstance(h.value, _Str):
                        site = self._site(sink, h, h.value, None)
                        if site is not None:
                            reached.append(site)
                    elif not sink.quiet:
                        start, end = _span(item)
                        what = h.value.what if isinstance(h.value, _Opaque) else "a list inside the list"
                        self.unresolved.setdefault(hit.file, []).append(
                            Unresolved(start, end, what, users=[sink.address], provider=sink.provider))
                info.items[i].reaches = reached

    def located(self, paths) -> dict:
        for info, tup in self.lists.values():
            if info.blocked is None and id(tup) in self.m.indexed:
                info.blocked = "the list is also read by index, which removing an entry would shift"
        by_file: dict[str, Located] = {}
        for (file, _), site in self.sites.items():
            by_file.setdefault(file, Located([], [])).sites.append(site)
        for file, items in self.unresolved.items():
            seen = set()
            for u in items:
                if (u.start, u.reason) not in seen:
                    seen.add((u.start, u.reason))
                    by_file.setdefault(file, Located([], [])).unresolved.append(u)
        return {p: by_file.get(p) for p in paths}


def _tie(where: Where) -> tuple | None:
    """A variable's default, its .tfvars values and its validation lists move together."""
    if where.kind in ("variable", "tfvars", "validation"):
        return ("var", where.name.split(".")[0].split("[")[0])
    return None


def _span(expr) -> tuple[int, int]:
    if isinstance(expr, _Cond):
        spans = [_span(b) for b in expr.branches]
        return min(s for s, _ in spans), max(e for _, e in spans)
    if isinstance(expr, _Obj):
        spans = [_span(v) for v in expr.fields.values()] or [(0, 0)]
        return min(s for s, _ in spans), max(e for _, e in spans)
    return expr.start, expr.end
