"""Runtime constants are rewritten only where they go to a runtime argument.

LayerStack is modelled on aws-powertools' layer_v3/layer/layer_stack.py: the
constant chosen for a Python version also names the layer, so rewriting it
would declare the layer for python3.13 under a python3.8 name.
"""
from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_lambda import LayerVersion, Runtime
from aws_cdk.aws_lambda_python_alpha import PythonLayerVersion
from constructs import Construct

HANDLER_RUNTIME = Runtime.PYTHON_3_13  # bound once, read only as runtime=: rewritten
SHARED_RUNTIMES = [Runtime.PYTHON_3_13, Runtime.PYTHON_3_12]  # bound once, read only as compatible_runtimes=
LEGACY = {"py38": Runtime.PYTHON_3_8}  # a lookup table, not an argument


class LayerStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, python_version: str) -> None:
        super().__init__(scope, construct_id)

        if python_version == "python3.8":
            python_version = Runtime.PYTHON_3_8
        if python_version == "python3.9":
            python_version = Runtime.PYTHON_3_9
        if python_version == "python3.13":
            python_version = Runtime.PYTHON_3_13

        PythonLayerVersion(
            self,
            f"Layer-{python_version.name}",
            entry="layer",
            compatible_runtimes=[python_version],
        )


class AppStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        worker_runtime = Runtime("python3.13", _lambda.RuntimeFamily.PYTHON)  # bound once, in the function

        _lambda.Function(self, id="Orders", runtime=HANDLER_RUNTIME, handler="i.h",
                         code=_lambda.Code.from_inline("x"))
        _lambda.Function(scope=self, id="Worker", runtime=worker_runtime, handler="i.h",
                         code=_lambda.Code.from_inline("x"))
        LayerVersion(self, "Shared", code=_lambda.Code.from_asset("layer"), compatible_runtimes=SHARED_RUNTIMES)
        settings = {"runtime": Runtime.PYTHON_3_13, "handler": "i.h"}
        _lambda.Function(self, "FromSettings", code=_lambda.Code.from_inline("x"), **settings)

        if self.node.try_get_context("runtime") == Runtime.PYTHON_3_9.name:  # compared: reported only
            self.legacy = Runtime.PYTHON_3_9  # stored: reported only
