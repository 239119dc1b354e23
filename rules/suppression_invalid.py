from __future__ import annotations

from . import WARNING, register
from .suppression_expired import SuppressionRule


@register
class SuppressionInvalid(SuppressionRule):
    """## What it does
    Reports a suppression that cannot be read: an unknown rule code or name,
    an `until` that is not a `YYYY-MM-DD` date, or text after the rule list
    other than `until=...` and `reason="..."`.  Such a suppression holds
    nothing back.

    ## Why is this bad
    A misspelt suppression (`RT04` for `RT004`) looks like it works; without
    this finding its author would believe the finding was accepted.

    ## Example
    ```yaml
    Runtime: python3.13  # iacfix: ignore[RT04]
    ```
    Use instead: `# iacfix: ignore[RT004]`.

    ## Fix safety
    Never fixed automatically.
    """

    code = "RT903"
    name = "suppression-invalid"
    severity = WARNING
    summary = "a suppression cannot be read, so it holds nothing back"

    def message(self, s, ctx) -> str:
        return f"suppression cannot be read: {s.problem}; it holds nothing back"
