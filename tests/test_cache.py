"""The result cache (iacfix.cache, iacfix.deps): a cached run prints exactly what a
``--no-cache`` run prints, whatever changed on disk in between.

- an audit oracle: every path a unit's processing touches (the OS functions
  wrapped at the lowest level) is among what ``deps`` recorded for it, and
  answers kept in memory between units record the same as computing them
  (``tests/cache_audit.py``, on every sample and golden tree);
- each kind of cross-file dependency changed between runs;
- random edits of a small project between runs (slow, hypothesis);
- the options that change results change the key;
- a corrupt, truncated, foreign, tampered or unwritable cache is never trusted.

Files here are written a moment before they are read, which the cache treats
as racy (they may change again within their timestamp's granularity) and never
keeps; the tests turn that window off (``deps.RACY_NS = 0``) and give every
edit an mtime of its own instead, except the test of the window itself.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF, HERE, ROOT, SAMPLES, invoke
from iacfix import cache as result_cache
from iacfix import deps, spool

_CLOCK = itertools.count(1_600_000_000)  # seconds: each edit's mtime, distinct from every other


def put(root, name: str, text: str | None) -> None:
    """Write (None: delete) ``root/name`` with an mtime no other edit has."""
    path = root / name
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    t = next(_CLOCK) * 1_000_000_000
    os.utime(path, ns=(t, t))


def tree(root, files: dict) -> None:
    for name, text in files.items():
        put(root, name, text)


@pytest.fixture
def runs(tmp_path, tmp_path_factory, monkeypatch):
    """``runs(*args, cache=True)`` -> (exit code, stdout) of ``iacfix ARGS`` in ``tmp_path/tree``,
    with the test's own cache directory; ``runs.cache`` is that run's ``Cache``."""
    monkeypatch.setattr(deps, "RACY_NS", 0)
    directory = tmp_path_factory.mktemp("cache")
    root = tmp_path / "tree"
    root.mkdir()
    monkeypatch.chdir(root)

    def run(*args, cache=True, as_of=AS_OF):
        result_cache.LAST = None
        flags = ["--cache-dir", str(directory)] if cache else ["--no-cache"]
        got = invoke([*args, "--as-of", as_of, *flags])
        run.cache = result_cache.LAST if cache else None
        run.hits += run.cache.hits if run.cache else 0
        return got.exit_code, got.stdout

    run.hits = 0

    run.root, run.directory = root, directory
    return run


def both(runs, *args) -> tuple:
    """What ``check`` (JSON) and ``fix --diff`` print, with the cache."""
    return runs("check", ".", "--format", "json", *args), runs("fix", ".", "--diff", *args)


def uncached(runs, *args) -> tuple:
    return (runs("check", ".", "--format", "json", *args, cache=False),
            runs("fix", ".", "--diff", *args, cache=False))


# --- (1) the audit oracle --------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the oracle forks a child per unit")
def test_every_path_a_unit_touches_is_recorded_and_memory_records_the_same():
    roots = [str(SAMPLES), str(HERE / "golden"), str(HERE / "ci_golden")]
    out = subprocess.run([sys.executable, str(HERE / "cache_audit.py"), AS_OF, *roots], capture_output=True,
                         text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    kinds = {u["unit"][0] for u in report}
    assert {"cloudformation", "terraform", "serverless", "dockerfile", "cdk-python", "cdk-typescript"} <= kinds
    assert len(report) > 200
    untracked = {tuple(u["unit"][1]): u["untracked"] for u in report if u["untracked"]}
    assert untracked == {}, "read behind deps' back (route it through iacfix.deps)"
    # the questions, not their answers: a directory above the tree (/tmp) may change between the two runs
    differ = [u["unit"] for u in report if {(k, p) for k, p, _ in u["fresh"]} != {(k, p) for k, p, _ in u["warm"]}]
    assert differ == [], "an answer kept in memory did not record what computing it read (use deps.memo)"
    # the oracle sees the files beside the units: code, requirements, Dockerfiles, cdk.json looked for
    seen = {p for u in report for _, p, _ in u["fresh"]}
    assert any(p.endswith("src/report/requirements.txt") for p in seen)
    assert any(p.endswith("resize/Dockerfile") for p in seen)
    assert any(p.endswith("cdk.json") for p in seen)


# --- (2) each kind of cross-file dependency ----------------------------------------------------------

SAM = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
       "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n"
       "      Handler: app.handler\n      Runtime: python3.11\n")
IMAGE = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
         "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n"
         "    Metadata:\n      Dockerfile: Dockerfile\n      DockerContext: ./fn\n"
         "      DockerBuildArgs:\n        PYTHON_VERSION: \"3.9\"\n")
CDK = ("from aws_cdk import aws_lambda as _lambda\n\n"
       '_lambda.Function(self, "A", runtime=_lambda.Runtime.PYTHON_3_11, handler="app.handler",\n'
       '                 code=_lambda.Code.from_asset("stacks/lambda_src"))\n')
TF_CALLER = 'module "worker" {\n  source = "./modules/fn"\n  python = "python3.10"\n}\n'
TF_MODULE = ('variable "python" {\n  default = "python3.12"\n}\n\ndata "archive_file" "zip" {\n'
             '  type        = "zip"\n  source_dir  = "${path.module}/src"\n'
             '  output_path = "${path.module}/build.zip"\n}\n\nresource "aws_lambda_function" "this" {\n'
             '  function_name = "fn"\n  role          = "r"\n  handler       = "app.handler"\n'
             '  runtime       = var.python\n  filename      = data.archive_file.zip.output_path\n}\n')
TF_VARS = ('variable "rt" {\n  default = "python3.12"\n}\n\nresource "aws_lambda_function" "f" {\n'
           '  function_name = "f"\n  role = "r"\n  handler = "a.h"\n  runtime = var.rt\n}\n')
SLS = ("service: s\nprovider:\n  name: aws\n  runtime: ${file(./config/runtime.yml):report}\n"
       "functions:\n  a:\n    handler: src/a.handler\n")
CDK_TOOL = ("from aws_cdk import Stack\nfrom aws_cdk import aws_lambda as _lambda\n\n\nclass Api(Stack):\n"
            "    def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n"
            '        _lambda.Function(self, "Api", runtime=_lambda.Runtime.PYTHON_3_9, handler="app.handler",\n'
            '                         code=_lambda.Code.from_asset("src"))\n')

# name -> (the project, the change: {path: new text, or None to delete})
DEPENDENCIES = {
    "handler code": ({"template.yaml": SAM, "src/app.py": "import cgi\n"}, {"src/app.py": "import json\n"}),
    "a module the handler imports, absent then present": (
        {"template.yaml": SAM, "src/app.py": "import helper\n"}, {"src/helper.py": "import cgi\n"}),
    "requirements beside the code": (
        {"template.yaml": SAM, "src/app.py": "import cgi\n"}, {"src/requirements.txt": "legacy-cgi==2.6\n"}),
    "a serverless ${file(...)}": (
        {"serverless.yml": SLS, "config/runtime.yml": "report: python3.8\n", "src/a.py": "x = 1\n"},
        {"config/runtime.yml": "report: python3.13\n"}),
    "the Dockerfile a SAM image function builds": (
        {"template.yaml": IMAGE, "fn/Dockerfile": "ARG PYTHON_VERSION=3.12\n"
         "FROM public.ecr.aws/lambda/python:${PYTHON_VERSION}\nCOPY app.py ./\nCMD [\"app.handler\"]\n",
         "fn/app.py": "x = 1\n"},
        {"fn/Dockerfile": "FROM public.ecr.aws/lambda/python:3.13\nCOPY app.py ./\nCMD [\"app.handler\"]\n"}),
    "cdk.json up the tree": (
        {"cdk.json": "{}\n", "stacks/lambda_src/app.py": "import imp\n", "stacks/s.py": CDK},
        {"cdk.json": None}),
    "a pin file up to the CDK app's root": (
        {"cdk.json": "{}\n", "stacks/api.py": CDK_TOOL, "src/app.py": "import json\n",
         "requirements.txt": "constructs>=10\naws-cdk-lib==2.100.0\n"},
        {"requirements.txt": "constructs>=10\naws-cdk-lib==2.170.0\n"}),
    "a Terraform module's code": (
        {"main.tf": TF_CALLER, "modules/fn/main.tf": TF_MODULE, "modules/fn/src/app.py": "import cgi\n"},
        {"modules/fn/src/app.py": "import json\n"}),
    "a Terraform module's file": (
        {"main.tf": TF_CALLER, "modules/fn/main.tf": TF_MODULE, "modules/fn/src/app.py": "import json\n"},
        {"modules/fn/main.tf": TF_MODULE.replace("runtime       = var.python", 'runtime       = "python3.13"')}),
    "a tfvars file": (
        {"tf/main.tf": TF_VARS, "tf/prod.tfvars": 'rt = "python3.9"\n'}, {"tf/prod.tfvars": 'rt = "python3.13"\n'}),
    "a tfvars file added": ({"tf/main.tf": TF_VARS}, {"tf/prod.tfvars": 'rt = "python3.8"\n'}),
    "the configuration file": (
        {"template.yaml": SAM, "src/app.py": "import json\n", "iacfix.toml": 'target = "python3.12"\n'},
        {"iacfix.toml": 'target = "python3.13"\n'}),
    "a configuration override": (
        {"template.yaml": SAM, "src/app.py": "import json\n",
         "iacfix.toml": '[[overrides]]\npaths = ["template.yaml"]\nignore = ["RT004"]\n'},
        {"iacfix.toml": '[[overrides]]\npaths = ["other.yaml"]\nignore = ["RT004"]\n'}),
}


@pytest.mark.parametrize("kind", list(DEPENDENCIES))
def test_a_changed_dependency_is_seen(runs, kind):
    files, change = DEPENDENCIES[kind]
    tree(runs.root, files)
    first = both(runs)
    assert runs.cache.stored > 0  # fix --diff keeps entries of its own
    assert first == uncached(runs)
    assert both(runs) == first and runs.cache.hits > 0 and runs.cache.misses == 0 and runs.cache.stored == 0
    tree(runs.root, change)
    expected = uncached(runs)
    assert expected != first, "the change must matter, or this test cannot fail"
    assert both(runs) == expected


# --- (3) random edits between runs ---------------------------------------------------------------

PROJECT = {
    "template.yaml": SAM, "src/app.py": "import json\n",
    "serverless.yml": SLS, "config/runtime.yml": "report: python3.9\n", "src/a.py": "x = 1\n",
    "tf/main.tf": TF_VARS, "tf/prod.tfvars": 'rt = "python3.9"\n',
    "img/template.yaml": IMAGE, "img/fn/Dockerfile": "ARG PYTHON_VERSION=3.12\n"
    "FROM public.ecr.aws/lambda/python:${PYTHON_VERSION}\nCMD [\"app.handler\"]\n", "img/fn/app.py": "x = 1\n",
}
EDITS = [
    ("src/app.py", "import cgi\n"), ("src/app.py", "import helper\n"), ("src/app.py", "import json\n"),
    ("src/helper.py", "import imp\n"), ("src/helper.py", None), ("src/requirements.txt", "legacy-cgi\n"),
    ("src/requirements.txt", None), ("template.yaml", SAM.replace("python3.11", "python3.8")),
    ("template.yaml", SAM), ("config/runtime.yml", "report: python3.12\n"), ("config/runtime.yml", None),
    ("config/runtime.yml", "report: nodejs16.x\n"), ("tf/prod.tfvars", 'rt = "python3.8"\n'),
    ("tf/prod.tfvars", None), ("tf/extra.tf", 'locals {\n  x = "python3.7"\n}\n'), ("tf/extra.tf", None),
    ("img/fn/Dockerfile", "FROM public.ecr.aws/lambda/python:3.8\n"), ("img/fn/Dockerfile", None),
    ("img/fn/app.py", "import asynchat\n"), ("iacfix.toml", 'target = "python3.12"\n'), ("iacfix.toml", None),
    ("cdk.json", "{}\n"), ("cdk.json", None),
]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(EDITS), max_size=3), min_size=1, max_size=4))
def test_random_edits_between_runs_cached_equals_uncached(runs, rounds):
    for p in [p for p in runs.root.iterdir()]:
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.rmtree(runs.directory, ignore_errors=True)
    tree(runs.root, PROJECT)
    both(runs)
    for edits in rounds:
        for name, text in edits:
            if text is not None or (runs.root / name).exists():
                put(runs.root, name, text)
        runs.hits = 0
        assert both(runs) == uncached(runs)
        if not any(name.startswith(("tf/", "iacfix.toml", "cdk.json")) for name, _ in edits):
            assert runs.hits > 0  # the Terraform directory, which no edit touched, came from the cache


# --- (4) options that change results change the key -----------------------------------------------

@pytest.mark.parametrize("first, second", [
    ((), ("--unsafe-fixes",)),
    (("--target", "python3.12"), ("--target", "python3.13")),
    (("--select", "RT003"), ("--select", "RT004")),
    (("--ignore", "RT004"), ()),
    (("--horizon", "0"), ("--horizon", "3650")),
])
def test_options_that_change_results_change_the_key(runs, first, second):
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python2.7") + "  G:\n    Type: AWS::Serverless::Function"
                     "\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.11\n",
                     "src/app.py": "import json\n"})
    a = both(runs, *first)
    assert runs.cache.stored > 0
    b = both(runs, *second)
    assert runs.cache.hits == 0
    assert a == uncached(runs, *first) and b == uncached(runs, *second) and a != b


def test_the_date_is_part_of_the_key(runs):
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.12"), "src/app.py": "import json\n"})
    early = runs("check", ".", "--format", "json", as_of="2026-01-01")
    late = runs("check", ".", "--format", "json", as_of="2028-12-01")
    assert runs.cache.hits == 0 and early != late
    assert late == runs("check", ".", "--format", "json", as_of="2028-12-01", cache=False)


def test_a_written_unit_is_never_kept_and_is_located_again(runs):
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import json\n",
                     "clean.yaml": SAM.replace("python3.11", "python3.13")})
    runs("check", ".")
    code, _ = runs("fix", ".")
    assert code == 0 and "python3.13" in (runs.root / "template.yaml").read_text()
    assert runs.cache.stored == 1  # clean.yaml, which fix did not write
    assert runs("check", ".", "--format", "json") == runs("check", ".", "--format", "json", cache=False)


def test_a_file_changed_within_the_racy_window_is_not_kept(runs, monkeypatch):
    monkeypatch.setattr(deps, "RACY_NS", deps.RACY_NS.__class__(2_000_000_000))
    (runs.root / "template.yaml").write_text(SAM.replace("python3.11", "python3.9"))  # mtime and ctime: now
    first = runs("check", ".", "--format", "json")
    assert runs.cache.stored == 0 and runs.cache.misses == 1
    assert first == runs("check", ".", "--format", "json", cache=False)


def test_resolve_and_no_cache_keep_nothing(runs):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    runs("check", ".", cache=False)
    assert not (runs.directory / result_cache.FILE_NAME).exists()
    runs("check", ".", "--resolve")
    assert runs.cache.key is None and runs.cache.stored == 0


def test_a_run_that_keeps_no_cache_neither_warns_about_nor_makes_the_named_directory(runs, tmp_path):
    """A --resolve run keeps no result cache wherever it is: a named directory others can write
    is not worth a warning there, and one that does not exist is not made (604aeea did both)."""
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    got = invoke(["check", ".", "--resolve", "--as-of", AS_OF, "--cache-dir", str(shared)])
    assert got.stderr == ""
    got = invoke(["check", ".", "--resolve", "--as-of", AS_OF, "--cache-dir", str(tmp_path / "new")])
    assert got.stderr == "" and not (tmp_path / "new").exists()


def test_the_cache_directory_is_private_and_outside_the_tree(runs, monkeypatch, tmp_path):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    home = tmp_path / "home"
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    invoke(["check", ".", "--as-of", AS_OF])
    assert (home / "iacfix" / result_cache.FILE_NAME).is_file()
    assert (home / "iacfix").stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in runs.root.iterdir()) == ["src", "template.yaml"]


# --- (5) a cache that cannot be trusted or written -----------------------------------------------

def _filled(runs) -> tuple:
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    expected = both(runs)
    assert runs.cache.stored > 0
    return expected


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-foreign-db", "other-version", "directory"])
def test_a_damaged_or_foreign_cache_file_is_set_aside_and_rebuilt(runs, damage):
    expected = _filled(runs)
    db = runs.directory / result_cache.FILE_NAME
    if damage == "garbage":
        db.write_bytes(os.urandom(5000))
    elif damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[:len(data) // 2])
    elif damage == "empty-foreign-db":
        db.unlink()
        with sqlite3.connect(db) as other:
            other.execute("CREATE TABLE notes (text)")
    elif damage == "other-version":
        with sqlite3.connect(db) as other:
            other.execute(f"PRAGMA user_version={result_cache.SCHEMA + 1}")
    else:
        db.unlink()
        db.mkdir()
    got = both(runs)
    assert got == expected
    if damage != "directory":  # a directory in its place cannot be set aside as a file; nothing is kept
        assert runs.cache.stored > 0
        assert both(runs) == expected and runs.cache.hits > 0


class _Planted:
    """Unpickled, it creates the file it names (what a planted pickle could do)."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (self.path, "w")


