"""The CI outputs on one small tree (tests/ci_golden/infra): golden text for
every format, SARIF and GitLab validated against their schemas, the GitHub
annotation cap and the step summary."""

import json
import os
import shutil

import jsonschema
import pytest

from conftest import HERE, lambda_function

GOLDEN = HERE / "ci_golden"
SCHEMAS = HERE / "schemas"
UPDATE = os.environ.get("IACFIX_UPDATE_GOLDEN") == "1"  # rewrite the expected outputs (then read the diff)
FORMATS = {"text": "text.out", "json": "json.out", "sarif": "sarif.json", "gitlab": "gitlab.json",
           "markdown": "summary.md", "github": "github.out"}


@pytest.fixture
def infra(tmp_path):
    shutil.copytree(GOLDEN / "infra", tmp_path / "infra")
    return tmp_path / "infra"


def golden(name: str, got: str) -> None:
    path = GOLDEN / "expected" / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_golden(fmt, iacfix, infra, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    run = iacfix("check", "infra", "--format", fmt)
    assert run.code == 1, run.out
    golden(FORMATS[fmt], run.out)


def test_statistics_and_quiet_are_golden(iacfix, infra):
    golden("statistics.out", iacfix("check", "infra", "--statistics").out)
    quiet = iacfix("check", "infra", "-q").out
    assert "Found" not in quiet and quiet.count("\n") == 6


def test_sarif_is_valid_against_the_official_schema(iacfix, infra):
    doc = json.loads(iacfix("check", "infra", "--format", "sarif").out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["help"]["text"].startswith("## What it does") and r["helpUri"]
    results = run["results"]
    assert {r["ruleId"] for r in results} <= set(rules)
    fixed = [r for r in results if "fixes" in r]
    assert fixed, "findings with a fix carry it as SARIF fixes"
    change = fixed[0]["fixes"][0]["artifactChanges"][0]
    replacement = change["replacements"][0]
    assert replacement["insertedContent"]["text"] == "python3.13"
    region = replacement["deletedRegion"]
    line = (infra.parent / change["artifactLocation"]["uri"]).read_text().splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "python3.9"
    suppressed = [r for r in results if "suppressions" in r]
    assert [s["suppressions"][0].get("justification") for s in suppressed] == [
        "AL2023 wheels in January", "decommissioned with the service"]
    assert len({r["partialFingerprints"]["iacfix/v1"] for r in results}) == len(results)


def test_gitlab_report_is_valid_against_its_documented_keys(iacfix, infra, write):
    write("infra/broken.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: [Runtime\n")
    doc = json.loads(iacfix("check", "infra", "--format", "gitlab").out)
    schema = json.loads((SCHEMAS / "gitlab-codequality.json").read_text())
    jsonschema.Draft7Validator(schema).validate(doc)
    assert len({i["fingerprint"] for i in doc}) == len(doc)
    assert {i["severity"] for i in doc} == {"critical", "major", "info", "blocker"}


def test_gitlab_fingerprints_survive_a_line_move(iacfix, infra):
    before = {i["check_name"] + i["location"]["path"]: i["fingerprint"]
              for i in json.loads(iacfix("check", "infra", "--format", "gitlab").out)}
    path = infra / "stacks" / "orders.yaml"
    path.write_text(path.read_text().replace("Resources:\n", "Description: moved\n\nResources:\n"))
    after = json.loads(iacfix("check", "infra", "--format", "gitlab").out)
    assert sorted(i["fingerprint"] for i in after) != [] and \
        {i["check_name"] + i["location"]["path"]: i["fingerprint"] for i in after} == before


def many(write, n: int, runtime: str) -> None:
    body = "".join(lambda_function(runtime, f"F{i}") for i in range(n))
    write("many.yaml", "Resources:\n" + body)


def test_github_annotations_are_capped_per_type_most_urgent_first(iacfix, write, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    many(write, 15, "python3.11")  # 15 warnings (RT004)
    write("old.yaml", "Resources:\n" + "".join(lambda_function(rt, f"O{i}") for i, rt in
                                                 enumerate(["python3.10"] * 12 + ["python3.7"])))
    run = iacfix("check", ".", "--format", "github")
    lines = run.out.splitlines()
    errors = [x for x in lines if x.startswith("::error")]
    warnings = [x for x in lines if x.startswith("::warning")]
    assert len(errors) == 10 and len(warnings) == 10
    assert "python3.7" in errors[0]  # RT002 (create blocked already) before RT003
    assert lines[-1].startswith("iacfix: 8 more annotations not shown")
    assert len(iacfix("check", ".", "--format", "github", "--max-annotations", "0").out.splitlines()) == 28
    assert len(iacfix("check", ".", "--format", "github", "--max-annotations", "3").out.splitlines()) == 7


def test_github_writes_the_whole_summary_to_the_step_summary(iacfix, write, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    many(write, 30, "python3.11")
    run = iacfix("check", "many.yaml", "--format", "github")
    assert "(the step summary counts them all, by deadline)" in run.out
    text = summary.read_text()
    assert text.startswith("earlier step\n## iacfix: runtime deadlines")  # appended, as GitHub expects
    assert "**30 functions cannot be updated after 2027-08-31 (python3.11)**" in text
    assert "```mermaid\ntimeline\n" in text and "| ... and 0 more" not in text


def test_output_file_takes_any_format(iacfix, infra, tmp_path):
    for fmt in ("text", "json", "sarif"):
        out = tmp_path / f"report.{fmt}"
        run = iacfix("check", "infra", "--format", fmt, "--output-file", str(out))
        assert run.out == "" and run.code == 1
        assert out.read_text() == iacfix("check", "infra", "--format", fmt).out


def test_markdown_groups_by_deadline_soonest_first(iacfix, infra):
    text = iacfix("check", "infra", "--format", "markdown").out
    headings = [x for x in text.splitlines() if x.startswith("### ")]
    assert headings[0].startswith("### 3 functions cannot be updated after 2027-03-03")
    assert headings[-1].startswith("### 2 findings without a deadline")


def test_markdown_words_each_provider_deadline_in_its_tense(iacfix, write):
    write("main.tf", 'resource "azurerm_linux_function_app" "a" {\n  site_config {\n    application_stack {\n'
                     '      python_version = "3.11"\n    }\n  }\n}\n'
                     'resource "azurerm_linux_function_app" "b" {\n  site_config {\n    application_stack {\n'
                     '      python_version = "3.9"\n    }\n  }\n}\n')
    text = iacfix("check", ".", "--format", "markdown", "--horizon", "36500").out
    assert "- **1 function is out of support since 2025-10-31 (3.9)**" in text
    assert "- **1 function goes out of support on 2027-10-31 (3.11)**" in text


def test_a_step_summary_that_cannot_be_written_is_said_not_fatal(iacfix, infra, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "summary.md"))
    run = iacfix("check", "infra", "--format", "github")
    assert run.code == 1 and "cannot write the step summary" in run.err and run.out.startswith("::error")


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "markdown", "github"])
def test_a_file_name_that_is_not_utf8_never_breaks_an_output(fmt, iacfix, write, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write(b"bad\xff\n.yaml".decode("utf-8", "surrogateescape"), "Resources:\n" + lambda_function("python3.9"))
    run = iacfix("check", ".", "--format", fmt)
    assert run.code == 1
    run.out.encode("utf-8")  # valid UTF-8 throughout
    if fmt in ("sarif", "gitlab"):
        json.loads(run.out)
        assert "bad%FF%0A.yaml" in run.out or "bad\\udcff\\n.yaml" in run.out
    if fmt == "github":
        assert run.out.count("\n") == 1 and summary.read_text(encoding="utf-8")


def test_cpython_end_of_life_is_a_deadline_in_markdown_and_annotations(iacfix, write, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    write(".python-version", "3.9\n")
    write("tox.ini", "[tox]\nenv_list = py311, py312, py313\n")
    text = iacfix("check", ".", "--format", "markdown").out
    assert "- **1 site is past its end of life since 2025-10-31 (3.9)**" in text
    assert "- **1 site reaches its end of life on 2027-10-31 (3.11)**" in text
    assert "without a deadline" not in text
    notices = iacfix("check", ".", "--format", "github", "--max-annotations", "1").out.splitlines()
    assert notices[0].startswith("::error file=.python-version")


def test_the_annotation_cap_message_claims_no_more_than_the_step_summary_holds(iacfix, write, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    many(write, 60, "python3.11")  # one deadline, more rows than a table shows
    run = iacfix("check", "many.yaml", "--format", "github")
    assert "| ... and 10 more | | | | |" in (tmp_path / "summary.md").read_text()
    assert "all of them are in" not in run.out and "50 more annotations not shown" in run.out


def test_markdown_counts_files_that_could_not_be_read_in_words(iacfix, write):
    write("broken.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: [Runtime\n")
    assert "### 1 file could not be read\n" in iacfix("check", ".", "--format", "markdown").out
