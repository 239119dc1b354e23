"""Code readiness: what the handler code holds, judged per target, and fix
holding back the moves the code cannot make.  The golden trees
(tests/golden/readiness_*.in) cover each code-location kind end to end; here
each removed-module family, each guard, and the behaviour of fix."""

import json
import sys

import pytest

from conftest import ROOT, SAMPLES
from iacfix.model import FunctionCode
from iacfix.readiness import assess, python2_marker, removed_data

sys.path.insert(0, str(ROOT / "tools"))
import sync_removed_stdlib  # noqa: E402

FACTS = ROOT.parent / "shared" / "facts" / "lifecycle.json"


def code_of(write, files: dict, handler="app.handler"):
    root = write(files)
    return assess(FunctionCode("F", 0, 0, root="code", handler=handler), str(root / "template.yaml"))


def blocked(found):
    return sorted((b.name, b.removed_in, b.line) for b in found.blocking())


@pytest.mark.parametrize("source, expected", [
    # 3.12: the modules PEP 594 and PEP 632 scheduled first
    ("import distutils.core", [("distutils", "3.12", 1)]),
    ("from distutils.util import strtobool", [("distutils", "3.12", 1)]),
    ("import imp, asynchat", [("asynchat", "3.12", 1), ("imp", "3.12", 1)]),
    ("import asyncore as a\nimport smtpd", [("asyncore", "3.12", 1), ("smtpd", "3.12", 2)]),
    # 3.13: the PEP 594 dead batteries, lib2to3, tkinter.tix, typing.io/typing.re
    ("import cgi", [("cgi", "3.13", 1)]),
    ("from cgi import parse_header", [("cgi", "3.13", 1)]),
    ("import telnetlib, nntplib, xdrlib", [("nntplib", "3.13", 1), ("telnetlib", "3.13", 1), ("xdrlib", "3.13", 1)]),
    ("from lib2to3.pgen2 import driver", [("lib2to3", "3.13", 1)]),
    ("from tkinter import tix", [("tkinter.tix", "3.13", 1)]),
    ("import tkinter.tix", [("tkinter.tix", "3.13", 1)]),
    ("from typing.re import Match", [("typing.re", "3.13", 1)]),
    ("import typing\nx = typing.io.TextIO", [("typing.io", "3.13", 2)]),
    # 3.14: APIs, by import or by attribute
    ("from pkgutil import find_loader", [("pkgutil.find_loader", "3.14", 1)]),
    ("import pkgutil\npkgutil.get_loader('x')", [("pkgutil.get_loader", "3.14", 2)]),
    ("import ast as a\nn = a.Num", [("ast.Num", "3.14", 2)]),
    ("from importlib.abc import Traversable", [("importlib.abc.Traversable", "3.14", 1)]),
    ("import asyncio\nasyncio.get_child_watcher()", [("asyncio.get_child_watcher", "3.14", 2)]),
    ("import urllib.request\nurllib.request.URLopener()", [("urllib.request.URLopener", "3.14", 2)]),
    # not removed: look-alikes
    ("import cgitbx, typing\nfrom typing import IO\nimport pkgutil\npkgutil.iter_modules()", []),
    ("s = 'import cgi'  # import cgi", []),
])
def test_each_removed_family_is_found_at_its_line(write, source, expected):
    assert blocked(code_of(write, {"code/app.py": source + "\n"})) == expected


@pytest.mark.parametrize("source, guard", [
    ("try:\n    import cgi\nexcept ImportError:\n    cgi = None\n", "inside try/except ImportError"),
    ("try:\n    import cgi\nexcept (ValueError, ModuleNotFoundError):\n    pass\n", "inside try/except ImportError"),
    ("import sys\nif sys.version_info < (3, 13):\n    import cgi\n", "under a Python version check"),
    ("import sys\nif sys.version_info >= (3, 13):\n    import email\nelse:\n    from cgi import parse_header\n",
     "under a Python version check"),
])
def test_guarded_imports_are_informational(write, source, guard):
    found = code_of(write, {"code/app.py": source})
    assert found.blocking() == []
    assert [(b.name, b.guarded) for b in found.blockers] == [("cgi", guard)]


def test_an_import_guarded_by_another_exception_still_blocks(write):
    found = code_of(write, {"code/app.py": "try:\n    import cgi\nexcept KeyError:\n    pass\n"})
    assert blocked(found) == [("cgi", "3.13", 2)]


