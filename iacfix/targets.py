"""The fix target: chosen by the user or derived from the catalog, checked,
and spelled as each provider spells it.

The default target is derived, never hard-coded: of the generally available
runtimes of the family (Python on AWS Lambda) that no lifecycle rule flags on
the judgement date, the one supported longest, and of those the oldest (the
smallest move for the same support window).  On 2026-11-30 that is
python3.13: python3.14 has the same deprecation date.  When no runtime of the
family is clean on that date there is no default target: findings are still
reported, and say so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .catalog import Catalog, Runtime
from .rules import SEVERITY_RANK, Context
from .rules.lifecycle import classify

DEFAULT_FAMILY, DEFAULT_PROVIDER = "python", "aws"
_FAR = dt.date.max


def unfit(rt: Runtime, ctx: Context, worst: str = "info") -> str | None:
    """Why ``rt`` cannot be a fix target on ``ctx.as_of``, if it cannot: a
    preview, or a lifecycle rule at ``worst`` severity or above flags it."""
    if rt.preview:
        return "a preview runtime with no published lifecycle"
    rule = classify(rt, ctx)
    if rule is not None and SEVERITY_RANK[rule.severity] >= SEVERITY_RANK[worst]:
        return f"{rule.headline(rt, ctx)} ({rule.code} as of {ctx.as_of})"
    return None


def default_target(catalog: Catalog, ctx: Context, family: str = DEFAULT_FAMILY,
                   provider: str = DEFAULT_PROVIDER) -> tuple[Runtime | None, str]:
    """(target, "") or (None, why there is none)."""
    clean = [rt for (p, _), rt in catalog.runtimes.items()
             if p == provider and rt.family == family and rt.version_key and unfit(rt, ctx) is None]
    if not clean:
        name = catalog.providers[provider].name if provider in catalog.providers else provider
        return None, f"no {family} runtime of {name} is free of lifecycle findings on {ctx.as_of}" + _way_out(
            [rt for (p, _), rt in catalog.runtimes.items() if p == provider and rt.family == family], ctx)
    best = min(clean, key=lambda rt: (-(rt.deprecation or _FAR).toordinal(), rt.version_key))
    return best, ""


def _way_out(runtimes: list[Runtime], ctx: Context) -> str:
    """What would make a target acceptable: a shorter horizon, when only
    deprecations within it stand in the way."""
    soon = [rt for rt in runtimes if not rt.preview and rt.deprecation and rt.deprecation > ctx.as_of
            and unfit(rt, dataclasses.replace(ctx, horizon_days=0)) is None]
    if not soon:
        return ""
    best = max(soon, key=lambda rt: (rt.deprecation, tuple(-v for v in rt.version_key)))
    days = (best.deprecation - ctx.as_of).days
    return (f" within the {ctx.horizon_days}-day horizon; {best.id} is deprecated in {days} days, "
            f"so --horizon {days - 1} (or less) accepts it as --target")


def refusal(rt: Runtime, ctx: Context) -> str | None:
    """Why ``--target rt`` is refused, with a way out if there is one."""
    why = unfit(rt, ctx)
    if why is None:
        return None
    return f"{why}; choose a runtime no rule flags on {ctx.as_of}" + _way_out([rt], ctx)


def with_target(ctx: Context, target: Runtime | None, why_none: str = "") -> Context:
    return dataclasses.replace(ctx, target=target, no_target=why_none)


def target_for(ctx: Context, provider: str) -> Runtime | None:
    """The fix target as ``provider`` spells it (python3.13, python313, 3.13),
    if that provider has it and no lifecycle rule flags it there."""
    cache = ctx._targets
    if provider not in cache:
        rt = None if ctx.target is None else ctx.catalog.equivalent(ctx.target, provider)
        cache[provider] = rt if rt is not None and unfit(rt, ctx) is None else None
    return cache[provider]


def suggestion(rt: Runtime, ctx: Context) -> str | None:
    """What to move to: the fix target for its family, else the catalog's
    successor, if it is newer and no lifecycle rule flags it."""
    target = target_for(ctx, rt.provider)
    for candidate in (target, ctx.catalog.get(rt.successor or "", rt.provider)):
        if candidate is not None and ctx.catalog.is_older(rt, candidate) and unfit(candidate, ctx) is None:
            return candidate.id
    return None
