"""Acceptances (``iacfix.acceptance``) applied to a unit's findings after checking."""

from . import unit_step


@unit_step
def apply(findings: list[list], ctx) -> None:
    if ctx.accepts:  # iacfix.acceptance is imported only by a run that has acceptances
        from iacfix.acceptance import apply as accept

        accept(findings, ctx)
