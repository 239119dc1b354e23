"""Fast input -> output tables for each locator: a snippet goes through its
format's ``parse`` and ``locate`` (Terraform: ``locate_unit`` on in-memory
files), and each site comes out as (value, kind, place as findings word it,
users, why it is blocked or None).  No CLI, no judgement, no file is written
except the local module one Terraform row calls."""

import pytest

from conftest import CFN_HEAD, lambda_function, locate
from iacfix.formats import by_name
from iacfix.rules.wording import place


def sites(located) -> list[tuple]:
    return [(s.value, s.kind, place(s.where), s.users, s.blocked) for s in located.sites]


def unresolved(located) -> list[tuple]:
    return [(u.reason, u.users) for u in located.unresolved]


def table(rows: dict, *first, label: str = ""):
    """pytest.param per row (after the arguments ``first``), named by its key."""
    return [pytest.param(*first, *row, id=f"{label}{name}") for name, row in rows.items()]


# --- CloudFormation and SAM, YAML ----------------------------------------------

SAM = CFN_HEAD + "Transform: AWS::Serverless-2016-10-31\n"
LAYER = "  L:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      CompatibleRuntimes:{}\n"

CLOUDFORMATION_YAML = {
    "resource property": (
        CFN_HEAD + "Resources:\n" + lambda_function("python3.9") + lambda_function("'nodejs18.x'", "G"),
        [("python3.9", "property", "F Runtime", ["F"], None), ("nodejs18.x", "property", "G Runtime", ["G"], None)]),
    "an anchor and its alias are one site with two users": (
        CFN_HEAD + "Resources:\n" + lambda_function("&rt python3.9", "A") + lambda_function("*rt", "B"),
        [("python3.9", "property", "A Runtime", ["A", "B"], None)]),
    "both branches of Fn::If": (
        CFN_HEAD + "Conditions:\n  Old: !Equals [a, b]\nResources:\n" + lambda_function("!If [Old, python3.8, python3.12]"),
        [("python3.8", "property", "F Runtime", ["F"], None), ("python3.12", "property", "F Runtime", ["F"], None)]),
    "globals: inherited by functions without a runtime of their own nor an image": (
        SAM + "Globals:\n  Function:\n    Runtime: python3.9\nResources:\n"
        "  A:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.h}\n"
        + lambda_function("python3.12", "Own") +
        "  Img:\n    Type: AWS::Serverless::Function\n    Properties: {PackageType: Image}\n",
        [("python3.9", "globals", "SAM Globals.Function.Runtime", ["A"], None),
         ("python3.12", "property", "Own Runtime", ["Own"], None)]),
    "globals inherited by no function": (
        SAM + "Globals:\n  Function:\n    Runtime: python3.9\nResources: {}\n",
        [("python3.9", "globals", "SAM Globals.Function.Runtime", [], None)]),
    "parameter Default and AllowedValues through Ref": (
        CFN_HEAD + "Parameters:\n  Py:\n    Type: String\n    Default: python3.9\n    AllowedValues: [python3.9, python3.12]\n"
        "Resources:\n" + lambda_function("!Ref Py"),
        [("python3.9", "parameter-default", "Parameter Py Default", ["F"], None),
         ("python3.9", "allowed-value", "Parameter Py AllowedValues", ["F"], None),
         ("python3.12", "allowed-value", "Parameter Py AllowedValues", ["F"], None)]),
    "every mapping entry a non-literal key can reach": (
        CFN_HEAD + "Mappings:\n  Env:\n    prod: {Py: python3.9}\n    dev: {Py: python3.12}\nResources:\n"
        + lambda_function("!FindInMap [Env, !Ref Stage, Py]"),
        [("python3.9", "mapping-value", "Mappings Env.prod.Py", ["F"], None),
         ("python3.12", "mapping-value", "Mappings Env.dev.Py", ["F"], None)]),
    "layer list, block style, an entry through Ref, and BuildMethod": (
        CFN_HEAD + "Parameters:\n  P: {Type: String, Default: python3.10}\nResources:\n"
        + LAYER.format("\n        - python3.9\n        - !Ref P") + "    Metadata:\n      BuildMethod: python3.9\n",
        [("python3.10", "parameter-default", "Parameter P Default", ["L"], None),
         ("python3.9", "layer-runtime", "L CompatibleRuntimes", ["L"], None),
         ("python3.9", "build-method", "L Metadata.BuildMethod", ["L"], None)]),
    "a BuildMethod that names no runtime is no site": (
        CFN_HEAD + "Resources:\n" + LAYER.format(" [python3.12]") + "    Metadata:\n      BuildMethod: makefile\n",
        [("python3.12", "layer-runtime", "L CompatibleRuntimes", ["L"], None)]),
    "Fn::Sub: the variable's value is the site, named with the Sub": (
        CFN_HEAD + "Parameters:\n  V: {Type: String, Default: '3.9'}\nResources:\n" + lambda_function('!Sub "python${V}"'),
        [("python3.9", "parameter-default", 'Parameter V Default via Fn::Sub "python${V}"', ["F"], None)]),
    "a value read as two runtimes is blocked": (
        CFN_HEAD + "Parameters:\n  V: {Type: String, Default: '3.9'}\nResources:\n"
        + lambda_function('!Sub "python${V}"', "A") + lambda_function('!Sub "python3.${V}"', "B"),
        [("python3.9", "parameter-default", 'Parameter V Default via Fn::Sub "python${V}"', ["A"],
          "parameter V is read as different runtimes (python3.9, python3.3.9); no rewrite fits all"),
         ("python3.3.9", "parameter-default", 'Parameter V Default via Fn::Sub "python3.${V}"', ["B"],
          "parameter V is read as different runtimes (python3.9, python3.3.9); no rewrite fits all")]),
}

