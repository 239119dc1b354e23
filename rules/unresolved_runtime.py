from __future__ import annotations

from . import INFO, Rule, register


@register
class UnresolvedRuntime(Rule):
    """## What it does
    Reports a runtime property whose value cannot be known statically: built
    with `Fn::Join`, or with an `Fn::Sub` other than one `${Var}` that names a
    parameter with a `Default` or an entry of its variable map, imported with
    `Fn::ImportValue`, read from SSM, or taken from a parameter that has no
    `Default`; in Terraform, a function call, a data source, an interpolation
    or a variable with no default and no `.tfvars` assignment.

    ## Why is this bad
    It is not bad in itself, but iacfix cannot tell which runtime deploys, so
    the deadline must be checked where the value is chosen.  iacfix says so at
    the use site instead of guessing.

    ## Example
    ```yaml
    Runtime: !ImportValue shared-python-runtime
    ```

    ## Fix safety
    Never fixed automatically.
    """

    code = "RT102"
    name = "runtime-unresolved"
    kind = "unresolved"
    severity = INFO
    summary = "the runtime value cannot be resolved statically"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html"
    tags = ("aws", "gcp", "azure")
    fixable = False
