"""Suppressions on both sides of their date, unused and unreadable ones, in
every format with comments, and CloudFormation Metadata."""

import pytest

from conftest import CFN_HEAD, lambda_function


def template(runtime_line: str, above: str = "") -> str:
    return (CFN_HEAD + "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            + (f"      {above}\n" if above else "") + f"      Runtime: {runtime_line}\n")


def rules(run) -> list[str]:
    return [f["rule"] for f in run.json["findings"]]


@pytest.mark.parametrize("as_of, suppressed", [("2027-01-31", True), ("2027-02-01", False)])
def test_until_is_the_last_day_it_holds(as_of, suppressed, iacfix, write):
    write("t.yaml", template('python3.11  # iacfix: ignore[RT004] until=2027-01-31 reason="wheels"'))
    run = iacfix("check", "t.yaml", "--format", "json", as_of=as_of)
    if suppressed:
        assert rules(run) == [] and run.code == 0
        (held,) = run.json["suppressed"]
        assert held["rule"] == "RT004" and held["suppression"]["reason"] == "wheels"
        assert held["suppression"]["until"] == "2027-01-31"
    else:
        assert rules(run) == ["RT004", "RT901"] and run.json["suppressed"] == [] and run.code == 1


def test_a_comment_alone_on_the_line_above_counts_a_trailing_one_does_not(iacfix, write):
    write("a.yaml", template("python3.11", above="# iacfix: ignore[RT004]"))
    assert rules(iacfix("check", "a.yaml", "--format", "json")) == []
    text = (CFN_HEAD + "Resources:\n  F:\n    Type: AWS::Lambda::Function  # iacfix: ignore[RT004]\n"
            "    Properties:\n      Runtime: python3.11\n")
    write("b.yaml", text.replace("    Properties:\n", "    Properties:  # iacfix: ignore[RT004]\n"))
    assert sorted(rules(iacfix("check", "b.yaml", "--format", "json"))) == ["RT004", "RT902", "RT902"]


def test_unused_and_unreadable_suppressions_are_reported(iacfix, write):
    write("t.yaml", template("python3.13  # iacfix: ignore[RT004]")
          + "  G:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            "      Runtime: python3.11  # iacfix: ignore[RT04] until=2027-13-01\n")
    run = iacfix("check", "t.yaml", "--format", "json")
    assert rules(run) == ["RT902", "RT004", "RT903"]
    assert "unknown rule 'RT04'" in run.json["findings"][2]["message"]
    # A suppression of a rule the run does not select is not "unused"; RT90x obey --ignore too.
    assert rules(iacfix("check", "t.yaml", "--format", "json", "--select", "RT003")) == []


def test_bare_ignore_covers_every_rule_and_names_work(iacfix, write):
    write("t.yaml", template("python3.9  # iacfix: ignore"))
    assert rules(iacfix("check", "t.yaml", "--format", "json")) == []
    write("t.yaml", template("python3.9  # iacfix: ignore[runtime-deprecated]"))
    assert rules(iacfix("check", "t.yaml", "--format", "json")) == []


@pytest.mark.parametrize("name, text", [
    ("main.tf", 'resource "aws_lambda_function" "f" {\n  runtime = "python3.9" # iacfix: ignore[RT003]\n}\n'),
    ("slash.tf", 'resource "aws_lambda_function" "f" {\n  // iacfix: ignore[RT003]\n  runtime = "python3.9"\n}\n'),
    ("app.py", "from aws_cdk import aws_lambda as _lambda\n"
               "_lambda.Function(self, 'F', runtime=_lambda.Runtime.PYTHON_3_9)  # iacfix: ignore[RT003]\n"),
    ("stack.ts", "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
                 "new lambda.Function(this, 'F', {\n  // iacfix: ignore[RT003]\n  runtime: lambda.Runtime.PYTHON_3_9,\n});\n"),
    ("pyproject.toml", '[project]\nname = "x"\nrequires-python = ">=3.9"  # iacfix: ignore[RT003]\n'),
    ("tox.ini", "[tox]\n# iacfix: ignore[RT003]\nenv_list = py39, py313\n"),
    ("setup.cfg", "[options]\n; iacfix: ignore[RT003] reason=\"INI comments start with ; too\"\npython_requires = >=3.9\n"),
    (".python-version", "3.9  # iacfix: ignore[RT003]\n"),
])
def test_every_format_with_comments(name, text, iacfix, write):
    write(name, text)
    assert iacfix("check", name, "--format", "json").json["findings"] == [], name
    write(name, text.replace("RT003", "RT004"))
    assert sorted(rules(iacfix("check", name, "--format", "json"))) == ["RT003", "RT902"], name


def test_a_marker_inside_a_string_is_no_comment(iacfix, write):
    write("app.py", "from aws_cdk import aws_lambda as _lambda\n"
                    "_lambda.Function(self, 'F', runtime=_lambda.Runtime.PYTHON_3_9, description='#iacfix: ignore')\n")
    assert rules(iacfix("check", "app.py", "--format", "json")) == ["RT003"]


def test_cloudformation_metadata_holds_back_when_every_user_does(iacfix, write):
    head = CFN_HEAD + "Parameters:\n  Py:\n    Type: String\n    Default: python3.9\nResources:\n"
    fn = "  {n}:\n    Type: AWS::Lambda::Function\n{meta}    Properties:\n      Runtime: !Ref Py\n"
    meta = "    Metadata:\n      iacfix:\n        ignore:\n          - rules: RT003\n            reason: frozen\n"
    write("t.yaml", head + fn.format(n="A", meta=meta) + fn.format(n="B", meta=""))
    assert rules(iacfix("check", "t.yaml", "--format", "json")) == ["RT003"]  # B still uses it
    write("t.yaml", head + fn.format(n="A", meta=meta) + fn.format(n="B", meta=meta))
    run = iacfix("check", "t.yaml", "--format", "json")
    assert rules(run) == [] and run.json["suppressed"][0]["suppression"]["kind"] == "metadata"


def test_fix_leaves_suppressed_findings_alone(iacfix, write):
    path = write("t.yaml", template("python3.9  # iacfix: ignore[RT003]") + lambda_function("python3.10", "G"))
    run = iacfix("fix", "t.yaml")
    assert run.code == 0, run.out
    text = path.read_text()
    assert "python3.9  # iacfix: ignore[RT003]" in text and "python3.13" in text


def test_crlf_and_bom(iacfix, write):
    write("t.yaml", "\ufeff# iacfix: ignore[RT003]\r\nResources:\r\n  F:\r\n    Type: AWS::Lambda::Function\r\n"
                    "    Properties:\r\n      # iacfix: ignore[RT004] reason=\"crlf\"\r\n      Runtime: python3.11\r\n")
    run = iacfix("check", "t.yaml", "--format", "json")
    assert [(f["rule"], f["line"], f["column"]) for f in run.json["findings"]] == [("RT902", 1, 1)]
    assert run.json["suppressed"][0]["suppression"]["reason"] == "crlf"


@pytest.mark.slow
def test_placement_property(tmp_path):
    """Wherever a comment goes, it holds back the finding exactly when it is on the
    finding's line or alone on the line above; any line ending, with or without a BOM."""
    from hypothesis import given, settings, strategies as st

    from iacfix.engine import process_file
    from conftest import make_options

    lines = ["Resources:", "  F:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.11"]
    site = 4  # index of the runtime's line

    @settings(max_examples=200, deadline=None)
    @given(st.integers(0, len(lines)), st.sampled_from(["own", "trailing"]), st.sampled_from(["\n", "\r\n", "\r"]),
           st.booleans(), st.sampled_from(["#", "# ", "#\t"]), st.sampled_from(["RT004", "RT004,RT003", "", None]))
    def check(at, how, eol, bom, prefix, codes):
        body = list(lines)
        marker = f"{prefix}iacfix: ignore" + ("" if codes is None else f"[{codes}]")
        if codes == "":
            return  # ignore[] is unreadable (RT903), tested apart
        if how == "own":
            body.insert(at, "      " + marker)
            held = at == site  # inserted just above the runtime (which moves down one)
        else:
            if at >= len(body):
                return
            body[at] += "  " + marker
            held = at == site
        text = ("\ufeff" if bom else "") + eol.join(body) + eol
        path = tmp_path / "t.yaml"
        path.write_text(text, encoding="utf-8", newline="")
        result = process_file(str(path), make_options())
        rules = sorted(f.rule for f in result.findings)
        assert rules == ([] if held else ["RT004", "RT902"]), (text, rules)
        assert [f.rule for f in result.suppressed] == (["RT004"] if held else [])

    check()


def test_a_held_back_value_keeps_the_values_tied_to_it(iacfix, write):
    path = write("t.yaml", CFN_HEAD + "Parameters:\n  Py:\n    Type: String\n"
                 "    Default: python3.9  # iacfix: ignore[RT003]\n"
                 "    AllowedValues: [python3.9, python3.12]\n"
                 "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: !Ref Py\n")
    before = path.read_text()
    run = iacfix("check", "t.yaml", "--format", "json")
    (entry,) = run.json["findings"]
    assert entry["fix"] is None and "a suppression" in entry["fix_unavailable"]
    iacfix("fix", "t.yaml")
    assert path.read_text() == before


def test_a_list_with_a_held_back_entry_is_not_rewritten(iacfix, write):
    path = write("t.yaml", CFN_HEAD + "Resources:\n  L:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n"
                 "      CompatibleRuntimes:\n        - python3.9  # iacfix: ignore[RT003]\n        - python3.10\n")
    before = path.read_text()
    (entry,) = iacfix("check", "t.yaml", "--format", "json").json["findings"]
    assert entry["runtime"] == "python3.10" and entry["fix"] is None
    assert entry["fix_unavailable"] == "its list also holds python3.9 at line 7, which a suppression holds back"
    iacfix("fix", "t.yaml")
    assert path.read_text() == before


@pytest.mark.parametrize("entry, rules", [
    ("          - RT003\n", []),
    ("          - rules: []\n", ["RT003", "RT903"]),
    ("          - rules: [RT03]\n", ["RT003", "RT903"]),
    ("          - rules: RT003\n            until: soon\n", ["RT003", "RT903"]),
    ("          - reason: everything\n", []),
])
def test_metadata_entries(entry, rules, iacfix, write):
    write("t.yaml", CFN_HEAD + "Resources:\n  F:\n    Type: AWS::Lambda::Function\n"
                               "    Metadata:\n      iacfix:\n        ignore:\n" + entry +
                    "    Properties:\n      Runtime: python3.9\n")
    assert sorted(f["rule"] for f in iacfix("check", "t.yaml", "--format", "json").json["findings"]) == rules


@pytest.mark.parametrize("name, text", [
    ("t.yaml", CFN_HEAD + "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
               "      Description: \"see # iacfix: ignore\"\n      Handler: 'a # iacfix: ignore'\n"
               "      Runtime: python3.9\n"),
    ("main.tf", 'resource "aws_lambda_function" "f" {\n  description = "x // iacfix: ignore"\n'
                '  handler = "a # iacfix: ignore[RT003]"\n  runtime = "python3.9"\n}\n'),
    ("app.py", "from aws_cdk import aws_lambda as _lambda\n"
               "_lambda.Function(self, 'F', runtime=_lambda.Runtime.PYTHON_3_9, description=f\"a # iacfix: ignore\")\n"),
    ("stack.ts", "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
                 "new lambda.Function(this, 'F', { runtime: lambda.Runtime.PYTHON_3_9, description: 'a // iacfix: ignore' });\n"),
])
def test_a_marker_after_a_space_inside_a_string_is_no_comment(name, text, iacfix, write):
    write(name, text)
    assert rules(iacfix("check", name, "--format", "json")) == ["RT003"], name


def test_a_quote_inside_a_word_or_a_comment_does_not_hide_a_marker(iacfix, write):
    write("t.yaml", template("python3.9  # Bob's # iacfix: ignore[RT003]",
                             above="Description: Bob's function  # iacfix: ignore[RT004]"))
    assert rules(iacfix("check", "t.yaml", "--format", "json")) == ["RT902"]


@pytest.mark.parametrize("args", [("--ignore", "RT003"), ("--select", "RT004,RT9")])
def test_a_bare_ignore_is_not_unused_when_the_run_leaves_rules_out(args, iacfix, write):
    write("t.yaml", template("python3.9  # iacfix: ignore"))  # holds back RT003, which the run does not look for
    assert rules(iacfix("check", "t.yaml", "--format", "json", *args)) == []
    write("t.yaml", template("python3.13  # iacfix: ignore"))
    assert rules(iacfix("check", "t.yaml", "--format", "json")) == ["RT902"]


@pytest.mark.parametrize("name, text", [
    ("app.py", "from aws_cdk import aws_lambda as _lambda\n_lambda.Function(self, 'F', runtime=_lambda.Runtime.PYTHON_3_9)"
               "  # iacfix: ignore[RT003] reason=\"see #123\"  # noqa: E501\n"),
    ("main.tf", 'resource "aws_lambda_function" "f" {\n  runtime = "python3.9" # iacfix: ignore[RT003] // tflint-ignore: x\n}\n'),
    ("stack.ts", "import * as lambda from 'aws-cdk-lib/aws-lambda';\nnew lambda.Function(this, 'F', {\n"
                 "  runtime: lambda.Runtime.PYTHON_3_9, // iacfix: ignore[RT003] // eslint-disable-line\n});\n"),
])
def test_another_tools_comment_may_follow_on_the_line(name, text, iacfix, write):
    write(name, text)
    run = iacfix("check", name, "--format", "json")
    assert rules(run) == [] and len(run.json["suppressed"]) == 1, run.json["findings"]
    if name == "app.py":
        assert run.json["suppressed"][0]["suppression"]["reason"] == "see #123"
