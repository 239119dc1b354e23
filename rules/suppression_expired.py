from __future__ import annotations

from . import WARNING, Rule, register

SUPPRESSIONS_URL = "https://docs.astral.sh/ruff/linter/#error-suppression"  # the convention followed (noqa, RUF100)


class SuppressionRule(Rule):
    """Rules about suppressions themselves (RT901-RT999): never fixed automatically."""

    url = SUPPRESSIONS_URL
    tags = ("suppression",)
    fix_safety = "never"


def covered(s) -> str:
    """``RT004``, ``RT003, RT004`` or ``every rule``: what a suppression names."""
    return ", ".join(sorted(s.codes)) if s.codes else "every rule"


def because(s) -> str:
    return f" (reason: {s.reason})" if s.reason else ""


@register
class SuppressionExpired(SuppressionRule):
    """## What it does
    Reports a suppression (`# iacfix: ignore[...] until=DATE`, or a
    CloudFormation resource's `Metadata.iacfix.ignore` entry with `until`)
    whose date has passed.  From the day after its `until` date it holds
    nothing back: what it covered is reported again beside this finding.

    ## Why is this bad
    A suppression with a date is a risk accepted for a while ("python3.9
    here is accepted until 2027-01-31").  When the while is over, the risk
    must be looked at again: either the runtime moves, or someone renews the
    acceptance with a new date and a reason.

    ## Example
    With `--as-of 2026-11-21`:
    ```yaml
    Runtime: python3.13  # iacfix: ignore[RT004] until=2026-06-30 reason="moving to AL2023 in Q2"
    ```
    Use instead: remove the comment (the runtime was moved), or give it a new
    `until` date.

    ## Fix safety
    Never fixed automatically: only a person can accept a risk again.
    """

    code = "RT901"
    name = "suppression-expired"
    severity = WARNING
    summary = "a suppression is past its until date and no longer holds findings back"

    def message(self, s, ctx) -> str:
        return (f"suppression of {covered(s)} expired on {s.until}{because(s)} and holds nothing back any more; "
                f"fix what it covered, or renew its until date")
