from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_lambda_python_alpha import PythonFunction

INLINE = "import uu\ndef handler(event, context):\n    return 1\n"


class ApiStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        _lambda.Function(self, "Api", runtime=_lambda.Runtime.PYTHON_3_12, handler="main.handler",
                         code=_lambda.Code.from_asset("lambda/api"))
        _lambda.Function(self, "Tiny", runtime=_lambda.Runtime.PYTHON_3_12, handler="index.handler",
                         code=_lambda.Code.from_inline(INLINE))
        PythonFunction(self, "Jobs", runtime=_lambda.Runtime.PYTHON_3_12, entry="lambda/jobs", index="run.py",
                       handler="go")
