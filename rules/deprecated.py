from __future__ import annotations

from . import ERROR, Rule, register


@register
class Deprecated(Rule):
    """## What it does
    Flags a Lambda runtime that AWS has deprecated.

    ## Why is this bad
    A deprecated runtime gets no security patches and no technical support.
    AWS then blocks creating functions on it, and later updating them; the
    finding names both dates so the migration can be planned before them.

    ## Example
    ```yaml
    Parameters:
      PythonRuntime:
        Type: String
        Default: python3.9   # deprecated 2025-12-15
    ```
    Use instead: `Default: python3.13` (iacfix also keeps `AllowedValues` valid).

    ## Fix safety
    Only the value changes.  Test the function code on the new runtime.
    """

    code = "RT003"
    name = "runtime-deprecated"
    severity = ERROR
    summary = "the runtime is deprecated: no security patches"
    tags = ("aws", "lambda", "lifecycle")

    def applies(self, rt, ctx):
        return rt.deprecation is not None and ctx.as_of >= rt.deprecation

    def headline(self, rt, ctx):
        return f"{rt.id} is deprecated since {rt.deprecation}"
