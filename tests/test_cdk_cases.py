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
        "    return Runtime.PYTHON_3_9\nf(runtime=Runtime.PYTHON_3_9)\n",
        "from aws_cdk.aws_lambda import Runtime\ndef legacy():\n    from myapp.models import Runtime\n"
        "    return Runtime.PYTHON_3_9\nf(runtime=Runtime.PYTHON_3_13)\n",
    ),
    "the last binding wins": (
        "class Runtime:\n    pass\nfrom aws_cdk.aws_lambda import Runtime\nf(runtime=Runtime.PYTHON_3_9)\n",
        "class Runtime:\n    pass\nfrom aws_cdk.aws_lambda import Runtime\nf(runtime=Runtime.PYTHON_3_13)\n",
    ),
    "star import": (
        "from aws_cdk.aws_lambda import *\nf(runtime=Runtime.PYTHON_3_9)\n"
        "f(runtime=Runtime(name='python3.8', family=RuntimeFamily.PYTHON))\n",
        "from aws_cdk.aws_lambda import *\nf(runtime=Runtime.PYTHON_3_13)\n"
        "f(runtime=Runtime(name='python3.13', family=RuntimeFamily.PYTHON))\n",
    ),
    "CDK v1 alpha module: constants are reported, not rewritten": (
        "from aws_cdk import aws_lambda as _lambda\nfrom aws_cdk.aws_lambda_python import PythonLayerVersion\n"
        "PythonLayerVersion(s, 'L', entry='layer')\n_lambda.Function(s, 'F', runtime=_lambda.Runtime.PYTHON_3_8)\n",
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


RT_HEAD = "from aws_cdk import aws_lambda as _lambda\nfrom aws_cdk.aws_lambda import Runtime\n"
NOT_STRAIGHT = "is not passed straight to a runtime argument"

# Where a runtime value goes decides whether it is rewritten: name -> (source, output of
# fix (None: unchanged), why each finding that is reported but not rewritten is not).
FLOW = {
    "aws-powertools layer_v3: a name bound in several branches and read for the layer's id": (
        RT_HEAD + "def stack(self, python_version):\n"
        "    if python_version == 'python3.8':\n        python_version = Runtime.PYTHON_3_8\n"
        "    if python_version == 'python3.13':\n        python_version = Runtime.PYTHON_3_13\n"
        "    _lambda.LayerVersion(self, f'Layer-{python_version.name}', compatible_runtimes=[python_version])\n",
        None,
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (python_version is bound in several places)"],
    ),
    "compared, returned, stored, formatted, a dict value, another argument": (
        RT_HEAD + "def pick(old):\n    return Runtime.PYTHON_3_8 if old else Runtime.PYTHON_3_13\n"
        "if given == Runtime.PYTHON_3_9:\n    pass\n"
        "self.runtime = Runtime.PYTHON_3_9\n"
        "label = f'{Runtime.PYTHON_3_9}'\n"
        "BY_NAME = {'py38': Runtime('python3.8')}\n"
        "helper(Runtime.PYTHON_3_9, default=Runtime.PYTHON_3_10)\n"
        "_lambda.Function(s, 'F', runtime=Runtime.PYTHON_3_8.name)\n",
        None,
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is returned)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is compared)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is stored in self.runtime)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is formatted into a string)",
         f'Runtime("python3.8") {NOT_STRAIGHT} (it is a dict value)',
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is passed to helper())",
         f"Runtime.PYTHON_3_10 {NOT_STRAIGHT} (it is passed as default=)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it has its .name read)"],
    ),
    "a name bound once, at the top of the module or a function, read only as a runtime argument": (
        RT_HEAD + "RUNTIME = Runtime.PYTHON_3_9\n"
        "def stack(self):\n    local: Runtime = Runtime('python3.10', _lambda.RuntimeFamily.PYTHON)\n"
        "    _lambda.Function(self, 'A', runtime=RUNTIME)\n    _lambda.Function(self, 'B', runtime=local)\n"
        "    if prod:\n        _lambda.Function(self, 'C', runtime=RUNTIME)\n",
        RT_HEAD + "RUNTIME = Runtime.PYTHON_3_13\n"
        "def stack(self):\n    local: Runtime = Runtime('python3.13', _lambda.RuntimeFamily.PYTHON)\n"
        "    _lambda.Function(self, 'A', runtime=RUNTIME)\n    _lambda.Function(self, 'B', runtime=local)\n"
        "    if prod:\n        _lambda.Function(self, 'C', runtime=RUNTIME)\n",
        [],
    ),
    "a name bound once but also read elsewhere, bound inside an if, re-bound, or never read": (
        RT_HEAD + "SHARED = Runtime.PYTHON_3_9\nprint(SHARED == other)\n"
        "if prod:\n    COND = Runtime.PYTHON_3_9\n"
        "TWICE = Runtime.PYTHON_3_9\nTWICE = Runtime.PYTHON_3_12\n"
        "UNREAD = Runtime.PYTHON_3_8\n"
        "GLOBAL = Runtime.PYTHON_3_8\ndef set_it():\n    global GLOBAL\n"
        "class Props:\n    runtime = Runtime.PYTHON_3_8\n"
        "for rt in [Runtime.PYTHON_3_8]:\n    pass\n"
        "MATCHED = Runtime.PYTHON_3_9\nmatch given:\n    case Runtime.PYTHON_3_8:\n        pass\n"
        "    case {'rt': x, **MATCHED}:\n        pass\n"
        "_lambda.Function(s, 'A', runtime=SHARED)\n_lambda.Function(s, 'B', runtime=COND)\n"
        "_lambda.Function(s, 'C', runtime=TWICE)\n_lambda.Function(s, 'D', runtime=GLOBAL)\n"
        "_lambda.Function(s, 'E', runtime=MATCHED)\n",
        None,
        [f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (SHARED is compared)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (COND is bound inside an if)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (TWICE is bound in several places)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (UNREAD is not read in this file)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (GLOBAL is declared global or nonlocal)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (runtime is a class attribute)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (its list is looped over)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (MATCHED is bound in several places)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is compared)"],
    ),
    "construct properties, dicts unpacked with **, conditional values": (
        RT_HEAD + "props = _lambda.FunctionProps(runtime=Runtime.PYTHON_3_9, handler='i.h')\n"
        "KW = {'runtime': Runtime.PYTHON_3_10, 'handler': 'i.h'}\n"
        "_lambda.Function(s, 'A', **KW)\n"
        "_lambda.Function(s, 'B', **{'runtime': Runtime.PYTHON_3_11})\n"
        "_lambda.Function(s, 'C', runtime=Runtime.PYTHON_3_9 if prod else Runtime.PYTHON_3_8)\n"
        "_lambda.Function(s, 'D', runtime=given or Runtime.PYTHON_3_9)\n",
        RT_HEAD + "props = _lambda.FunctionProps(runtime=Runtime.PYTHON_3_13, handler='i.h')\n"
        "KW = {'runtime': Runtime.PYTHON_3_13, 'handler': 'i.h'}\n"
        "_lambda.Function(s, 'A', **KW)\n"
        "_lambda.Function(s, 'B', **{'runtime': Runtime.PYTHON_3_13})\n"
        "_lambda.Function(s, 'C', runtime=Runtime.PYTHON_3_13 if prod else Runtime.PYTHON_3_13)\n"
        "_lambda.Function(s, 'D', runtime=given or Runtime.PYTHON_3_13)\n",
        [],
    ),
    "a dict that is also read otherwise is not unpacked only": (
        RT_HEAD + "KW = {'runtime': Runtime.PYTHON_3_10}\n_lambda.Function(s, 'A', **KW)\nlog(KW['runtime'])\n",
        None,
        [f"Runtime.PYTHON_3_10 {NOT_STRAIGHT} (KW is indexed)"],
    ),
    "a list bound once is fixed as a list; one that is also changed is not": (
        RT_HEAD + "LAYER = [Runtime.PYTHON_3_9, Runtime.PYTHON_3_13]\n"
        "OTHER = [Runtime.PYTHON_3_8]\nOTHER.append(Runtime.PYTHON_3_12)\n"
        "_lambda.LayerVersion(s, 'L', compatible_runtimes=LAYER)\n"
        "_lambda.LayerVersion(s, 'M', compatible_runtimes=OTHER)\n",
        RT_HEAD + "LAYER = [Runtime.PYTHON_3_13]\n"
        "OTHER = [Runtime.PYTHON_3_8]\nOTHER.append(Runtime.PYTHON_3_12)\n"
        "_lambda.LayerVersion(s, 'L', compatible_runtimes=LAYER)\n"
        "_lambda.LayerVersion(s, 'M', compatible_runtimes=OTHER)\n",
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (OTHER has its .append read)"],
    ),
}


