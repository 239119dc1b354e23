"""Findings carry their fix: JSON shape, applicability, selection, the target.

Each defect of core v1 this module covers failed on the engine before core v2.
"""

import shutil

import pytest

from conftest import AS_OF, SAMPLES

FN = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Old:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python2.7
  Mid:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.9   # keep this comment
  Al2:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: "python3.11"
  Node:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs18.x
"""


@pytest.fixture
def template(write):
    return write("t.yaml", FN)


def apply_json_edits(text: str, edits: list[dict]) -> str:
    """An independent splice of the JSON edits (1-based lines and columns)."""
    lines = text.splitlines(True)

    def offset(line, col):
        return sum(len(x) for x in lines[:line - 1]) + col - 1

    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e["line"], e["column"])):
        start, end = offset(e["line"], e["column"]), offset(e["end_line"], e["end_column"])
        out += [text[pos:start], e["content"]]
        pos = end
    return "".join(out) + text[pos:]


def test_every_finding_carries_its_fix_or_says_why_not(iacfix, template):
    findings = {f["line"]: f for f in iacfix("check", "t.yaml", "--format", "json").json["findings"]}
    old, mid, al2, node = findings[6], findings[10], findings[14], findings[18]
    assert mid["fix"] == {"title": "Replace python3.9 with python3.13", "applicability": "safe", "edits": [
        {"path": "t.yaml", "line": 10, "column": 16, "end_line": 10, "end_column": 25, "content": "python3.13"}]}
    assert mid["fixable"] is True and mid["fix_unavailable"] is None
    assert al2["fix"]["edits"][0]["content"] == '"python3.13"'  # the quotes are kept
    # Python 2 code does not run on Python 3: a fix exists, but it is unsafe.
    assert old["fix"]["applicability"] == "unsafe" and old["fixable"] is False
    assert "major version" in old["fix"]["title"]
    # A Node.js runtime is not moved to a Python target: no fix, and why.
    assert node["fix"] is None and node["fixable"] is False
    assert "--target" in node["fix_unavailable"] and "nodejs" in node["fix_unavailable"]


def test_json_edits_are_exactly_what_fix_writes(iacfix, template):
    for extra in ([], ["--unsafe-fixes"]):
        template.write_text(FN)
        run = iacfix("check", "t.yaml", "--format", "json", *extra)
        edits = [e for f in run.json["findings"] if f["fixable"] for e in f["fix"]["edits"]]
        unique = [dict(t) for t in dict.fromkeys(tuple(e.items()) for e in edits)]
        expected = apply_json_edits(FN, unique)
        fixed = iacfix("fix", "t.yaml", "--format", "json", *extra)
        assert template.read_text() == expected
        assert fixed.json["files_written"] == 1 and fixed.json["written"] is True


def test_unsafe_fixes_only_with_the_flag(iacfix, template):
    run = iacfix("fix", "t.yaml")
    assert "Runtime: python2.7" in template.read_text() and "Runtime: python3.13   # keep this comment" in template.read_text()
    assert "1 more fixable with `--unsafe-fixes`" in run.out
    diff = iacfix("fix", "t.yaml", "--diff", "--unsafe-fixes")
    assert "+      Runtime: python3.13\n" in diff.out and "Runtime: python2.7" in template.read_text()
    iacfix("fix", "t.yaml", "--unsafe-fixes")
    assert "python2.7" not in template.read_text()


def test_files_written_counts_files_not_the_mode(iacfix, template):
    dry = iacfix("fix", "t.yaml", "--dry-run", "--format", "json").json
    assert dry["files_written"] == 0 and dry["written"] is False and len(dry["fixed"]) == 2
    assert iacfix("fix", "t.yaml", "--format", "json").json["files_written"] == 1
    again = iacfix("fix", "t.yaml", "--format", "json").json
    assert again["files_written"] == 0 and again["fixed"] == []


def test_fix_select_fixes_only_the_selected_rule(iacfix, template):
    iacfix("fix", "t.yaml", "--select", "RT004")
    text = template.read_text()
    assert 'Runtime: "python3.13"' in text and "Runtime: python3.9" in text  # python3.9 is RT003: not selected
    repeated = iacfix("check", "t.yaml", "--select", "RT003", "--select", "RT001", "--format", "json").json
    assert sorted(f["rule"] for f in repeated["findings"]) == ["RT001", "RT003", "RT003"]


def test_a_flagged_target_is_refused_naming_the_date(iacfix, template):
    for target, rule in (("python3.11", "RT004"), ("nodejs22.x", "RT005"), ("python3.8", "RT003")):
        run = iacfix("fix", "t.yaml", "--target", target)
        assert run.code == 2 and f"({rule} as of {AS_OF})" in run.err, run.err
    assert template.read_text() == FN


def test_a_target_fixes_sites_of_its_own_family(iacfix, template):
    run = iacfix("fix", "t.yaml", "--target", "nodejs24.x", "--unsafe-fixes", "--format", "json").json
    assert [f["runtime"] for f in run["fixed"]] == ["nodejs18.x"]
    text = template.read_text()
    assert "Runtime: nodejs24.x" in text and "Runtime: python3.9" in text and "python2.7" in text


def test_check_keeps_working_after_the_default_target_expires(iacfix, tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "samples")
    run = iacfix("check", "samples", "--format", "json", as_of="2029-07-01")
    assert run.code == 1 and run.json["errors"] == []
    python = [f for f in run.json["findings"] if (f["runtime"] or "").startswith("python3.1")]
    assert python and all("no python runtime of AWS Lambda is free of lifecycle findings on 2029-07-01"
                          in f["message"] for f in python if f["provider"] == "aws")
    assert all(not f["fixable"] for f in run.json["findings"])
    # In 2026 the default target is python3.13: python3.14 has the same deprecation date.
    assert iacfix("fix", "samples", "--dry-run", "--format", "json").json["target"] == "python3.13"


def _tmpl(body: str) -> str:
    return "AWSTemplateFormatVersion: '2010-09-09'\n" + body


PARAM = _tmpl("""Parameters:
  Rt:
    Type: String
    Default: python3.9
    AllowedValues:
{allowed}
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: !Ref Rt
""")


def test_selecting_no_rule_reports_and_fixes_nothing(iacfix, template):
    for args in (["--ignore", "RT"], ["--select", "RT003", "--ignore", "RT003"]):
        run = iacfix("fix", "t.yaml", *args, "--format", "json")
        assert run.code == 0 and run.json["findings"] == [] and run.json["fixed"] == []
    assert template.read_text() == FN


def test_a_default_stays_within_its_allowed_values(iacfix, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PARAM.format(allowed="      - python2.7\n      - python3.9"))
    iacfix("fix", "p.yaml")  # the safe part moves; python2.7 waits for --unsafe-fixes
    assert "Default: python3.13\n    AllowedValues:\n      - python2.7\n      - python3.13\n" in path.read_text()
    iacfix("fix", "p.yaml", "--unsafe-fixes")
    assert "AllowedValues:\n      - python3.13\nResources" in path.read_text()


@pytest.mark.parametrize("allowed, why", [
    ('      - python3.12\n      - "python\\\n        3.9"', "not written as a plain or quoted literal"),
    ("      - *old\n      - python3.12", "alias"),
])
def test_a_default_is_not_moved_when_its_allowed_values_cannot_be(iacfix, tmp_path, allowed, why):
    path = tmp_path / "p.yaml"
    text = PARAM.format(allowed=allowed).replace("Parameters:", "Metadata:\n  Old: &old python3.9\nParameters:")
    path.write_text(text)
    run = iacfix("fix", "p.yaml", "--format", "json")
    assert path.read_text() == text
    default = next(f for f in run.json["findings"] if f["message"].endswith("(Parameter Rt Default; used by F)"))
    assert default["fix"] is None and "moves together with python3.9" in default["fix_unavailable"]
    assert why in default["fix_unavailable"]


def test_a_validation_list_and_a_shared_variables_file_hold_their_values_back(iacfix, tmp_path, write):
    write("common/variables.tf", 'variable "rt" {\n  validation {\n    condition     = contains(["python3.9", '
          '"python3.12"], var.rt)\n    error_message = "no"\n  }\n}\n')
    for env in ("dev", "prod"):
        write(f"envs/{env}/main.tf", 'resource "aws_lambda_function" "f" {\n  runtime = var.rt\n}\n')
        write(f"envs/{env}/terraform.tfvars", 'rt = "python3.9"\n')
        (tmp_path / "envs" / env / "variables.tf").symlink_to(tmp_path / "common" / "variables.tf")
    run = iacfix("fix", "envs", "--format", "json")
    assert run.json["fixed"] == [] and run.json["files_written"] == 0
    assert all((tmp_path / "envs" / e / "terraform.tfvars").read_text() == 'rt = "python3.9"\n' for e in ("dev", "prod"))
    held = [f for f in run.json["findings"] if f["path"].endswith("terraform.tfvars")]
    assert len(held) == 2 and all("linked into several directories" in f["fix_unavailable"] for f in held)


def test_a_list_entry_reaching_an_unsafe_value_does_not_count_as_the_target(iacfix, tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text(_tmpl("""Parameters:
  P: {Type: String, Default: python2.7}
