"""Dependency readiness (--resolve): pip's own resolver against a local index
built here from tiny generated wheels with real tags (no internet).  pip's
configuration is the test's own: a config file naming the local index."""

import base64
import hashlib
import os
import zipfile

import pytest

from iacfix.resolve import platforms

SAM = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Report:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.11
{arch}"""


def wheel(index, name, version, tag, requires=()):
    """A minimal valid wheel at index/name/, listed on the project's page."""
    dist = f"{name}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires)
    files = {f"{name}/__init__.py": b"", f"{dist}/METADATA": meta.encode(),
             f"{dist}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: {tag}\n".encode()}
    record = "".join(f"{k},sha256={base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b'=').decode()},"
                     f"{len(v)}\n" for k, v in files.items()) + f"{dist}/RECORD,,\n"
    files[f"{dist}/RECORD"] = record.encode()
    project = index / name
    project.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(project / f"{name}-{version}-{tag}.whl", "w") as z:
        for k, v in files.items():
            z.writestr(k, v)
    links = "".join(f'<a href="{p.name}">{p.name}</a>\n' for p in sorted(project.glob("*.whl")))
    (project / "index.html").write_text(f"<html><body>{links}</body></html>\n")


@pytest.fixture
def index(tmp_path, monkeypatch):
    """A local index, the only place pip looks (its configuration is a file of ours), and a fresh cache."""
    root = tmp_path / "index"
    wheel(root, "tinyc", "1.0", "cp311-cp311-manylinux_2_17_x86_64")
    wheel(root, "tinyc", "1.0", "cp312-cp312-manylinux_2_17_x86_64")
    wheel(root, "tinyc", "2.0", "cp313-cp313-manylinux_2_28_x86_64")
    wheel(root, "purelib", "1.0", "py3-none-any", requires=["tinyc"])
    wheel(root, "armless", "1.0", "cp313-cp313-manylinux_2_17_x86_64")
    config = tmp_path / "pip.conf"
    config.write_text(f"[global]\nindex-url = {root.as_uri()}\nno-cache-dir = true\n")
    for name in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_CONFIG_FILE", str(config))
    monkeypatch.setenv("IACFIX_CACHE_DIR", str(tmp_path / "cache"))
    return root


def app(write, requirements, arch=""):
    return write({"app/template.yaml": SAM.format(arch=arch), "app/src/app.py": "import json\n",
                  "app/src/requirements.txt": requirements})


def test_platforms_follow_the_runtime_os_and_architecture():
    al2023, al2 = platforms("AL2023", "x86_64"), platforms("AL2", "arm64")
    assert al2023[0] == "manylinux_2_34_x86_64" and "manylinux2014_x86_64" in al2023
    assert al2[0] == "manylinux_2_26_aarch64" and al2[-1] == "manylinux2014_aarch64"
    assert "manylinux_2_16_aarch64" not in al2


def test_a_requirement_without_a_wheel_blocks_and_holds_the_move(iacfix, write, index, tmp_path):
    app(write, "# pinned in 2023\ntinyc==1.0\npurelib==1.0\n")
    plain = iacfix("check", "app", "--format", "json")
    assert not [f for f in plain.json["findings"] if f["rule"] == "RT321"]
    assert not (tmp_path / "cache" / "resolve").exists()  # without --resolve pip is never asked
    run = iacfix("check", "app", "--resolve", "--format", "json")
    [wheelless] = [f for f in run.json["findings"] if f["rule"] == "RT321"]
    assert (wheelless["path"], wheelless["line"], wheelless["name"]) == ("app/src/requirements.txt", 2, "tinyc==1.0")
    [runtime] = [f for f in run.json["findings"] if f["rule"] == "RT004"]
    assert not runtime["fixable"] and "tinyc==1.0 at app/src/requirements.txt:2" in runtime["message"]
    assert len(list((tmp_path / "cache" / "resolve").glob("*.json"))) == 1


