"""Names that look like CDK runtimes but are not: no site here."""
import aws_cdk  # noqa: F401


class Runtime:
    PYTHON_3_9 = "python3.9"


def handler(event, context):
    """Runtime.PYTHON_3_9 in a docstring."""
    return Runtime.PYTHON_3_9, "aws_cdk.aws_lambda.Runtime.PYTHON_3_8"