@pytest.mark.parametrize("tamper", ["body", "checksum", "forged", "pickled", "old-json"])
def test_a_tampered_entry_is_a_miss(runs, tamper, tmp_path):
    import pickle

    expected = _filled(runs)
    marker = tmp_path / "unpickled"
    with sqlite3.connect(runs.directory / result_cache.FILE_NAME) as db:
        secret, = db.execute("SELECT value FROM meta WHERE name='secret'").fetchone()
        for key, body, checksum in db.execute("SELECT key, body, sum FROM entry").fetchall():
            seen, items = result_cache.unpack(zlib.decompress(body))
            planted = [(p, t, b"p" + pickle.dumps(_Planted(str(marker))), f) for p, t, _, f in items]
            if tamper == "body":
                body = body[:-3] + bytes(3)
            elif tamper == "checksum":
                checksum = "0" * len(checksum)
            elif tamper == "forged":  # well-formed, signed without the file's secret (as schema 1 signed)
                body = zlib.compress(b"\n".join([json.dumps([seen, [[p, t, list(f), len(r)] for p, t, r, f
                                                                     in planted]]).encode(), planted[0][2]]))
                checksum = hashlib.blake2b(body, key=key.encode()[:64], digest_size=16).hexdigest()
            else:  # signed with the secret: a pickled record, or the old JSON codec's entry
                if tamper == "pickled":
                    raw = b"\n".join([json.dumps([seen, [[p, t, list(f), len(r)] for p, t, r, f in planted]]).encode(),
                                      b"".join(r for _, _, r, _ in planted)])
                else:
                    raw = json.dumps([seen, [{"FileResult": ["x", [{"os.system": ["echo hi"]}], [], [], [], None,
                                                               None, False, False, [], []]}]]).encode()
                body = zlib.compress(raw)
                checksum = result_cache._checksum(secret, key, body)
            db.execute("UPDATE entry SET body=?, sum=? WHERE key=?", (body, checksum, key))
    assert both(runs) == expected
    assert runs.cache.misses > 0 and not marker.exists()
    assert runs.cache.hits == 0 and runs.cache.misses > 0