CLOUDFORMATION_JSON = {
    "resource property": (
        '{"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.9"}}}}\n',
        [("python3.9", "property", "F Runtime", ["F"], None)]),
    "parameter through Ref, and a layer list": (
        '{"AWSTemplateFormatVersion": "2010-09-09",\n "Parameters": {"Py": {"Type": "String", "Default": "python3.9",'
        ' "AllowedValues": ["python3.9", "python3.12"]}},\n'
        ' "Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": {"Ref": "Py"}}},\n'
        '  "L": {"Type": "AWS::Lambda::LayerVersion", "Properties": {"CompatibleRuntimes": ["python3.8", "python3.12"]}}}}\n',
        [("python3.9", "parameter-default", "Parameter Py Default", ["F"], None),
         ("python3.9", "allowed-value", "Parameter Py AllowedValues", ["F"], None),
         ("python3.12", "allowed-value", "Parameter Py AllowedValues", ["F"], None),
         ("python3.8", "layer-runtime", "L CompatibleRuntimes", ["L"], None),
         ("python3.12", "layer-runtime", "L CompatibleRuntimes", ["L"], None)]),
    "Fn::Sub long form with a variable map": (
        '{"Resources": {"F": {"Type": "AWS::Lambda::Function",'
        ' "Properties": {"Runtime": {"Fn::Sub": ["python${X}", {"X": "3.8"}]}}}}}\n',
        [("python3.8", "property", 'F Runtime via Fn::Sub "python${X}"', ["F"], None)]),
}



# --- CDK Python ----------------------------------------------------------------

PY = "from aws_cdk import aws_lambda as _lambda\nfrom aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonLayerVersion\n"

CDK_PYTHON = {
    "constant": (
        PY + "_lambda.Function(s, 'F', runtime=_lambda.Runtime.PYTHON_3_9)\n",
        [("python3.9", "property", "F runtime", ["F"], None)]),
    "constant through another import form": (
        "from aws_cdk.aws_lambda import Runtime as R, Function\nFunction(s, 'F', runtime=R.PYTHON_3_11)\n",
        [("python3.11", "property", "F runtime", ["F"], None)]),
    "string": (
        PY + "_lambda.Function(s, 'F', runtime=_lambda.Runtime('python3.10', _lambda.RuntimeFamily.PYTHON))\n",
        [("python3.10", "property", "F runtime", ["F"], None)]),
    "implicit default of PythonFunction": (
        PY + "PythonFunction(s, 'P', entry='src')\n",
        [("python3.7", "implicit-default", "PythonFunction without runtime=", ["P"], None)]),
    "implicit default of PythonLayerVersion": (
        PY + "PythonLayerVersion(s, 'L', entry='layer')\n",
        [("python3.7", "implicit-default", "PythonLayerVersion without compatible_runtimes=", ["L"], None)]),
    "compatible_runtimes": (
        PY + "_lambda.LayerVersion(s, 'L', code=c,\n"
        "    compatible_runtimes=[_lambda.Runtime.PYTHON_3_9, _lambda.Runtime.PYTHON_3_12])\n",
        [("python3.9", "layer-runtime", "L compatible_runtimes", ["L"], None),
         ("python3.12", "layer-runtime", "L compatible_runtimes", ["L"], None)]),
    "a name bound once and passed to a runtime argument": (
        PY + "RT = _lambda.Runtime.PYTHON_3_9\n_lambda.Function(s, 'F', runtime=RT)\n",
        [("python3.9", "property", "F runtime", ["F"], None)]),
    "a constant that reaches no runtime argument is blocked": (
        PY + "x = _lambda.Runtime.PYTHON_3_9\n",
        [("python3.9", "property", "Runtime", [],
          "Runtime.PYTHON_3_9 is not passed straight to a runtime argument (x is not read in this file)")]),
}



