"""The checker for runtime sites: each located runtime value is judged by the
lifecycle classifier (RT001-RT005) or reported as unknown (RT101), and gets
its fix: the value moved to the target in its provider's spelling, or, for an
entry of a list, the list rewritten to hold the target once and none of the
flagged runtimes.  A fix that crosses a major version (python2.7 ->
python3.13) is unsafe.  A list of tested versions (a CI matrix) only loses
its entries past end of life, and its findings name the supported versions
it does not test."""

from __future__ import annotations

from iacfix.fixes import Refused, replace_value, rewrite_list
from iacfix.model import SAFE, UNSAFE, Finding, Fix, Site
from iacfix.targets import DEFAULT_FAMILY, suggestion, target_for, unfit

from . import RULES, Checker, Context, checker
from .lifecycle import classify
from .wording import context, deadline_clause, layer_notes, place, still_tested, untested


def _finding(rule, file, site: Site, message: str, **kw) -> Finding:
    start, end = site.at or (site.start, site.end)
    line, col = file.positions.at(start)
    end_line, end_col = file.positions.at(end)
    return Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                   end_line=end_line, end_column=end_col, message=message, provider=site.provider,
                   users=site.users, where=site.where, **kw)


def _judged(rt, ctx: Context) -> tuple:
    """(the lifecycle rule for ``rt``, (its headline, deadline clause, what to move to)):
    the same for every site of one runtime in a run, so worked out once per context."""
    key = ("judged", rt.provider, rt.id)
    hit = ctx._memo.get(key)
    if hit is None:
        rule = classify(rt, ctx)
        said = None
        if rule is not None:
            headline = rule.headline(rt, ctx)
            said = (headline, deadline_clause(rt, headline, ctx), suggestion(rt, ctx))
        hit = ctx._memo[key] = (rule, said)
    return hit


def _deadlines(rt, ctx: Context) -> dict:
    """``rt.deadlines()``, once per runtime in a run: every finding on it shares the dict (read, never changed)."""
    key = ("deadlines", rt.provider, rt.id)
    hit = ctx._memo.get(key)
    if hit is None:
        hit = ctx._memo[key] = rt.deadlines()
    return hit


def _no_fix(site: Site, rt, target, ctx: Context) -> tuple[str | None, bool]:
    """Why ``site`` gets no fix, if it gets none; and whether it is *stuck*:
    it should move to the target but cannot be rewritten (then the values
    tied to it must not move either)."""
    if target is None:
        if ctx.target is None:
            return ctx.no_target or "there is no fix target", False
        same = ctx.catalog.equivalent(ctx.target, rt.provider)
        if same is None:
            return f"{ctx.target.id} has no equivalent on {ctx.catalog.provider(rt).name}", False
        return f"{same.id}, the fix target on {ctx.catalog.provider(rt).name}, is flagged itself: {unfit(same, ctx)}", False
    if rt.family != target.family:
        return (f"the fix target {ctx.target.id} moves {target.family} runtimes; "
                f"fix {rt.family} runtimes with --target set to a {rt.family} runtime"), False
    if not ctx.catalog.is_older(rt, target):
        return f"{rt.id} is not older than the fix target {target.id}", False
    if site.in_list is not None and site.in_list.tested and not (rt.deprecation and ctx.as_of >= rt.deprecation):
        return still_tested(rt), False
    if site.blocked:
        return site.blocked, True
    if site.in_list is not None and site.in_list.blocked:
        return site.in_list.blocked, True
    if site.quote is None:
        return "the value is not written as a plain or quoted literal here (escapes, folding, a template); " \
               "change it by hand", True
    if site.spell is not None and site.spell(target.id) is None:
        return f"{target.id} cannot be written at {place(site.where)} in this file's language or version", True
    return None, False


def _applicability(rt, target) -> str:
    return UNSAFE if rt.version_key[:1] != target.version_key[:1] else SAFE


def _title(values: list[str], target: str, applicability: str, site: Site) -> str:
    if site.insert:
        title = f"Add {target} explicitly"
    elif site.in_list is not None and site.in_list.tested and len(values) < len(site.in_list.items):
        title = f"Remove {', '.join(values)} from {place(site.where)}"
    elif site.in_list is not None:
        title = f"Replace {', '.join(values)} with {target} in {place(site.where)}"
    else:
        title = f"Replace {values[0]} with {target}"
    return title + (" (unsafe: crosses a major version)" if applicability == UNSAFE else "")


def _make_fix(file, title: str, applicability: str, edits, expect, notes, finding: Finding, site: Site) -> Fix:
    if len(edits) == 1 and site.at is None and (edits[0].start, edits[0].end) == (site.start, site.end):
        lines = ((finding.line, finding.column, finding.end_line, finding.end_column),)  # the finding's own span
    else:
        at = file.positions.at  # looks behind the last finding bisect a table of line starts
        lines = tuple((*at(e.start), *at(e.end)) for e in edits)
    return Fix(title=title, applicability=applicability, edits=tuple(edits), expect=tuple(expect),
               notes=tuple(dict.fromkeys(n for n in notes if n)), lines=lines)


