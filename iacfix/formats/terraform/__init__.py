"""Terraform: ``.tf``, ``.tf.json``, ``.tfvars`` and ``.tfvars.json``, one module
directory at a time.

Runtime sinks (the tables in ``sinks``; ``modules._Module._module_sinks``):
``aws_lambda_function.runtime``, ``aws_lambda_layer_version.compatible_runtimes``, the
``terraform-aws-modules/lambda/aws`` module's ``runtime`` and
``compatible_runtimes``, any other module input named ``runtime`` that holds a
Lambda runtime; ``google_cloudfunctions_function.runtime`` and
``google_cloudfunctions2_function.build_config.runtime``; Azure's
``site_config.application_stack.python_version`` (``azurerm_linux_function_app``
and its slot) and ``site_config.linux_fx_version = "PYTHON|3.x"`` (the older
``azurerm_function_app`` and its slot).

A value is followed to where it is written, within the module directory:
``var.NAME`` to the variable's default and to every ``NAME = ...`` in the
directory's ``*.tfvars`` / ``*.tfvars.json``; ``local.NAME`` to its ``locals``
entry; every branch of ``cond ? a : b``, ``try()`` and ``coalesce()``; every
value of ``lookup()``'s map and its default; ``each.value`` of a literal
``for_each`` map; object attributes and tuple indexes of those; the
``content`` of a ``dynamic`` block.  A local module (``source =
"./modules/fn"``) is read to learn which of its inputs reach a sink: the
caller's argument for such an input is a site too.  A literal list in a
``contains([...], ...)`` of the variable's ``validation`` is kept valid like
CloudFormation's AllowedValues.  Anything else (another function call, a data
source, an interpolation) is reported at the use site as unresolved.

tree-sitter-hcl gives byte spans for ``.tf``/``.tfvars`` and keeps going past
syntax errors, which are reported, never edited; tree-sitter-json gives the
spans of ``.tf.json``, whose meaning is checked with the stdlib ``json``.
Nothing is run and no provider or module is downloaded.
"""

from __future__ import annotations

import os

from ... import deps
from ...model import Located
from .. import Format, register
from .code import function_code, provider_pins
from .collect import _Collector
from .hcl import hcl_semantic
from .loading import MAX_LOCAL_MODULES, _is_tfvars, _load, _Loader, _parse
from .modules import _Module
from .resolve import Resolver
from .values import UNSET

__all__ = ["MAX_LOCAL_MODULES", "UNSET", "Resolver", "Terraform", "hcl_semantic"]


def _is_tf(name: str) -> bool:
    n = name.lower()
    return n.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json"))


@register
class Terraform(Format):
    name = "terraform"
    comment_prefixes = ("#", "//")  # .tf.json has none: its strings never start a comment
    extensions = (".tf", ".tfvars", ".tf.json", ".tfvars.json")
    unit = "directory"

    def prefilter(self, data: bytes) -> bool:
        """A sink, or a call of a local module that may hold one."""
        return (b"runtime" in data or b"python_version" in data or b"linux_fx_version" in data
                or (b"module" in data and (b'"./' in data or b'"../' in data)))

    def context(self, path: str, data: bytes) -> bool:
        """What a value can travel through: variables, locals, module calls, tfvars."""
        return (b"variable" in data or b"locals" in data or b"module" in data or _is_tfvars(path)
                or b"required_providers" in data)  # the provider pin a runtime must be accepted by

    def parse(self, text: str):
        return _parse(text)

    def unit_files(self, directory: str) -> list[str]:
        try:
            return sorted(os.path.join(directory, n) for n in deps.files_in(directory or ".") if _is_tf(n))
        except OSError:
            return []

    def locate(self, doc, text: str) -> Located | None:
        return self.locate_unit({"": (doc, text)}).get("")

    def locate_unit(self, parsed: dict) -> dict:
        loader = _Loader(self)
        files = [_load(path, doc, text) for path, (doc, text) in parsed.items()]
        directory = os.path.dirname(next(iter(parsed), ""))
        module = _Module(files, loader)
        loader.seen.add(deps.realpath(directory or "."))
        collector = _Collector(module)
        for sink in module.sinks:
            collector.sink(sink)
        located = collector.located(parsed)
        more = function_code(module, {p: text for p, (_, text) in parsed.items()})
        for path, pins in provider_pins(module).items():
            more.setdefault(path, []).extend(pins)
        for path, items in more.items():
            if path in located:
                located[path] = located[path] or Located([], [])
                located[path].more += items
        return located

    def semantic(self, doc):
        if doc.kind == "json":
            return doc.semantic
        return hcl_semantic(doc.tree.root_node, doc.data)
