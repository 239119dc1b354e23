"""Command-line behaviour: exit codes, bad input, output formats, options."""

import json
import os
import subprocess

import pytest

from conftest import AS_OF, CATALOG, CATALOG_FILE, SAMPLES, console, lambda_function
from iacfix.rules import RULES

FN = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: {runtime}
"""


@pytest.mark.parametrize("runtime, code", [("python3.13", 0), ("python3.11", 1), ("python3.9", 1)])
def test_exit_codes_follow_severity(iacfix, runtime, code, write):
    write("t.yaml", FN.format(runtime=runtime))
    assert iacfix("check", ".").code == code


def test_info_only_exits_zero(iacfix, write):
    write("t.yaml", FN.format(runtime="!Sub 'python${V}'"))
    run = iacfix("check", ".")
    assert run.code == 0 and "RT102" in run.out


def test_parse_error_reports_position_keeps_file_and_goes_on(iacfix, write):
    bad = write("a/bad.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Runtime: [python3.9\n")
    good = write("b/good.yaml", FN.format(runtime="python3.9"))
    before = bad.read_bytes()
    run = iacfix("fix", ".")
    assert run.code == 2
    assert "a/bad.yaml:5:1: error: YAML/JSON syntax error" in run.out
    assert bad.read_bytes() == before
    assert "python3.13" in good.read_text()


def test_json_parse_error(iacfix, write):
    write("t.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {"F": {"Runtime": "python3.9"}\n')
    run = iacfix("check", "t.json", "--format", "json")
    assert run.code == 2
    [err] = run.json["errors"]
    assert err["path"] == "t.json" and err["line"] == 3 and "syntax error" in err["message"]


def test_not_utf8_and_binary_are_errors_not_crashes(iacfix, write):
    write("latin1.yaml", FN.format(runtime="python3.9").encode() + b"# caf\xe9\n")
    write("blob.json", b"AWS Runtime\x00\x01\x02")
    run = iacfix("check", ".", "--format", "json")
    errors = {e["path"]: e for e in run.json["errors"]}
    assert run.code == 2
    assert errors["latin1.yaml"]["line"] == 7 and errors["latin1.yaml"]["column"] == 6
    assert "UTF-8" in errors["latin1.yaml"]["message"]
    assert "binary" in errors["blob.json"]["message"]


def test_missing_path_is_an_error_and_the_others_are_checked(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.9"))
    run = iacfix("check", "nope/", "t.yaml", "--format", "json")
    assert run.code == 2
    assert run.json["errors"] == [{"path": "nope", "line": 1, "column": 1, "message": "no such file or directory"}]
    assert [f["path"] for f in run.json["findings"]] == ["t.yaml"]


def test_json_contract(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.11"))
    run = iacfix("check", ".", "--format", "json")
    doc = run.json
    assert doc["version"] == 1 and doc["as_of"] == AS_OF and doc["errors"] == []
    [f] = doc["findings"]
    assert {k: f[k] for k in ("rule", "severity", "path", "line", "column", "end_line", "end_column", "runtime", "fixable")} == {
        "rule": "RT004", "severity": "warning", "path": "t.yaml", "line": 6, "column": 16,
        "end_line": 6, "end_column": 26, "runtime": "python3.11", "fixable": True}
    assert f["deadlines"] == {"deprecation": "2027-06-30", "block_create": "2027-07-31", "block_update": "2027-08-31"}
    assert "Amazon Linux 2" in f["message"] and "python3.13" in f["message"]


def test_as_of_makes_judgement_reproducible(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.11"))
    rules = lambda as_of, *extra: [f["rule"] for f in iacfix("check", ".", "--format", "json", *extra, as_of=as_of).json["findings"]]
    assert rules("2025-01-01") == []
    assert rules("2026-08-01") == ["RT004"]  # AL2 past end of life
    assert rules("2026-01-01") == []  # deprecation 2027-06-30 is 545 days away: beyond the horizon
    assert rules("2027-07-01") == ["RT003"]
    assert rules("2027-08-01") == ["RT002"]
    assert rules("2027-09-01") == ["RT001"]
    assert rules("2025-01-01", "--horizon", "1000") == ["RT005"]


def test_select_and_ignore_filter_and_never_relabel(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.11"))
    # python3.11 is RT004 (AL2 end of life); ignoring RT004 drops it, never turns it into RT005.
    run = iacfix("check", ".", "--ignore", "RT004", "--format", "json")
    assert run.code == 0 and run.json["findings"] == []
    assert iacfix("check", ".", "--select", "RT005", "--format", "json").json["findings"] == []
    assert iacfix("check", ".", "--select", "runtime-deprecated").code == 0
    assert [f["rule"] for f in iacfix("check", ".", "--select", "RT004", "--format", "json").json["findings"]] == ["RT004"]
    bad = iacfix("check", ".", "--select", "XX9")
    assert bad.code == 2 and "unknown rule" in bad.err


def test_target_validation_and_no_downgrade(iacfix, write):
    p = write("t.yaml", FN.format(runtime="python3.9"))
    assert iacfix("fix", ".", "--target", "python9").code == 2
    run = iacfix("fix", ".", "--target", "python3.8")
    assert run.code == 2 and "deprecated" in run.err
    q = write("u.yaml", FN.format(runtime="python3.11"))
    iacfix("fix", ".", "--target", "python3.12")
    assert "python3.12" in p.read_text() and "python3.12" in q.read_text()
    r = write("v.yaml", FN.format(runtime="python3.11"))
    flagged = iacfix("fix", "v.yaml", "--target", "python3.12", "--horizon", "9999")  # RT005 within that horizon
    assert flagged.code == 2 and "python3.12 is deprecated on 2028-10-31" in flagged.err and AS_OF in flagged.err
    assert "python3.11" in r.read_text()
    iacfix("fix", "v.yaml", "--target", "python3.11", as_of="2026-01-01")  # not older than the target: untouched
    assert "Runtime: python3.11" in r.read_text()


def test_non_python_is_reported_not_rewritten(iacfix, write):
    p = write("t.yaml", FN.format(runtime="nodejs18.x"))
    run = iacfix("fix", ".")
    assert run.code == 1 and "nodejs18.x" in p.read_text() and "move to nodejs24.x" in run.out


def test_duplicate_keys_refuse_the_fix(iacfix, write):
    text = FN.format(runtime="python3.9") + "      Runtime: python3.12\n"
    p = write("t.yaml", text)
    run = iacfix("fix", ".")
    assert p.read_text() == text
    assert 't.yaml:7:7: error: duplicate key "Runtime" (first at line 6)' in run.out and run.code == 2


def test_anchored_entry_used_elsewhere_is_not_deleted(iacfix, write):
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  L:\n    Type: AWS::Lambda::LayerVersion\n"
            "    Properties:\n      CompatibleRuntimes:\n        - python3.8\n        - &old python3.9\n"
            "  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: *old\n")
    p = write("t.yaml", text)
    run = iacfix("fix", ".")
    assert p.read_text() == text and "not fixed, file left unchanged" in run.out


def test_symlink_target_is_rewritten_link_kept(iacfix, tmp_path, write):
    real = write("real/t.yaml", FN.format(runtime="python3.9"))
    (tmp_path / "link.yaml").symlink_to(real)
    iacfix("fix", "link.yaml")
    assert (tmp_path / "link.yaml").is_symlink() and "python3.13" in real.read_text()


def test_github_annotations(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.9"))
    run = iacfix("check", ".", "--format", "github")
    assert run.out.startswith("::error file=t.yaml,line=6,col=16,endLine=6,endColumn=25,title=iacfix RT003::python3.9 is deprecated")


def test_runtimes_table_explain_and_rules(iacfix):
    run = iacfix("runtimes", "--family", "python")
    assert f"catalog last checked {CATALOG.last_checked}" in run.out
    line = next(l for l in run.out.splitlines() if l.startswith("python3.11 "))
    assert line.split()[:6] == ["python3.11", "AL2", "2027-06-30", "2027-07-31", "2027-08-31", "os-end-of-life"]
    doc = json.loads(iacfix("runtimes", "--format", "json").out)
    assert {r["id"] for r in doc["runtimes"]} >= {"python3.11", "dotnet9"}
    explain = iacfix("explain", "RT004")
    for heading in ("## What it does", "## Why is this bad", "## Example", "## Fix safety"):
        assert heading in explain.out
    assert iacfix("explain", "runtime-deprecated").out.startswith("# RT003")
    assert iacfix("explain", "nope").code == 2
    assert len(iacfix("rules").out.splitlines()) == len(RULES)


def test_user_catalog(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.12"))
    cat = json.loads(CATALOG_FILE.read_text())
    for row in cat["runtimes"]:
        if row["id"] == "python3.12":  # AWS moved a date: the user's copy knows first
            row["deprecation"] = "2026-11-01"
    write("cat.json", json.dumps(cat))
    assert iacfix("check", "t.yaml").code == 0
    assert iacfix("check", "t.yaml", "--catalog", "cat.json").code == 1
    write("broken.json", '{"runtimes": [')
    bad = iacfix("check", "t.yaml", "--catalog", "broken.json")
    assert bad.code == 2 and "broken.json:1:" in bad.err


def test_samples_end_to_end_console_script():
    """The installed console script, on the shipped samples, in a subprocess."""
    run = console("iacfix", "check", SAMPLES, "--as-of", AS_OF, "--format", "json")
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    paths = {f["path"].split("samples/")[-1] for f in doc["findings"]}
    assert paths == {"sam-orders/template.yaml", "cfn-json/stack.json", "cdk-app/stacks/orders.py", "terraform/main.tf",
                     "terraform/variables.tf", "terraform/prod.tfvars", "terraform/modules/python-fn/main.tf",
                     "serverless-app/serverless.yml", "serverless-app/config/runtime.yml",
                     "py-package/.github/workflows/tests.yml", "py-package/.python-version",
                     "py-package/pyproject.toml", "py-package/tox.ini",
                     "container-fn/template.yaml", "container-fn/resize/Dockerfile", "container-fn/worker/Dockerfile",

                     "readiness-app/template.yaml", "readiness-app/src/upload/forms.py",
                     "readiness-app/src/legacy/handler.py"}
    assert doc["errors"] == []


def test_parallel_run_equals_serial(iacfix, write):
    for i in range(300):
        write(f"d{i % 7}/t{i}.yaml", FN.format(runtime=["python3.9", "python3.11", "python3.13"][i % 3]))
    serial = iacfix("check", ".", "--format", "json", "-j", "1").json
    parallel = iacfix("check", ".", "--format", "json", "-j", "2").json
    assert serial == parallel and len(serial["findings"]) == 200
    iacfix("fix", ".", "-j", "2")
    assert iacfix("check", ".", "--format", "json").json["findings"] == []


def test_broken_or_multi_document_yaml_that_is_no_template_is_not_an_error(iacfix, write):
    write("chart/templates/fn.yaml", "env:\n  - name: AWS_REGION\n    value: {{ .Values.region }}\n  Runtime: x\n")
    write("k8s.yaml", "kind: A\nmetadata: {name: AWS}\n---\nkind: B\nRuntime: python3.9\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 0 and run.json == {"version": 1, "as_of": AS_OF, "findings": [], "errors": [], "suppressed": []}


def test_tag_before_value_is_kept_and_escaped_value_is_not_rewritten(iacfix, write):
    p = write("t.yaml", FN.format(runtime="!!str python3.9") + lambda_function('"python3.\\x39"', "G"))
    run = iacfix("fix", ".", "--format", "json")
    assert "Runtime: !!str python3.13\n" in p.read_text()
    assert 'Runtime: "python3.\\x39"' in p.read_text()
    [left] = run.json["findings"]
    assert (left["line"], left["runtime"], left["fixable"]) == (10, "python3.9", False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only directory")
def test_unwritable_directory_is_an_error_and_file_is_unchanged(iacfix, tmp_path, write):
    p = write("ro/t.yaml", FN.format(runtime="python3.9"))
    os.chmod(tmp_path / "ro", 0o555)
    try:
        run = iacfix("fix", ".")
    finally:
        os.chmod(tmp_path / "ro", 0o755)
    assert run.code == 2 and "cannot write the fix" in run.out and "python3.9" in p.read_text()


def test_alias_in_a_list_is_refused_not_a_crash_and_the_run_goes_on(iacfix, write):
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Defaults: {OldRuntime: &old python3.8}\n"
            "Resources:\n  B:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n"
            "      CompatibleRuntimes: [python3.9, *old, python3.12]\n")
    p = write("a.yaml", text)
    good = write("b.yaml", FN.format(runtime="python3.9"))
    run = iacfix("fix", ".")
    assert p.read_text() == text and "not rewritten: the list holds a YAML alias" in run.out
    assert "python3.13" in good.read_text()


def test_alias_of_a_runtime_is_fixed_for_every_user(iacfix, write):
    text = FN.format(runtime="&rt python3.9") + lambda_function("*rt", "G")
    p = write("t.yaml", text)
    [finding] = iacfix("check", ".", "--format", "json").json["findings"]
    assert finding["used_by"] == ["Fn", "G"]
    iacfix("fix", ".")
    assert p.read_text() == text.replace("&rt python3.9", "&rt python3.13")


def test_template_with_a_second_document_is_an_error(iacfix, write):
    write("t.yaml", FN.format(runtime="python3.9") + "---\n")
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 2 and "single document" in run.json["errors"][0]["message"]


def test_same_file_named_twice_is_checked_once(iacfix, tmp_path, write):
    write("d/t.yaml", FN.format(runtime="python3.9"))
    run = iacfix("check", "d/t.yaml", "./d/t.yaml", str(tmp_path / "d" / "t.yaml"), "d", "./d", "--format", "json")
    assert len(run.json["findings"]) == 1


def test_exclude_globs_match_paths_under_dot(iacfix, write):
    write("infra/legacy/a.yaml", FN.format(runtime="python3.9"))
    write("infra/b.yaml", FN.format(runtime="python3.9"))
    paths = lambda *a: sorted(f["path"] for f in iacfix("check", *a, "--format", "json").json["findings"])
    assert paths(".", "--exclude", "infra/legacy") == ["infra/b.yaml"]
    assert paths("--exclude", "legacy/") == ["infra/b.yaml"]
    assert paths(".", "--exclude", "*.yaml") == []


def test_preview_exit_codes_and_patchable_diff(iacfix, tmp_path, write):
    p = write("t.yaml", FN.format(runtime="python3.9").rstrip("\n"))  # no final newline
    assert iacfix("fix", "t.yaml", "--dry-run").code == 1  # the file still holds the error
    text = iacfix("fix", "t.yaml", "--diff")
    assert text.code == 1 and "--- a/t.yaml" in text.out
    [diff] = iacfix("fix", "t.yaml", "--diff", "--format", "json").json["diffs"]
    assert diff["diff"] in text.out and diff["diff"].endswith("\\ No newline at end of file\n")
    subprocess.run(["git", "apply", "-p1"], input=diff["diff"], text=True, cwd=tmp_path, check=True)
    assert p.read_bytes() == FN.format(runtime="python3.13").rstrip("\n").encode()
    assert iacfix("fix", "t.yaml", "--dry-run").code == 0
    assert "diffs" not in iacfix("fix", "t.yaml", "--diff", "--format", "json").json


def test_byte_level_errors_count_characters_not_bytes(iacfix, write):
    bom = b"\xef\xbb\xbf"
    write("nul.yaml", bom + "AWSTemplateFormatVersion: 'é' # Runtime".encode() + b"\x00")
    write("ctrl.yaml", FN.format(runtime="python3.9").encode() + 'Metadata: {a: "é😀ü\x07"}\n'.encode())
    write("bad.yaml", bom + b"AWSTemplateFormatVersion: '\xe9' # Runtime\n")
    errors = {e["path"]: (e["line"], e["column"]) for e in iacfix("check", ".", "--format", "json").json["errors"]}
    assert errors == {"nul.yaml": (1, 40), "ctrl.yaml": (7, 19), "bad.yaml": (1, 28)}


def test_github_annotations_are_escaped(iacfix, write):
    write("a,b:c%.yaml", FN.format(runtime="python3.9"))
    out = iacfix("check", ".", "--format", "github").out
    assert out.startswith("::error file=a%2Cb%3Ac%25.yaml,line=6,")


def test_layer_note_survives_a_shared_parameter(iacfix, write):
    write("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P: {Type: String, Default: python3.9}\n"
          "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: !Ref P}\n"
          "  L:\n    Type: AWS::Lambda::LayerVersion\n    Properties: {CompatibleRuntimes: [!Ref P]}\n")
    run = iacfix("fix", ".")
    assert "t.yaml:3:30: note: layer L: rebuild the layer content for python3.13" in run.out


def test_positions_on_one_long_line(iacfix, write):
    fns = ", ".join(f'"F{i}": {{"Type": "AWS::Lambda::Function", "Properties": {{"Runtime": "python3.9"}}}}' for i in range(3000))
    write("big.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {' + fns + "}}")
    findings = iacfix("check", ".", "--format", "json").json["findings"]
    assert len(findings) == 3000 and {f["line"] for f in findings} == {1}
    assert findings[-1]["column"] == len('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {') + len(fns) - len('"python3.9"}}') + 1


def test_a_link_and_its_target_in_one_tree_are_fixed_once(iacfix, tmp_path, write):
    real = write("d/t.yaml", FN.format(runtime="python3.9"))
    (tmp_path / "d" / "link.yaml").symlink_to(real)
    run = iacfix("fix", "d", "--format", "json")
    assert len(run.json["fixed"]) == 1 and "python3.13" in real.read_text()


def test_cdk_latest_constant_is_unresolved_and_from_image_is_nothing(iacfix, write):
    write("stack.py", "from aws_cdk import aws_lambda as l\n"
          "l.Function(s, 'A', runtime=l.Runtime.NODEJS_LATEST)\n"
          "l.DockerImageFunction(s, 'B', runtime=l.Runtime.FROM_IMAGE)\n")
    run = iacfix("check", ".", "--format", "json")
    assert [(f["rule"], f["line"], f["column"]) for f in run.json["findings"]] == [("RT102", 2, 38)]
    assert run.code == 0


def test_lone_cr_line_ends_count_as_lines(iacfix, write):
    write("stack.py", b"from aws_cdk import aws_lambda as l\rx = 1\ry = l.Runtime.PYTHON_3_9\r")
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (f["line"], f["column"]) == (3, 15)


def test_unknown_runtime_is_info_and_never_rewritten(iacfix, write):
    p = write("t.yaml", FN.format(runtime="pyhton3.12"))
    run = iacfix("fix", ".", "--format", "json")
    [f] = run.json["findings"]
    assert (f["rule"], f["severity"], f["fixable"], f["runtime"]) == ("RT101", "info", False, "pyhton3.12")
    assert run.code == 0 and "pyhton3.12" in p.read_text()
