"""cfn-lint as an independent oracle on the golden templates.

cfn-lint judges runtimes against the real date, so iacfix is run with
``--as-of`` today here, and only runtimes whose status is stable for years
appear in the golden files.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from cfnlint.api import lint

from conftest import AS_OF, GOLDEN, console, golden_out
from iacfix import formats

LIFECYCLE_RULES = {"W2531", "E2531", "E2533"}
NOT_TEMPLATES = {"workflow.in.yaml"}  # YAML the CloudFormation format reads, but a GitHub workflow, no template


def _format(name: str) -> str | None:
    fmt = formats.for_path(name)
    return fmt.name if fmt else None


# The golden inputs that are CloudFormation templates, by the format that claims them
# (a suffix would also take Terraform's .tf.json).
CASES = sorted(p.name for p in GOLDEN.glob("*.in.*") if _format(p.name) == "cloudformation" and p.name not in NOT_TEMPLATES)


def test_cases_are_the_cloudformation_templates_and_no_terraform_file():
    golden = {p.name for p in GOLDEN.glob("*.in.*")}
    assert CASES and NOT_TEMPLATES <= golden
    assert not [name for name in CASES if name.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json"))]
    # Terraform JSON is golden too, and CloudFormation JSON stays a case.
    assert "tf_syntax.in.tf.json" in golden and {"stack.in.json", "multi_line.in.json"} <= set(CASES)


def cfnlint_ids(path: Path) -> list[tuple[str, int]]:
    return sorted((m.rule.id, m.linenumber) for m in lint(path.read_text(encoding="utf-8-sig")))


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_fix_introduces_no_new_cfnlint_problem(name):
    before = {rule for rule, _ in cfnlint_ids(GOLDEN / name)}
    after = cfnlint_ids(golden_out(name))
    assert {rule for rule, _ in after} <= before
    text = golden_out(name).read_text(encoding="utf-8-sig").splitlines()
    for rule, line in after:
        if rule in LIFECYCLE_RULES:  # what cfn-lint still flags is a non-Python runtime
            assert "python" not in text[line - 1], (rule, text[line - 1])


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_iacfix_flags_every_line_cfnlint_flags(name, iacfix, copy_golden):
    lines = {line for rule, line in cfnlint_ids(GOLDEN / name) if rule in LIFECYCLE_RULES}
    copy_golden(name)
    ours = {f["line"] for f in iacfix("check", name, "--format", "json", as_of=dt.date.today().isoformat()).json["findings"]}
    assert lines <= ours


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_iacfix_flags_every_function_whose_resolved_runtime_cfnlint_flags(name, iacfix, copy_golden):
    """cfn-lint judges a runtime behind Ref (W1030) or Fn::Sub (W1031) at the
    function's Runtime line; iacfix at the value it resolves to (a parameter's
    Default, a Sub's variable), naming the function among its users."""
    resolved = {m.path[1] for m in lint((GOLDEN / name).read_text(encoding="utf-8-sig"))
                if m.rule.id in ("W1030", "W1031") and "was deprecated" in m.message and m.path[0] == "Resources"}
    copy_golden(name)
    findings = iacfix("check", name, "--format", "json", as_of=dt.date.today().isoformat()).json["findings"]
    ours = {user for f in findings if f["deadlines"] for user in f["used_by"]}
    assert resolved <= ours


@pytest.mark.slow
@pytest.mark.parametrize("name", ["params_allowed.in.yaml", "sam_globals.in.yaml", "mappings_if.in.yaml"])
def test_cfnlint_plugin_reports_what_check_reports(name, iacfix, copy_golden):
    """`cfn-lint --append-rules iacfix.cfnlint_plugin` carries iacfix's findings, at the same places."""
    path = copy_golden(name)
    args = ["--append-rules", "iacfix.cfnlint_plugin", "--format", "json", "--include-checks", "I"]
    for rule in ("E9100", "W9100", "I9100"):
        args += ["-x", f"{rule}:as_of={AS_OF}"]
    run = console("cfn-lint", *args, "--", path)
    got = sorted(
        (m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"], m["Message"].split()[0])
        for m in json.loads(run.stdout) if m["Rule"]["Id"].endswith("9100")
    )
    prefix = {"error": "E", "warning": "W", "info": "I"}
    ours = sorted((prefix[f["severity"]] + "9100", f["line"], f["column"], f["rule"])
                  for f in iacfix("check", name, "--format", "json").json["findings"])
    assert got == ours and got
