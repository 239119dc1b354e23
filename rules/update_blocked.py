from __future__ import annotations

from . import ERROR, register
from .lifecycle import LifecycleRule


@register
class UpdateBlocked(LifecycleRule):
    """## What it does
    Flags a runtime whose provider no longer lets functions on it be updated:
    Lambda's *block function update* date, or Google Cloud Functions'
    *decommission* date, has passed.

    ## Why is this bad
    From that date the provider rejects any update to a function on this
    runtime: no new code, no configuration change, so a stack that holds it
    cannot deploy.  Lambda invocations keep working, which is why the breakage
    shows up only on the next release, usually under time pressure; Google may
    also disable functions left on a decommissioned runtime.

    ## Example
    ```yaml
    Resources:
      Handler:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.6   # update blocked since 2022-08-29
    ```
    Use instead: `Runtime: python3.13`.
    """

    code = "RT001"
    name = "runtime-update-blocked"
    severity = ERROR
    summary = "the provider blocks updating functions on this runtime"
    tags = ("aws", "gcp", "lifecycle")

    def applies(self, rt, ctx):
        return rt.block_update is not None and ctx.as_of >= rt.block_update

    def headline(self, rt, ctx):
        return f"{rt.id}: {ctx.catalog.provider(rt).service} blocks function updates since {rt.block_update}"
