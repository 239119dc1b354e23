"""Code readiness on the import forms real handlers and the packages vendored
beside them use: fallbacks in `except ImportError`, `TYPE_CHECKING` blocks,
`importlib.import_module("...")`, package `__init__` modules, and code newer
than the Python iacfix runs on (which is not Python 2)."""

import os
import sys

import pytest

from iacfix.model import FunctionCode
from iacfix.readiness import assess
from test_readiness import blocked, code_of


# pip's vendored pkg_resources and distlib, six, requests' compat modules: the
# fallback runs only when the import above it fails, which it does not on 3.13.
@pytest.mark.parametrize("source", [
    "try:\n    import _imp\nexcept ImportError:\n    # Python 3.2 compatibility\n    import imp as _imp\n",
    "try:\n    from html import escape\nexcept ImportError:\n    from cgi import escape\n",
    "try:\n    from html import escape\nexcept (ImportError, AttributeError):\n    from cgi import escape\n",
    "try:\n    from email.message import Message\nexcept ModuleNotFoundError:\n    import mailcap\n",
])
def test_a_fallback_behind_a_working_import_blocks_nothing(write, source):
    found = code_of(write, {"code/app.py": source})
    assert found.blocking() == []
    assert len(found.blockers) == 1 and "fallback" in found.blockers[0].guarded


@pytest.mark.parametrize("source, expected", [
    # the import above the fallback is itself removed: on 3.13 both fail
    ("try:\n    import cgi\nexcept ImportError:\n    import imghdr\n", [("imghdr", "3.13", 4)]),
    # a third-party primary that may be missing: the fallback may run
    ("try:\n    from multipart import parse_options_header\nexcept ImportError:\n    from cgi import parse_header\n",
     [("cgi", "3.13", 4)]),
    # a handler for another error, or any error, is no import fallback
    ("try:\n    from html import escape\nexcept Exception:\n    import cgi\n", [("cgi", "3.13", 4)]),
    ("try:\n    x = int('a')\nexcept ImportError:\n    import cgi\n", [("cgi", "3.13", 4)]),
])
def test_a_fallback_that_may_run_still_blocks(write, source, expected):
    assert blocked(code_of(write, {"code/app.py": source})) == expected


@pytest.mark.parametrize("source", [
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import telnetlib\n",
    "import typing\nif typing.TYPE_CHECKING:\n    from cgi import FieldStorage\n",
])
def test_imports_for_the_type_checker_only_never_run(write, source):
    found = code_of(write, {"code/app.py": source})
    assert found.blocking() == []
    assert len(found.blockers) == 1 and "TYPE_CHECKING" in found.blockers[0].guarded


def test_the_else_of_a_type_checking_block_runs(write):
    found = code_of(write, {"code/app.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\n"
                                           "else:\n    import cgi\n"})
    assert blocked(found) == [("cgi", "3.13", 5)]


@pytest.mark.parametrize("source, expected", [
    ('import importlib\nmod = importlib.import_module("crypt")\n', [("crypt", "3.13", 2)]),
    ('from importlib import import_module\nmod = import_module("telnetlib")\n', [("telnetlib", "3.13", 2)]),
    ('pipes = __import__("pipes")\n', [("pipes", "3.13", 1)]),
    ('import importlib\ndef load():\n    return importlib.import_module("distutils.util")\n',
     [("distutils", "3.12", 3)]),
    # not a literal, or relative: not judged
    ('import importlib\nname = "cgi"\nmod = importlib.import_module(name)\n', []),
    ('import importlib\nmod = importlib.import_module(".cgi", "pkg")\n', []),
])
def test_a_module_imported_by_a_literal_name_is_found(write, source, expected):
    assert blocked(code_of(write, {"code/app.py": source})) == expected


def test_a_literal_import_module_under_a_guard_is_informational(write):
    source = 'import importlib\ntry:\n    cgi = importlib.import_module("cgi")\nexcept ImportError:\n    cgi = None\n'
    found = code_of(write, {"code/app.py": source})
    assert found.blocking() == [] and [b.name for b in found.blockers] == ["cgi"]


def test_a_local_module_imported_by_a_literal_name_is_followed(write):
    found = code_of(write, {"code/app.py": 'import importlib\nroutes = importlib.import_module("routes.orders")\n',
                            "code/routes/__init__.py": "", "code/routes/orders.py": "import nntplib\n"})
    assert blocked(found) == [("nntplib", "3.13", 1)]


