from __future__ import annotations

from . import ERROR, register
from .lifecycle import LifecycleRule


@register
class Deprecated(LifecycleRule):
    """## What it does
    Flags a runtime its provider has deprecated: a Lambda or Google Cloud
    Functions runtime past its deprecation date, an Azure Functions Python
    version past its end of support, or a CPython version past its end of
    life in CI workflows, version files or packaging metadata.

    ## Why is this bad
    A deprecated runtime gets no security patches and no technical support.
    Lambda then blocks creating functions on it, and later updating them;
    Google decommissions it.  The finding names those dates so the migration
    can be planned before them.

    ## Example
    With `--as-of 2026-12-01` (from 2027-02-01 Lambda blocks creating
    functions on python3.9, and RT002 applies):
    ```yaml
    Parameters:
      PythonRuntime:
        Type: String
        Default: python3.9   # deprecated 2025-12-15
        AllowedValues: [python3.9, python3.12]
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: !Ref PythonRuntime
    ```
    Use instead: `Default: python3.13`; iacfix also keeps `AllowedValues`
    valid (`[python3.13, python3.12]`).
    """

    code = "RT003"
    name = "runtime-deprecated"
    severity = ERROR
    summary = "the runtime is deprecated: no security patches"
    tags = ("aws", "gcp", "azure", "lifecycle")

    def applies(self, rt, ctx):
        return rt.deprecation is not None and ctx.as_of >= rt.deprecation

    def headline(self, rt, ctx):
        return f"{rt.id} is {ctx.catalog.provider(rt).deprecated} since {rt.deprecation}"
