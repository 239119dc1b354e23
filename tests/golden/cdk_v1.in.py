"""CDK v1 (aws-cdk.core): constants newer than the app's CDK may not exist, so
constants are reported, not rewritten; a Runtime("...") string is rewritten."""
from aws_cdk import core
from aws_cdk import aws_lambda
from aws_cdk.aws_lambda_python import PythonFunction


class LegacyStack(core.Stack):
    def __init__(self, scope, construct_id):
        super().__init__(scope, construct_id)
        aws_lambda.Function(self, "Old", runtime=aws_lambda.Runtime.PYTHON_3_8, handler="i.h",
                            code=aws_lambda.Code.from_inline("x"))
        aws_lambda.Function(self, "Custom", runtime=aws_lambda.Runtime('python3.9', aws_lambda.RuntimeFamily.PYTHON),
                            handler="i.h", code=aws_lambda.Code.from_inline("x"))
        PythonFunction(self, "Implicit", entry="src")