Resources:
  L:
    Type: AWS::Lambda::LayerVersion
    Properties:
      CompatibleRuntimes: [!Ref P, python3.9]
"""))
    iacfix("fix", "l.yaml")
    assert "CompatibleRuntimes: [!Ref P, python3.13]" in path.read_text() and "Default: python2.7" in path.read_text()


def test_a_huge_horizon_is_refused_or_reaches_every_date(iacfix, template):
    assert iacfix("check", "t.yaml", "--horizon", "99999999").code == 2
    run = iacfix("check", "t.yaml", "--horizon", "36500", "--format", "json")
    assert run.code == 1 and run.json["errors"] == []


def test_when_only_the_horizon_stands_in_the_way_the_messages_say_so(iacfix, template):
    run = iacfix("fix", "t.yaml", "--target", "python3.13", as_of="2028-12-01")
    assert run.code == 2 and "--horizon 210 (or less) accepts it" in run.err
    check = iacfix("check", "t.yaml", "--format", "json", as_of="2028-12-01").json
    assert all("--horizon 210" in f["message"] for f in check["findings"] if f["runtime"].startswith("python3"))
    fixed = iacfix("fix", "t.yaml", "--target", "python3.13", "--horizon", "210", as_of="2028-12-01")
    assert fixed.code == 1 and "Runtime: python3.13   # keep this comment" in template.read_text()


def test_dry_run_reports_what_remains_where_the_file_still_has_it(iacfix, template):
    remaining = iacfix("fix", "t.yaml", "--dry-run", "--format", "json").json["findings"]
    checked = iacfix("check", "t.yaml", "--format", "json").json["findings"]
    assert remaining == [f for f in checked if not f["fixable"]]


def test_an_empty_selection_is_a_usage_error_not_silence(iacfix, template):
    for empty in ("", ",", " , "):
        run = iacfix("check", "t.yaml", "--select", empty)
        assert run.code == 2 and "--select names no rule" in run.err
    assert iacfix("check", "t.yaml", "--ignore", "").code == 1  # ignoring nothing drops nothing
