"""Property tests: random but valid template formatting around runtime values.

The generator renders a template from a small model with random formatting
(indentation, quotes, comments, CRLF, BOM, final newline, flow or block
lists).  An independent model of the fix semantics renders the expected
result with the same formatting; `iacfix fix` must produce exactly those
bytes, change nothing on a second run, and ruamel.yaml (a second, independent
parser) must read the intended runtimes back.
"""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import make_options
from iacfix.engine import process_file

TARGET = "python3.13"
RUNTIMES = ["python3.7", "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
            "python3.14", "nodejs18.x", "nodejs22.x"]


def flagged_older(rt: str) -> bool:
    """Independent statement of what `fix --target python3.13` rewrites on the suite's date, conftest.AS_OF."""
    m = re.fullmatch(r"python3\.(\d+)", rt)
    return bool(m) and int(m.group(1)) <= 11


def fixed_list(values: list[str]) -> list[str]:
    old = [i for i, v in enumerate(values) if flagged_older(v)]
    if not old:
        return values
    if TARGET in values:
        return [v for i, v in enumerate(values) if i not in old]
    return [TARGET if i == old[0] else v for i, v in enumerate(values) if i == old[0] or i not in old]


fmt = st.fixed_dictionaries({
    "indent": st.sampled_from([2, 3, 4]),
    "nl": st.sampled_from(["\n", "\r\n"]),
    "bom": st.booleans(),
    "final_nl": st.booleans(),
})
function = st.fixed_dictionaries({
    "runtime": st.sampled_from(RUNTIMES),
    "quote": st.sampled_from(["", "'", '"']),
    "comment": st.sampled_from(["", "  # pinned", "\t# tab comment", " #x"]),
    "before": st.booleans(),  # Runtime before or after Handler
})
layer = st.fixed_dictionaries({
    "runtimes": st.lists(st.sampled_from(RUNTIMES), min_size=1, max_size=5, unique=True),
    "flow": st.booleans(),
    "quote": st.sampled_from(["", "'", '"']),
})


def render(f, functions, layers, param):
    ind = " " * f["indent"]
    lines = ["AWSTemplateFormatVersion: '2010-09-09'  # generated"]
    if param is not None:
        lines += ["Parameters:", f"{ind}Py:", f"{ind * 2}Type: String", f"{ind * 2}Default: {param}"]
    lines.append("Resources:")
    for i, fn in enumerate(functions):
        q = fn["quote"]
        runtime = f"{ind * 3}Runtime: {q}{fn['runtime']}{q}{fn['comment']}"
        handler = f"{ind * 3}Handler: app.h{i}"
        body = [runtime, handler] if fn["before"] else [handler, runtime]
        lines += [f"{ind}Fn{i}:", f"{ind * 2}Type: AWS::Lambda::Function", f"{ind * 2}Properties:", *body]
    if param is not None:
        lines += [f"{ind}FromParam:", f"{ind * 2}Type: AWS::Lambda::Function", f"{ind * 2}Properties:",
                  f"{ind * 3}Runtime: !Ref Py"]
    for i, ly in enumerate(layers):
        q = ly["quote"]
        lines += [f"{ind}Layer{i}:", f"{ind * 2}Type: AWS::Lambda::LayerVersion", f"{ind * 2}Properties:"]
        if ly["flow"]:
            lines.append(f"{ind * 3}CompatibleRuntimes: [" + ", ".join(f"{q}{r}{q}" for r in ly["runtimes"]) + "]")
        else:
            lines.append(f"{ind * 3}CompatibleRuntimes:")
            lines += [f"{ind * 4}- {q}{r}{q}  # an entry" for r in ly["runtimes"]]
    text = f["nl"].join(lines) + (f["nl"] if f["final_nl"] else "")
    return ("\ufeff" if f["bom"] else "") + text


def expected(f, functions, layers, param):
    fns = [dict(fn, runtime=TARGET if flagged_older(fn["runtime"]) else fn["runtime"]) for fn in functions]
    lys = [dict(ly, runtimes=fixed_list(ly["runtimes"])) for ly in layers]
    new_param = None if param is None else (TARGET if flagged_older(param) else param)
    return render(f, fns, lys, new_param)


def options():
    return make_options(target=TARGET, fix=True, write=True)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=fmt, functions=st.lists(function, max_size=4), layers=st.lists(layer, max_size=2),
       param=st.none() | st.sampled_from(RUNTIMES))
def test_fix_changes_only_runtime_values_and_is_idempotent(write, f, functions, layers, param):
    path = write("t.yaml", render(f, functions, layers, param))
    first = process_file(str(path), options())
    assert not first.errors and first.refused is None
    want = expected(f, functions, layers, param)
    assert path.read_bytes() == want.encode("utf-8")
    second = process_file(str(path), options())
    assert second.fixed == [] and path.read_bytes() == want.encode("utf-8")

    if "\t" in want:
        return  # ruamel.yaml rejects a tab before a comment, which YAML 1.2 and libyaml allow
    doc = YAML(typ="rt").load(io.StringIO(want.lstrip("\ufeff")))
    for i, fn in enumerate(functions):
        got = doc["Resources"][f"Fn{i}"]["Properties"]["Runtime"]
        assert got == (TARGET if flagged_older(fn["runtime"]) else fn["runtime"])
    for i, ly in enumerate(layers):
        assert list(doc["Resources"][f"Layer{i}"]["Properties"]["CompatibleRuntimes"]) == fixed_list(ly["runtimes"])
        assert not any(flagged_older(r) for r in doc["Resources"][f"Layer{i}"]["Properties"]["CompatibleRuntimes"])