def test_a_named_cache_directory_that_cannot_be_made_is_skipped_with_a_warning(runs, tmp_path):
    """A directory the user named (here ``--cache-dir``) that cannot be made is skipped, and the
    user is told why: a cache asked for and silently not kept looks like a slow iacfix."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    expected = uncached(runs)
    result_cache.LAST = None
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF,
                                    "--cache-dir", str(blocker / "cache")])
    assert (got.exit_code, got.stdout) == expected[0]
    assert got.stderr == (f"iacfix: warning: the result cache is not kept in {blocker / 'cache'}: "
                          "it cannot be made or read (Not a directory)\n")
    assert result_cache.LAST is None


def test_an_unwritable_default_cache_directory_is_skipped_silently(runs, tmp_path, monkeypatch):
    """The default directory (a read-only home in CI) is skipped without a word."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    expected = uncached(runs)
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF])
    assert (got.exit_code, got.stdout) == expected[0] and got.stderr == ""
    assert result_cache.LAST.broken and result_cache.LAST.stored == 0


def test_the_codec_rebuilds_every_result_of_the_samples_exactly(runs):
    shutil.copytree(SAMPLES, runs.root / "samples")
    for p in (runs.root / "samples").rglob("*"):
        t = next(_CLOCK) * 1_000_000_000
        os.utime(p, ns=(t, t))
    first = runs("fix", "samples", "--diff", "--format", "json")
    assert runs.cache.stored >= 10
    assert runs("fix", "samples", "--diff", "--format", "json") == first and runs.cache.misses == 0
    with sqlite3.connect(runs.directory / result_cache.FILE_NAME) as db:
        bodies = [zlib.decompress(b) for (b,) in db.execute("SELECT body FROM entry")]
    for raw in bodies:
        seen, items = result_cache.unpack(raw)
        assert result_cache.pack({(k, p): v for k, p, v in seen}, items) == raw
        for path, template, record, elsewhere in items:
            result = spool.decode(record)
            assert (result.path, result.template, spool.foreign(result)) == (path, template, elsewhere)
            assert spool.decode(spool.encode_one(result)) == result


