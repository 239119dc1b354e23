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
from iacfix.floors import Floor
from iacfix.model import UNSAFE, Edit, Expectation, Finding, Fix

from . import RULES, Checker, Context, checker
from .lifecycle import classify
from .wording import place


def new_floor(rt: Runtime, ctx: Context) -> Runtime | None:
    """The oldest version of ``rt``'s provider that is not past its end of life on ``ctx.as_of``."""
    alive = [o for (p, _), o in ctx.catalog.runtimes.items()
             if p == rt.provider and o.family == rt.family and not o.preview and o.version_key
             and (o.deprecation is None or ctx.as_of < o.deprecation)]
    return min(alive, key=lambda o: o.version_key, default=None)


def _key(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("."))


@checker
class SupportFloors(Checker):
    consumes = (Floor,)

    def check(self, floors: list[Floor], file, ctx: Context) -> list[Finding]:
        out = []
        for fl in floors:
            rt = ctx.catalog.get(fl.version, fl.provider)
            if rt is None:
                unknown = RULES["RT101"]
                if ctx.selected(unknown.code):
                    out.append(self._finding(unknown, file, fl, f"{fl.version} (the floor of {fl.spec!r}) is not "
                                             f"in iacfix's catalog", runtime=fl.version,
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
            else:
                try:
                    f.fix = self._fix(fl, rt, new, file, ctx)
                except Refused as e:
                    f.fix_unavailable = str(e)
            f.fixable = f.fix is not None and ctx.unsafe_fixes
            out.append(f)
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
        edits, expect = [Edit(fl.start, fl.end, text)], [Expectation(fl.path, value=spec)]
        below = [s for s in fl.companions if _key(s.value) < new.version_key]
        lists: dict[int, list] = {}
        for site in below:
            if site.in_list is None:
                e, x = replace_value(site, new.id)
                edits += e
                expect += x
            else:
                lists.setdefault(id(site.in_list), []).append(site)
        for group in lists.values():
            e, x = rewrite_list(group[0].in_list, group, new.id, file.text, set())
            edits += e
            expect += x
        dropped = [o.id for (p, _), o in ctx.catalog.runtimes.items()
                   if p == rt.provider and o.family == rt.family and o.version_key
                   and rt.version_key <= o.version_key < new.version_key]
        moved = sorted({place(s.where) for s in below})
        at = file.positions.at
        return Fix(title=f"Raise the floor to {new.id}" + (f" with {', '.join(moved)}" if moved else "")
                   + f" (unsafe: drops support for {', '.join(dropped)})",
                   applicability=UNSAFE, edits=tuple(sorted(edits)), expect=tuple(expect),
                   lines=tuple((*at(e.start), *at(e.end)) for e in sorted(edits)))
