"""Formats are imported when a file needs them: what each claims is known
from ``formats.CLAIMS`` without importing its module, and each row must say
exactly what the class its module registers says.  So are the checkers of
``rules.LAZY_CHECKERS``, by the names of the types they consume."""

import json
import subprocess
import sys

import pytest

from conftest import CFN_HEAD, lambda_function
from iacfix import formats, rules


@pytest.mark.parametrize("claim", formats.CLAIMS, ids=lambda c: c.name)
def test_each_claim_is_what_its_format_class_says(claim):
    fmt = formats.by_name(claim.name)
    assert type(fmt).__module__ == f"iacfix.formats.{claim.module}"
    for attr in ("name", "extensions", "filenames", "globs", "paths", "unit"):
        assert getattr(fmt, attr) == getattr(claim, attr), attr


def test_every_registered_format_has_a_claim():
    formats.load_all()
    listed = [c.name for c in formats.CLAIMS]
    assert len(set(listed)) == len(listed)
    registered = {f.name for f in formats.FORMATS if type(f).__module__.startswith("iacfix.formats.")}
    assert registered == set(listed)


def test_load_all_keeps_the_order_of_claims():
    assert [f.name for f in formats.load_all()][:len(formats.CLAIMS)] == [c.name for c in formats.CLAIMS]


def _imported(cwd, *args) -> set[str]:
    """The modules a fresh ``iacfix`` process imports."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "iacfix", *args], cwd=cwd,
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), [line for line in run.stderr.splitlines() if not line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


JSON_TEMPLATE = ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Fn": {"Type": "AWS::Lambda::Function",'
                 ' "Properties": {"Runtime": "python3.9", "Handler": "app.handler", "Code": {"ZipFile": "x = 1"}}}}}\n')


@pytest.mark.parametrize("name, text", [
    ("template.yaml", CFN_HEAD + "Resources:\n" + lambda_function("python3.9", "Fn")),
    ("template.json", JSON_TEMPLATE),  # what the benchmark's one-file check reads
])
def test_a_one_file_check_imports_only_what_that_file_needs(tmp_path, write, name, text):
    write(name, text)
    imported = _imported(tmp_path, "check", name, "--as-of", "2026-11-21")
    assert "iacfix.formats.cloudformation" in imported
    for heavy in ("iacfix.formats.terraform", "tree_sitter", "iacfix.formats.cdk_typescript",
                  "iacfix.formats.cdk_python", "iacfix.formats.serverless", "iacfix.formats.packaging",
                  "iacfix.formats.dockerfile",
                  "multiprocessing", "iacfix.baseline", "iacfix.reports.sarif", "importlib.resources", "tempfile",
                  # no configuration file above tmp_path, no --accept: neither TOML nor acceptances are read
                  "tomllib", "tomli", "iacfix.acceptance", "difflib", "iacfix.rules.support_floor", "iacfix.floors",
                  # the command line is parsed without click, and its help machinery is imported only for help
                  "click", "argparse", "gettext", "locale", "textwrap", "shutil"):
        assert heavy not in imported, heavy
    if name.endswith(".json"):  # composed by iacfix.formats.json_compose, which needs no PyYAML
        assert not {m for m in imported if m == "yaml" or m.startswith("yaml.")}
        assert "typing" not in imported  # PyYAML imports it; our tuples are built without it
    else:
        assert "yaml._yaml" in imported


def test_a_file_no_name_claims_is_sniffed_by_every_format(tmp_path, write):
    write("infra.txt", CFN_HEAD + "Resources:\n" + lambda_function("python3.9", "Fn"))
    imported = _imported(tmp_path, "check", "infra.txt", "--as-of", "2026-11-21")
    assert {"iacfix.formats.terraform", "iacfix.formats.cloudformation"} <= imported


@pytest.mark.parametrize("name, text, parsed", [
    ("cdk-python", b"from aws_cdk import aws_s3 as s3\ns3.Bucket(self, 'B')\n", False),
    ("cdk-python", b"from aws_cdk import aws_lambda as lam\nlam.Function(self, 'F', runtime=lam.Runtime.PYTHON_3_9)\n",
     True),
    ("cdk-python", b"import aws_cdk as cdk\ncdk.aws_lambda.Runtime.PYTHON_3_9\n", True),
    ("cdk-python", b"from aws_cdk.aws_lambda_python_alpha import PythonFunction\nPythonFunction(self, 'F')\n",
     True),
    ("cdk-typescript", b"import * as s3 from 'aws-cdk-lib/aws-s3';\nnew s3.Bucket(this, 'B');\n", False),
    ("cdk-typescript", b"import * as lambda from 'aws-cdk-lib/aws-lambda';\nlambda.Runtime.PYTHON_3_9;\n", True),
    ("cdk-typescript", b"import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';\n", True),
])
def test_a_cdk_file_that_names_no_runtime_bearing_symbol_is_not_parsed(name, text, parsed):
    assert formats.by_name(name).prefilter(text) is parsed


def test_a_run_gives_the_collector_its_threshold_back(iacfix, write):
    import gc

    before = gc.get_threshold()
    write("template.yaml", CFN_HEAD + "Resources:\n" + lambda_function("python3.9", "Fn"))
    assert iacfix("check", "template.yaml").code == 1
    assert gc.get_threshold() == before


def _fresh(code: str):
    """What ``code`` prints as JSON, run in a fresh interpreter (nothing imported yet)."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def test_each_lazy_checker_row_names_what_its_checkers_consume():
    rows = _fresh("""
import json, iacfix.rules as r
before = (sorted(r.RULES), len(r.UNIT_STEPS), [type(c).__name__ for c in r.CHECKERS])
rows = {}
for m in r.LAZY_CHECKERS:
    __import__("iacfix.rules." + m)
    rows[m] = sorted(t.__name__ for c in r.CHECKERS if type(c).__module__ == "iacfix.rules." + m for t in c.consumes)
after = (sorted(r.RULES), len(r.UNIT_STEPS))
print(json.dumps({"rows": rows, "same_rules_and_steps": list(before[:2]) == list(after), "eager": before[2]}))
""")
    assert rows["rows"] == {m: sorted(names) for m, names in rules.LAZY_CHECKERS.items()}
    assert rows["same_rules_and_steps"]  # every rule and unit step is known before any lazy checker is imported
    assert rows["eager"]  # and the eager checkers are there


