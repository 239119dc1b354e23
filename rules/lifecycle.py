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


FIX_SAFETY = """\
`iacfix fix` moves the sites of the target's family (Python by default,
spelled `python313` on Google Cloud and `3.13` on Azure) to `--target`,
changing only the value.  Within a major version the fix is *safe*: test
the function code on the new runtime before deploying.  Across a major
version (`python2.7`, or `nodejs18.x` -> `nodejs24.x`) it is *unsafe*,
applied only with `--unsafe-fixes`.  A value iacfix must not rewrite (a CDK
constant that is compared, a validation it cannot keep valid) is reported
with the reason in `fix_unavailable`.  CPython versions in CI and version
files move the same way (`3.9` -> `3.13`), but a list of tested versions
only loses its entries past end of life; a support floor
(`requires-python = ">=3.9"`) rises to the oldest CPython not past its end
of life, with its classifiers: *unsafe*, it drops users of older versions."""


class LifecycleRule(Rule):
    """A rule that judges a known runtime against its dates."""

    def docs(self) -> str:
        """The rule's own text, with the fix safety every lifecycle rule shares."""
        own = super().docs()
        head, _, extra = own.partition("## Fix safety\n")
        return f"{head.rstrip()}\n\n## Fix safety\n{FIX_SAFETY}" + (f"\n\n{extra.strip()}" if extra.strip() else "")

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