@pytest.mark.parametrize("requirements, blocks", [
    ("legacy-cgi==2.6.1\n", False),
    ("Legacy_CGI>=2.6  # backfill\n", False),
    ("standard-cgi\n", False),
    ("requests==2.32.3\n", True),
    ("# legacy-cgi\n", True),
])
def test_a_backfill_requirement_satisfies_the_import(write, requirements, blocks):
    found = code_of(write, {"code/app.py": "import cgi\n", "code/requirements.txt": requirements})
    assert bool(found.blocking()) == blocks


def test_pyproject_dependencies_backfill_too(write):
    found = code_of(write, {"code/app.py": "import imghdr\n",
                            "code/pyproject.toml": '[project]\nname = "x"\ndependencies = ["standard-imghdr>=3.13"]\n'})
    assert found.blocking() == [] and found.blockers[0].backfilled == "standard-imghdr"


def test_local_modules_are_followed_and_shadow_the_stdlib(write):
    found = code_of(write, {
        "code/app.py": "import cgi\nfrom pkg import helpers\nfrom util import tools\n",
        "code/cgi.py": "X = 1\n",  # the code's own cgi.py: not the removed module
        "code/pkg/__init__.py": "",
        "code/pkg/helpers.py": "from . import deep\n",
        "code/pkg/deep.py": "import imp\n",
        "code/util.py": "import json\n",
        "code/unused.py": "import asyncore\n",  # not reached from the handler
    })
    assert blocked(found) == [("imp", "3.12", 1)]
    assert found.blockers[0].path.endswith("code/pkg/deep.py")
    assert len(found.files) == 6  # app, cgi, pkg/__init__, pkg/helpers, pkg/deep, util


def test_a_missing_handler_module_is_said_never_guessed(write):
    found = code_of(write, {"code/other.py": "import cgi\n"}, handler="app.handler")
    assert not found.found and "handler module app is not under" in found.why_not


@pytest.mark.parametrize("source, what, line", [
    ('def f():\n    print "x"\n', "a print statement", 2),
    ("try:\n    pass\nexcept ValueError, e:\n    pass\n", "except X, e:", 3),
    ("x = `1`\n", "backticks", 1),
    ("if 1 <> 2:\n    pass\n", "the <> operator", 1),
    ("x = 0777\n", "an octal literal without 0o", 1),
])
def test_python2_code_is_named(source, what, line):
    marker = python2_marker(source)
    assert marker is not None and marker[:2] == (what, line)


def test_python3_code_has_no_python2_marker():
    assert python2_marker('print("a <> b")  # `x`\nx = 0o777\n') is None


def test_the_data_file_is_what_the_generator_makes_of_the_facts():
    if not FACTS.exists():
        pytest.skip("../shared/facts is not beside this checkout")
    built = sync_removed_stdlib.build(json.loads(FACTS.read_text()))
    committed = json.loads((ROOT / "rules" / "removed_stdlib.json").read_text())
    assert built == committed


def test_every_removed_name_has_a_version_and_a_source():
    data = removed_data()
    assert len([n for n, r in data["removed"].items() if r["removed_in"] == "3.13" and r["kind"] == "module"]) == 23
    for name, row in data["removed"].items():
        assert row["removed_in"] in ("3.12", "3.13", "3.14") and row["source"].startswith("https://"), name
    for dist, row in data["backfills"].items():
        assert row["source"].startswith("https://") and set(row["provides"]) <= set(data["removed"]), dist


# -- check and fix ------------------------------------------------------------

SAM = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Upload:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: upload/
      Handler: app.handler
      Runtime: python3.11
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: report/
      Handler: app.handler
      Runtime: python3.11
