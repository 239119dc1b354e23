"""Toolchain readiness: pins of aws-cdk-lib (Python and TypeScript apps) and of
the hashicorp/aws provider (required_providers, .terraform.lock.hcl) judged
against rules/toolchain.json; the runtime fixes they would break are held
back; bumping a pin is an unsafe fix; PyPI constraints agree with
`packaging`'s own reading."""

import json

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import ROOT
from iacfix.toolchain import admits, bumped

CDK_STACK = """from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda


class Api(Stack):
    def __init__(self, scope, cid):
        super().__init__(scope, cid)
        _lambda.Function(self, "Api", runtime=_lambda.Runtime.PYTHON_3_9, handler="app.handler",
                         code=_lambda.Code.from_asset("src"))
"""


@pytest.mark.parametrize("spec", ["==2.100.0", ">=2.100.0", "~=2.100.0", "~=2.100", ">=2.0,<2.150", "<2.167.0",
                                  "<=2.167.0", ">2.166.0", "==2.167.*", "==2.166.*", ">=2.0,!=2.167.0", "", "==2.200.0"])
def test_pypi_specs_agree_with_packaging(spec):
    versions = [Version(f"2.{minor}.{patch}") for minor in range(90, 260) for patch in (0, 1)]
    oracle = any(v >= Version("2.167.0") for v in SpecifierSet(spec).filter(versions))
    assert admits(spec, "pypi", "2.167.0") == oracle


@pytest.mark.parametrize("spec, ecosystem, first, ok, bump", [
    ("2.100.0", "npm", "2.167.0", False, "2.167.0"),
    ("^2.100.0", "npm", "2.167.0", True, "^2.167.0"),
    ("~2.100.0", "npm", "2.167.0", False, "~2.167.0"),
    (">=2.0.0 <2.150.0", "npm", "2.167.0", False, None),
    ("2.100.0 || ^2.160.0", "npm", "2.167.0", True, None),
    ("~> 5.0", "terraform", "5.76.0", True, "~> 5.76"),
    ("~> 5.75.0", "terraform", "5.76.0", False, "~> 5.76.0"),
    ("~> 4.0", "terraform", "5.76.0", False, "~> 5.76"),
    ("= 5.75.1", "terraform", "5.76.0", False, "= 5.76.0"),
    (">= 4.0, < 5.76", "terraform", "5.76.0", False, None),
    (">= 5.76.0", "terraform", "5.76.0", True, None),
])
def test_npm_and_terraform_constraints(spec, ecosystem, first, ok, bump):
    assert admits(spec, ecosystem, first) == ok
    if not ok:
        assert bumped(spec, ecosystem, first) == bump
        if bump is not None:
            assert admits(bump, ecosystem, first)


def test_every_first_version_names_its_source():
    data = json.loads((ROOT / "rules" / "toolchain.json").read_text())
    for tool, row in data["tools"].items():
        for runtime, entry in row["runtimes"].items():
            assert entry["source"] and entry["first"].count(".") == 2, (tool, runtime)


@pytest.fixture
def cdk_app(write):
    return write({"cdk.json": "{}\n", "stacks/api.py": CDK_STACK, "src/app.py": "import json\n",
                  "requirements.txt": "constructs>=10\naws-cdk-lib==2.100.0  # pinned by platform\n"})


def test_a_cdk_pin_without_the_constant_is_reported_and_holds_the_constant_back(iacfix, cdk_app):
    run = iacfix("check", ".", "--format", "json")
    [pin] = [f for f in run.json["findings"] if f["rule"] == "RT311"]
    assert (pin["path"], pin["line"], pin["column"]) == ("requirements.txt", 2, 12)
    assert pin["needs"] == "2.167.0" and "Runtime.PYTHON_3_13" in pin["message"]
    assert pin["fix"]["applicability"] == "unsafe" and pin["fix"]["edits"][0]["content"] == "==2.167.0"
    [runtime] = [f for f in run.json["findings"] if f["rule"] == "RT003"]
    assert not runtime["fixable"] and "aws-cdk-lib ==2.100.0 (requirements.txt:2) cannot deploy python3.13" \
        in runtime["message"]
    iacfix("fix", ".")
    assert "PYTHON_3_9" in (cdk_app / "stacks/api.py").read_text()
    iacfix("fix", ".", "--unsafe-fixes")
    assert "PYTHON_3_13" in (cdk_app / "stacks/api.py").read_text()
    assert (cdk_app / "requirements.txt").read_text() == "constructs>=10\naws-cdk-lib==2.167.0  # pinned by platform\n"