def only_runtime_arguments_are_rewritten(iacfix, path, source, expected, reasons):
    """``check`` says ``reasons`` for what it does not rewrite, ``fix`` writes ``expected``."""
    path.write_bytes(source.encode())
    findings = iacfix("check", path.name, "--format", "json").json["findings"]
    blocked = [f for f in findings if "not rewritten: " in f["message"]]
    context = [f" ({f['used_by'][0]})" if f["used_by"] else "" for f in blocked]  # the message ends with it
    assert [f["message"].split("not rewritten: ")[1].removesuffix(c) for f, c in zip(blocked, context)] == reasons
    assert [f["fix_unavailable"] for f in blocked] == reasons
    assert not any(f["fixable"] for f in blocked)
    run = iacfix("fix", path.name, "--format", "json")
    assert run.json["errors"] == [] and run.json["not_fixed"] == []
    assert path.read_bytes().decode() == (source if expected is None else expected)


@pytest.mark.parametrize("name", sorted(FLOW))
def test_only_runtime_arguments_are_rewritten(name, iacfix, tmp_path):
    only_runtime_arguments_are_rewritten(iacfix, tmp_path / "stack.py", *FLOW[name])


def test_a_value_not_rewritten_keeps_its_rule_and_place(iacfix, tmp_path):
    (tmp_path / "stack.py").write_text(RT_HEAD + "_lambda.Function(s, 'F', runtime=Runtime.PYTHON_3_8)\n"
                                                 "if given == Runtime.PYTHON_3_8:\n    pass\n")
    passed, compared = iacfix("check", "stack.py", "--format", "json").json["findings"]
    assert (passed["rule"], passed["fixable"], passed["line"], passed["column"]) == ("RT003", True, 3, 42)
    assert (compared["rule"], compared["fixable"], compared["line"], compared["column"]) == ("RT003", False, 4, 21)
    assert compared["message"] == passed["message"].removesuffix(" (F)") + (
        f"; not rewritten: Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is compared)")


