from __future__ import annotations

from iacfix.model import Finding, Unresolved

from . import INFO, RULES, Checker, Rule, checker, register


@register
class UnresolvedRuntime(Rule):
    """## What it does
    Reports a runtime property whose value cannot be known statically: built
    with `Fn::Join`, or with an `Fn::Sub` other than one `${Var}` that names a
    parameter with a `Default` or an entry of its variable map, imported with
    `Fn::ImportValue`, read from SSM, or taken from a parameter that has no
    `Default`; in Terraform, a function call, a data source, an interpolation
    or a variable with no default and no `.tfvars` assignment; in a Serverless
    service, `${ssm:...}`, `${cf:...}`, `${s3:...}` and any variable without a
    literal fallback iacfix can follow; in a templated (cookiecutter) file, a
    runtime written by a Jinja expression such as `{{ cookiecutter.runtime }}`.

    ## Why is this bad
    It is not bad in itself, but iacfix cannot tell which runtime deploys, so
    the deadline must be checked where the value is chosen.  iacfix says so at
    the use site instead of guessing.

    ## Example
    ```yaml
    Resources:
      Api:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: !ImportValue shared-python-runtime
    ```

    ## Fix safety
    Never fixed automatically.
    """

    code = "RT102"
    name = "runtime-unresolved"
    severity = INFO
    summary = "the runtime value cannot be resolved statically"
    url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html"
    tags = ("aws", "gcp", "azure")
    fix_safety = "never"

    def message(self, u: Unresolved) -> str:
        used = f" (used by {', '.join(u.users)})" if u.users else ""
        return f"runtime not resolved statically: {u.reason}{used}"


@checker
class UnresolvedSites(Checker):
    consumes = (Unresolved,)

    def check(self, items: list[Unresolved], file, ctx) -> list[Finding]:
        rule = RULES["RT102"]
        if not ctx.selected(rule.code):
            return []
        out = []
        for u in items:
            line, col = file.positions.at(u.start)
            end_line, end_col = file.positions.at(u.end)
            out.append(Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                               end_line=end_line, end_column=end_col, message=rule.message(u), provider=u.provider,
                               users=u.users, fix_unavailable="the value is not known statically; "
                               "check the deadline where it is chosen"))
        return out