@checker
class RuntimeSites(Checker):
    consumes = (Site,)

    def check(self, sites: list[Site], file, ctx: Context) -> list[Finding]:
        findings, members = [], []  # members: (finding, site, target, applicability) of every fix to build
        tested: dict[str, set[str]] = {}  # the versions each list of tested versions holds, by place
        for site in sites:
            if site.in_list is not None and site.in_list.tested:
                tested.setdefault(place(site.where), set()).add(site.value)
        for site in sites:
            rt = ctx.catalog.get(site.value, site.provider)
            if rt is None:
                unknown = RULES["RT101"]
                if ctx.selected(unknown.code):
                    findings.append(_finding(unknown, file, site, unknown.message(site, ctx), runtime=site.value,
                                             fix_unavailable="iacfix does not know this runtime"))
                continue
            rule, said = _judged(rt, ctx)
            if rule is None or not ctx.selected(rule.code):
                continue
            f = _finding(rule, file, site, self._message(said, rt, site, ctx), runtime=rt.id,
                         deadlines=_deadlines(rt, ctx))
            f.tie = site.tied
            if site.in_list is not None and site.in_list.tested:
                f.data["untested"] = untested(tested[place(site.where)], rt, ctx)
                if f.data["untested"]:
                    f.message += f"; the list does not test {', '.join(f.data['untested'])}"
            findings.append(f)
            target = target_for(ctx, rt.provider)
            f.fix_unavailable, f.stuck = _no_fix(site, rt, target, ctx)
            if f.fix_unavailable is None:
                members.append((f, site, target, _applicability(rt, target)))
        # Sites whose fix this run applies: a list entry that reaches one counts it as holding the target.
        applied = {id(s) for _, s, _, a in members if a == SAFE or ctx.unsafe_fixes}
        every = {id(s) for _, s, _, _ in members}
        lists: dict[int, list] = {}
        for m in members:
            f, site, target, applicability = m
            if site.in_list is None:
                self._fix(file, [m], lambda: replace_value(site, target.id))
            else:
                lists.setdefault(id(site.in_list), []).append(m)
        for group in lists.values():
            info, target = group[0][1].in_list, group[0][2]
            safe = [m for m in group if m[3] == SAFE]
            if ctx.unsafe_fixes or len(safe) == len(group):
                tiers = [(group, applied)]
            else:  # the safe entries move now; the whole list only with --unsafe-fixes
                tiers = [(safe, applied), ([m for m in group if m[3] != SAFE], every)]
            for tier, fixing in tiers:
                if not tier:
                    continue
                flagged = [s for _, s, _, _ in (group if fixing is every else tier)]
                self._fix(file, tier, lambda: rewrite_list(info, flagged, target.id, file.text, fixing), flagged)
        for f in findings:
            f.fixable = f.fix is not None and (f.fix.applicability == SAFE or ctx.unsafe_fixes)
        return findings

    @staticmethod
    def _message(said: tuple, rt, site: Site, ctx: Context) -> str:
        headline, dates, move_to = said
        parts = [headline, dates]
        if site.in_list is not None and site.in_list.tested:  # a tested version leaves at its end of life
            move_to = None
            if rt.deprecation and ctx.as_of >= rt.deprecation:
                parts.append("drop it from the list")
        if move_to:
            parts.append(f"move to {move_to}")
        elif ctx.target is None and ctx.no_target and rt.family == DEFAULT_FAMILY:
            parts.append(ctx.no_target)
        blocked = site.blocked or (site.in_list.blocked if site.in_list is not None else None)
        if blocked:
            parts.append(f"not rewritten: {blocked}")
        clause = context(site)
        return "; ".join(p for p in parts if p) + (f" {clause}" if clause else "")

    @staticmethod
    def _fix(file, members, build, moved=None) -> None:
        """Build one fix shared by ``members`` (its title names every entry it moves)."""
        try:
            edits, expect = build()
        except Refused as e:
            for f, _, _, _ in members:
                f.fix_unavailable, f.stuck = str(e), True
            return
        applicability = UNSAFE if any(a == UNSAFE for _, _, _, a in members) else SAFE
        site, target = members[0][1], members[0][2]
        moved = moved or [s for _, s, _, _ in members]
        notes = [n for s in moved for n in layer_notes(s, target.id)]
        fix = _make_fix(file, _title([s.value for s in moved], target.id, applicability, site),
                        applicability, edits, expect, notes, members[0][0], site)
        for f, _, _, _ in members:
            f.fix = fix
