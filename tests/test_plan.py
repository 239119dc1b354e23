"""`iacfix plan`: golden output in text, JSON and Markdown for the sample app
(tests/golden/plan/readiness-app.*), the JSON contract's shape, and
acceptances (`--accept`): valid, expired, and refused."""

import shutil

import pytest

from conftest import GOLDEN, SAMPLES

PLAN = GOLDEN / "plan"
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.fixture
def app(tmp_path):
    shutil.copytree(SAMPLES / "readiness-app", tmp_path / "readiness-app")
    return tmp_path / "readiness-app"


@pytest.mark.parametrize("fmt", FORMATS)
def test_plan_matches_golden_output(fmt, iacfix, app):
    run = iacfix("plan", "readiness-app", "--as-of", "2026-11-21", "--format", fmt, as_of=None)
    assert run.code == 0, run.err
    assert run.out == (PLAN / f"readiness-app.{FORMATS[fmt]}").read_text()


def test_plan_json_has_the_issue_shape(iacfix, app):
    doc = iacfix("plan", "readiness-app", "--as-of", "2026-11-21", "--format", "json", as_of=None).json
    assert set(doc) == {"version", "as_of", "functions"} and doc["version"] == 1
    for f in doc["functions"]:
        assert {"name", "path", "line", "runtime", "provider", "deadlines", "code", "candidates",
                "recommendation"} <= set(f)
        assert {"path", "found"} <= set(f["code"]) and set(f["recommendation"]) == {"runtime", "why"}
        for c in f["candidates"]:
            assert set(c) == {"runtime", "supported_until", "blockers"}
            for b in c["blockers"]:
                assert set(b) == {"kind", "detail", "path", "line"}
                assert b["kind"] in ("removed-module", "syntax", "wheel", "toolchain")
    recs = {f["name"]: f["recommendation"]["runtime"] for f in doc["functions"]}
    assert recs == {"Upload": "python3.12", "Report": "python3.13", "Legacy": None}


ACCEPT = """[[accept]]
function = "Upload"
runtime = "python3.11"
until = 2027-06-30
reason = "cgi replacement scheduled for Q2 (OPS-42)"
"""


def test_a_valid_acceptance_turns_lifecycle_findings_into_info_and_stay(iacfix, app, write):
    write("accept.toml", ACCEPT)
    run = iacfix("check", "readiness-app", "--accept", "accept.toml", "--format", "json")
    [upload] = [f for f in run.json["findings"] if f["rule"] == "RT004" and f["used_by"] == ["Upload"]]
    assert upload["severity"] == "info" and upload["message"].startswith("accepted until 2027-06-30 (cgi replacement")
    assert upload["fix"] is None and upload["accepted"]["valid"] is True
    plan = iacfix("plan", "readiness-app", "--accept", "accept.toml", "--as-of", "2026-11-21", "--format", "json",
                  as_of=None).json
    [rec] = [f["recommendation"] for f in plan["functions"] if f["name"] == "Upload"]
    assert rec["runtime"] == "python3.11" and "accepted until 2027-06-30" in rec["why"]


def test_an_expired_acceptance_returns_at_full_severity(iacfix, app, write):
    write("accept.toml", ACCEPT)
    run = iacfix("check", "readiness-app", "--accept", "accept.toml", "--format", "json", as_of="2027-07-01")
    [upload] = [f for f in run.json["findings"] if f["path"].endswith("template.yaml") and f["used_by"] == ["Upload"]]
    assert upload["severity"] == "error" and "the acceptance to stay expired on 2027-06-30" in upload["message"]
    assert upload["accepted"]["valid"] is False


def test_a_paths_glob_accepts_every_function_under_it(iacfix, app, write):
    write("accept.toml", ACCEPT.replace('function = "Upload"', 'paths = "readiness-app/*"'))
    run = iacfix("check", "readiness-app", "--accept", "accept.toml", "--format", "json")
    python311 = [f for f in run.json["findings"] if f["runtime"] == "python3.11"]
    assert len(python311) == 2 and all(f["severity"] == "info" for f in python311)


@pytest.mark.parametrize("change, message", [
    (("until = 2027-06-30", "until = 2027-09-01"), "is past python3.11's block-update date 2027-08-31"),
    (('reason = "cgi replacement scheduled for Q2 (OPS-42)"', ""), "a reason is required"),
    (('function = "Upload"', ""), "name the function"),
    (('runtime = "python3.11"', 'runtime = "python9"'), "is not in the catalog"),
    (("until = 2027-06-30", 'until = "soon"'), "is not a date"),
    (("until = 2027-06-30", "until = 2027-06-30\nowner = \"me\""), "unknown key(s) owner"),
])
def test_unusable_acceptances_are_usage_errors(iacfix, app, write, change, message):
    write("accept.toml", ACCEPT.replace(*change))
    run = iacfix("check", "readiness-app", "--accept", "accept.toml")
    assert run.code == 2 and message in run.err


def test_parser_takes_the_list_configuration_hands_over():
    from conftest import CATALOG
    from iacfix.acceptance import parse_acceptances

    [a] = parse_acceptances([{"function": "F", "runtime": "python3.11", "until": "2027-01-01", "reason": "r"}], CATALOG)
    assert a.covers("any.yaml", ["F"], "python3.11") and not a.covers("any.yaml", ["G"], "python3.11")


def test_a_shared_value_is_accepted_only_if_every_user_is(iacfix, write):
    sam = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
           "Globals:\n  Function:\n    Runtime: python3.11\nResources:\n"
           "  A:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: a/, Handler: app.handler}\n"
           "  B:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: b/, Handler: app.handler}\n")
    write({"t.yaml": sam, "accept.toml": ACCEPT.replace("Upload", "A")})
    [f] = iacfix("check", ".", "--accept", "accept.toml", "--format", "json").json["findings"]
    assert f["severity"] == "warning" and "accepted" not in f
    write("accept.toml", ACCEPT.replace("Upload", "A") + ACCEPT.replace("Upload", "B").replace("2027-06-30", "2027-01-31"))
    [f] = iacfix("check", ".", "--accept", "accept.toml", "--format", "json").json["findings"]
    assert f["severity"] == "info" and f["accepted"]["until"] == "2027-01-31"
