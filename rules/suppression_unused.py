from __future__ import annotations

from . import INFO, register
from .suppression_expired import SuppressionRule, because, covered


@register
class SuppressionUnused(SuppressionRule):
    """## What it does
    Reports a suppression that holds back no finding (like ruff's RUF100
    for unused `noqa` comments): the runtime it was written for has moved,
    or it names another rule than the one that applies.  A suppression
    naming only rules the run does not select is not reported, nor is a
    bare `ignore` (every rule) when the run leaves any rule out.

    ## Why is this bad
    A stale suppression hides the next finding on its line without anyone
    deciding so: when the runtime later ages into the rule it names, nobody
    is told.

    ## Example
    ```yaml
    Runtime: python3.13  # iacfix: ignore[RT004] reason="python3.11 until the migration"
    ```
    Use instead: remove the comment.

    ## Fix safety
    Never fixed automatically: remove the comment by hand.
    """

    code = "RT902"
    name = "suppression-unused"
    severity = INFO
    summary = "a suppression holds back no finding"

    def message(self, s, ctx) -> str:
        return f"suppression of {covered(s)} holds back no finding{because(s)}; remove it"
