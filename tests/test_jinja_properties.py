"""Property test for lists inside Jinja blocks (cookiecutter templates): a
layer's CompatibleRuntimes with entries under ``{% if %}``/``{% else %}``
and ``{% for %}``.  The oracle is Jinja itself (jinja2 renders every choice
of the conditions) and a YAML parser: whatever ``fix`` writes, every
rendering that had a runtime still has one, none holds a flagged runtime
unless the list was left as it was, and no Jinja construct moves."""

import itertools
import re

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CFN_HEAD
from iacfix.engine import process_file
from test_properties import RUNTIMES, TARGET, flagged_older, options

entries = st.lists(st.sampled_from(RUNTIMES), min_size=1, max_size=2)
segment = st.one_of(
    st.tuples(st.just("entry"), st.sampled_from(RUNTIMES)),
    st.tuples(st.just("if"), entries, st.none() | entries),  # {% if cN %} ... [{% else %} ...] {% endif %}
    st.tuples(st.just("for"), entries),  # {% for _ in cookiecutter.n %} ... {% endfor %}
)
_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")


def render(segments, dash: bool) -> tuple[str, int]:
    """The template, and how many conditions it has."""
    d = "-" if dash else ""
    lines, conditions = [], 0
    for seg in segments:
        if seg[0] == "entry":
            lines.append(f"        - {seg[1]}")
        elif seg[0] == "if":
            lines.append(f"{{%{d} if c{conditions} %}}")
            conditions += 1
            lines += [f"        - {r}" for r in seg[1]]
            if seg[2] is not None:
                lines.append(f"{{%{d} else %}}")
                lines += [f"        - {r}" for r in seg[2]]
            lines.append(f"{{%{d} endif %}}")
        else:
            lines.append(f"{{%{d} for _ in loops %}}")
            lines += [f"        - {r}" for r in seg[1]]
            lines.append(f"{{%{d} endfor %}}")
    head = (CFN_HEAD + "Resources:\n  Deps:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n"
            "      ContentUri: deps/\n      CompatibleRuntimes:\n")
    return head + "\n".join(lines) + "\n", conditions


def renderings(text: str, conditions: int):
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text)
    for choice in itertools.product([False, True], repeat=conditions):
        for loops in ([], [0], [0, 1]):
            doc = yaml.safe_load(template.render(loops=loops, **{f"c{i}": c for i, c in enumerate(choice)}))
            yield (choice, len(loops)), doc["Resources"]["Deps"]["Properties"]["CompatibleRuntimes"] or []


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segments=st.lists(segment, min_size=1, max_size=4), dash=st.booleans())
def test_fix_never_leaves_a_rendering_without_its_runtime(write, segments, dash):
    text, conditions = render(segments, dash)
    path = write("{{cookiecutter.project_name}}/template.yaml", text)
    result = process_file(str(path), options())
    assert not result.errors
    after = path.read_text()
    assert _JINJA.findall(after) == _JINJA.findall(text)
    before = dict(renderings(text, conditions))
    for key, runtimes in renderings(after, conditions):
        old = before[key]
        if after == text:
            continue
        assert bool(runtimes) == bool(old), (key, old, runtimes)
        assert not any(flagged_older(r) for r in runtimes), (key, old, runtimes)
        if any(flagged_older(r) for r in old):
            assert TARGET in runtimes, (key, old, runtimes)
    if "{%" not in text and any(flagged_older(r) for r in sum((s[1:2] for s in segments), ())):
        assert after != text  # a list without Jinja blocks is always fixed
