"""Property test for CDK Python: random formatting around runtime expressions.

An independent model renders the expected source after `fix --target
python3.13`; the fix must produce exactly it (only runtime tokens change),
the result must still parse, and a second fix must change nothing.
"""

import ast
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_options
from iacfix.engine import process_file

PYTHONS = ["3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
IMPORTS = {
    "from aws_cdk import aws_lambda as _lambda": "_lambda.Runtime",
    "import aws_cdk.aws_lambda as lam": "lam.Runtime",
    "from aws_cdk.aws_lambda import Runtime": "Runtime",
    "from aws_cdk.aws_lambda import Runtime as R": "R",
    "import aws_cdk": "aws_cdk.aws_lambda.Runtime",
}


def old(version: str) -> bool:
    """Independent statement of what the fix rewrites on the suite's date, conftest.AS_OF: python3.11 and older."""
    return tuple(map(int, version.split("."))) <= (3, 11)


call = st.fixed_dictionaries({
    "version": st.sampled_from(PYTHONS),
    "form": st.sampled_from(["constant", "string"]),
    "quote": st.sampled_from(["'", '"']),
    "break_before": st.booleans(),  # runtime=\n    value
    "spaces": st.sampled_from(["", " "]),
    "comment": st.sampled_from(["", "  # pinned", "  # Runtime.PYTHON_3_8 in a comment"]),
})


def render(imp: str, calls: list[dict], nl: str) -> str:
    ref = IMPORTS[imp]
    lines = [imp, "from aws_cdk import Stack, aws_lambda", "", "", "class S(Stack):",
             "    def __init__(self, scope, cid):", "        super().__init__(scope, cid)"]
    for i, c in enumerate(calls):
        if c["form"] == "constant":
            value = f"{ref}.PYTHON_{c['version'].replace('.', '_')}"
        else:
            value = f"{ref}({c['quote']}python{c['version']}{c['quote']}, aws_lambda.RuntimeFamily.PYTHON)"
        eq = f"{c['spaces']}={c['spaces']}"
        brk = f"{nl}            " if c["break_before"] else ""
        lines += [f"        aws_lambda.Function(self, \"F{i}\",{c['comment']}",
                  f"            runtime{eq}{brk}{value},",
                  "            handler=\"i.h\")"]
    return nl.join(lines) + nl


def fixed(calls):
    return [dict(c, version="3.13" if old(c["version"]) else c["version"]) for c in calls]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(imp=st.sampled_from(sorted(IMPORTS)), calls=st.lists(call, min_size=1, max_size=5), nl=st.sampled_from(["\n", "\r\n"]))
def test_fix_touches_only_runtime_tokens_and_is_idempotent(write, imp, calls, nl):
    path = write("stack.py", render(imp, calls, nl))
    opts = make_options(target="python3.13", fix=True, write=True)
    first = process_file(str(path), opts)
    assert not first.errors and first.refused is None
    want = render(imp, fixed(calls), nl)
    assert path.read_bytes() == want.encode()
    ast.parse(want)
    assert len(first.fixed) == sum(old(c["version"]) for c in calls)
    second = process_file(str(path), opts)
    assert second.fixed == [] and path.read_bytes() == want.encode()
    assert not re.search(r"PYTHON_3_(7|8|9|10|11)\b|python3\.(7|8|9|10|11)\b", want.split("\n", 1)[1].replace(
        "Runtime.PYTHON_3_8 in a comment", ""))