def test_a_pin_that_admits_the_constant_blocks_nothing(iacfix, cdk_app):
    (cdk_app / "requirements.txt").write_text("aws-cdk-lib>=2.100.0,<3\n")
    run = iacfix("fix", ".", "--format", "json")
    assert [f["rule"] for f in run.json["fixed"]] == ["RT003"]


def test_pyproject_and_lock_files(iacfix, cdk_app):
    (cdk_app / "requirements.txt").unlink()
    (cdk_app / "pyproject.toml").write_text('[project]\nname = "app"\ndependencies = [\n  "aws-cdk-lib~=2.150.0",\n]\n')
    (cdk_app / "poetry.lock").write_text('[[package]]\nname = "aws-cdk-lib"\nversion = "2.150.0"\n')
    run = iacfix("check", ".", "--format", "json")
    pins = {f["path"]: f for f in run.json["findings"] if f["rule"] == "RT311"}
    assert pins["pyproject.toml"]["fix"]["edits"][0]["content"] == '"aws-cdk-lib~=2.167.0"'
    assert pins["poetry.lock"]["fix"] is None and "regenerate the lock" in pins["poetry.lock"]["fix_unavailable"]
    iacfix("fix", ".", "--unsafe-fixes", "--select", "RT311")
    assert '"aws-cdk-lib~=2.167.0"' in (cdk_app / "pyproject.toml").read_text()


def test_typescript_package_json_and_npm_lock(iacfix, write):
    root = write({"package.json": '{\n  "dependencies": {\n    "aws-cdk-lib": "2.150.0"\n  }\n}\n',
                  "package-lock.json": '{"lockfileVersion": 3, "packages": {"node_modules/aws-cdk-lib": '
                                       '{"version": "2.150.0"}}}\n'})
    run = iacfix("check", ".", "--format", "json")
    assert sorted((f["path"], f["fix"] is not None) for f in run.json["findings"]) == [
        ("package-lock.json", False), ("package.json", True)]
    iacfix("fix", ".", "--unsafe-fixes")
    assert json.loads((root / "package.json").read_text()) == {"dependencies": {"aws-cdk-lib": "2.167.0"}}


TF = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.75.0" # see #40107
    }
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "app.handler"
  runtime       = "python3.11"
}
"""


def test_terraform_provider_constraint_holds_the_runtime_back(iacfix, write):
    root = write({"main.tf": TF})
    run = iacfix("check", ".", "--format", "json")
    by = {f["rule"]: f for f in run.json["findings"]}
    assert (by["RT311"]["line"], by["RT311"]["needs"]) == (5, "5.76.0")
    assert not by["RT004"]["fixable"] and "hashicorp/aws ~> 5.75.0 (main.tf:5)" in by["RT004"]["message"]
    iacfix("fix", ".", "--unsafe-fixes")
    text = (root / "main.tf").read_text()
    assert 'version = "~> 5.76.0" # see #40107' in text and 'runtime       = "python3.13"' in text


def test_terraform_lock_file_holds_the_runtime_back(iacfix, write):
    root = write({"main.tf": TF.replace('"~> 5.75.0"', '">= 5.0"'),
                  ".terraform.lock.hcl": 'provider "registry.terraform.io/hashicorp/aws" {\n  version     = "5.75.1"\n'
                                         '  constraints = ">= 5.0"\n  hashes = []\n}\n'})
    run = iacfix("check", ".", "--format", "json")
    [lock] = [f for f in run.json["findings"] if f["rule"] == "RT311"]
    assert lock["path"] == ".terraform.lock.hcl" and "terraform init -upgrade" in lock["fix_unavailable"]
    iacfix("fix", ".")
    assert "python3.11" in (root / "main.tf").read_text()
