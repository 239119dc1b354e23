"""Property tests for rewriting lists of tested or supported Python versions.

A workflow matrix: random entries, quotes, block or flow layout, comments, CRLF.  An
independent model gives the list the fix must leave (the entries not past
end of life on AS_OF, in order; the target alone when none is left); only
version entries move (the text before and after the list is unchanged);
ruamel.yaml reads the result back; a second fix changes nothing.  And a
support floor with its classifiers (below)."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import AS_OF, make_options
from iacfix.engine import process_file

PAST = {"3.7", "3.8", "3.9", "3.10"}  # past end of life on AS_OF (2026-11-21)
VALUES = ["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "pypy-3.10", "3.13-dev"]
HEAD = "name: t\non: [push]\njobs:\n  test:\n    strategy:\n      matrix:\n        os: [ubuntu-latest]\n        python:"
TAIL = ("    steps:\n      - uses: actions/setup-python@v5\n        with:\n"
        "          python-version: ${{ matrix.python }}\n      - run: pytest  # 3.9 in a comment is no site\n")

entry = st.tuples(st.sampled_from(VALUES), st.sampled_from(["", '"', "'"]), st.sampled_from(["", "  # why"]))


def _render(entries, flow: bool, spaces: str) -> str:
    if flow:
        body = f",{spaces}".join(f"{q}{v}{q}" for v, q, _ in entries)
        return f" [{body}]\n"
    return "\n" + "".join(f"          - {q}{v}{q}{c}\n" for v, q, c in entries)


def _expected(entries):
    kept = [v for v, _, _ in entries if v not in PAST]
    return kept or ["3.13"]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, min_size=1, max_size=7), flow=st.booleans(), spaces=st.sampled_from(["", " ", "  "]),
       crlf=st.booleans())
def test_tested_list_rewrite(tmp_path, entries, flow, spaces, crlf):
    text = HEAD + _render(entries, flow, spaces) + TAIL
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / ".github" / "workflows" / "ci.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    opts = make_options(fix=True, write=True, as_of=AS_OF)
    result = process_file(str(path), opts)
    assert result.errors == [], result.errors
    new = path.read_bytes().decode()
    nl = "\r\n" if crlf else "\n"
    head, tail = HEAD.replace("\n", nl), TAIL.replace("\n", nl)
    assert new.startswith(head) and new.endswith(tail), "text outside the list changed"
    yaml = YAML(typ="base")  # every scalar a string, as written
    doc = yaml.load(io.StringIO(new))
    assert doc["jobs"]["test"]["strategy"]["matrix"]["python"] == _expected(entries)
    # Each kept entry keeps its quotes and its comment.
    if not flow:
        kept = [f"- {q}{v}{q}{c}" for v, q, c in entries if v not in PAST]
        assert [line.strip() for line in new[len(head):len(new) - len(tail)].split(nl) if line.strip()] == (
            kept or [line.strip() for line in new[len(head):len(new) - len(tail)].split(nl) if line.strip()])
    again = process_file(str(path), opts)
    assert again.fixed == [] and path.read_bytes().decode() == new


CLASSIFIERS = [f"Programming Language :: Python :: 3.{m}" for m in range(7, 15)] + [
    "Programming Language :: Python :: 3", "Operating System :: OS Independent"]
classifier = st.tuples(st.sampled_from(CLASSIFIERS), st.sampled_from(['"', "'"]), st.sampled_from(["", "  # note"]))


def _minor(c: str) -> int | None:
    tail = c.rsplit(" :: ", 1)[1]
    return int(tail[2:]) if tail.startswith("3.") else None


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(classifier, min_size=1, max_size=6), floor=st.integers(7, 10), one_line=st.booleans(),
       trailing=st.booleans())
def test_floor_and_classifiers(tmp_path, entries, floor, one_line, trailing):
    """A floor below 3.11 (the oldest CPython not past end of life on AS_OF) rises to 3.11; the
    classifiers below it leave the list (3.11 comes only if no entry is left); nothing else moves."""
    import tomllib

    if one_line:
        body = "[" + ", ".join(f"{q}{c}{q}" for c, q, _ in entries) + (", " if trailing else "") + "]"
    else:
        lines = [f"    {q}{c}{q}," + note for c, q, note in entries]
        if not trailing:
            lines[-1] = f"    {entries[-1][1]}{entries[-1][0]}{entries[-1][1]}" + entries[-1][2]
        body = "[\n" + "\n".join(lines) + "\n]"
    head = '[project]\nname = "x"\n'
    tail = '\n\n[tool.other]\nkey = "3.9"  # not a site\n'
    text = f'{head}requires-python = ">=3.{floor}"\nclassifiers = {body}{tail}'
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    opts = make_options(fix=True, write=True, as_of=AS_OF, unsafe_fixes=True)
    result = process_file(str(path), opts)
    assert result.errors == []
    new = path.read_text()
    assert new.startswith(head + 'requires-python = ">=3.11"\nclassifiers = ') and new.endswith(tail)
    expected = [c for c, _, _ in entries if (_minor(c) or 99) >= 11]
    assert tomllib.loads(new)["project"]["classifiers"] == (expected or ["Programming Language :: Python :: 3.11"])
    again = process_file(str(path), opts)
    assert again.fixed == [] and path.read_text() == new
