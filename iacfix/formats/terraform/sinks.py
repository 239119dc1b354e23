"""Sinks: where a runtime is used (a resource attribute, a module input), which
provider it belongs to, and whether it holds one runtime or a list."""

from __future__ import annotations

import re
from typing import NamedTuple

from .values import _Body, _File
from ...records import dataclass

_FX_PYTHON = re.compile(r"(?i)(python\|)(\d+\.\d+)")


def _fx_python(value: str):
    """linux_fx_version "PYTHON|3.9" -> ("3.9", spell) ; other stacks -> None."""
    m = _FX_PYTHON.fullmatch(value)
    if not m:
        return None
    prefix = m.group(1)
    return m.group(2), lambda target: (f'"{prefix}{target}"', f"{prefix}{target}")


class _RuntimeAttr(NamedTuple):
    """An attribute that holds a runtime: ``path`` goes through nested blocks
    (``dynamic`` ones included) to the attribute, dot-separated."""

    path: str
    provider: str
    is_list: bool = False  # a list of runtimes
    convert: object = None  # literal -> (runtime id, spell) or None when not a runtime


_APPLICATION_STACK = (_RuntimeAttr("site_config.application_stack.python_version", "azure"),)
_LINUX_FX = (_RuntimeAttr("site_config.linux_fx_version", "azure", convert=_fx_python),)
_RESOURCE_SINKS: dict[str, tuple[_RuntimeAttr, ...]] = {  # resource type -> where it holds a runtime
    "aws_lambda_function": (_RuntimeAttr("runtime", "aws"),),
    "aws_lambda_layer_version": (_RuntimeAttr("compatible_runtimes", "aws", is_list=True),),
    "google_cloudfunctions_function": (_RuntimeAttr("runtime", "gcp"),),
    "google_cloudfunctions2_function": (_RuntimeAttr("build_config.runtime", "gcp"),),
    "azurerm_linux_function_app": _APPLICATION_STACK,
    "azurerm_linux_function_app_slot": _APPLICATION_STACK,
    "azurerm_function_app": _LINUX_FX,
    "azurerm_function_app_slot": _LINUX_FX,
}
# Registry modules whose inputs are known sinks: source pattern -> inputs.  Any
# other module's input named runtime is a guess (modules._Module._module_sinks).
_MODULE_SINKS: tuple[tuple[re.Pattern, tuple[_RuntimeAttr, ...]], ...] = (
    (re.compile(r"terraform-aws-modules/(lambda/aws|terraform-aws-lambda)(\b|/|$)"),
     (_RuntimeAttr("runtime", "aws"), _RuntimeAttr("compatible_runtimes", "aws", is_list=True))),
)


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
    via: tuple[str, str] | None = None  # a local module's call and input: ("module.fn", "py")
    for_each: tuple | None = None  # (expression, file) that each.value reads


def _for_each(f: _File, body: _Body) -> tuple | None:
    return (body.attrs.get("for_each"), f.path) if "for_each" in body.attrs else None


def _resource_sinks(f: _File, kind: str, labels: list, body: _Body) -> list[_Sink]:
    if kind != "resource" or len(labels) != 2:
        return []
    rtype, address = labels[0], f"{labels[0]}.{labels[1]}"
    return _sinks(_RESOURCE_SINKS.get(rtype, ()), f, body, address, _for_each(f, body))


def _known_module(source: str | None) -> tuple[_RuntimeAttr, ...] | None:
    """The inputs of a registry module known to take runtimes, or None."""
    if source is not None:
        for pattern, inputs in _MODULE_SINKS:
            if pattern.search(source):
                return inputs
    return None


def _sinks(attrs: tuple[_RuntimeAttr, ...], f: _File, body: _Body, address: str, for_each) -> list[_Sink]:
    """The sinks ``attrs`` name in a resource's or module call's ``body``."""
    out = []
    for spec in attrs:
        *blocks, attr = spec.path.split(".")
        bodies = [body]
        for name in blocks:
            bodies = [inner for b in bodies for inner in b.nested(name)]
        for b in bodies:
            if attr in b.attrs:
                out.append(_Sink(spec.provider, spec.is_list, b.attrs[attr], f.path, address, attr, spec.convert,
                                 for_each=for_each))
    return out