def test_entries_neither_stored_nor_used_for_a_week_are_removed_once_a_day(runs):
    _filled(runs)
    db_path = runs.directory / result_cache.FILE_NAME
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entry SET stored = stored - ?", (result_cache.KEEP_DAYS * 86400 + 60,))
    runs("check", ".", "--format", "json")  # pruned today already: kept, and still used (so stored again)
    assert runs.cache.hits > 0
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entry SET stored = stored - ?", (result_cache.KEEP_DAYS * 86400 + 60,))
    day_ago = os.stat(runs.directory / result_cache.PRUNED).st_mtime - 86400 - 60
    os.utime(runs.directory / result_cache.PRUNED, (day_ago, day_ago))
    runs("check", "src", "--format", "json")
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM entry").fetchone()[0] == 0


def test_another_versions_daily_prune_does_not_stand_for_this_ones(runs):
    """Two versions sharing a directory keep a file each (5932501), but the ``pruned`` marker was
    one: the version that ran first each day pruned its own file and stopped the other's prune,
    whose week-old entries then stayed for good.  Each schema keeps its own marker."""
    _filled(runs)
    db_path = runs.directory / result_cache.FILE_NAME
    day_ago = time.time() - 86400 - 60
    for marker in runs.directory.glob("pruned*"):  # this version last pruned over a day ago...
        os.utime(marker, (day_ago, day_ago))
    (runs.directory / "pruned").write_bytes(b"")  # ... and an older one (its marker) did so just now
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entry SET stored = stored - ?", (result_cache.KEEP_DAYS * 86400 + 60,))
    runs("check", "src", "--format", "json")
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM entry").fetchone()[0] == 0


