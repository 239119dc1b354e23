"""The checker for runtime sites: each located runtime value is judged by the
lifecycle classifier (RT001-RT005) or reported as unknown (RT101), and gets
its fix: the value moved to the target in its provider's spelling, or, for an
entry of a list, the list rewritten to hold the target once and none of the
flagged runtimes.  A fix that crosses a major version (python2.7 ->
python3.13) is unsafe."""

from __future__ import annotations

from iacfix.fixes import Refused, replace_value, rewrite_list
from iacfix.model import SAFE, UNSAFE, Finding, Fix, Site
from iacfix.targets import DEFAULT_FAMILY, suggestion, target_for

from . import RULES, Checker, Context, checker
from .lifecycle import classify
from .wording import context, deadline_clause, layer_notes, place


def _finding(rule, file, site: Site, message: str, **kw) -> Finding:
    start, end = site.at or (site.start, site.end)
    line, col = file.positions.at(start)
    end_line, end_col = file.positions.at(end)
    return Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                   end_line=end_line, end_column=end_col, message=message, provider=site.provider,
                   users=site.users, **kw)


def _no_fix(site: Site, rt, target, ctx: Context) -> str | None:
    """Why ``site`` gets no fix, if it gets none."""
    if site.blocked:
        return site.blocked
    if site.in_list is not None and site.in_list.blocked:
        return site.in_list.blocked
    if site.quote is None:
        return "the value is not written as a plain or quoted literal here (escapes, folding, a template); change it by hand"
    if target is None:
        if ctx.target is None:
            return ctx.no_target or "there is no fix target"
        return f"{ctx.target.id} has no supported equivalent on {ctx.catalog.provider(rt).name}"
    if rt.family != target.family:
        return (f"the fix target {ctx.target.id} moves {target.family} runtimes; "
                f"fix {rt.family} runtimes with --target set to a {rt.family} runtime")
    if not ctx.catalog.is_older(rt, target):
        return f"{rt.id} is not older than the fix target {target.id}"
    if site.spell is not None and site.spell(target.id) is None:
        return f"{target.id} cannot be written at {place(site.where)}"
    return None


def _applicability(rt, target) -> str:
    return UNSAFE if rt.version_key[:1] != target.version_key[:1] else SAFE


def _title(values: list[str], target: str, applicability: str, site: Site) -> str:
    if site.insert:
        title = f"Add {target} explicitly"
    elif site.in_list is not None:
        title = f"Replace {', '.join(values)} with {target} in {place(site.where)}"
    else:
        title = f"Replace {values[0]} with {target}"
    return title + (" (unsafe: crosses a major version)" if applicability == UNSAFE else "")


def _make_fix(file, title: str, applicability: str, edits, expect, notes) -> Fix:
    at = file.edit_positions.at
    return Fix(title=title, applicability=applicability, edits=tuple(edits), expect=tuple(expect),
               notes=tuple(dict.fromkeys(n for n in notes if n)),
               lines=tuple((*at(e.start), *at(e.end)) for e in edits))


@checker
class RuntimeSites(Checker):
    consumes = (Site,)

    def check(self, sites: list[Site], file, ctx: Context) -> list[Finding]:
        findings, single, lists = [], [], {}
        for site in sites:
            rt = ctx.catalog.get(site.value, site.provider)
            if rt is None:
                unknown = RULES["RT101"]
                if ctx.selected(unknown.code):
                    findings.append(_finding(unknown, file, site, unknown.message(site, ctx), runtime=site.value,
                                             fix_unavailable="iacfix does not know this runtime"))
                continue
            rule = classify(rt, ctx)
            if rule is None or not ctx.selected(rule.code):
                continue
            target = target_for(ctx, rt.provider)
            headline = rule.headline(rt, ctx)
            parts = [headline, deadline_clause(rt, headline, ctx)]
            move_to = suggestion(rt, ctx)
            if move_to:
                parts.append(f"move to {move_to}")
            elif ctx.target is None and ctx.no_target and rt.family == DEFAULT_FAMILY:
                parts.append(ctx.no_target)
            blocked = site.blocked or (site.in_list.blocked if site.in_list is not None else None)
            if blocked:
                parts.append(f"not rewritten: {blocked}")
            clause = context(site)
            message = "; ".join(p for p in parts if p) + (f" {clause}" if clause else "")
            f = _finding(rule, file, site, message, runtime=rt.id, deadlines=rt.deadlines())
            findings.append(f)
            f.fix_unavailable = _no_fix(site, rt, target, ctx)
            if f.fix_unavailable is None:
                member = (f, site, _applicability(rt, target))
                if site.in_list is None:
                    single.append((member, target))
                else:
                    lists.setdefault(id(site.in_list), (site.in_list, target, []))[2].append(member)
        fixing = {id(m[1]) for m, _ in single} | {id(m[1]) for _, _, ms in lists.values() for m in ms}
        for (f, site, applicability), target in single:
            self._fix(file, [(f, site, applicability)], target, lambda: replace_value(site, target.id))
        for info, target, members in lists.values():
            flagged = [s for _, s, _ in members]
            self._fix(file, members, target, lambda: rewrite_list(info, flagged, target.id, file.text, fixing))
        for f in findings:
            f.fixable = f.fix is not None and (f.fix.applicability == SAFE or ctx.unsafe_fixes)
        return findings

    @staticmethod
    def _fix(file, members, target, build) -> None:
        try:
            edits, expect = build()
        except Refused as e:
            for f, _, _ in members:
                f.fix_unavailable = str(e)
            return
        applicability = UNSAFE if any(a == UNSAFE for _, _, a in members) else SAFE
        site = members[0][1]
        notes = [n for _, s, _ in members for n in layer_notes(s, target.id)]
        fix = _make_fix(file, _title([s.value for _, s, _ in members], target.id, applicability, site),
                        applicability, edits, expect, notes)
        for f, _, _ in members:
            f.fix = fix
