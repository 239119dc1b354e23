"""What the documentation says works, run as written.

The `cfn-lint ...` lines of README.md's "Inside cfn-lint" block are run with
the venv's cfn-lint on a copy of samples/sam-orders/template.yaml (their
`template.yaml` replaced by its path): each must exit with the status its
findings call for and carry exactly what `iacfix check` reports with the same
settings, one of E9100/W9100/I9100 per site.

The example under "## Example" of every rule's `iacfix explain CODE` is
checked with the `--as-of` it states: `iacfix check` must report that rule
there, and only that rule.
"""

import datetime as dt
import re
import shlex
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, console
from iacfix.rules import RULES

README = ROOT / "README.md"
PLUGIN_IDS = ("E9100", "W9100", "I9100")
SEVERITY_ID = {"error": "E9100", "warning": "W9100", "info": "I9100"}
EXIT_BIT = {"E": 2, "W": 4, "I": 8}  # cfn-lint's exit status: one bit per level found
MATCH = re.compile(r"^([EWI]\d{4}) (\S+).*\n(.+):(\d+):(\d+)$", re.M)
SETTING = re.compile(r"([EWI]9100):(as_of|horizon)=(.*)")
# Appended to the sample's Resources: a runtime iacfix cannot resolve (RT102, I9100).
UNRESOLVED = """
  LegacyReports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/legacy/
      Handler: app.handler
      Runtime: !ImportValue shared-python-runtime
"""


def readme_cfnlint_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n### Inside cfn-lint\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("cfn-lint ")]


COMMANDS = readme_cfnlint_commands()


def test_readme_documents_the_plugin_commands():
    assert len(COMMANDS) == 3
    assert any("-x" in shlex.split(c) for c in COMMANDS)
    assert any("I9100" in shlex.split(c) for c in COMMANDS)


