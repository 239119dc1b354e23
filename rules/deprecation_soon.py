from __future__ import annotations

from . import WARNING, register
from .lifecycle import LifecycleRule


@register
class DeprecationSoon(LifecycleRule):
    """## What it does
    Flags a runtime whose deprecation date (Azure: end of support) falls
    within the horizon (`--horizon DAYS`, default 365) after the judgement
    date (`--as-of`).

    ## Why is this bad
    Deprecation starts the clock: create and update blocks (Google:
    decommission) follow within months.  Moving while the runtime is still supported leaves time to test.

    ## Example
    With `--as-of 2028-01-01`:
    ```yaml
    Resources:
      Api:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12   # deprecated 2028-10-31, in 304 days
    ```
    Use instead: `Runtime: python3.13`.  With the default horizon python3.11
    is never RT005: its deprecation (2027-06-30) comes 365 days after the end
    of life of Amazon Linux 2 (2026-06-30), from which RT004 applies.
    """

    code = "RT005"
    name = "runtime-deprecation-soon"
    severity = WARNING
    summary = "the runtime is deprecated within the horizon"
    tags = ("aws", "gcp", "azure", "lifecycle")

    def applies(self, rt, ctx):
        return rt.deprecation is not None and ctx.as_of < rt.deprecation <= ctx.horizon_end

    def headline(self, rt, ctx):
        days = (rt.deprecation - ctx.as_of).days
        provider = ctx.catalog.provider(rt)
        verb = provider.upcoming or f"is {provider.deprecated}"
        return f"{rt.id} {verb} on {rt.deprecation}, in {days} day{'s' if days != 1 else ''}"