@pytest.mark.parametrize("app", ["from pkg.sub import thing\n", "import pkg.sub\n", "from pkg import sub\n"])
def test_importing_from_a_package_runs_its_init(write, app):
    found = code_of(write, {"code/app.py": app, "code/pkg/__init__.py": "import uu\n",
                            "code/pkg/sub.py": "thing = 1\n"})
    assert blocked(found) == [("uu", "3.13", 1)]
    assert found.blockers[0].path.endswith("code/pkg/__init__.py")


def test_a_handler_in_a_package_runs_the_packages_init(write):
    found = code_of(write, {"code/functions/__init__.py": "import asyncore\n",
                            "code/functions/orders.py": "def handler(event, context):\n    return 1\n"},
                    handler="functions.orders.handler")
    assert blocked(found) == [("asyncore", "3.12", 1)]


# Code for a newer Python than the one iacfix runs on does not parse here, but it
# is not Python 2: a backtick in a docstring is no Python 2 backtick.
NEWER = [
    ('"""Orders.\n\nReads the `order` from the event.\n"""\nimport json\n\n\ndef handler(event, context):\n'
     '    order = json.loads(event["body"])\n    return f"order {order["id"]} accepted"\n', (3, 12)),
    ('"""Rates: 0.07 a unit."""\ntype Price = float\n', (3, 12)),
]


@pytest.mark.parametrize("source, needs", NEWER)
def test_code_for_a_newer_python_is_not_called_python2(write, source, needs):
    found = code_of(write, {"code/app.py": source})
    if sys.version_info >= needs:
        assert found.blockers == []
    else:
        assert [b.kind for b in found.blockers] == ["unparsed"] and found.blocking() == []


@pytest.mark.parametrize("source, what", [
    ('"""Handler."""\nimport sys\n\ndef handler(event, context):\n    print "got", event\n', "a print statement"),
    ("def handler(event, context):\n    try:\n        return 1\n    except ValueError, e:\n        return 2\n",
     "except X, e:"),
])
def test_python2_code_is_still_named(write, source, what):
    found = code_of(write, {"code/app.py": source})
    assert [(b.kind, b.name) for b in found.blocking()] == [("syntax", what)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_among_the_modules_is_not_read(write, tmp_path):
    write({"code/app.py": "import cgi\n"})
    os.mkfifo(tmp_path / "code" / "pipe.py")
    found = assess(FunctionCode("F", 0, 0, root="code", handler=None), str(tmp_path / "template.yaml"))
    assert blocked(found) == [("cgi", "3.13", 1)]


def test_a_code_tree_past_the_module_limit_says_so(write, iacfix, tmp_path):
    """A vendored dependency tree (pip install -t src/) can reach more modules than
    are read: what is not read is said, never reported as clean."""
    from iacfix.readiness import MAX_MODULES

    files = {f"code/vendor/m{i}.py": f"from vendor import m{i + 1}\n" for i in range(MAX_MODULES + 5)}
    files[f"code/vendor/m{MAX_MODULES + 5}.py"] = "import cgi\n"
    files["code/vendor/__init__.py"] = ""
    files["code/app.py"] = "from vendor import m0\n"
    files["template.yaml"] = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
                              "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
                              "      CodeUri: code/\n      Handler: app.handler\n")
    write(files)
    found = assess(FunctionCode("F", 0, 0, root="code", handler="app.handler"), str(tmp_path / "template.yaml"))
    assert found.truncated and found.blocking() == []
    out = iacfix("check", "template.yaml", "--format", "json").json
    assert [f["message"] for f in out["findings"] if f["rule"] == "RT304"] == [
        f"code of Fn not fully read: only the first {MAX_MODULES} local modules its handler reaches were read; "
        "whether a newer Python runs it is not known"]
    plan = iacfix("plan", "template.yaml", "--as-of", "2026-11-21", "--format", "json").json
    assert "only the first" in plan["functions"][0]["recommendation"]["why"]


def test_a_backfill_in_an_included_requirements_file_counts(write):
    found = code_of(write, {"code/app.py": "import cgi\n", "code/requirements.txt": "-r requirements/base.txt\n",
                            "code/requirements/base.txt": "legacy-cgi==2.6.1 \\\n    --hash=sha256:" + "a" * 64 + "\n"})
    assert found.blocking() == [] and found.blockers[0].backfilled == "legacy-cgi"


