"""Judge sites against the catalog: sites -> findings."""

from __future__ import annotations

from iacfix import rules as rules_pkg
from iacfix.catalog import Runtime
from iacfix.edits import Positions
from iacfix.model import Finding, Site, Unresolved
from iacfix.rules import Context, Rule


def _deadline_clause(rt: Runtime, headline: str, ctx: Context) -> str:
    """The runtime's other dates, named as its provider names them."""
    provider = ctx.catalog.provider(rt)
    parts = []
    for key, date in rt.dates.items():
        if date is not None and str(date) not in headline:
            parts.append(f"{provider.dates[key][0]} {date}")
    return (f"{provider.service} " + ", ".join(parts)) if parts else ""


def _context_clause(site_kind: str, where: str, users: list[str]) -> str:
    if site_kind == "property":
        return f"({users[0]})" if users else ""
    if site_kind in ("layer-runtime", "build-method"):
        return f"({where})"
    used = f"; used by {', '.join(users)}" if users else ""
    return f"({where}{used})"


def suggestion(rt: Runtime, target: Runtime | None, ctx: Context) -> str | None:
    """What to move to: the fix target for its family, else the catalog's successor."""
    for candidate in (target, ctx.catalog.get(rt.successor or "", rt.provider)):
        if candidate is not None and ctx.catalog.is_older(rt, candidate):
            return candidate.id
    return None


def fit_target(rt: Runtime, ctx: Context) -> str | None:
    """Why ``rt`` cannot be a fix target, if it cannot: a preview, or a runtime
    an error-level rule (deprecated, blocked) applies to."""
    if rt.preview:
        return "a preview runtime with no published lifecycle"
    blocking = [r for r in rules_pkg.by_kind("lifecycle") if r.severity == "error" and r.applies(rt, ctx)]
    return blocking[0].headline(rt, ctx) if blocking else None


class Judge:
    def __init__(self, ctx: Context, enabled: set[str], target: Runtime | None):
        self.ctx = ctx
        self.target = target
        self._targets: dict[str, Runtime | None] = {}
        self.lifecycle = [r for r in rules_pkg.by_kind("lifecycle") if r.code in enabled]
        self.unknown = next((r for r in rules_pkg.by_kind("unknown") if r.code in enabled), None)
        self.unresolved = next((r for r in rules_pkg.by_kind("unresolved") if r.code in enabled), None)

    def _finding(self, rule: Rule, path: str, pos: Positions, start: int, end: int, message: str, **kw) -> Finding:
        line, col = pos.at(start)
        end_line, end_col = pos.at(end)
        return Finding(rule=rule.code, severity=rule.severity, path=path, line=line, column=col,
                       end_line=end_line, end_column=end_col, message=message, **kw)

    def target_for(self, provider: str) -> Runtime | None:
        """The fix target as ``provider`` spells it (python3.13, python313, 3.13),
        if that provider has it and it is fit to move to there."""
        if provider not in self._targets:
            rt = None if self.target is None else self.ctx.catalog.equivalent(self.target, provider)
            self._targets[provider] = rt if rt is not None and fit_target(rt, self.ctx) is None else None
        return self._targets[provider]

    def site(self, site: Site, path: str, pos: Positions) -> Finding | None:
        ctx = self.ctx
        rt = ctx.catalog.get(site.value, site.provider)
        context = _context_clause(site.kind, site.where, site.users)
        if rt is None:
            if self.unknown is None:
                return None
            name = ctx.catalog.providers[site.provider].name if site.provider in ctx.catalog.providers else site.provider
            msg = f"{site.value!r} is not among the catalog's {name} runtimes (checked {ctx.catalog.last_checked}) {context}"
            return self._finding(self.unknown, path, pos, site.start, site.end, msg.strip(), runtime=site.value,
                                 deadlines=None, fixable=False, provider=site.provider, users=site.users, site=site)
        rule = next((r for r in self.lifecycle if r.applies(rt, ctx)), None)
        if rule is None:
            return None
        headline = rule.headline(rt, ctx)
        parts = [headline]
        clause = _deadline_clause(rt, headline, ctx)
        if clause:
            parts.append(clause)
        target = self.target_for(rt.provider)
        move_to = suggestion(rt, target, ctx)
        if move_to:
            parts.append(f"move to {move_to}")
        if site.blocked:
            parts.append(f"not rewritten: {site.blocked}")
        elif site.in_list is not None and site.in_list.blocked:
            parts.append(f"not rewritten: {site.in_list.blocked}")
        message = "; ".join(parts) + (f" {context}" if context else "")
        fixable = (
            rule.fixable and site.quote is not None and target is not None and not site.blocked
            and rt.family == target.family and ctx.catalog.is_older(rt, target)
            and (site.spell is None or site.spell(target.id) is not None)
            and (site.in_list is None or site.in_list.blocked is None)
        )
        start, end = site.at or (site.start, site.end)
        return self._finding(rule, path, pos, start, end, message, runtime=rt.id, deadlines=rt.deadlines(),
                             fixable=fixable, provider=site.provider, users=site.users, site=site,
                             fix_to=target.id if fixable else None)

    def unresolved_site(self, u: Unresolved, path: str, pos: Positions) -> Finding | None:
        if self.unresolved is None:
            return None
        used = f" (used by {', '.join(u.users)})" if u.users else ""
        msg = f"runtime not resolved statically: {u.reason}{used}"
        return self._finding(self.unresolved, path, pos, u.start, u.end, msg, runtime=None, deadlines=None,
                             fixable=False, users=u.users, provider=u.provider)
