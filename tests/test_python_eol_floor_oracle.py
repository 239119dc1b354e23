"""A support floor against an independent oracle: ``packaging``'s
SpecifierSet (what pip decides) says which CPython releases a
``requires-python`` admits, before and after ``fix --unsafe-fixes``.

On AS_OF (2026-11-21) 3.7-3.10 are past end of life and 3.11 is the oldest
that is not: a fixed specifier admits exactly what the original admitted
from 3.11 on (never nothing), and a specifier with a lower bound that
admits an end-of-life release is reported."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from conftest import AS_OF, make_options
from iacfix.engine import process_file

RELEASES = [Version(f"3.{m}.{p}") for m in range(7, 15) for p in range(40)]
PAST = Version("3.11")
OPS = [">=", ">", "~=", "==", "!=", "<", "<="]
VERSIONS = ["2.7", "3", "3.6", "3.7", "3.8", "3.9", "3.9.1", "3.9.2", "3.10", "3.11", "3.12", "3.13", "4",
            "3.9.*", "3.10.*", "3.11.*", "3.0.*"]
clause = st.tuples(st.sampled_from(OPS), st.sampled_from(VERSIONS), st.sampled_from(["", " "]))


def _admitted(spec: str) -> set:
    return {v for v in RELEASES if v in SpecifierSet(spec)}


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clauses=st.lists(clause, min_size=1, max_size=3), sep=st.sampled_from([",", ", "]))
def test_a_raised_floor_admits_what_the_original_did_from_the_new_floor_on(tmp_path, clauses, sep):
    spec = sep.join(f"{op}{space}{v}" for op, v, space in clauses)
    try:
        before = _admitted(spec)
    except InvalidSpecifier:
        return
    text = f'[project]\nname = "x"\nrequires-python = "{spec}"\n'
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    result = process_file(str(path), make_options(fix=True, write=True, as_of=AS_OF, unsafe_fixes=True))
    assert result.errors == []
    new = path.read_text()
    if new != text:
        fixed = new.split('requires-python = "', 1)[1].rsplit('"', 1)[0]
        after = _admitted(fixed)
        assert after == {v for v in before if v >= PAST}, (spec, fixed)
        assert after, (spec, fixed, "admits nothing")
    judged = [f for f in result.fixed + result.findings if f.rule in ("RT003", "RT005")]
    if judged:  # the version it names is the oldest the specifier admits
        assert before, (spec, "judged, yet admits no release")
        assert Version(judged[0].runtime).release == min(before).release[:2], spec
    lower = any(op in (">=", ">", "~=") for op, _, _ in clauses)
    if lower and any(v < PAST for v in before):
        assert judged, (spec, "admits an end-of-life release, not reported")
