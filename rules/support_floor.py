"""The checker for support floors (``requires-python = ">=3.9"``,
``python_requires``, Poetry's ``python = "^3.9"``): a floor that admits a
CPython past its end of life (RT003) or within the horizon (RT005) is
reported with the lifecycle rule that speaks for its version.  The fix
raises it to the oldest CPython not past its end of life on ``--as-of``,
together with the classifiers and tool target versions below it; it is
**unsafe**: users still on the older versions stop getting new releases."""

from __future__ import annotations

from iacfix.catalog import Runtime
from iacfix.fixes import Refused, replace_value, rewrite_list
from iacfix.floors import Floor, ToolTarget
from iacfix.model import UNSAFE, Edit, Expectation, Finding, Fix, Site

from . import RULES, Checker, Context, checker
from .lifecycle import classify
from .wording import place


def new_floor(rt: Runtime, ctx: Context) -> Runtime | None:
    """The oldest version of ``rt``'s provider that is not past its end of life on ``ctx.as_of``."""
    alive = [o for (p, _), o in ctx.catalog.runtimes.items()
             if p == rt.provider and o.family == rt.family and not o.preview and o.version_key
             and (o.deprecation is None or ctx.as_of < o.deprecation)]
    return min(alive, key=lambda o: o.version_key, default=None)


def _oldest_admitted(fl: Floor, ctx: Context) -> Runtime | None:
    """The oldest version in the catalog that the specifier admits (``>=3.6``
    and ``>=2.7`` admit 3.7; ``>=3.9,!=3.9.*`` admits 3.10); None when it
    admits none (``>=2.7,<3``)."""
    known = sorted((o for (p, _), o in ctx.catalog.runtimes.items() if p == fl.provider and o.version_key),
                   key=lambda o: o.version_key)
    if fl.admits is not None:
        return next((o for o in known if fl.admits(o.version_key)), None)
    rt = ctx.catalog.get(fl.version, fl.provider)
    return rt or (known[0] if known and _key(fl.version) < known[0].version_key else None)


def _key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("."))


