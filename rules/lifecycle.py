"""The lifecycle classifier: which of RT001-RT005 speaks for a runtime.

The precedence is written here and nowhere else: the gravest date that has
passed wins (updates blocked, then creates blocked, then deprecated), then the
operating system's end of life, then a deprecation within the horizon.
``iacfix check``, the fix target's fitness and ``iacfix runtimes`` all ask
``classify``.
"""

from __future__ import annotations

from iacfix.catalog import Runtime

from . import RULES, Context, Rule

PRECEDENCE = ("RT001", "RT002", "RT003", "RT004", "RT005")


class LifecycleRule(Rule):
    """A rule that judges a known runtime against its dates."""

    def applies(self, rt: Runtime, ctx: Context) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def headline(self, rt: Runtime, ctx: Context) -> str:  # pragma: no cover - interface
        raise NotImplementedError


def classify(rt: Runtime, ctx: Context) -> LifecycleRule | None:
    """The lifecycle rule that applies to ``rt`` on ``ctx.as_of``, if any;
    selection (--select/--ignore) never changes the answer."""
    for code in PRECEDENCE:
        rule = RULES[code]
        if rule.applies(rt, ctx):
            return rule
    return None


def status(rt: Runtime, ctx: Context) -> str:
    """A runtime's status word for ``iacfix runtimes``."""
    if rt.preview:
        return "preview"
    rule = classify(rt, ctx)
    return rule.name.removeprefix("runtime-") if rule else "supported"
