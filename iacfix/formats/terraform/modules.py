"""A module directory: its variables (defaults, validations), tfvars and locals,
its sinks, and the local modules it calls, followed to learn which of their
inputs reach a sink."""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import field

from .resolve import Resolver
from ..shapes import looks_like_runtime
from .sinks import _Sink, _for_each, _known_module, _resource_sinks, _sinks
from .values import _Body, _File, _Str
from ...records import dataclass


def _module_source(body: _Body) -> str | None:
    source = body.attrs.get("source")
    return source.value if isinstance(source, _Str) else None


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


@dataclass
class _Var:
    name: str
    file: _File
    default: object = None
    validation: list = field(default_factory=list)  # the literal lists of contains([...], ...) in its validation
    pinned: str | None = None  # why its values cannot be rewritten (a validation iacfix cannot keep valid)


class _Module:
    """The files of one directory, with its variables, tfvars and locals."""

    def __init__(self, files: list[_File], loader):
        self.files = files
        self.loader = loader
        self.vars: dict[str, _Var] = {}
        # name -> (file, attributes, name): read from the attributes only when used
        self.tfvars: dict[str, list[tuple[_File, object, str]]] = {}
        self.locals: dict[str, tuple[_File, object, str]] = {}
        self.indexed: set[int] = set()  # lists read by index somewhere: never drop entries
        self.busy = False
        for f in files:
            for name in f.tfvars.keys():
                self.tfvars.setdefault(name, []).append((f, f.tfvars, name))
            for kind, labels, body in f.top:
                if kind == "variable" and labels:
                    var = self.vars[labels[0]] = _Var(labels[0], f, body.attrs.get("default"))
                    for v in body.nested("validation"):  # a validation may only read its variable
                        lists = v.contains()
                        var.validation += lists
                        listed = Counter(i.value for t in lists for i in t.items if isinstance(i, _Str))
                        other = Counter(v.literals()) - listed  # literals iacfix would not keep valid
                        if any(looks_like_runtime(x) for x in other):
                            var.pinned = "its validation names a runtime outside a contains([...]) list"
                elif kind == "locals":
                    for name in body.attrs.keys():
                        self.locals[name] = (f, body.attrs, name)

    @functools.cached_property
    def sinks(self) -> list[_Sink]:
        out = []
        for f in self.files:
            for kind, labels, body in f.top:
                out += _resource_sinks(f, kind, labels, body)
                if kind == "module" and labels:
                    out += self._module_sinks(f, labels[0], body)
        return out

    def _module_sinks(self, f: _File, name: str, body: _Body) -> list[_Sink]:
        source = _module_source(body)
        address = f"module.{name}"
        out = []
        for_each = _for_each(f, body)
        known = _known_module(source)
        if known is not None:
            return _sinks(known, f, body, address, for_each)
        inner = self.loader(os.path.normpath(os.path.join(os.path.dirname(f.path), source))) \
            if source is not None and _is_local(source) else None
        if inner is None:
            if "runtime" in body.attrs:
                provider = "gcp" if source is not None and "google" in source.lower() else "aws"
                out.append(_Sink(provider, False, body.attrs["runtime"], f.path, address, "runtime", quiet=True,
                                 for_each=for_each))
            return out
        for input_name, sink in inner.inputs().items():
            if input_name in body.attrs:
                out.append(_Sink(sink.provider, sink.is_list, body.attrs[input_name], f.path,
                                 f"{address}.{sink.address}", input_name, sink.convert, sink.quiet,
                                 via=(address, input_name), for_each=for_each))
        return out

    def inputs(self) -> dict[str, _Sink]:
        """This module's variables that reach a sink, with the sink they reach.
        A module met again while its own inputs are worked out (a cycle of
        local modules) has none."""
        if self.busy:
            return {}
        self.busy = True
        try:
            out = {}
            for sink in self.sinks:
                for name in Resolver(self, sink.for_each).vars_reached(sink.expr):
                    out.setdefault(name, sink)
            return out
        finally:
            self.busy = False
