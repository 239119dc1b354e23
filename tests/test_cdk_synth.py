"""aws-cdk-lib as the oracle for the CDK Python format.

The sample app in samples/cdk-app is synthesized (aws-cdk-lib runs its
constructs in Node.js through jsii) before and after `iacfix fix`: the
synthesized template's runtimes must change exactly as the source fix says,
and `iacfix check` on the template must agree with `iacfix check` on the
source.  Bundling is skipped (`aws:cdk:bundling-stacks` = []), so no Docker.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, SAMPLES, console

pytestmark = pytest.mark.slow  # every test here runs aws-cdk-lib (Node.js through jsii)

SYNTH = """
import json, sys
sys.path.insert(0, ".")
import aws_cdk as cdk
from stacks.orders import OrdersStack
app = cdk.App(outdir="cdk.out", context={"aws:cdk:bundling-stacks": []})
OrdersStack(app, "Orders")
print(json.dumps(app.synth().get_stack_by_name("Orders").template))
"""


def synth(app_dir: Path) -> dict:
    if shutil.which("node") is None:
        pytest.fail("aws-cdk-lib needs Node.js on PATH to synthesize (install the 'nodejs' package)")
    run = subprocess.run([sys.executable, "-c", SYNTH], cwd=app_dir, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def runtimes(template: dict) -> dict:
    out = {}
    for name, res in template["Resources"].items():
        props = res.get("Properties", {})
        if "Runtime" in props:
            out[name] = props["Runtime"]
        if "CompatibleRuntimes" in props:
            out[name] = props["CompatibleRuntimes"]
    return out


def logical(name: str) -> str:
    """CDK's logical id without its hash suffix: CreateOrderABC123 -> CreateOrder."""
    return re.sub(r"[0-9A-F]{8}$", "", name)


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    app = tmp_path_factory.mktemp("cdk") / "app"
    shutil.copytree(SAMPLES / "cdk-app", app)
    before = synth(app)
    return app, before


def check(path: Path, cwd: Path) -> list[tuple[str, str]]:
    run = console("iacfix", "check", path, "--as-of", AS_OF, "--format", "json", cwd=cwd)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    return sorted((f["runtime"], f["rule"]) for f in json.loads(run.stdout)["findings"])


def test_check_on_source_agrees_with_check_on_synthesized_template(synthesized, tmp_path, write):
    app, before = synthesized
    template = write("Orders.template.json", json.dumps(before, indent=1))
    assert check(app / "stacks" / "orders.py", app) == check(template, tmp_path)
    # The construct's default really is python3.7 (PythonLayerVersion without compatible_runtimes).
    assert {logical(k): v for k, v in runtimes(before).items()}["PandasLayer"] == ["python3.7"]


def test_fix_changes_synthesized_runtimes_exactly_as_the_source_fix_says(synthesized, tmp_path):
    app, before = synthesized
    fixed = tmp_path / "app"
    shutil.copytree(app, fixed)
    run = console("iacfix", "fix", "stacks/orders.py", "--as-of", AS_OF, cwd=fixed)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    after = synth(fixed)
    expected = {
        "CreateOrder": "python3.13",  # was python3.9
        "ListOrders": "python3.13",  # was python3.11
        "Audit": "python3.13",  # was Runtime("python3.10", ...)
        "Webhook": "nodejs18.x",  # reported, never rewritten to Python
        "SharedLayer": ["python3.13", "python3.12"],  # was [python3.9, python3.12]
        "PandasLayer": ["python3.13"],  # was the construct's default, python3.7
    }
    assert {logical(k): v for k, v in runtimes(after).items()} == expected
    # Nothing else in the template moved.
    strip = lambda t: json.dumps({k: {**v, "Properties": {p: x for p, x in v.get("Properties", {}).items()
                                                          if p not in ("Runtime", "CompatibleRuntimes")}}
                                  for k, v in t["Resources"].items()}, sort_keys=True)
    assert strip(after) == strip(before)


def test_every_constant_maps_to_its_runtime_and_the_target_exists():
    from aws_cdk import aws_lambda

    from iacfix.formats.cdk_python import constant_name, runtime_id

    for name in dir(aws_lambda.Runtime):
        value = getattr(aws_lambda.Runtime, name)
        if name.isupper() and isinstance(value, aws_lambda.Runtime) and runtime_id(name) is not None:
            assert runtime_id(name) == value.name, name
    for target in ("python3.12", "python3.13", "python3.14"):
        assert getattr(aws_lambda.Runtime, constant_name(target)).name == target