def test_an_older_schema_file_left_by_an_upgrade_goes_when_unused_for_a_week(runs):
    """After an upgrade the old version's cache file (schema 1's ``results.sqlite3``, tens of MB)
    was never read nor removed: the daily prune removes other schemas' files and set-aside ``.bad``
    files once none has changed for KEEP_DAYS, and leaves a recent one (its version still runs)."""
    runs.directory.mkdir(parents=True, exist_ok=True)
    old_age = time.time() - result_cache.KEEP_DAYS * 86400 - 3600
    names = {"results.sqlite3": old_age, "results.sqlite3-wal": old_age, "results-1.sqlite3.bad": old_age,
             f"results-{result_cache.SCHEMA + 1}.sqlite3": time.time() - 3600, "notes.txt": old_age}
    for name, when in names.items():
        if name == "results.sqlite3":  # an old iacfix's cache (its application id): ours to remove
            _sqlite_file(runs.directory / name, result_cache.APPLICATION_ID)
        else:
            (runs.directory / name).write_bytes(b"x" * 100)
        os.utime(runs.directory / name, (when, when))
    link = runs.directory / "results-1.sqlite3-shm"
    link.symlink_to(runs.directory / "notes.txt")
    os.utime(link, (old_age, old_age), follow_symlinks=False)
    _filled(runs)
    left = sorted(p.name for p in runs.directory.iterdir())
    assert left == sorted(["notes.txt", result_cache.PRUNED, "results-1.sqlite3-shm", f"results-{result_cache.SCHEMA + 1}.sqlite3",
                           *(n for n in left if n.startswith(result_cache.FILE_NAME))])
    assert result_cache.FILE_NAME in left


def _sqlite_file(path, application_id: int) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA application_id={application_id}")
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()


def test_the_prune_leaves_another_programs_results_sqlite3_in_a_shared_directory(runs):
    """A cache directory named by the user may be shared (``$IACFIX_CACHE_DIR=~/.cache``): a
    ``results.sqlite3`` there that is not an iacfix cache (another application id) is not ours to
    delete, however old (5045ca1 removed any file so named)."""
    runs.directory.mkdir(parents=True, exist_ok=True)
    old_age = time.time() - result_cache.KEEP_DAYS * 86400 - 3600
    foreign = runs.directory / "results.sqlite3"
    _sqlite_file(foreign, 0x12345678)
    os.utime(foreign, (old_age, old_age))
    _filled(runs)
    assert foreign.exists()