"""


@pytest.fixture
def app(write):
    return write({"template.yaml": SAM, "upload/app.py": "import cgi\n", "report/app.py": "import json\n"})


def test_fix_holds_back_the_function_whose_code_blocks_the_target(iacfix, app):
    run = iacfix("check", ".", "--format", "json")
    by = {(f["rule"], tuple(f["used_by"])): f for f in run.json["findings"]}
    cgi = by[("RT301", ("Upload",))]
    assert (cgi["path"], cgi["line"], cgi["severity"]) == ("upload/app.py", 1, "warning")
    assert cgi["removed_in"] == "3.13" and cgi["runs_on"] == "python3.12" and cgi["functions"] == ["Upload"]
    upload = by[("RT004", ("Upload",))]
    assert not upload["fixable"] and upload["fix"]["applicability"] == "unsafe"
    assert "held back: the code of Upload does not run on python3.13: cgi at upload/app.py:1" in upload["message"]
    assert "python3.12 runs this code" in upload["message"]
    assert upload["held_back"] == {"by": ["Upload"], "at": "upload/app.py:1", "runs_on": "python3.12"}
    assert by[("RT004", ("Report",))]["fixable"]
    iacfix("fix", ".")
    text = (app / "template.yaml").read_text()
    assert text.count("python3.11") == 1 and text.count("python3.13") == 1
    assert text.index("python3.11") < text.index("Report")


def test_unsafe_fixes_move_it_anyway(iacfix, app):
    iacfix("fix", ".", "--unsafe-fixes")
    assert (app / "template.yaml").read_text().count("python3.13") == 2


def test_the_unblocked_runtime_is_a_target_that_moves_both(iacfix, app):
    run = iacfix("fix", ".", "--target", "python3.12", "--format", "json")
    assert sorted(f["used_by"][0] for f in run.json["fixed"]) == ["Report", "Upload"]
    assert (app / "template.yaml").read_text().count("python3.12") == 2


def test_a_shared_value_moves_only_if_every_user_can(iacfix, write):
    root = write({"template.yaml": SAM.replace("      Runtime: python3.11\n", "").replace(
        "Resources:", "Globals:\n  Function:\n    Runtime: python3.11\nResources:"),
        "upload/app.py": "import cgi\n", "report/app.py": "import json\n"})
    run = iacfix("fix", ".", "--format", "json")
    assert run.json["fixed"] == []
    assert "python3.11" in (root / "template.yaml").read_text()
    [globals_] = [f for f in run.json["findings"] if f["rule"] == "RT004"]
    assert globals_["used_by"] == ["Upload", "Report"] and "held back" in globals_["message"]


def test_a_parameter_held_back_keeps_its_allowed_values(iacfix, write):
    root = write({"t.yaml": """AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Py:
    Type: String
    Default: python3.9
    AllowedValues: [python3.9, python3.12]
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: !Ref Py
      Handler: app.handler
      Code: code/
