"""Property test for Serverless Framework services and templated (Jinja)
files: random formatting around runtime values (indentation, quotes, literal
fallbacks of ``${opt:...}`` in either quote, comments, CRLF, BOM, Jinja
``{%- if %}`` blocks and ``{{ }}`` placeholders in keys and values).  An
independent model renders the expected bytes: only the runtime tokens move,
Jinja never does; a second fix changes nothing; ruamel.yaml reads the
intended values back from every file without Jinja."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from iacfix.engine import process_file
from test_properties import RUNTIMES, TARGET, fixed_list, flagged_older, options

fmt = st.fixed_dictionaries({
    "indent": st.sampled_from([2, 4]),
    "nl": st.sampled_from(["\n", "\r\n"]),
    "bom": st.booleans(),
    "final_nl": st.booleans(),
    "jinja": st.booleans(),
})
value = st.fixed_dictionaries({
    "runtime": st.sampled_from(RUNTIMES),
    "form": st.sampled_from(["plain", "fallback"]),
    "quote": st.sampled_from(["", "'", '"']),  # the value's quotes (a fallback: the literal's)
    "wrap": st.booleans(),  # a fallback inside a quoted scalar
    "space": st.sampled_from(["", " ", "  "]),
    "comment": st.sampled_from(["", "  # pinned", " #x"]),
})
function = st.fixed_dictionaries({"value": st.none() | value, "image": st.booleans()})
layer = st.lists(st.sampled_from(RUNTIMES), min_size=1, max_size=4, unique=True)


def scalar(v: dict, runtime: str) -> str:
    """How a value is written, for ``runtime`` (the model writes both before and after)."""
    q = v["quote"]
    if v["form"] == "plain":
        return f"{q}{runtime}{q}"
    q = q or "'"
    text = f"${{opt:runtime,{v['space']}{q}{runtime}{q}}}"
    if v["wrap"]:
        outer = '"' if q == "'" else "'"
        return f"{outer}{text}{outer}"
    return text


def render(f, provider, functions, layers, fixed=False):
    def rt(v):
        return TARGET if fixed and flagged_older(v["runtime"]) else v["runtime"]

    ind = " " * f["indent"]
    lines = ["service: generated  # a service", "", "provider:", f"{ind}name: aws"]
    if provider is not None:
        lines.append(f"{ind}runtime: {scalar(provider, rt(provider))}{provider['comment']}")
    lines.append("functions:")
    for i, fn in enumerate(functions):
        jinja = f["jinja"] and i % 2 == 1
        name = f"{{{{ cookiecutter.prefix }}}}Fn{i}" if jinja else f"fn{i}"
        if jinja:
            lines.append(f"{{%- if cookiecutter.with_fn{i} == \"y\" %}}")
        lines += [f"{ind}{name}:", f"{ind * 2}handler: app.h{i}  {{# handler #}}" if jinja else f"{ind * 2}handler: app.h{i}"]
        if fn["image"]:
            lines.append(f"{ind * 2}image: 123.dkr.ecr.eu-west-1.amazonaws.com/fn{i}:latest")
        elif fn["value"] is not None:
            lines.append(f"{ind * 2}runtime: {scalar(fn['value'], rt(fn['value']))}{fn['value']['comment']}")
        if jinja:
            lines.append("{%- endif %}")
    if f["jinja"]:
        lines += [f"{ind}templated:", f"{ind * 2}runtime: {{{{ cookiecutter.runtime }}}}"]
    if layers:
        lines.append("layers:")
        for i, runtimes in enumerate(layers):
            lines += [f"{ind}layer{i}:", f"{ind * 2}path: layer{i}", f"{ind * 2}compatibleRuntimes:"]
            lines += [f"{ind * 3}- {r}  # an entry" for r in (fixed_list(runtimes) if fixed else runtimes)]
    text = f["nl"].join(lines) + (f["nl"] if f["final_nl"] else "")
    return ("\ufeff" if f["bom"] else "") + text


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=fmt, provider=st.none() | value, functions=st.lists(function, max_size=4), layers=st.lists(layer, max_size=2))
def test_fix_moves_only_runtime_tokens_and_is_idempotent(write, f, provider, functions, layers):
    path = write("svc/serverless.yml", render(f, provider, functions, layers))
    first = process_file(str(path), options())
    assert not first.errors and first.refused is None
    want = render(f, provider, functions, layers, fixed=True)
    assert path.read_bytes() == want.encode("utf-8")
    second = process_file(str(path), options())
    assert second.fixed == [] and path.read_bytes() == want.encode("utf-8")

    if f["jinja"]:
        return  # no YAML parser but ours reads a template of a template
    doc = YAML(typ="rt").load(io.StringIO(want.lstrip("\ufeff")))
    if provider is not None:
        got = doc["provider"]["runtime"]
        assert TARGET not in got or flagged_older(provider["runtime"]) or provider["runtime"] == TARGET
        assert not flagged_older(got.split(",")[-1].strip(" '\"}"))
    for i, fn in enumerate(functions):
        if fn["value"] is not None and not fn["image"]:
            got = doc["functions"][f"fn{i}"]["runtime"]
            assert not flagged_older(got.split(",")[-1].strip(" '\"}")), got
    for i, runtimes in enumerate(layers):
        assert list(doc["layers"][f"layer{i}"]["compatibleRuntimes"]) == fixed_list(runtimes)
