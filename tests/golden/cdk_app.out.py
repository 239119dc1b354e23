"""A CDK v2 app using every import form iacfix follows."""
import aws_cdk as cdk
import aws_cdk.aws_lambda as lam
from aws_cdk import Stack, aws_lambda as _lambda
from aws_cdk.aws_lambda import Runtime as R, LayerVersion
from aws_cdk.aws_lambda_python_alpha import PythonFunction, PythonLayerVersion
from constructs import Construct

import mylib


class AppStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # Runtime.PYTHON_3_8 in a comment is not a site
        _lambda.Function(self, "Alias", runtime=_lambda.Runtime.PYTHON_3_13, handler="i.h",
                         code=_lambda.Code.from_inline("RUNTIME = 'python3.9'"))
        lam.Function(self, "FromString", runtime=lam.Runtime(
            "python3.13", lam.RuntimeFamily.PYTHON), handler="i.h", code=lam.Code.from_inline("x"))
        _lambda.Function(self, "Node", runtime=R.NODEJS_18_X, handler="i.h", code=_lambda.Code.from_inline("x"))
        _lambda.Function(self, "Qualified", runtime=cdk.aws_lambda.Runtime.PYTHON_3_13,  # AL2
                         handler="i.h", code=_lambda.Code.from_inline("x"))
        _lambda.Function(self, "Current", runtime=R.PYTHON_3_13, handler="i.h", code=_lambda.Code.from_inline("x"))
        _lambda.Function(self, "Lookalike", runtime=mylib.Runtime.PYTHON_3_9, handler="i.h",
                         code=_lambda.Code.from_inline("x"))
        LayerVersion(self, "Layer", code=_lambda.Code.from_asset("layer"),
                     compatible_runtimes=[
                         R.PYTHON_3_13,
                         R.PYTHON_3_12,  # keep
                     ])
        PythonFunction(self, "Implicit", entry="src", runtime=R.PYTHON_3_13)
        PythonFunction(self, "Explicit", entry="src", runtime=_lambda.Runtime.PYTHON_3_12)
        PythonLayerVersion(self, "ImplicitLayer",
            entry="layer",
            compatible_runtimes=[R.PYTHON_3_13],
        )


app = cdk.App()
AppStack(app, "App")
app.synth()
