from aws_cdk import Stack
from aws_cdk import aws_lambda as _lambda
from aws_cdk.aws_lambda_python_alpha import PythonLayerVersion
from constructs import Construct

INLINE = "def handler(event, context):\n    return {'runtime': 'python3.9'}\n"


class OrdersStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # Pinned by the platform team in 2023.
        _lambda.Function(
            self, "CreateOrder",
            runtime=_lambda.Runtime.PYTHON_3_9,
            handler="index.handler",
            code=_lambda.Code.from_inline(INLINE),
        )
        _lambda.Function(
            self, "ListOrders",
            runtime=_lambda.Runtime.PYTHON_3_11,  # Amazon Linux 2
            handler="index.handler",
            code=_lambda.Code.from_inline(INLINE),
        )
        _lambda.Function(
            self, "Audit",
            runtime=_lambda.Runtime("python3.10", _lambda.RuntimeFamily.PYTHON, supports_inline_code=True),
            handler="index.handler",
            code=_lambda.Code.from_inline(INLINE),
        )
        _lambda.Function(
            self, "Webhook",
            runtime=_lambda.Runtime.NODEJS_18_X,
            handler="index.handler",
            code=_lambda.Code.from_inline("exports.handler = async () => 'ok';"),
        )
        _lambda.LayerVersion(
            self, "SharedLayer",
            code=_lambda.Code.from_asset("layer"),
            compatible_runtimes=[_lambda.Runtime.PYTHON_3_9, _lambda.Runtime.PYTHON_3_12],
        )
        # No compatible_runtimes: the construct's default applies.
        PythonLayerVersion(self, "PandasLayer", entry="layer")
