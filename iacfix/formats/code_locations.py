"""What formats share to say where a function's code is (``FunctionCode``).

The CDK constructs (Python and TypeScript spell them alike) and how each
names its code: ``Code.from_asset(path)`` (a directory relative to the CDK
app, where ``cdk.json`` is), ``Code.from_inline(text)``, the alpha
``PythonFunction(entry=, index=, handler=)``; anything else
(``Code.from_bucket``, ``from_ecr_image``, ``from_docker_build``) is code
iacfix cannot read, and says so.
"""

from __future__ import annotations

from ..model import FunctionCode, Where

FUNCTIONS = ("aws_lambda.Function", "aws_lambda.SingletonFunction")
PYTHON_FUNCTION = "PythonFunction"
ASSET = ("from_asset", "fromAsset", "asset")
INLINE = ("from_inline", "fromInline", "inline")


def cdk_code(construct: str, start: int, end: int, *, code_method: str | None, code_arg: str | None,
             handler: str | None, entry: str | None = None, index: str | None = None,
             arm64: bool = False, base: str = "app") -> FunctionCode:
    """A CDK function's code: ``code_method`` is the ``Code.X`` called (None when
    ``code=`` is not a ``Code.X(...)`` call) and ``code_arg`` its literal
    argument (None when it is not a literal); ``base`` is what a path is
    relative to: ``app`` (CDK resolves asset paths against the app's working
    directory) or ``file`` (``path.join(__dirname, ...)``)."""
    common = dict(function=construct, start=start, end=end, base=base, architecture="arm64" if arm64 else "x86_64")
    if entry is not None or index is not None:  # PythonFunction
        module = (index or "index.py").removesuffix(".py").replace("/", ".")
        if entry is None:
            return FunctionCode(**common, where=Where("resource", construct, "entry"),
                                not_local="entry= is not a literal path")
        return FunctionCode(**common, where=Where("resource", construct, "entry"), root=entry,
                            handler=f"{module}.{handler or 'handler'}")
    where = Where("resource", construct, "code")
    if code_method in ASSET:
        if code_arg is None:
            return FunctionCode(**common, where=where, not_local="the asset path is not a literal")
        return FunctionCode(**common, where=where, root=code_arg, handler=handler)
    if code_method in INLINE:
        if code_arg is None:
            return FunctionCode(**common, where=where, not_local="the inline code is not a literal")
        return FunctionCode(**common, where=where, inline=code_arg, inline_line=0, handler=handler)
    what = f"Code.{code_method}" if code_method else "code="
    return FunctionCode(**common, where=where, not_local=f"{what} is not local code (an S3 object, an image, "
                                                          "or a value known at synth time)")