def test_a_name_that_reaches_a_construct_names_it(iacfix, tmp_path):
    (tmp_path / "stack.py").write_text(RT_HEAD + "RT = Runtime.PYTHON_3_9\nLAYERS = [Runtime.PYTHON_3_8]\n"
                                                 "_lambda.Function(s, 'A', runtime=RT)\n_lambda.Function(s, id='B', runtime=RT)\n"
                                                 "_lambda.LayerVersion(s, 'L', compatible_runtimes=LAYERS)\n")
    findings = iacfix("check", "stack.py", "--format", "json").json["findings"]
    assert [(f["line"], f["used_by"], f["fixable"]) for f in findings] == [(3, ["A", "B"], True), (4, ["L"], True)]


ARRAYS = "iacfix does not rewrite compatibleRuntimes arrays in TypeScript"

# TypeScript: the same rule. name -> (source, output of fix (None: unchanged), why each finding that
# is reported but not rewritten is not).
TS_FLOW = {
    "compared, .name read in a template, stored in a map, returned": (
        TS_HEAD + "if (v === lambda.Runtime.PYTHON_3_8) { }\n"
        "const layerName = `layer-${lambda.Runtime.PYTHON_3_8.name}`;\n"
        "const BY_VERSION = { '3.8': lambda.Runtime.PYTHON_3_8 };\n"
        "function pick(old: boolean) { return old ? lambda.Runtime.PYTHON_3_9 : lambda.Runtime.PYTHON_3_13; }\n"
        "const label = `${new lambda.Runtime('python3.10')}`;\n",
        None,
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is compared)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it has its .name read)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is stored in a map)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is returned)",
         f"new Runtime('python3.10') {NOT_STRAIGHT} (it is formatted into a string)"],
    ),
    "stored in a field, passed to a call or as another property, a parameter default": (
        TS_HEAD + "class S {\n  legacy = lambda.Runtime.PYTHON_3_8;\n"
        "  constructor(rt = lambda.Runtime.PYTHON_3_8) {\n    this.rt = lambda.Runtime.PYTHON_3_9;\n"
        "    helper(lambda.Runtime.PYTHON_3_9);\n"
        "    new lambda.Function(this, 'F', { runtime: lambda.Runtime.PYTHON_3_9, layers: [lambda.Runtime.PYTHON_3_9] });\n"
        "  }\n}\n",
        TS_HEAD + "class S {\n  legacy = lambda.Runtime.PYTHON_3_8;\n"
        "  constructor(rt = lambda.Runtime.PYTHON_3_8) {\n    this.rt = lambda.Runtime.PYTHON_3_9;\n"
        "    helper(lambda.Runtime.PYTHON_3_9);\n"
        "    new lambda.Function(this, 'F', { runtime: lambda.Runtime.PYTHON_3_13, layers: [lambda.Runtime.PYTHON_3_9] });\n"
        "  }\n}\n",
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is stored in class field legacy)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (it is a parameter default)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is stored in this.rt)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (it is passed to helper())",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (its array is the value of layers:)"],
    ),
    "aws-powertools layer pattern: a let assigned in branches and read for the layer's id": (
        TS_HEAD + "export class LayerStack {\n  constructor(scope: any, version: string) {\n"
        "    let runtime = lambda.Runtime.PYTHON_3_13;\n"
        "    if (version === 'python3.8') { runtime = lambda.Runtime.PYTHON_3_8; }\n"
        "    new lambda.LayerVersion(scope, `Layer-${runtime.name}`, { compatibleRuntimes: [runtime] });\n"
        "  }\n}\n",
        None,
        [f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (runtime is reassigned)"],
    ),
    "a name declared once at the top of the module or a function, read only as runtime:": (
        TS_HEAD + "const RUNTIME = lambda.Runtime.PYTHON_3_9;\n"
        "function stack(scope: any) {\n  const runtime = new lambda.Runtime('python3.10', lambda.RuntimeFamily.PYTHON);\n"
        "  new lambda.Function(scope, 'A', { runtime: RUNTIME });\n  new lambda.Function(scope, 'B', { runtime });\n"
        "  if (prod) { new lambda.Function(scope, 'C', { runtime: RUNTIME }); }\n}\n"
        "function other(RUNTIME: string) { return RUNTIME.length; }\n",  # a parameter of the same name is another name
        TS_HEAD + "const RUNTIME = lambda.Runtime.PYTHON_3_13;\n"
        "function stack(scope: any) {\n  const runtime = new lambda.Runtime('python3.13', lambda.RuntimeFamily.PYTHON);\n"
        "  new lambda.Function(scope, 'A', { runtime: RUNTIME });\n  new lambda.Function(scope, 'B', { runtime });\n"
        "  if (prod) { new lambda.Function(scope, 'C', { runtime: RUNTIME }); }\n}\n"
        "function other(RUNTIME: string) { return RUNTIME.length; }\n",
        [],
    ),
    "a name also read otherwise, declared in a block, reassigned, exported, declared twice or never read": (
        TS_HEAD + "const SHARED = lambda.Runtime.PYTHON_3_9;\nconsole.log(SHARED.name);\n"
        "if (prod) { const COND = lambda.Runtime.PYTHON_3_9; new lambda.Function(this, 'B', { runtime: COND }); }\n"
        "let LATER = lambda.Runtime.PYTHON_3_9;\nLATER = lambda.Runtime.PYTHON_3_12;\n"
        "export const EXPORTED = lambda.Runtime.PYTHON_3_9;\n"
        "var TWICE = lambda.Runtime.PYTHON_3_8;\nvar TWICE = lambda.Runtime.PYTHON_3_12;\n"
        "const UNREAD = lambda.Runtime.PYTHON_3_8;\n"
        "for (const rt of [lambda.Runtime.PYTHON_3_8]) { }\n"
        "new lambda.Function(this, 'A', { runtime: SHARED });\nnew lambda.Function(this, 'C', { runtime: LATER });\n"
        "new lambda.Function(this, 'D', { runtime: EXPORTED });\nnew lambda.Function(this, 'E', { runtime: TWICE });\n",
        None,
        [f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (SHARED has its .name read)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (COND is declared inside an if)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (LATER is reassigned)",
         f"Runtime.PYTHON_3_9 {NOT_STRAIGHT} (EXPORTED is exported)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (TWICE is declared in several places)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (UNREAD is not read in this file)",
         f"Runtime.PYTHON_3_8 {NOT_STRAIGHT} (its array is looped over)"],
    ),
    "props objects, conditional values, casts": (
        TS_HEAD + "const props = { runtime: lambda.Runtime.PYTHON_3_9, handler: 'i.h' };\n"
        "new lambda.Function(this, 'A', { ...props, code });\n"
        "new lambda.Function(this, 'B', { runtime: prod ? lambda.Runtime.PYTHON_3_9 : lambda.Runtime.PYTHON_3_8 });\n"
        "new lambda.Function(this, 'C', { runtime: (given ?? lambda.Runtime.PYTHON_3_10) as lambda.Runtime });\n",
        TS_HEAD + "const props = { runtime: lambda.Runtime.PYTHON_3_13, handler: 'i.h' };\n"
        "new lambda.Function(this, 'A', { ...props, code });\n"
        "new lambda.Function(this, 'B', { runtime: prod ? lambda.Runtime.PYTHON_3_13 : lambda.Runtime.PYTHON_3_13 });\n"
        "new lambda.Function(this, 'C', { runtime: (given ?? lambda.Runtime.PYTHON_3_13) as lambda.Runtime });\n",
        [],
    ),
    "compatibleRuntimes arrays, also through a name, stay reported only": (
        TS_HEAD + "const LAYERS = [lambda.Runtime.PYTHON_3_8];\n"
        "new lambda.LayerVersion(this, 'L', { compatibleRuntimes: LAYERS });\n"
        "new lambda.LayerVersion(this, 'M', { compatibleRuntimes: [new lambda.Runtime('python3.9')] });\n",
        None,
        [ARRAYS, ARRAYS],
    ),
}


@pytest.mark.parametrize("name", sorted(TS_FLOW))
def test_typescript_only_runtime_arguments_are_rewritten(name, iacfix, tmp_path):
    only_runtime_arguments_are_rewritten(iacfix, tmp_path / "stack.ts", *TS_FLOW[name])


def test_typescript_a_name_that_reaches_constructs_names_them(iacfix, tmp_path):
    (tmp_path / "stack.ts").write_text(TS_HEAD + "const RT = lambda.Runtime.PYTHON_3_9;\n"
                                                 "new lambda.Function(this, 'A', { runtime: RT });\n"
                                                 "new lambda.Function(this, 'B', { handler: 'i.h', runtime: RT });\n"
                                                 "if (v === lambda.Runtime.PYTHON_3_9) { }\n")
    findings = iacfix("check", "stack.ts", "--format", "json").json["findings"]
    assert [(f["rule"], f["line"], f["column"], f["used_by"], f["fixable"]) for f in findings] == [
        ("RT003", 2, 27, ["A", "B"], True), ("RT003", 5, 26, [], False)]