# --- CDK TypeScript ------------------------------------------------------------

TS = "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport * as alpha from '@aws-cdk/aws-lambda-python-alpha';\n"

CDK_TYPESCRIPT = {
    "constant": (
        TS + "new lambda.Function(this, 'F', { runtime: lambda.Runtime.PYTHON_3_9, handler: 'i.h' });\n",
        [("python3.9", "property", "F runtime", ["F"], None)]),
    "string": (
        TS + "new lambda.Function(this, 'F', { runtime: new lambda.Runtime('python3.10', lambda.RuntimeFamily.PYTHON) });\n",
        [("python3.10", "property", "F runtime", ["F"], None)]),
    "template literal string": (
        TS + "new lambda.Function(this, 'F', { runtime: new lambda.Runtime(`python3.9`, lambda.RuntimeFamily.PYTHON) });\n",
        [("python3.9", "property", "F runtime", ["F"], None)]),
    "a constant outside any construct: reported, not rewritten": (
        TS + "const rt = lambda.Runtime.PYTHON_3_9;\n",
        [("python3.9", "property", "Runtime", [],
          "Runtime.PYTHON_3_9 is not passed straight to a runtime argument (rt is not read in this file)")]),
    "compatibleRuntimes: reported, not rewritten": (
        TS + "new lambda.LayerVersion(this, 'L', { compatibleRuntimes: [lambda.Runtime.PYTHON_3_8, lambda.Runtime.PYTHON_3_12] });\n",
        [("python3.8", "property", "L runtime", ["L"], "iacfix does not rewrite compatibleRuntimes arrays in TypeScript"),
         ("python3.12", "property", "L runtime", ["L"], "iacfix does not rewrite compatibleRuntimes arrays in TypeScript")]),
    "implicit default of PythonFunction": (
        TS + "new alpha.PythonFunction(this, 'P', { entry: 'src' });\n",
        [("python3.7", "implicit-default", "alpha.PythonFunction without runtime=", ["P"],
          "add runtime by hand: iacfix inserts arguments only in Python")]),
    "implicit default of PythonLayerVersion": (
        TS + "new alpha.PythonLayerVersion(this, 'L', { entry: 'layer' });\n",
        [("python3.7", "implicit-default", "alpha.PythonLayerVersion without compatibleRuntimes=", ["L"],
          "add compatibleRuntimes by hand: iacfix inserts arguments only in Python")]),
}


@pytest.mark.parametrize("fmt, text, expected", [
    *table(CLOUDFORMATION_YAML, "cloudformation", label="yaml: "),
    *table(CLOUDFORMATION_JSON, "cloudformation", label="json: "),
    *table(CDK_PYTHON, "cdk-python", label="cdk-python: "),
    *table(CDK_TYPESCRIPT, "cdk-typescript", label="cdk-typescript: "),
])
def test_sites(fmt, text, expected):
    located = locate(fmt, text)
    assert sites(located) == expected
    assert located.unresolved == []


# --- Terraform: one module directory's files, in memory ------------------------

USES_RT = 'resource "aws_lambda_function" "f" {\n  runtime = var.rt\n}\n'
F = ["aws_lambda_function.f"]

