"""Toolchain readiness: a pinned deploy tool that cannot deploy the fix target.

The checker consumes ``ToolPin``s (``aws-cdk-lib`` pins and lock entries, the
``hashicorp/aws`` provider's constraints and lock) and reports each pin that
admits no version accepting the target (RT311), naming the version needed and
its source; bumping a simple pin is an unsafe fix.  ``hold_untooled`` holds
back the runtime fixes that such a pin would break: a CDK constant the pinned
aws-cdk-lib does not define, a Terraform runtime the pinned provider rejects.
"""

from __future__ import annotations

import dataclasses
import os

from iacfix.model import UNSAFE, Edit, Expectation, Finding, Fix, ToolPin
from iacfix.targets import target_for
from iacfix.toolchain import admits, blocking, bumped, cdk_pins, data, first_accepting, pins_in

from . import WARNING, Checker, Context, Rule, checker, register, unit_step

REGENERATE = {"npm": "npm install", "pypi": "pip-compile, poetry lock or uv lock", "terraform": "terraform init -upgrade"}


@register
class ToolchainPin(Rule):
    """## What it does
    Reports a pin of a deploy tool that cannot deploy the fix target: an
    `aws-cdk-lib` version (requirements, `pyproject.toml`, `package.json`,
    lock files) that does not define `Runtime.PYTHON_3_13`, or a
    `hashicorp/aws` provider constraint (`required_providers`,
    `.terraform.lock.hcl`) that admits no version accepting `python3.13`.
    Each "first version that accepts" is recorded in `rules/toolchain.json`
    with its source (a changelog, an issue, or a measurement).  A pin is
    judged where a function could use it: a Terraform directory that declares
    a function, a CDK app's requirements and package files.

    ## Why is this bad
    The runtime fix synthesizes or plans nowhere: `AttributeError: PYTHON_3_13`
    at `cdk synth`, or Terraform's `expected runtime to be one of [...], got
    python3.13` (hashicorp/terraform-provider-aws#40107).  The deployment
    fails after the change was merged.

    ## Example
    With `--as-of 2026-11-21`:
    ```hcl
    terraform {
      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = "~> 5.75.0"
        }
      }
    }

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = "arn:aws:iam::123456789012:role/api"
      handler       = "app.handler"
      runtime       = "python3.13"
    }
    ```

    ## Fix safety
    Bumping the pin is an unsafe fix (`--unsafe-fixes`): a newer tool may
    change other resources.  A lock file is never edited: relax the pin and
    regenerate the lock.  While a pin blocks, `fix` holds back the runtime
    moves it would break.
    """

    code = "RT311"
    name = "toolchain-pin-blocks-target"
    severity = WARNING
    summary = "a pinned deploy tool (aws-cdk-lib, the hashicorp/aws provider) cannot deploy the fix target"
    url = "https://github.com/hashicorp/terraform-provider-aws/issues/40107"
    tags = ("aws", "cdk", "terraform", "toolchain")


def _target(ctx: Context):
    t = target_for(ctx, "aws")
    return t if t is not None and t.family == "python" else None


def _needs(tool: str, row: dict, target) -> str:
    what = data()["tools"][tool]["what"].format(constant=row.get("constant", ""), runtime=target.id)
    exact = "" if row.get("exact", True) else " (or a version a source confirms; older ones may too)"
    return f"{tool} {row['first']}{exact}, which {what}"


@checker
class ToolchainPins(Checker):
    consumes = (ToolPin,)

    def check(self, pins: list, file, ctx: Context) -> list[Finding]:
        rule = ToolchainPin
        target = _target(ctx)
        if target is None or not ctx.selected(rule.code):
            return []
        out = []
        for pin in pins:
            row = first_accepting(pin.tool, target.id)
            if row is None or admits(pin.spec, pin.ecosystem, row["first"]):
                continue
            line, col = file.positions.at(pin.start)
            end_line, end_col = file.positions.at(pin.end)
            f = Finding(rule=rule.code, severity=rule.severity, path=file.path, line=line, column=col,
                        end_line=end_line, end_column=end_col,
                        message=f"{pin.tool} {pin.spec.strip() or '(any)'} cannot deploy {target.id}: it needs "
                                f"{_needs(pin.tool, row, target)} ({row['source']})",
                        data={"tool": pin.tool, "pinned": pin.spec, "needs": row["first"], "blocks": target.id,
                              "source": row["source"], "lock": pin.lock})
            new = None if pin.lock else bumped(pin.spec, pin.ecosystem, row["first"])
            if pin.lock:
                f.fix_unavailable = (f"a lock file; allow {pin.tool} {row['first']} where it is pinned, then "
                                     f"regenerate the lock ({REGENERATE[pin.ecosystem]})")
            elif new is None or pin.spell is None:
                f.fix_unavailable = f"a range: widen it by hand to admit {pin.tool} {row['first']}"
            else:
                text, value = pin.spell(new)
                f.fix = Fix(title=f"Pin {pin.tool} {new} (unsafe: a newer tool may change other resources)",
                            applicability=UNSAFE, edits=(Edit(pin.start, pin.end, text),),
                            expect=(Expectation(pin.path, value=value),),
                            lines=((line, col, end_line, end_col),))
                f.fixable = ctx.unsafe_fixes
            out.append(f)
        return out


def _cdk_constant(f: Finding) -> bool:
    return f.fix is not None and any("PYTHON_" in e.text for e in f.fix.edits)


@unit_step
def hold_untooled(findings: list[list[Finding]], ctx: Context) -> None:
    """Hold back runtime fixes a pinned tool would reject."""
    target = _target(ctx)
    if target is None:
        return
    everything = [f for fs in findings for f in fs]
    unit_pins = [f for f in everything if f.rule == ToolchainPin.code and f.data.get("tool") == "hashicorp/aws"]
    for f in everything:
        if f.fix is None or f.runtime is None or f.provider != "aws" or f.rule == ToolchainPin.code:
            continue
        if f.path.endswith((".py", ".ts")):
            if not _cdk_constant(f):
                continue  # Runtime("python3.13") needs no constant
            blockers = [(p, ln, pin.spec, row["first"]) for p, ln, pin, row in blocking(
                cdk_pins(os.path.dirname(f.path)), target.id)]
        elif f.path.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
            blockers = [(u.path, u.line, u.data["pinned"], u.data["needs"]) for u in unit_pins]
            blockers += [(p, ln, pin.spec, row["first"]) for p, ln, pin, row in blocking(
                pins_in(os.path.dirname(f.path)), target.id) if pin.tool == "hashicorp/aws"]
        else:
            continue
        if not blockers:
            continue
        path, line, spec, first = blockers[0]
        tool = "aws-cdk-lib" if f.path.endswith((".py", ".ts")) else "hashicorp/aws"
        from iacfix.readiness import shown  # imported when a pin blocks, not at start-up

        at = f"{shown(path)}:{line}"
        f.fix = dataclasses.replace(f.fix, applicability=UNSAFE, title=f"{f.fix.title.split(' (unsafe')[0]} "
                                    f"(unsafe: {tool} {spec.strip()} at {at} cannot deploy {target.id})")
        f.message += f"; held back: {tool} {spec.strip()} ({at}) cannot deploy {target.id}, which needs {first}"
        f.data["held_back_by_tool"] = {"tool": tool, "at": at, "pinned": spec, "needs": first}
        f.fixable = ctx.unsafe_fixes
        f.stuck = f.stuck or not ctx.unsafe_fixes