def test_a_built_archive_is_said_not_read_never_passed_as_clean(iacfix, write, tmp_path):
    """SAM's CodeUri (and a packaged CloudFormation Code) may name a local .zip: its
    code is not read here, and check says so instead of judging it clean."""
    import zipfile

    write({"template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Zipped:\n"
                            "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.11\n"
                            "      CodeUri: build/fn.zip\n      Handler: app.handler\n"})
    (tmp_path / "build").mkdir()
    with zipfile.ZipFile(tmp_path / "build" / "fn.zip", "w") as z:
        z.writestr("app.py", "import cgi\n")
    run = iacfix("check", ".", "--format", "json")
    [note] = [f for f in run.json["findings"] if f["rule"] == "RT304"]
    assert "build/fn.zip is an archive" in note["message"]
    plan = iacfix("plan", ".", "--as-of", "2026-11-21", "--format", "json", as_of=None).json
    assert plan["functions"][0]["code"]["found"] is False


def test_a_large_module_that_does_not_parse_is_judged_in_linear_time():
    """A generated module on one long line (a table of strings) that this Python
    cannot parse: finding that it is not Python 2 must not take quadratic time."""
    import ast
    import time

    from iacfix.readiness import python2_marker

    source = "TABLE = [" + ", ".join(['"<>"'] * 60000) + "]\ntype Row = tuple[str, str]\n"
    started = time.process_time()
    try:
        ast.parse(source)
        line = None
    except SyntaxError as e:
        line = e.lineno
    assert python2_marker(source, line) is None
    assert time.process_time() - started < 4  # quadratic: ~13 s here


@pytest.mark.parametrize("source", [
    'import sys\nif sys.platform == "win32":\n    import msilib\n',
    'import sys\nif sys.platform.startswith("win"):\n    import msilib\n',
    'import os\nif os.name == "nt":\n    import msilib\nelse:\n    import json\n',
    'import sys\nif sys.platform != "linux":\n    pass\nelse:\n    import json\n'
    'if sys.platform in ("win32", "cygwin"):\n    import msilib\n',
])
def test_an_import_only_another_platform_runs_blocks_nothing(write, source):
    """Lambda runs Linux: `if sys.platform == "win32": import msilib` never runs there."""
    found = code_of(write, {"code/app.py": source})
    assert found.blocking() == [] and [b.name for b in found.blockers] == ["msilib"]
    assert "Linux" in found.blockers[0].guarded


@pytest.mark.parametrize("source", [
    'import sys\nif sys.platform == "linux":\n    import spwd\n',
    'import sys\nif sys.platform != "win32":\n    import spwd\n',
    'import os\nif os.name == "nt":\n    pass\nelse:\n    import spwd\n',
])
def test_an_import_linux_runs_still_blocks(write, source):
    assert [b[0] for b in blocked(code_of(write, {"code/app.py": source}))] == ["spwd"]


def test_a_handler_module_missing_from_its_code_directory_is_said(iacfix, write):
    """The code directory is there but the handler module is not (a typo, a module
    built elsewhere): check says the code was not read (RT304, as documented),
    rather than moving the runtime as if the code were known to run."""
    write({"template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
                            "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.11\n"
                            "      CodeUri: src/\n      Handler: handlers.orders.handler\n",
           "src/handlers/__init__.py": "", "src/handlers/order.py": "import cgi\n"})
    run = iacfix("check", ".", "--format", "json")
    assert [f["message"] for f in run.json["findings"] if f["rule"] == "RT304"] == [
        "code of Fn not read: handler module handlers.orders is not under src; whether a newer Python runs it is "
        "not known"]


def test_handlers_sharing_a_code_directory_read_each_module_once(write, tmp_path):
    """One code directory, many handlers importing the same library (vendored
    dependencies beside them): each module is parsed once, not once a handler
    (10 functions over a 500-module tree took 22 s)."""
    from iacfix.readiness import _module

    files = {f"code/lib/m{i}.py": f"import lib.m{i + 1}\n" for i in range(40)}
    files.update({"code/lib/__init__.py": "", "code/lib/m40.py": "import nntplib\n"})
    files.update({f"code/h{i}.py": "import lib.m0\n" for i in range(10)})
    write(files)
    before = _module.cache_info().misses
    found = [assess(FunctionCode(f"F{i}", 0, 0, root="code", handler=f"h{i}.handler"), str(tmp_path / "t.yaml"))
             for i in range(10)]
    assert all(blocked(f) == [("nntplib", "3.13", 1)] for f in found)
    assert _module.cache_info().misses - before == 42 + 10  # lib/__init__, m0..m40, and each handler once