def test_the_prune_keeps_another_schemas_file_whose_wal_is_recent(runs):
    """Another version's file is judged with its -wal and -shm: its main file's mtime moves only at
    a checkpoint, so an old main file beside a fresh -wal is in use and none of the three goes
    (5045ca1 unlinked the main file under the -wal that holds its latest writes)."""
    runs.directory.mkdir(parents=True, exist_ok=True)
    old_age = time.time() - result_cache.KEEP_DAYS * 86400 - 3600
    other = runs.directory / f"results-{result_cache.SCHEMA + 1}.sqlite3"
    _sqlite_file(other, result_cache.APPLICATION_ID)
    os.utime(other, (old_age, old_age))
    (runs.directory / (other.name + "-wal")).write_bytes(b"")
    _filled(runs)
    assert other.exists() and (runs.directory / (other.name + "-wal")).exists()


def test_the_configuration_names_the_cache_directory(runs, monkeypatch):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n", "iacfix.toml": 'cache-dir = "../kept"\n'})
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    got = invoke(["check", ".", "--as-of", AS_OF])
    assert got.exit_code == 1 and (runs.root.parent / "kept" / result_cache.FILE_NAME).is_file()


def test_concurrent_runs_with_workers_share_one_cache(tmp_path):
    """Two runs at once, each with worker processes (over 256 files), write one cache; a third
    run is served from it; every output is the uncached one."""
    root = tmp_path / "tree"
    for i in range(300):
        put(root, f"t{i // 50}/s{i}.yaml", SAM.replace("python3.11", ("python3.8", "python3.12", "nodejs18.x")[i % 3]))
    time.sleep(deps.RACY_NS / 1e9 + 0.1)  # out of the window in which a just-written file is not kept
    directory = tmp_path / "cache"
    args = [str(root), "--as-of", AS_OF, "--format", "json", "-j", "2"]
    exe = os.path.join(os.path.dirname(sys.executable), "iacfix")
    expected = subprocess.run([exe, "check", *args, "--no-cache"], capture_output=True, text=True, timeout=300)
    both_at_once = [subprocess.Popen([exe, "check", *args, "--cache-dir", str(directory)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in both_at_once:
        out, err = p.communicate(timeout=300)
        assert (p.returncode, out, err) == (expected.returncode, expected.stdout, expected.stderr)
    with sqlite3.connect(directory / result_cache.FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every unit once at most; a worker's last entries may be lost when the other run holds the
        # lock past the grace its parent gives it to end (a lost write is a miss, never a wrong answer).
        assert 0 < db.execute("SELECT count(*) FROM entry").fetchone()[0] <= 300
    third = subprocess.run([exe, "check", *args, "--cache-dir", str(directory)], capture_output=True, text=True,
                           timeout=300)
    assert (third.returncode, third.stdout) == (expected.returncode, expected.stdout)


def test_a_ci_job_that_names_no_cache_directory_keeps_none(runs, monkeypatch, tmp_path):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CI", "true")
    result_cache.LAST = None
    invoke(["check", ".", "--as-of", AS_OF])
    assert result_cache.LAST is None and not (tmp_path / "home").exists()
    invoke(["check", ".", "--as-of", AS_OF, "--cache-dir", str(tmp_path / "kept")])
    assert (tmp_path / "kept" / result_cache.FILE_NAME).is_file()


def test_iacfix_no_cache_turns_it_off(runs, monkeypatch):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    monkeypatch.setenv("IACFIX_NO_CACHE", "1")
    result_cache.LAST = None
    invoke(["check", ".", "--as-of", AS_OF, "--cache-dir", str(runs.directory)])
    assert result_cache.LAST is None and not (runs.directory / result_cache.FILE_NAME).exists()


def test_a_run_over_files_named_one_by_one_keeps_no_cache(runs):
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    runs("check", "template.yaml")
    assert runs.cache is None and not (runs.directory / result_cache.FILE_NAME).exists()
    runs("check", "template.yaml", ".")
    assert runs.cache.stored == 1


def test_a_cache_locked_by_another_run_is_left_alone(runs, monkeypatch):
    """Another run holding the new cache file's lock (it is creating it) makes this run keep no
    cache; it must not take the locked file for a corrupt one and set it aside."""
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    expected = runs("check", ".", "--format", "json", cache=False)
    runs.directory.mkdir(exist_ok=True)
    path = runs.directory / result_cache.FILE_NAME
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # what a run creating the cache holds
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: _connect(*a, **{**k, "timeout": 0.05}))
    try:
        assert runs("check", ".", "--format", "json") == expected
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sorted(p.name for p in runs.directory.iterdir()) == [result_cache.FILE_NAME]


_connect = sqlite3.connect


# --- (6) review: answers kept in memory between units --------------------------------------------

TF_TWO = ('variable "pya" {\n  default = "python3.13"\n}\n\nvariable "pyb" {\n  default = "python3.13"\n}\n\n'
          'resource "aws_lambda_function" "this" {\n  function_name = "fn"\n  role          = "r"\n'
          '  handler       = "app.handler"\n  runtime       = var.pya\n}\n')
TF_TWO_CALLER = 'module "w" {\n  source = "../modules/fn"\n  pya    = "python3.9"\n  pyb    = "python3.13"\n}\n'


def test_a_module_rewritten_with_its_size_and_mtime_during_a_run_is_not_kept_stale(runs):
    """A module a worker parsed for one caller is rewritten (same size, mtime put back, as
    ``cp -p`` or a second save within a coarse timestamp does) before another caller reads
    it: that caller must not get, and keep, the answer of the module's old text."""
    import datetime as dt

    from iacfix import pool
    from iacfix.catalog import load_catalog
    from iacfix.engine import Options
    from iacfix.rules import RULES, Context
    from iacfix.targets import default_target, with_target
    from iacfix.units import units

    tree(runs.root, {"modules/fn/main.tf": TF_TWO, "a/main.tf": TF_TWO_CALLER, "b/main.tf": TF_TWO_CALLER})
    catalog = load_catalog()
    ctx = Context(dt.date.fromisoformat(AS_OF), 365, catalog, enabled=frozenset(RULES))
    opts = Options(context=with_target(ctx, *default_target(catalog, ctx)))
    opts.cache = result_cache.Cache(str(runs.directory), opts)
    work = {u[1][0].split(os.sep)[0]: u for u in units(["a/main.tf", "b/main.tf", "modules/fn/main.tf"])}
    module = runs.root / "modules/fn/main.tf"
    pool._init(opts)
    deps.forget()
    assert spool.decode(pool._work(work["a"])[0][2]).findings  # a's python3.9 reaches the runtime
    st = module.stat()
    module.write_text(TF_TWO.replace("var.pya", "var.pyb"))  # now b's python3.13 does: nothing to say
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert module.stat().st_size == st.st_size and module.stat().st_mtime_ns == st.st_mtime_ns
    pool._work(work["b"])
    opts.cache.flush()
    deps.forget()  # the next run
    cached = pool._work(work["b"])
    deps.forget()
    fresh = pool._process(work["b"])
    assert not any(r.findings for r in fresh)
    assert [spool.decode(record) for _, _, record, _ in cached] == fresh


# --- (7) review: a cache directory another user can write -------------------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("how", ["world-writable", "another user's"])
def test_a_cache_directory_another_user_can_write_is_not_used(runs, tmp_path, how):
    """Anyone who can write the cache directory can plant entries (a hit hides findings) or a
    link in place of the ``pruned`` marker (which a run would then truncate): such a directory
    is skipped, as an unwritable one is."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    shared = tmp_path / "shared"
    shared.mkdir()
    if how == "world-writable":
        shared.chmod(0o777)
    elif os.geteuid() == 0:
        os.chown(shared, 4242, -1)
    else:
        pytest.skip("only root can give a directory to another user")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    os.utime(victim, (1_600_000_000, 1_600_000_000))  # older than a day: a prune is due
    (shared / result_cache.PRUNED).symlink_to(victim)
    expected = uncached(runs)
    result_cache.LAST = None
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF, "--cache-dir", str(shared)])
    assert (got.exit_code, got.stdout) == expected[0]
    why = "its group or others may write it" if how == "world-writable" else "another user owns it"
    assert got.stderr.startswith(f"iacfix: warning: the result cache is not kept in {shared}: {why}")
    assert victim.read_text() == "keep me\n"
    assert result_cache.LAST is None and not (shared / result_cache.FILE_NAME).exists()


def test_a_cache_directory_no_file_system_can_name_is_skipped(runs, monkeypatch):
    """A configuration's ``cache-dir`` holding a NUL (TOML's \\u0000) crashed the run with a
    traceback (ValueError from os.makedirs); it is skipped like an unwritable directory."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n",
                     "iacfix.toml": 'cache-dir = "a\\u0000b"\n'})
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.delenv("CI", raising=False)
    expected = runs("check", ".", "--format", "json", cache=False)
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF])
    assert (got.exit_code, got.stdout) == expected
    assert got.stderr.startswith("iacfix: warning: the result cache is not kept in ") and "cannot be made" in got.stderr


