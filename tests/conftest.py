import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iacfix.catalog import load_catalog
from iacfix.cli import main
from iacfix.engine import Options, check
from iacfix.formats import by_name
from iacfix.model import Located
from iacfix.rules import RULES, Context
from iacfix.targets import default_target, with_target

HERE = Path(__file__).parent
ROOT = HERE.parent
GOLDEN = HERE / "golden"
SAMPLES = ROOT / "samples"
CATALOG_FILE = ROOT / "rules" / "catalog.json"
AS_OF = "2026-11-21"  # the date every judgement in the suite is made on, unless a test says otherwise
CATALOG = load_catalog()
CFN_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\n"


def lambda_function(runtime: str, name: str = "F") -> str:
    """An AWS::Lambda::Function resource with ``Runtime: {runtime}``, indented to stand under ``Resources:``."""
    return f"  {name}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: {runtime}\n"


def golden_out(name: str) -> Path:
    """What ``iacfix fix`` must make of golden input ``name``: NAME.in.EXT -> NAME.out.EXT, NAME.in/ -> NAME.out/."""
    return GOLDEN / re.sub(r"\.in(?=\.|$)", ".out", name, count=1)


def locate(fmt: str, text: str):
    """What format ``fmt`` (a registered name) locates in ``text``: its parse, then its locate."""
    format_ = by_name(fmt)
    return format_.locate(format_.parse(text), text)


def console(script: str, *args, cwd=None) -> subprocess.CompletedProcess:
    """Run a console script installed beside this Python (the venv's ``iacfix`` or ``cfn-lint``)
    in a subprocess; its output is captured as text."""
    exe = Path(sys.executable).with_name(script)
    return subprocess.run([str(exe), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


def make_context(as_of: str = AS_OF, target: str | None = None, horizon: int = 365, catalog=CATALOG,
                 enabled=frozenset(RULES), unsafe_fixes: bool = False) -> Context:
    """A judgement context as the CLI builds it: ``target`` None derives the default."""
    ctx = Context(dt.date.fromisoformat(as_of), horizon, catalog, enabled=frozenset(enabled), unsafe_fixes=unsafe_fixes)
    if target is None:
        return with_target(ctx, *default_target(catalog, ctx))
    return with_target(ctx, catalog.find(target))


def make_options(fix: bool = False, write: bool = False, diff: bool = False, **context) -> Options:
    return Options(context=make_context(**context), fix=fix, write=write, diff=diff)


def judge(site, text: str | None = None, path: str = "t", **context):
    """The findings the checkers make of one located site (or Unresolved)."""
    located = Located([site], []) if hasattr(site, "value") else Located([], [site])
    text = text if text is not None else " " * (site.end + 1)
    return check(located, path, text, make_context(**context))


class Invoked:
    """What one in-process run of the CLI printed, and how it ended."""

    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None = None):
        self.exit_code, self.stdout, self.stderr, self.exception = exit_code, stdout, stderr, exception

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(args, catch_exceptions: bool = False) -> Invoked:
    """Run ``iacfix ARGS`` in this process (``main`` exits with its status, as the console script does),
    stdout and stderr captured; an exception escapes unless ``catch_exceptions``."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(), out, err
    code, exception = 0, None
    try:
        main([str(a) for a in args])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except Exception as e:
        if not catch_exceptions:
            raise
        code, exception = 1, e
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return Invoked(code, out.getvalue(), err.getvalue(), exception)


class Run:
    def __init__(self, result):
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture(scope="session", autouse=True)
def _result_cache_dir(tmp_path_factory):
    """The suite's result cache (iacfix.cache): its own directory, never the user's."""
    old = os.environ.get("IACFIX_CACHE_DIR")
    os.environ["IACFIX_CACHE_DIR"] = str(tmp_path_factory.mktemp("iacfix-cache"))
    yield
    if old is None:
        os.environ.pop("IACFIX_CACHE_DIR", None)
    else:
        os.environ["IACFIX_CACHE_DIR"] = old


@pytest.fixture
def iacfix(monkeypatch, tmp_path):
    """Run the CLI in-process with the current directory set to tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args, as_of=AS_OF):
        extra = ["--as-of", as_of] if as_of and args and args[0] in ("check", "fix", "runtimes") else []
        result = invoke([*args, *extra])
        return Run(result)

    return run


@pytest.fixture
def write(tmp_path):
    """``write(name, text) -> Path``: put ``text`` (str, stored as UTF-8 byte for byte; or bytes) at
    ``tmp_path / name``, creating its directories.  ``write({name: text, ...})`` puts several
    files and returns ``tmp_path``."""

    def put(name, text=None):
        if isinstance(name, dict):
            assert text is None, "write({name: text}) takes no second argument"
            for each, content in name.items():
                put(each, content)
            return tmp_path
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    return put


@pytest.fixture
def copy_golden(tmp_path):
    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copyfile(GOLDEN / name, dest)
        return dest

    return copy