""", "code/app.py": "import telnetlib\n"})
    before = (root / "t.yaml").read_text()
    iacfix("fix", ".")
    assert (root / "t.yaml").read_text() == before


def test_code_already_broken_on_its_runtime_is_an_error(iacfix, write):
    write({"template.yaml": SAM.replace("python3.11", "python3.13"), "upload/app.py": "import cgi\n",
           "report/app.py": "import json\n"})
    [f] = iacfix("check", ".", "--format", "json").json["findings"]
    assert (f["rule"], f["severity"]) == ("RT301", "error") and "already lacks it" in f["message"]


def test_node_functions_are_not_read_as_python(iacfix, write):
    write({"template.yaml": SAM.replace("python3.11", "nodejs22.x"), "upload/app.py": "import cgi\n",
           "report/app.py": "print 'x'\n"})
    assert not [f for f in iacfix("check", ".", "--format", "json").json["findings"] if f["rule"].startswith("RT3")]


def test_select_and_ignore_apply_to_readiness_rules(iacfix, app):
    run = iacfix("check", ".", "--format", "json", "--ignore", "RT301")
    assert {f["rule"] for f in run.json["findings"]} == {"RT004"}
    assert all(f["fixable"] for f in run.json["findings"])  # nothing reported blocks, so nothing is held


def test_sample_app_three_candidates(iacfix):
    run = iacfix("check", str(SAMPLES / "readiness-app"), "--format", "json")
    rules = sorted((f["rule"], f["path"].split("readiness-app/")[1], f["line"]) for f in run.json["findings"])
    assert rules == [("RT001", "template.yaml", 38), ("RT004", "template.yaml", 19), ("RT004", "template.yaml", 30),
                     ("RT301", "src/upload/forms.py", 4), ("RT302", "src/legacy/handler.py", 5),
                     ("RT303", "src/upload/forms.py", 8)]
    fixable = {f["used_by"][0] for f in run.json["findings"] if f["fixable"]}
    assert fixable == {"Report"}


# -- property: wherever an import is written, it is classified by its context ------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REMOVED = ["cgi", "imp", "telnetlib", "distutils.util", "asyncore", "lib2to3.pgen2"]
KEPT = ["json", "os.path", "email.message", "csv"]
CONTEXTS = {  # name -> (lines around the import, guarded?)
    "top": (["{imp}"], False),
    "function": (["def f():", "    {imp}", "    return 1"], False),
    "try-importerror": (["try:", "    {imp}", "except ImportError:", "    pass"], True),
    "try-keyerror": (["try:", "    {imp}", "except KeyError:", "    pass"], False),
    "version-check": (["import sys", "if sys.version_info < (3, 12):", "    {imp}"], True),
    "else-of-version-check": (["import sys", "if sys.version_info >= (3, 13):", "    pass", "else:", "    {imp}"], True),
    "class": (["class C:", "    {imp}"], False),
}


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REMOVED + KEPT), st.sampled_from(sorted(CONTEXTS)),
                          st.booleans()), min_size=1, max_size=6))
def test_each_import_is_judged_by_its_own_context(tmp_path_factory, placed):
    lines, expected = [], set()
    for module, context, from_form in placed:
        imp = f"from {module} import x" if from_form else f"import {module}"
        body, guarded = CONTEXTS[context]
        start = len(lines)
        lines += [b.format(imp=imp) for b in body]
        line = start + next(i for i, b in enumerate(body) if "{imp}" in b) + 1
        top = module.split(".")[0]
        if module in REMOVED:
            expected.add((top, line, guarded))
    root = tmp_path_factory.mktemp("prop")
    (root / "code").mkdir()
    (root / "code" / "app.py").write_text("\n".join(lines) + "\n")
    found = assess(FunctionCode("F", 0, 0, root="code", handler="app.handler"), str(root / "t.yaml"))
    got = {(b.name.split(".")[0], b.line, b.guarded is not None) for b in found.blockers}
    assert got == expected


def test_a_local_module_call_is_held_back_by_the_module_code(iacfix, write):
    root = write({
        "main.tf": 'module "worker" {\n  source = "./modules/fn"\n  python = "python3.10"\n}\n',
        "modules/fn/main.tf": 'variable "python" {\n  default = "python3.12"\n}\n\ndata "archive_file" "zip" {\n'
                              '  type        = "zip"\n  source_dir  = "${path.module}/src"\n'
                              '  output_path = "${path.module}/build.zip"\n}\n\nresource "aws_lambda_function" "this" {\n'
                              '  function_name = "fn"\n  role          = "r"\n  handler       = "app.handler"\n'
                              '  runtime       = var.python\n  filename      = data.archive_file.zip.output_path\n}\n',
        "modules/fn/src/app.py": "import cgi\n"})
    run = iacfix("check", ".", "--format", "json")
    [caller] = [f for f in run.json["findings"] if f["path"] == "main.tf"]
    assert caller["used_by"] == ["module.worker.aws_lambda_function.this"] and not caller["fixable"]
    assert "cgi at modules/fn/src/app.py:1" in caller["message"]
    iacfix("fix", ".")
    assert '"python3.10"' in (root / "main.tf").read_text()


@pytest.mark.parametrize("code", [
    '_lambda.Code.from_asset("stacks/lambda_src")',  # relative to the app (cdk.json)
    '_lambda.Code.from_asset(os.path.join(os.path.dirname(__file__), "lambda_src"))',
    '_lambda.Code.from_asset(str(Path(__file__).parent / "lambda_src"))',
])
def test_cdk_python_asset_paths(iacfix, write, code):
    write({"cdk.json": "{}\n", "stacks/lambda_src/app.py": "import imp\n", "stacks/s.py":
           "import os\nfrom pathlib import Path\nfrom aws_cdk import aws_lambda as _lambda\n\n"
           f'_lambda.Function(self, "A", runtime=_lambda.Runtime.PYTHON_3_11, handler="app.handler", code={code})\n'})
    found = iacfix("check", ".", "--format", "json").json["findings"]
    assert [(f["rule"], f["path"]) for f in found if f["rule"] == "RT301"] == [("RT301", "stacks/lambda_src/app.py")]
