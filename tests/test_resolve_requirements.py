"""--resolve on requirements files as tools write them: pip-compile's
`--generate-hashes` output (continuation lines), an index named in the file
itself, and `-r` includes.  pip answers from a local index built here."""

import hashlib

import pytest

from iacfix.resolve import requirement_lines
from test_resolve import SAM, index, wheel  # noqa: F401  (index is a fixture)


def sha(index, name):
    return hashlib.sha256(next((index / name).glob("*.whl")).read_bytes()).hexdigest()


def test_continuation_lines_and_hashes_make_one_requirement():
    text = ("#\n# pip-compile --generate-hashes\n#\npurelib==1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
            "    # via -r requirements.in\ntinyc==1.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:cc\n")
    assert requirement_lines(text) == [("purelib==1.0", 4), ('tinyc==1.0 ; python_version >= "3.8"', 8)]


@pytest.mark.slow
def test_pip_compile_output_with_hashes_is_resolved(iacfix, write, index):
    requirements = (f"purelib==1.0 \\\n    --hash=sha256:{sha(index, 'purelib')}\n    # via -r requirements.in\n"
                    f"tinyc==1.0 \\\n    --hash=sha256:{sha(index, 'tinyc')}\n    # via purelib\n")
    write({"app/template.yaml": SAM.format(arch=""), "app/src/app.py": "import json\n",
           "app/src/requirements.txt": requirements})
    run = iacfix("check", "app", "--resolve", "--format", "json")
    assert [(f["name"], f["line"]) for f in run.json["findings"] if f["rule"] == "RT321"] == [("tinyc==1.0", 4)]


@pytest.mark.slow
def test_an_index_named_in_the_requirements_file_is_the_one_pip_uses(iacfix, write, index, tmp_path, monkeypatch):
    empty = tmp_path / "empty-index"
    empty.mkdir()
    (tmp_path / "pip.conf").write_text(f"[global]\nindex-url = {empty.as_uri()}\nno-cache-dir = true\n")
    write({"app/template.yaml": SAM.format(arch=""), "app/src/app.py": "import json\n",
           "app/src/requirements.txt": f"--index-url {index.as_uri()}\npurelib==1.0\ntinyc>=1.0\n"})
    run = iacfix("check", "app", "--resolve", "--format", "json")
    assert [f for f in run.json["findings"] if f["rule"] == "RT321"] == []
    assert "python3.13" in [f for f in run.json["findings"] if f["rule"] == "RT004"][0]["message"]


@pytest.mark.slow
@pytest.mark.parametrize("top", ["-r base.txt\npurelib==1.0\n", "-r base.txt\n"])
def test_an_included_requirements_file_is_resolved_too(iacfix, write, index, top):
    write({"app/template.yaml": SAM.format(arch=""), "app/src/app.py": "import json\n",
           "app/src/requirements.txt": top, "app/src/base.txt": "tinyc==1.0\n"})
    run = iacfix("check", "app", "--resolve", "--format", "json")
    assert [f["name"] for f in run.json["findings"] if f["rule"] == "RT321"] == ["tinyc==1.0"]


def test_pips_configuration_is_asked_once_per_run_not_per_answer(index, monkeypatch, tmp_path):
    """`pip config list` takes 0.3 s; plan --resolve asks for every function and candidate."""
    from iacfix.resolve import _pip_config, _pip_context

    first = _pip_context()
    before = _pip_config.cache_info().hits
    assert _pip_context() == first and _pip_config.cache_info().hits == before + 1
    monkeypatch.setenv("PIP_INDEX_URL", (tmp_path / "elsewhere").as_uri())  # another configuration: asked again
    assert _pip_context() != first
