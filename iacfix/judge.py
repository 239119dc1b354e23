"""Judge sites against the catalog: sites -> findings."""

from __future__ import annotations

from iacfix import rules as rules_pkg
from iacfix.catalog import Runtime
from iacfix.edits import Positions
from iacfix.model import Finding, Site, Unresolved
from iacfix.rules import Context, Rule


def _deadline_clause(rt: Runtime, headline: str) -> str:
    parts = []
    for label, date in (("deprecation", rt.deprecation), ("create blocked", rt.block_create), ("update blocked", rt.block_update)):
        if date is not None and str(date) not in headline:
            parts.append(f"{label} {date}")
    return ("Lambda " + ", ".join(parts)) if parts else ""


def _context_clause(site_kind: str, where: str, users: list[str]) -> str:
    if site_kind == "property":
        return f"({users[0]})" if users else ""
    if site_kind in ("layer-runtime", "build-method"):
        return f"({where})"
    used = f"; used by {', '.join(users)}" if users else ""
    return f"({where}{used})"


def suggestion(rt: Runtime, target: Runtime | None, ctx: Context) -> str | None:
    """What to move to: the fix target for its family, else the catalog's successor."""
    for candidate in (target, ctx.catalog.get(rt.successor or "")):
        if candidate is not None and ctx.catalog.is_older(rt, candidate):
            return candidate.id
    return None


class Judge:
    def __init__(self, ctx: Context, enabled: set[str], target: Runtime | None):
        self.ctx = ctx
        self.target = target
        self.lifecycle = [r for r in rules_pkg.by_kind("lifecycle") if r.code in enabled]
        self.unknown = next((r for r in rules_pkg.by_kind("unknown") if r.code in enabled), None)
        self.unresolved = next((r for r in rules_pkg.by_kind("unresolved") if r.code in enabled), None)

    def _finding(self, rule: Rule, path: str, pos: Positions, start: int, end: int, message: str, **kw) -> Finding:
        line, col = pos.at(start)
        end_line, end_col = pos.at(end)
        return Finding(rule=rule.code, severity=rule.severity, path=path, line=line, column=col,
                       end_line=end_line, end_column=end_col, message=message, **kw)

    def site(self, site: Site, path: str, pos: Positions) -> Finding | None:
        ctx = self.ctx
        rt = ctx.catalog.get(site.value)
        context = _context_clause(site.kind, site.where, site.users)
        if rt is None:
            if self.unknown is None:
                return None
            msg = f"{site.value!r} is not a runtime in the catalog (checked {ctx.catalog.last_checked}) {context}"
            return self._finding(self.unknown, path, pos, site.start, site.end, msg.strip(), runtime=site.value,
                                 deadlines=None, fixable=False, provider=site.provider, users=site.users, site=site)
        rule = next((r for r in self.lifecycle if r.applies(rt, ctx)), None)
        if rule is None:
            return None
        headline = rule.headline(rt, ctx)
        parts = [headline]
        clause = _deadline_clause(rt, headline)
        if clause:
            parts.append(clause)
        move_to = suggestion(rt, self.target, ctx)
        if move_to:
            parts.append(f"move to {move_to}")
        if site.in_list is not None and site.in_list.blocked:
            parts.append(f"not rewritten: {site.in_list.blocked}")
        message = "; ".join(parts) + (f" {context}" if context else "")
        fixable = (
            rule.fixable and site.quote is not None and self.target is not None
            and rt.family == self.target.family and ctx.catalog.is_older(rt, self.target)
            and (site.spell is None or site.spell(self.target.id) is not None)
            and (site.in_list is None or site.in_list.blocked is None)
        )
        start, end = site.at or (site.start, site.end)
        return self._finding(rule, path, pos, start, end, message, runtime=rt.id, deadlines=rt.deadlines(),
                             fixable=fixable, provider=site.provider, users=site.users, site=site)

    def unresolved_site(self, u: Unresolved, path: str, pos: Positions) -> Finding | None:
        if self.unresolved is None:
            return None
        used = f" (used by {', '.join(u.users)})" if u.users else ""
        msg = f"runtime not resolved statically: {u.reason}{used}"
        return self._finding(self.unresolved, path, pos, u.start, u.end, msg, runtime=None, deadlines=None,
                             fixable=False, users=u.users)
