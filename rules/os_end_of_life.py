from __future__ import annotations

from . import WARNING, register
from .lifecycle import LifecycleRule


@register
class OsEndOfLife(LifecycleRule):
    """## What it does
    Flags a Lambda runtime that runs on an operating system past its end of
    life, such as `python3.11`, `java17` or `provided.al2` on Amazon Linux 2
    (end of life 2026-06-30).

    ## Why is this bad
    AWS extended some Amazon Linux 2 runtimes past the OS end of life; they
    receive only critical and selected important fixes.  The Lambda
    deprecation follows (python3.11: 2027-06-30, create blocked 2027-07-31,
    update blocked 2027-08-31), and system packages in the image age with the
    OS.

    ## Example
    With `--as-of 2026-12-01` (from 2027-06-30 python3.11 is deprecated, and
    RT003 applies):
    ```hcl
    resource "aws_lambda_function" "api" {
      function_name = "api"
      runtime       = "python3.11" # Amazon Linux 2, end of life 2026-06-30
    }
    ```
    Use instead: `runtime = "python3.13"` (Amazon Linux 2023).

    ## Fix safety
    The new runtime also changes the OS: native dependencies (wheels built
    for glibc 2.26, `yum` in build scripts) may need a rebuild on AL2023.
    """

    code = "RT004"
    name = "runtime-os-end-of-life"
    severity = WARNING
    summary = "the runtime's operating system is past its end of life"
    url = "https://aws.amazon.com/amazon-linux-2/faqs/"
    tags = ("aws", "lambda", "lifecycle", "os")

    def applies(self, rt, ctx):
        os_ = ctx.catalog.os_of(rt)
        return os_ is not None and os_.end_of_life is not None and ctx.as_of >= os_.end_of_life

    def headline(self, rt, ctx):
        os_ = ctx.catalog.os_of(rt)
        return f"{rt.id} runs on {os_.name}, end of life since {os_.end_of_life}"