def test_checkers_run_in_the_same_order_however_they_were_imported():
    """A lazy checker imported mid-run takes its place in ``CHECKER_ORDER``, which lists every checker module."""
    order = _fresh("""
import json, iacfix.rules as r
from iacfix.floors import Floor
r.checkers_for([Floor.__new__(Floor)])
print(json.dumps([type(c).__module__.rpartition(".")[2] for c in r.CHECKERS]))
""")
    assert order == list(rules.CHECKER_ORDER)
    assert [type(c).__module__.rpartition(".")[2] for c in rules.load_all()
            if type(c).__module__.startswith("iacfix.rules.")] == list(rules.CHECKER_ORDER)


@pytest.mark.parametrize("pattern, flags, text", [
    (r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", 2, " 1.5 GiB "),  # reading._SIZE, re.IGNORECASE
    (r"^[ \t]*print[ \t]+(?![\s(=.,)\[]|$)[^\n]*", 8, "x = 1\n  print 'a'\nprint('b')\n"),  # re.M
    (r"\d+", 0, "v2.10.3-rc1"),
])
def test_a_pattern_compiled_on_use_answers_as_the_compiled_one(pattern, flags, text):
    import re

    from iacfix.lazy_re import compiled_on_use

    lazy, compiled = compiled_on_use(pattern, flags), re.compile(pattern, flags)
    for method in ("match", "fullmatch", "search"):
        got, want = getattr(lazy, method)(text), getattr(compiled, method)(text)
        assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), method
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("<>", text) == compiled.sub("<>", text) and lazy.split(text) == compiled.split(text)
    assert (lazy.pattern, lazy.flags, lazy.groups) == (compiled.pattern, compiled.flags, compiled.groups)


def test_a_pattern_compiled_on_use_is_compiled_only_when_used():
    import re

    from iacfix.lazy_re import compiled_on_use

    broken = compiled_on_use("(unclosed")  # re.compile would raise here
    with pytest.raises(re.error):
        broken.search("unclosed")


def test_a_dockerfile_check_reads_requirements_without_importing_what_pip_needs(tmp_path, write):
    """Without --resolve, the requirement files beside a function's code are read, pip is never run:
    iacfix.resolve's subprocess, tempfile and hashlib are imported only by a run that asks pip."""
    write("image/Dockerfile", "FROM public.ecr.aws/lambda/python:3.9\nCOPY requirements.txt app.py ${LAMBDA_TASK_ROOT}\n"
                              "RUN pip install -r requirements.txt\nCMD [\"app.handler\"]\n")
    write("image/requirements.txt", "boto3\n")
    write("image/app.py", "import json\n\ndef handler(event, context):\n    return json.dumps(event)\n")
    imported = _imported(tmp_path, "check", "image/Dockerfile", "--as-of", "2026-11-21")
    assert {"iacfix.formats.dockerfile", "iacfix.readiness"} <= imported
    for heavy in ("subprocess", "tempfile", "hashlib", "multiprocessing", "tree_sitter", "yaml"):
        assert heavy not in imported, heavy