# --- (8) where the cache is, and how long an entry lives ---------------------------------------------

@pytest.mark.parametrize("how", ["option", "configuration", "environment"])
def test_a_cache_directory_under_home_is_expanded(runs, monkeypatch, tmp_path, how):
    """``~/...`` names a directory under the home directory, as a shell would expand it; it used
    to make a directory named ``~`` in the tree (the option, quoted) or beside the configuration."""
    tree(runs.root, {"template.yaml": SAM, "src/app.py": "import json\n"})
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.delenv("CI", raising=False)
    args = ["check", ".", "--as-of", AS_OF]
    if how == "option":
        args += ["--cache-dir", "~/kept"]
    elif how == "configuration":
        put(runs.root, "iacfix.toml", 'cache-dir = "~/kept"\n')
    else:
        monkeypatch.setenv("IACFIX_CACHE_DIR", "~/kept")
    got = invoke(args)
    assert got.exit_code == 1 and got.stderr == ""
    assert (home / "kept" / result_cache.FILE_NAME).is_file()
    assert not (runs.root / "~").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
def test_a_group_writable_cache_directory_is_not_used(runs, tmp_path):
    """A directory its group may write is another user's to plant entries in, as one anyone may write."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    shared = tmp_path / "group"
    shared.mkdir()
    shared.chmod(0o770)
    expected = uncached(runs)
    result_cache.LAST = None
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF, "--cache-dir", str(shared)])
    assert (got.exit_code, got.stdout) == expected[0]
    assert got.stderr.startswith(f"iacfix: warning: the result cache is not kept in {shared}: its group or others")
    assert result_cache.LAST is None and not (shared / result_cache.FILE_NAME).exists()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
def test_a_group_writable_default_cache_directory_is_skipped_silently(runs, tmp_path, monkeypatch):
    """The default directory is skipped without a word, as an unwritable one is (CI logs stay clean)."""
    tree(runs.root, {"template.yaml": SAM.replace("python3.11", "python3.9"), "src/app.py": "import cgi\n"})
    (tmp_path / "xdg" / "iacfix").mkdir(parents=True)
    (tmp_path / "xdg" / "iacfix").chmod(0o770)
    monkeypatch.delenv("IACFIX_CACHE_DIR")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = uncached(runs)
    got = invoke(["check", ".", "--format", "json", "--as-of", AS_OF])
    assert (got.exit_code, got.stdout, got.stderr) == (*expected[0], "")
    assert result_cache.LAST.broken


def test_an_entry_used_within_a_week_is_kept(runs):
    """Entries expire KEEP_DAYS after they were last stored or used: a hit on an entry stored over
    a day ago stores its time again (once a day at most: a hit on a fresh entry writes nothing)."""
    _filled(runs)
    db_path = runs.directory / result_cache.FILE_NAME

    def ages():
        with sqlite3.connect(db_path) as db:
            return sorted(time.time() - s for (s,) in db.execute("SELECT stored FROM entry"))

    runs("check", ".", "--format", "json")
    assert runs.cache.hits > 0 and runs.cache.refreshed == 0
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entry SET stored = stored - ?", (result_cache.KEEP_DAYS * 86400 - 3600,))
    assert min(ages()) > (result_cache.KEEP_DAYS - 1) * 86400
    runs("check", ".", "--format", "json")  # a hit: its entry is a week old but for an hour, and used
    assert runs.cache.hits > 0 and runs.cache.refreshed == runs.cache.hits
    day_ago = os.stat(runs.directory / result_cache.PRUNED).st_mtime - 86400 - 60
    os.utime(runs.directory / result_cache.PRUNED, (day_ago, day_ago))
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE entry SET stored = stored - 7200")  # the hour has passed, and one more
    runs("check", "src", "--format", "json")  # prunes, using nothing
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM entry").fetchone()[0] > 0
    runs("check", ".", "--format", "json")
    assert runs.cache.hits > 0 and runs.cache.misses == 0


def _connect_at_once(directory: str, opts, barrier, answers) -> None:
    cache = result_cache.Cache(directory, opts)
    barrier.wait()
    answers.put(cache._connect() is not None)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked processes meet at a barrier")
def test_processes_creating_the_cache_at_once_all_use_it(tmp_path):
    """A run's workers (and runs beside it) may all find the cache file missing and create it at
    once; a look between another's writes took the file for a foreign one and set it aside, and
    one whose change to WAL found it locked kept no cache that run (3 to 10 rounds in 30, with
    six processes)."""
    import datetime as dt
    import multiprocessing

    from iacfix.catalog import load_catalog
    from iacfix.engine import Options
    from iacfix.rules import RULES, Context
    from iacfix.targets import default_target, with_target

    catalog = load_catalog()
    ctx = Context(dt.date.fromisoformat(AS_OF), 365, catalog, enabled=frozenset(RULES))
    opts = Options(context=with_target(ctx, *default_target(catalog, ctx)))
    fork = multiprocessing.get_context("fork")
    for round_ in range(30):
        directory = tmp_path / f"cache{round_}"
        barrier, answers = fork.Barrier(6), fork.Queue()
        procs = [fork.Process(target=_connect_at_once, args=(str(directory), opts, barrier, answers))
                 for _ in range(6)]
        for p in procs:
            p.start()
        connected = [answers.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(60)
        assert all(connected) and sorted(os.listdir(directory))[0] == result_cache.FILE_NAME
        assert not [n for n in os.listdir(directory) if ".bad" in n]


@pytest.mark.parametrize("name, schema", [("results.sqlite3", 1), (f"results-{result_cache.SCHEMA + 1}.sqlite3",
                                                                     result_cache.SCHEMA + 1)])
def test_a_cache_of_another_schema_in_the_same_directory_is_left_alone(runs, name, schema):
    """Two iacfix versions sharing one cache directory (a pre-commit hook's and a virtual
    environment's) each keep a file of their own: with one file name, each run set the other's
    cache aside as "of another version", and both ran cold every time.  (Schema 1 named its
    file ``results.sqlite3``.)"""
    runs.directory.mkdir(parents=True, exist_ok=True)
    other = runs.directory / name
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE entry (key TEXT PRIMARY KEY, body TEXT)")
        db.execute(f"PRAGMA application_id={result_cache.APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={schema}")
    before = other.read_bytes()
    expected = _filled(runs)
    assert both(runs) == expected and runs.cache.hits > 0
    assert other.read_bytes() == before
    assert sorted(p.name for p in runs.directory.iterdir() if p.name.endswith(".bad")) == []
