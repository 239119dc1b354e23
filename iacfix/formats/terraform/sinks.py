"""Sinks: where a runtime is used (a resource attribute, a module input), which
provider it belongs to, and whether it holds one runtime or a list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .values import _Body, _File

_RUNTIME_LIKE = {  # what a module input named runtime must look like to be taken for one
    "aws": re.compile(r"python\d\.\d+|nodejs\d+\.(x|\d+)|java\d+(\.al2(023)?)?|dotnet(core)?\d+(\.\d)?|ruby\d\.\d"
                      r"|go1\.x|provided(\.al2(023)?)?"),
    "gcp": re.compile(r"(python|nodejs|go|java|ruby|php|dotnet)\d+"),
}
_LAMBDA_MODULE = re.compile(r"terraform-aws-modules/(lambda/aws|terraform-aws-lambda)(\b|/|$)")
_FX_PYTHON = re.compile(r"(?i)(python\|)(\d+\.\d+)")


def _fx_python(value: str):
    """linux_fx_version "PYTHON|3.9" -> ("3.9", spell) ; other stacks -> None."""
    m = _FX_PYTHON.fullmatch(value)
    if not m:
        return None
    prefix = m.group(1)
    return m.group(2), lambda target: (f'"{prefix}{target}"', f"{prefix}{target}")


@dataclass
class _Sink:
    provider: str
    is_list: bool
    expr: object
    file: str
    address: str  # who uses the value: aws_lambda_function.api, module.fn.aws_lambda_function.this
    attr: str
    convert: object = None  # literal -> (runtime id, spell) or None when not a runtime
    quiet: bool = False  # a guess (a module input named runtime): report only runtime-like literals
    via: str | None = None  # a local module's call: "module.fn input py"
    for_each: tuple | None = None  # (expression, file) that each.value reads


def _for_each(f: _File, body: _Body) -> tuple | None:
    return (body.attrs.get("for_each"), f.path) if "for_each" in body.attrs else None


def _resource_sinks(f: _File, kind: str, labels: list, body: _Body) -> list[_Sink]:
    if kind != "resource" or len(labels) != 2:
        return []
    rtype, address = labels[0], f"{labels[0]}.{labels[1]}"
    out = []
    for_each = _for_each(f, body)

    def add(provider, is_list, b: _Body, attr, convert=None):
        if attr in b.attrs:
            out.append(_Sink(provider, is_list, b.attrs[attr], f.path, address, attr, convert, for_each=for_each))

    if rtype == "aws_lambda_function":
        add("aws", False, body, "runtime")
    elif rtype == "aws_lambda_layer_version":
        add("aws", True, body, "compatible_runtimes")
    elif rtype == "google_cloudfunctions_function":
        add("gcp", False, body, "runtime")
    elif rtype == "google_cloudfunctions2_function":
        for b in body.nested("build_config"):
            add("gcp", False, b, "runtime")
    elif rtype in ("azurerm_linux_function_app", "azurerm_linux_function_app_slot"):
        for sc in body.nested("site_config"):
            for stack in sc.nested("application_stack"):
                add("azure", False, stack, "python_version")
    elif rtype in ("azurerm_function_app", "azurerm_function_app_slot"):
        for sc in body.nested("site_config"):
            add("azure", False, sc, "linux_fx_version", _fx_python)
    return out
