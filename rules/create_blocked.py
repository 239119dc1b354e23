from __future__ import annotations

from . import ERROR, register
from .lifecycle import LifecycleRule


@register
class CreateBlocked(LifecycleRule):
    """## What it does
    Flags a runtime on which the provider no longer creates functions:
    Lambda's *block function create* date (or Google Cloud Functions'
    *decommission* date) has passed.

    ## Why is this bad
    No new function can use this runtime: a new stack, a new region, a
    replaced function or a disaster-recovery redeploy fails.  On Lambda,
    updates to existing functions still work until the block-update date,
    which follows.

    ## Example
    With `--as-of 2026-12-01` (from 2027-03-03 Lambda also blocks updates, and
    RT001 applies):
    ```yaml
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function:
        Runtime: python3.7   # create blocked since 2024-01-09
    Resources:
      Api:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: src/, Handler: app.handler}
    ```
    Use instead: `Runtime: python3.13`.
    """

    code = "RT002"
    name = "runtime-create-blocked"
    severity = ERROR
    summary = "the provider blocks creating functions on this runtime"
    tags = ("aws", "gcp", "lifecycle")

    def applies(self, rt, ctx):
        return rt.block_create is not None and ctx.as_of >= rt.block_create

    def headline(self, rt, ctx):
        return f"{rt.id}: {ctx.catalog.provider(rt).service} blocks creating functions since {rt.block_create}"
