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