@pytest.mark.slow
def test_plan_picks_the_newest_runtime_with_wheels_and_answers_come_from_the_cache(iacfix, write, index):
    app(write, "tinyc==1.0\n")
    doc = iacfix("plan", "app", "--resolve", "--as-of", "2026-11-21", "--format", "json", as_of=None).json
    [f] = doc["functions"]
    assert [c["runtime"] for c in f["candidates"]] == ["python3.13", "python3.12", "python3.11"]
    assert f["candidates"][0]["blockers"] == [{"kind": "wheel", "detail": "tinyc==1.0 has no wheel for python3.13 "
                                               "(AL2023, x86_64)", "path": "app/src/requirements.txt", "line": 1}]
    assert f["recommendation"]["runtime"] == "python3.12"
    for p in index.rglob("*.whl"):
        p.unlink()  # the index is gone: the cached answers stand
    again = iacfix("plan", "app", "--resolve", "--as-of", "2026-11-21", "--format", "json", as_of=None).json
    assert again == doc


@pytest.mark.slow
def test_a_cache_directory_under_home_keeps_pips_answers_there(iacfix, write, index, tmp_path, monkeypatch):
    """``IACFIX_CACHE_DIR=~/x`` (quoted, unexpanded) made a directory named ``~`` in the working
    directory for pip's answers; ``~`` is the home directory, as for the result cache."""
    app(write, "tinyc==1.0\n")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("IACFIX_CACHE_DIR", "~/kept")
    iacfix("plan", "app", "--resolve", "--as-of", "2026-11-21", "--format", "json", as_of=None)
    assert list((tmp_path / "home" / "kept" / "resolve").glob("*.json"))
    assert not (tmp_path / "~").exists() and not list(tmp_path.rglob("~"))


def test_arm64_functions_need_aarch64_wheels(iacfix, write, index):
    app(write, "armless==1.0\n", arch="      Architectures: [arm64]\n")
    run = iacfix("check", "app", "--resolve", "--format", "json")
    assert [f["name"] for f in run.json["findings"] if f["rule"] == "RT321"] == ["armless==1.0"]
    app(write, "armless==1.0\n")
    run = iacfix("check", "app", "--resolve", "--format", "json")
    assert not [f for f in run.json["findings"] if f["rule"] == "RT321"]


@pytest.mark.slow
def test_a_resolvable_set_blocks_nothing_and_the_move_is_made(iacfix, write, index):
    root = app(write, "tinyc>=1.0\npurelib\n")
    run = iacfix("fix", "app", "--resolve", "--format", "json")
    assert [f["rule"] for f in run.json["fixed"]] == ["RT004"]
    assert "python3.13" in (root / "app/template.yaml").read_text()
    assert (root / "app/src/requirements.txt").read_text() == "tinyc>=1.0\npurelib\n"  # requirements untouched


@pytest.mark.slow
@pytest.mark.parametrize("name, text, line", [
    ("pyproject.toml", '[project]\nname = "report"\ndependencies = [\n  "purelib",\n  "tinyc==1.0",\n]\n', 5),
    ("poetry.lock", '[[package]]\nname = "purelib"\nversion = "1.0"\n\n[[package]]\nname = "tinyc"\nversion = "1.0"\n', 6),
    ("Pipfile.lock", '{"_meta": {}, "default": {\n"tinyc": {"version": "==1.0"}\n}}\n', 2),
])
def test_requirements_from_pyproject_and_lock_files(iacfix, write, index, name, text, line):
    write({"app/template.yaml": SAM.format(arch=""), "app/src/app.py": "import json\n", f"app/src/{name}": text})
    run = iacfix("check", "app", "--resolve", "--format", "json")
    [f] = [f for f in run.json["findings"] if f["rule"] == "RT321"]
    assert (f["path"], f["line"], f["name"]) == (f"app/src/{name}", line, "tinyc==1.0")