@checker
class SupportFloors(Checker):
    consumes = (Floor, ToolTarget)

    def check(self, items: list, file, ctx: Context) -> list[Finding]:
        out: list[Finding] = []
        fixes: dict[int, Fix | str] = {}  # id(floor) -> its fix, or why a flagged floor has none
        for fl in (x for x in items if isinstance(x, Floor)):
            rt = _oldest_admitted(fl, ctx)
            if rt is None:
                unknown = RULES["RT101"]
                if ctx.selected(unknown.code):
                    out.append(self._finding(unknown, file, fl, f"{fl.spec!r} admits no CPython version in "
                                             f"iacfix's catalog", runtime=fl.version,
                                             fix_unavailable="iacfix does not know this version"))
                continue
            rule = classify(rt, ctx)
            if rule is None or not ctx.selected(rule.code):
                continue
            new = new_floor(rt, ctx)
            past = rt.deprecation is not None and ctx.as_of >= rt.deprecation
            headline = rule.headline(rt, ctx)
            parts = [f"{fl.spec!r} admits {rt.id}, which{headline.removeprefix(rt.id)}"]
            if past and new is not None:
                parts.append(f"raise the floor to {new.id}, the oldest CPython not past its end of life")
            f = self._finding(rule, file, fl, "; ".join(parts) + f" ({place(fl.where)})", runtime=rt.id,
                              deadlines=rt.deadlines())
            if not past:
                f.fix_unavailable = f"{rt.id} is supported until {rt.deprecation}; raise the floor after that date"
            elif new is None:
                f.fix_unavailable = "no CPython version is free of end of life on this date"
            elif fl.blocked:
                f.fix_unavailable = fl.blocked
            elif fl.upper is not None and (fl.upper[0] < new.version_key
                                           or (fl.upper[0] == new.version_key and not fl.upper[1])):
                f.fix_unavailable = f"the upper bound of {fl.spec!r} excludes {new.id}; change the specifier by hand"
            elif fl.admits is not None and not any(fl.admits(o.version_key)
                                                   for (p, _), o in ctx.catalog.runtimes.items()
                                                   if p == rt.provider and o.version_key >= new.version_key):
                f.fix_unavailable = f"{fl.spec!r} admits no CPython from {new.id} on; change the specifier by hand"
            else:
                try:
                    f.fix = self._fix(fl, rt, new, file, ctx)
                except Refused as e:
                    f.fix_unavailable = str(e)
            f.fixable = f.fix is not None and ctx.unsafe_fixes
            if f.fix is not None:
                fixes[id(fl)] = f.fix
            elif f.fix_unavailable and past:  # (a floor only within the horizon lets its tools rise to it)
                fixes[id(fl)] = f"moves with the floor {fl.spec!r}, which is not raised: {f.fix_unavailable}"
            out.append(f)
        targets = [x for x in items if isinstance(x, ToolTarget)]
        if targets and ctx.selected("RT401"):
            out += self._targets(targets, fixes, file, ctx)
        return out

    def _targets(self, targets: list[ToolTarget], fixes: dict, file, ctx: Context) -> list[Finding]:
        """RT401 for each tool target past end of life: it moves with its
        floor's fix, or (no floor moves) on its own, to the oldest CPython
        not past end of life."""
        rule, out, own = RULES["RT401"], [], []
        for t in targets:
            rt = ctx.catalog.get(t.site.value, t.site.provider)
            if rt is None or rt.deprecation is None or ctx.as_of < rt.deprecation:
                continue
            new = new_floor(rt, ctx)
            written = file.text[t.site.start:t.site.end].strip("'\"")
            what = f"{t.site.where.field} {written}" + ("" if written == rt.id else f" is {rt.id},")
            message = (f"{what} {'is ' if written == rt.id else ''}{ctx.catalog.provider(rt).deprecated} since "
                       f"{rt.deprecation}" + (f"; target {new.id}" if new else "") + f" ({place(t.site.where)})")
            f = Finding(rule=rule.code, severity=rule.severity, path=file.path,
                        line=file.positions.at(t.site.start)[0], column=file.positions.at(t.site.start)[1],
                        end_line=file.positions.at(t.site.end)[0], end_column=file.positions.at(t.site.end)[1],
                        message=message, runtime=rt.id, provider=t.site.provider, deadlines=rt.deadlines())
            if t.floor is not None and isinstance(fixes.get(id(t.floor)), Fix):
                f.fix = fixes[id(t.floor)]
            elif t.floor is not None and id(t.floor) in fixes:  # a floor that cannot rise holds its tools
                f.fix_unavailable = fixes[id(t.floor)]
            elif new is None:
                f.fix_unavailable = "no CPython version is free of end of life on this date"
            else:
                own.append((f, t.site, new))
            out.append(f)
        if own:
            try:
                edits, expect = _companion_edits([s for _, s, _ in own], own[0][2], file.text)
                at = file.positions.at
                fix = Fix(title=f"Target {own[0][2].id} in {', '.join(sorted({place(s.where) for _, s, _ in own}))} "
                          "(unsafe: the tools then accept what older Pythons reject)", applicability=UNSAFE,
                          edits=tuple(sorted(edits)), expect=tuple(expect),
                          lines=tuple((*at(e.start), *at(e.end)) for e in sorted(edits)))
                for f, _, _ in own:
                    f.fix = fix
            except Refused as e:
                for f, _, _ in own:
                    f.fix_unavailable = str(e)
        for f in out:
            f.fixable = f.fix is not None and ctx.unsafe_fixes
        return out

    @staticmethod
    def _finding(rule, file, fl: Floor, message: str, **kw) -> Finding:
        line, col = file.positions.at(fl.start)
        end_line, end_col = file.positions.at(fl.end)
        return Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                       end_line=end_line, end_column=end_col, message=message, provider=fl.provider, **kw)

    @staticmethod
    def _fix(fl: Floor, rt: Runtime, new: Runtime, file, ctx: Context) -> Fix:
        text, spec = fl.spell(new.id)
        below = [s for s in fl.companions if _key(s.value) < new.version_key]
        edits, expect = _companion_edits(below, new, file.text)
        edits.append(Edit(fl.start, fl.end, text))
        expect.append(Expectation(fl.path, value=spec))
        dropped = [o.id for (p, _), o in ctx.catalog.runtimes.items()
                   if p == rt.provider and o.family == rt.family and o.version_key
                   and rt.version_key <= o.version_key < new.version_key]
        moved = sorted({place(s.where) for s in below})
        at = file.positions.at
        return Fix(title=f"Raise the floor to {new.id}" + (f" with {', '.join(moved)}" if moved else "")
                   + f" (unsafe: drops support for {', '.join(dropped)})",
                   applicability=UNSAFE, edits=tuple(sorted(edits)), expect=tuple(expect),
                   lines=tuple((*at(e.start), *at(e.end)) for e in sorted(edits)))


def _companion_edits(sites: list[Site], new: Runtime, text: str) -> tuple[list, list]:
    """Edits moving ``sites`` to ``new``: a value is rewritten, a list loses
    those entries (and gets ``new`` only if none is left)."""
    edits, expect, lists = [], [], {}
    for site in sites:
        if site.in_list is None:
            e, x = replace_value(site, new.id)
            edits += e
            expect += x
        else:
            lists.setdefault(id(site.in_list), []).append(site)
    for group in lists.values():
        e, x = rewrite_list(group[0].in_list, group, new.id, text, set())
        edits += e
        expect += x
    return edits, expect