TERRAFORM = {
    "resource attribute": (
        {"main.tf": 'resource "aws_lambda_function" "f" {\n  runtime = "python3.9"\n}\n'},
        [("main.tf", "python3.9", "property", "aws_lambda_function.f runtime", F, None)]),
    "Google and Azure attributes, each in its own spelling": (
        {"main.tf": 'resource "google_cloudfunctions2_function" "g" {\n  build_config {\n    runtime = "python39"\n  }\n}\n'
                    'resource "azurerm_linux_function_app" "a" {\n  site_config {\n    application_stack {\n'
                    '      python_version = "3.9"\n    }\n  }\n}\n'
                    'resource "azurerm_function_app" "o" {\n  site_config {\n    linux_fx_version = "PYTHON|3.9"\n  }\n}\n'},
        [("main.tf", "python39", "property", "google_cloudfunctions2_function.g runtime", ["google_cloudfunctions2_function.g"], None),
         ("main.tf", "3.9", "property", "azurerm_linux_function_app.a python_version", ["azurerm_linux_function_app.a"], None),
         ("main.tf", "3.9", "property", "azurerm_function_app.o linux_fx_version", ["azurerm_function_app.o"], None)]),
    "layer list": (
        {"main.tf": 'resource "aws_lambda_layer_version" "l" {\n  compatible_runtimes = ["python3.9", "python3.12"]\n}\n'},
        [("main.tf", "python3.9", "property", "aws_lambda_layer_version.l compatible_runtimes", ["aws_lambda_layer_version.l"], None),
         ("main.tf", "python3.12", "property", "aws_lambda_layer_version.l compatible_runtimes", ["aws_lambda_layer_version.l"], None)]),
    ".tf.json": (
        {"main.tf.json": '{"resource": {"aws_lambda_function": {"f": {"runtime": "python3.9"}}}}\n'},
        [("main.tf.json", "python3.9", "property", "aws_lambda_function.f runtime", F, None)]),
    "variable default": (
        {"main.tf": 'variable "rt" {\n  default = "python3.9"\n}\n' + USES_RT},
        [("main.tf", "python3.9", "variable-default", 'variable "rt" default', F, None)]),
    "variable default and tfvars, in other files": (
        {"variables.tf": 'variable "rt" {\n  default = "python3.9"\n}\n', "main.tf": USES_RT,
         "prod.tfvars": 'rt = "python3.10"\n', "dev.auto.tfvars.json": '{"rt": "python3.11"}\n'},
        [("variables.tf", "python3.9", "variable-default", 'variable "rt" default', F, None),
         ("prod.tfvars", "python3.10", "tfvars", "rt in prod.tfvars", F, None),
         ("dev.auto.tfvars.json", "python3.11", "tfvars", "rt in dev.auto.tfvars.json", F, None)]),
    "local": (
        {"main.tf": 'locals {\n  rt = "python3.9"\n}\nresource "aws_lambda_function" "f" {\n  runtime = local.rt\n}\n'},
        [("main.tf", "python3.9", "local", "local.rt", F, None)]),
    "registry module input": (
        {"main.tf": 'module "fn" {\n  source  = "terraform-aws-modules/lambda/aws"\n  runtime = "python3.9"\n}\n'},
        [("main.tf", "python3.9", "property", "module.fn runtime", ["module.fn"], None)]),
    "validation list kept with the default": (
        {"main.tf": 'variable "rt" {\n  default = "python3.9"\n  validation {\n'
                    '    condition     = contains(["python3.9", "python3.12"], var.rt)\n    error_message = "no"\n  }\n}\n' + USES_RT},
        [("main.tf", "python3.9", "variable-default", 'variable "rt" default', F, None),
         ("main.tf", "python3.9", "allowed-value", 'variable "rt" validation', F, None),
         ("main.tf", "python3.12", "allowed-value", 'variable "rt" validation', F, None)]),
    "a validation iacfix cannot keep blocks the default": (
        {"main.tf": 'variable "rt" {\n  default = "python3.9"\n  validation {\n'
                    '    condition     = var.rt == "python3.9"\n    error_message = "no"\n  }\n}\n' + USES_RT},
        [("main.tf", "python3.9", "variable-default", 'variable "rt" default', F,
          "its validation names a runtime outside a contains([...]) list")]),
    "one value for two providers is blocked": (
        {"main.tf": 'variable "rt" {\n  default = "python39"\n}\n'
                    'resource "google_cloudfunctions_function" "g" {\n  runtime = var.rt\n}\n' + USES_RT},
        [("main.tf", "python39", "variable-default", 'variable "rt" default', ["google_cloudfunctions_function.g", *F],
          "also used by aws_lambda_function.f, on aws, which spells runtimes differently")]),
}


def locate_unit(files: dict) -> dict:
    """{path: Located} for one module directory whose files are ``files`` ({path: text})."""
    tf = by_name("terraform")
    return tf.locate_unit({path: (tf.parse(text), text) for path, text in files.items()})