def cfn_lint(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return console("cfn-lint", *args, cwd=cwd)


def matches(stdout: str) -> list[tuple[str, str, int, int]]:
    """(rule id, first word of the message, line, column) of each match in cfn-lint's default output."""
    return [(m[1], m[2], int(m[4]), int(m[5])) for m in MATCH.finditer(stdout)]


def settings(args: list[str]) -> dict[str, str]:
    """The iacfix settings a command gives with `-x ID:key=value` (any of the three ids)."""
    out: dict[str, str] = {}
    for arg in args:
        for part in arg.split(","):
            m = SETTING.fullmatch(part)
            if m:
                assert out.get(m[2], m[3]) == m[3], f"the README gives {m[2]} two values"
                out[m[2]] = m[3]
    return out


def includes_info(args: list[str]) -> bool:
    for i, arg in enumerate(args):
        if arg in ("-c", "--include-checks"):
            for value in args[i + 1:]:
                if value.startswith("-"):
                    break
                if {"I", "I9100"} & set(value.split(",")):
                    return True
    return False


def template(write, unresolved: bool) -> Path:
    """The SAM sample at stacks/orders.yaml (under tmp_path), with UNRESOLVED appended if asked."""
    sample = (SAMPLES / "sam-orders" / "template.yaml").read_bytes()
    return write("stacks/orders.yaml", sample + (UNRESOLVED.encode() if unresolved else b""))


def expected(iacfix, path: Path, given: dict[str, str], info: bool) -> list[tuple[str, str, int, int]]:
    args = ["check", str(path), "--format", "json", "--horizon", given.get("horizon", "365")]
    found = iacfix(*args, as_of=given.get("as_of", dt.date.today().isoformat())).json["findings"]
    return sorted((SEVERITY_ID[f["severity"]], f["rule"], f["line"], f["column"])
                  for f in found if info or f["severity"] != "info")


def check_run(run: subprocess.CompletedProcess) -> list[tuple[str, str, int, int]]:
    assert "Traceback" not in run.stderr and "usage:" not in run.stdout, run.stderr or run.stdout
    found = matches(run.stdout)
    assert run.returncode == sum({EXIT_BIT[rule[0]] for rule, *_ in found}), run.stdout
    ours = sorted(m for m in found if m[0] in PLUGIN_IDS)
    sites = [(line, col) for _, code, line, col in ours if code.startswith("RT")]
    assert len(sites) == len(set(sites)), f"a site got two of E9100/W9100/I9100: {ours}"
    return ours


@pytest.mark.slow
@pytest.mark.parametrize("unresolved", [False, True], ids=["sample", "sample+unresolved"])
@pytest.mark.parametrize("command", COMMANDS, ids=[f"readme-command{i}" for i in range(1, len(COMMANDS) + 1)])
def test_readme_cfnlint_command_works_as_written(command, unresolved, iacfix, tmp_path, write):
    path = template(write, unresolved)
    args = shlex.split(command)[1:]
    assert args.count("template.yaml") == 1
    args[args.index("template.yaml")] = str(path.relative_to(tmp_path))
    got = check_run(cfn_lint(args, tmp_path))
    assert got == expected(iacfix, path, settings(args), includes_info(args))
    ids = {rule for rule, *_ in got}
    assert "E9100" in ids  # python3.9 and nodejs18.x stay deprecated
    assert ("I9100" in ids) == (unresolved and includes_info(args))


@pytest.mark.slow
def test_readme_as_of_command_judges_python311_once(iacfix, tmp_path, write):
    """With as_of=2027-07-01 the Globals python3.11 is deprecated: E9100 (RT003), and no W9100 beside it."""
    path = template(write, False)
    (command,) = [c for c in COMMANDS if "as_of=2027-07-01" in c]
    args = shlex.split(command)[1:]
    args[args.index("template.yaml")] = str(path)
    got = check_run(cfn_lint(args, tmp_path))
    assert [m for m in got if (m[2], m[3]) == (24, 14)] == [("E9100", "RT003", 24, 14)]
    assert not [m for m in got if m[0] == "W9100"]


@pytest.mark.slow
@pytest.mark.parametrize("rule", PLUGIN_IDS)
def test_a_setting_given_to_one_rule_applies_to_all_three(rule, iacfix, tmp_path, write):
    path = template(write, True)
    args = ["--append-rules", "iacfix.cfnlint_plugin", "--include-checks", "I", "-x", f"{rule}:as_of=2027-07-01",
            "-x", f"{rule}:horizon=30", "--", str(path)]
    got = check_run(cfn_lint(args, tmp_path))
    assert got == expected(iacfix, path, {"as_of": "2027-07-01", "horizon": "30"}, True)
    assert ("E9100", "RT003", 24, 14) in got


@pytest.mark.slow
def test_conflicting_settings_are_reported_not_judged(tmp_path, write):
    path = template(write, False)
    args = ["--append-rules", "iacfix.cfnlint_plugin", "-x", "E9100:as_of=2027-07-01", "-x", "W9100:as_of=2027-01-01",
            "--", str(path)]
    run = cfn_lint(args, tmp_path)
    got = check_run(run)
    assert sorted(rule for rule, *_ in got) == ["E9100", "W9100"]  # I9100 is not shown without --include-checks
    assert "as_of is given different values (E9100:as_of=2027-07-01, W9100:as_of=2027-01-01)" in run.stdout
    assert " RT0" not in run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("setting, why", [("as_of=2027-02-30", "is not a date"), ("horizon=-1", "is negative")])
def test_unusable_settings_are_reported(setting, why, tmp_path, write):
    path = template(write, False)
    run = cfn_lint(["--append-rules", "iacfix.cfnlint_plugin", "-x", f"W9100:{setting}", "--", str(path)], tmp_path)
    check_run(run)
    assert why in run.stdout and " RT0" not in run.stdout


# `iacfix explain CODE`: each rule's example, checked as the text says.

EXTENSION = {"yaml": ".yaml", "json": ".json", "hcl": ".tf", "python": ".py", "typescript": ".ts",
             "dockerfile": ".dockerfile"}
FILENAME = {"toml": "pyproject.toml"}  # formats that claim a file by its name


def rule_example(iacfix, code: str) -> tuple[str, str, str | None]:
    """(language, code, stated --as-of) of the example that `iacfix explain CODE` prints."""
    text = iacfix("explain", code).out
    section = text.split("\n## Example\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(\w+)\n(.*?)```", section, re.S)
    assert block, f"{code}: no fenced code block under ## Example"
    stated = re.findall(r"`--as-of (\d{4}-\d{2}-\d{2})`", section[:block.start()])
    assert len(stated) <= 1, f"{code}: the example states more than one --as-of"
    return block[1], block[2], stated[0] if stated else None


def as_file(language: str, text: str) -> str:
    """The example as a file: as written, or a bare `Runtime:` property put into a Lambda function."""
    if language == "yaml" and text.startswith("Runtime:"):
        return "Resources:\n  Function:\n    Type: AWS::Lambda::Function\n    Properties:\n" + textwrap.indent(text, " " * 6)
    return text


@pytest.mark.parametrize("code", list(RULES))
def test_rule_example_is_what_check_reports(code, iacfix, write):
    language, text, as_of = rule_example(iacfix, code)
    if re.search(r"checked with\s+`--resolve`", RULES[code].docs()):
        pytest.skip("the example needs a package index; tests/test_resolve.py builds one and runs it")
    path = write(FILENAME.get(language) or f"example{EXTENSION[language]}", as_file(language, text))
    found = iacfix("check", path.name, "--format", "json", as_of=as_of).json
    assert not found["errors"], found["errors"]
    assert found["findings"], f"{code}: the example is not a complete {language} file with a runtime site"
    assert {f["rule"] for f in found["findings"]} == {code}, found["findings"]
