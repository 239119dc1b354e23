"""CDK Python edge cases: scopes, v1, insertion layout, lists. Input -> exact output."""

import pytest

HEAD = "from aws_cdk import Stack, aws_lambda as _lambda\nfrom aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonLayerVersion\n"

CASES = {
    "function-local import is not in scope at the call": (
        HEAD + "def default():\n    from aws_cdk.aws_lambda import Runtime\n    return Runtime.PYTHON_3_12\n"
        "PythonLayerVersion(s, 'L', entry='layer')\n",
        HEAD + "def default():\n    from aws_cdk.aws_lambda import Runtime\n    return Runtime.PYTHON_3_12\n"
        "PythonLayerVersion(s, 'L', entry='layer', compatible_runtimes=[_lambda.Runtime.PYTHON_3_13])\n",
    ),
    "shadowing names are not the CDK's": (
        HEAD + "def helper(_lambda):\n    return _lambda.Runtime.PYTHON_3_9\n"
        "def local():\n    class Runtime:\n        PYTHON_3_9 = 1\n    return Runtime.PYTHON_3_9\n"
        "for _lambda in things:\n    pass\n",
        None,
    ),
    "a function-local import does not hide the module's": (
        "from aws_cdk.aws_lambda import Runtime\ndef legacy():\n    from myapp.models import Runtime\n"
        "    return Runtime.PYTHON_3_9\nx = Runtime.PYTHON_3_9\n",
        "from aws_cdk.aws_lambda import Runtime\ndef legacy():\n    from myapp.models import Runtime\n"
        "    return Runtime.PYTHON_3_9\nx = Runtime.PYTHON_3_13\n",
    ),
    "the last binding wins": (
        "class Runtime:\n    pass\nfrom aws_cdk.aws_lambda import Runtime\ny = Runtime.PYTHON_3_9\n",
        "class Runtime:\n    pass\nfrom aws_cdk.aws_lambda import Runtime\ny = Runtime.PYTHON_3_13\n",
    ),
    "star import": (
        "from aws_cdk.aws_lambda import *\nr = Runtime.PYTHON_3_9\nq = Runtime(name='python3.8', family=RuntimeFamily.PYTHON)\n",
        "from aws_cdk.aws_lambda import *\nr = Runtime.PYTHON_3_13\nq = Runtime(name='python3.13', family=RuntimeFamily.PYTHON)\n",
    ),
    "CDK v1 alpha module: constants are reported, not rewritten": (
        "from aws_cdk import aws_lambda as _lambda\nfrom aws_cdk.aws_lambda_python import PythonLayerVersion\n"
        "PythonLayerVersion(s, 'L', entry='layer')\nx = _lambda.Runtime.PYTHON_3_8\n",
        None,
    ),
    "CRLF: the added line ends like the others": (
        (HEAD + "PythonFunction(\n    self, 'F',\n    entry='src',  # handler code\n)\n").replace("\n", "\r\n"),
        (HEAD + "PythonFunction(\n    self, 'F',\n    entry='src',  # handler code\n"
         "    runtime=_lambda.Runtime.PYTHON_3_13,\n)\n").replace("\n", "\r\n"),
    ),
    "one argument per line without a trailing comma": (
        HEAD + "PythonFunction(\n    self, 'G',\n    entry='src',\n    index='app.py'\n)\n",
        HEAD + "PythonFunction(\n    self, 'G',\n    entry='src',\n    index='app.py',\n"
        "    runtime=_lambda.Runtime.PYTHON_3_13\n)\n",
    ),
    "a parenthesised last argument": (
        HEAD + "PythonFunction(s, 'F', entry='src', memory_size=(1024 if prod else 512))\n",
        HEAD + "PythonFunction(s, 'F', entry='src', memory_size=(1024 if prod else 512), "
        "runtime=_lambda.Runtime.PYTHON_3_13)\n",
    ),
    "a comment after a removed entry's comma stays": (
        HEAD + "_lambda.LayerVersion(s, 'B', compatible_runtimes=[_lambda.Runtime.PYTHON_3_13, "
        "_lambda.Runtime.PYTHON_3_9,  # note\n    _lambda.Runtime.PYTHON_3_12])\n",
        HEAD + "_lambda.LayerVersion(s, 'B', compatible_runtimes=[_lambda.Runtime.PYTHON_3_13,   # note\n"
        "    _lambda.Runtime.PYTHON_3_12])\n",
    ),
    "Runtime('...') entries count in the list": (
        HEAD + "_lambda.LayerVersion(s, 'L', compatible_runtimes=[_lambda.Runtime('python3.9', f), "
        "_lambda.Runtime.PYTHON_3_10])\n",
        HEAD + "_lambda.LayerVersion(s, 'L', compatible_runtimes=[_lambda.Runtime('python3.13', f)])\n",
    ),
    "a tuple keeps its comma": (
        HEAD + "_lambda.LayerVersion(s, 'L', compatible_runtimes=(_lambda.Runtime.PYTHON_3_9, _lambda.Runtime.PYTHON_3_10))\n",
        HEAD + "_lambda.LayerVersion(s, 'L', compatible_runtimes=(_lambda.Runtime.PYTHON_3_13,))\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name, iacfix, tmp_path):
    source, expected = CASES[name]
    path = tmp_path / "stack.py"
    path.write_bytes(source.encode())
    run = iacfix("fix", "stack.py", "--format", "json")
    assert run.json["errors"] == [] and run.json["not_fixed"] == []
    assert path.read_bytes().decode() == (source if expected is None else expected)
    if expected is None and "v1" in name:
        assert len(run.json["findings"]) == 2 and not any(f["fixable"] for f in run.json["findings"])
    if expected is None and "shadowing" in name:
        assert run.json["findings"] == []
    assert iacfix("fix", "stack.py", "--format", "json").json["fixed"] == []


TS_HEAD = "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"


def test_typescript_arrays_require_templates_and_defaults(iacfix, tmp_path):
    source = (
        TS_HEAD
        + "import legacy = require('@aws-cdk/aws-lambda-python-alpha');\n"
        + "const fns = [{ id: 'I', runtime: lambda.Runtime.PYTHON_3_9 }];\n"  # an array, not a runtime list
        + "new lambda.LayerVersion(this, 'L', { compatibleRuntimes: [lambda.Runtime.PYTHON_3_8] });\n"
        + "const t = new lambda.Runtime(`python3.10`);\n"
        + "new legacy.PythonLayerVersion(this, 'P', { entry: 'layer' });\n"
    )
    (tmp_path / "stack.ts").write_text(source)
    found = {(f["line"], f["runtime"], f["fixable"]) for f in iacfix("check", "stack.ts", "--format", "json").json["findings"]}
    assert found == {(3, "python3.9", True), (4, "python3.8", False), (5, "python3.10", False), (6, "python3.7", False)}
    iacfix("fix", "stack.ts")
    assert (tmp_path / "stack.ts").read_text() == source.replace("PYTHON_3_9", "PYTHON_3_13")


def test_typescript_the_parser_cannot_read_is_reported_not_rewritten(iacfix, tmp_path):
    source = TS_HEAD + "export type * from './types';\nconst x = lambda.Runtime.PYTHON_3_9;\n"
    (tmp_path / "stack.ts").write_text(source)
    run = iacfix("fix", "stack.ts", "--format", "json")
    assert run.json["errors"] == [] and run.code == 1
    assert [(f["rule"], f["fixable"]) for f in run.json["findings"]] == [("RT102", False), ("RT003", False)]
    assert (tmp_path / "stack.ts").read_text() == source


def test_construct_id_given_by_keyword_names_the_users(iacfix, tmp_path):
    source = HEAD + (
        "_lambda.Function(self, id='Orders', runtime=_lambda.Runtime.PYTHON_3_9, handler='i.h')\n"
        "_lambda.Function(scope=self, id='Audit', runtime=_lambda.Runtime('python3.10'))\n"
        "_lambda.Function(self, 'Positional', runtime=_lambda.Runtime.PYTHON_3_8)\n"
        "_lambda.LayerVersion(id='Shared', scope=self, compatible_runtimes=[_lambda.Runtime.PYTHON_3_9])\n"
        "PythonLayerVersion(self, id='Implicit', entry='layer')\n"
        "_lambda.Function(self, runtime=_lambda.Runtime.PYTHON_3_10)\n"  # no id at all
    )
    (tmp_path / "stack.py").write_text(source)
    findings = iacfix("check", "stack.py", "--format", "json").json["findings"]
    assert [(f["line"], f["used_by"]) for f in findings] == [
        (3, ["Orders"]), (4, ["Audit"]), (5, ["Positional"]), (6, ["Shared"]), (7, ["Implicit"]), (8, [])]
    assert "(Orders)" in findings[0]["message"] and "(Shared compatible_runtimes)" in findings[3]["message"]