def tf_sites(located: dict) -> list[tuple]:
    return [(path, *site) for path, one in located.items() if one is not None for site in sites(one)]


@pytest.mark.parametrize("files, expected", table(TERRAFORM))
def test_terraform(files, expected, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a relative local module source would be read from here: there is none
    located = locate_unit(files)
    assert tf_sites(located) == expected
    assert [u for one in located.values() if one is not None for u in one.unresolved] == []


def test_terraform_local_module_input(monkeypatch, tmp_path, write):
    """A local module is read from disk: the caller's argument for an input that reaches a sink is a site."""
    write("modules/fn/main.tf", 'variable "py" {}\nresource "aws_lambda_function" "this" {\n  runtime = var.py\n}\n')
    monkeypatch.chdir(tmp_path)
    located = locate_unit({"main.tf": 'module "fn" {\n  source = "./modules/fn"\n  py     = "python3.9"\n}\n'})
    assert tf_sites(located) == [
        ("main.tf", "python3.9", "module-input", "module.fn input py", ["module.fn.aws_lambda_function.this"], None)]


# --- what is not followed, and what is not the format's at all -------------------

UNRESOLVED = {
    "CloudFormation: Fn::ImportValue": (
        "cloudformation", CFN_HEAD + "Resources:\n" + lambda_function("!ImportValue Shared"),
        [("the value is computed by Fn::ImportValue", ["F"])]),
    "CloudFormation: a parameter without Default": (
        "cloudformation", CFN_HEAD + "Parameters:\n  P: {Type: String}\nResources:\n" + lambda_function("!Ref P"),
        [("parameter P has no Default: the runtime is chosen at deploy time", ["F"])]),
    "CloudFormation: an SSM parameter": (
        "cloudformation", CFN_HEAD + "Parameters:\n  P: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /rt}\n"
        "Resources:\n" + lambda_function("!Ref P"),
        [("parameter P is read from SSM at deploy time", ["F"])]),
    "CloudFormation JSON: Ref to no parameter": (
        "cloudformation", '{"Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {"Runtime": {"Ref": "X"}}}}}\n',
        [("Ref X is not a parameter of this template", ["F"])]),
    "CDK Python: a _LATEST constant": (
        "cdk-python", PY + "_lambda.Function(s, 'F', runtime=_lambda.Runtime.PYTHON_LATEST)\n",
        [("Runtime.PYTHON_LATEST is chosen by the CDK version", ["F"])]),
    "CDK TypeScript: a _LATEST constant": (
        "cdk-typescript", TS + "new lambda.Function(this, 'F', { runtime: lambda.Runtime.NODEJS_LATEST });\n",
        [("Runtime.NODEJS_LATEST is chosen by the CDK version", ["F"])]),
    "Terraform: a variable not declared": (
        "terraform", 'resource "aws_lambda_function" "f" {\n  runtime = var.missing\n}\n',
        [("var.missing is not declared", F)]),
    "Terraform: an interpolated string": (
        "terraform", 'resource "aws_lambda_function" "f" {\n  runtime = "python${var.v}"\n}\n',
        [("an interpolated string", F)]),
}


@pytest.mark.parametrize("fmt, text, expected", table(UNRESOLVED))
def test_unresolved(fmt, text, expected, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    located = locate_unit({"main.tf": text})["main.tf"] if fmt == "terraform" else locate(fmt, text)
    assert located.sites == []
    assert unresolved(located) == expected


NOT_LOCATED = {
    "YAML that is no template": ("cloudformation", "name: ci\non: [push]\nenv:\n  Runtime: python3.9\n"),
    "Python that imports no CDK": ("cdk-python", "class Runtime:\n    PYTHON_3_9 = 1\nf(runtime=Runtime.PYTHON_3_9)\n"),
    "Python whose last binding of Runtime is not the CDK's": (
        "cdk-python", "from aws_cdk.aws_lambda import Runtime\nclass Runtime:\n    pass\nf(runtime=Runtime.PYTHON_3_9)\n"),
    "TypeScript that imports no CDK": ("cdk-typescript", "const Runtime = { PYTHON_3_9: 1 };\nf({ runtime: Runtime.PYTHON_3_9 });\n"),
}


@pytest.mark.parametrize("fmt, text", table(NOT_LOCATED))
def test_not_the_formats(fmt, text):
    assert locate(fmt, text) is None
