"""Where each AWS Lambda function's code is, as the module directory says
(``FunctionCode``): ``aws_lambda_function`` with ``filename`` taken from a
``data "archive_file"``'s ``output_path`` (its ``source_dir`` or
``source_file`` is the code), and the ``terraform-aws-modules/lambda``
module's ``source_path``.  A literal ``filename`` (a zip built elsewhere),
``s3_bucket`` or a value known only at plan time is not local, and said so.
Paths may start with ``${path.module}/``; anything else interpolated is not
followed."""

from __future__ import annotations

import dataclasses
import os
import re

from ... import deps
from ...model import FunctionCode, Where
from .sinks import _known_module
from .values import _Str

_PATH_MODULE = re.compile(r'"\$\{path\.module\}/([^"$]*)"\Z')
_ARCHIVE = re.compile(r"data\.archive_file\.([A-Za-z0-9_-]+)\.output_path\Z")


def _path(expr, text: str) -> str | None:
    """A literal path, or ``"${path.module}/x"`` (the module directory is the file's)."""
    if isinstance(expr, _Str):
        return expr.value
    if expr is not None and hasattr(expr, "start"):
        m = _PATH_MODULE.match(text[expr.start:expr.end])
        if m:
            return m.group(1) or "."
    return None


def _literal(expr) -> str | None:
    return expr.value if isinstance(expr, _Str) else None


def function_code(module, texts: dict[str, str], depth: int = 0) -> dict[str, list[FunctionCode]]:
    """{file: [FunctionCode]} for the functions declared in a module directory,
    and, at the call of a local module, the local code of the functions it
    declares, named as the caller's sites name them (``module.fn.aws_lambda_function.this``)."""
    archives = {}
    for f in module.files:
        for kind, labels, body in f.top:
            if kind == "data" and labels[:1] == ["archive_file"] and len(labels) == 2:
                archives[labels[1]] = (f, body)
    out: dict[str, list[FunctionCode]] = {}
    for f in module.files:
        text = _text(f.path, texts)
        for kind, labels, body in f.top:
            code = None
            if kind == "resource" and labels[:1] == ["aws_lambda_function"] and len(labels) == 2:
                code = _resource(f"{labels[0]}.{labels[1]}", body, archives, texts, text)
            elif kind == "module" and labels and _known_module(_literal(body.attrs.get("source"))) is not None:
                code = _module(f"module.{labels[0]}", body, text)
            if code is not None:
                out.setdefault(f.path, []).append(code)
            elif kind == "module" and labels and depth < 3:
                out.setdefault(f.path, []).extend(_local_module(module, f, labels[0], body, depth))
    return {p: codes for p, codes in out.items() if codes}


def _text(path: str, texts: dict[str, str]) -> str:
    if path in texts:
        return texts[path]
    try:  # a local module's file: read again for its ${path.module} strings
        return texts.setdefault(path, deps.read_text(path))
    except (OSError, UnicodeDecodeError):
        return texts.setdefault(path, "")


def _local_module(module, f, name: str, body, depth: int) -> list[FunctionCode]:
    source = _literal(body.attrs.get("source"))
    if source is None or not source.startswith(("./", "../")):
        return []
    here = os.path.dirname(f.path)
    inner = module.loader(os.path.normpath(os.path.join(here, source)))
    if inner is None:
        return []
    start, end = _span(body, "source", (0, 0))
    out = []
    for path, codes in function_code(inner, {}, depth + 1).items():
        rel = os.path.relpath(os.path.dirname(path) or ".", here or ".")
        for c in codes:
            if c.root is None:
                continue  # not local: its own directory says so
            out.append(dataclasses.replace(c, function=f"module.{name}.{c.function}", start=start, end=end,
                                           root=os.path.normpath(os.path.join(rel, c.root)),
                                           where=Where("module-input", f"module.{name}", "source")))
    return out


def _arch(body) -> str:
    arch = body.attrs.get("architectures")
    items = getattr(arch, "items", None) or []
    return "arm64" if any(isinstance(i, _Str) and i.value == "arm64" for i in items) else "x86_64"


def _span(body, name: str, fallback) -> tuple[int, int]:
    expr = body.attrs.get(name)
    if expr is not None and hasattr(expr, "start"):
        return expr.start, expr.end
    return fallback


def _resource(address: str, body, archives: dict, texts: dict, text: str) -> FunctionCode | None:
    if _literal(body.attrs.get("package_type")) == "Image" or "image_uri" in body.attrs:
        return None
    handler = _literal(body.attrs.get("handler"))
    anchor = _span(body, "handler", (0, 0))
    common = dict(function=address, handler=handler, architecture=_arch(body))
    if "s3_bucket" in body.attrs:
        start, end = _span(body, "s3_bucket", anchor)
        return FunctionCode(**common, start=start, end=end, where=Where("resource", address, "s3_bucket"),
                            not_local="the code is an S3 object (s3_bucket)")
    expr = body.attrs.get("filename")
    if expr is None:
        return None
    start, end = _span(body, "filename", anchor)
    where = Where("resource", address, "filename")
    written = text[expr.start:expr.end] if hasattr(expr, "start") else ""
    m = _ARCHIVE.match(written)
    if m and m.group(1) in archives:
        f, archive = archives[m.group(1)]
        source = _path(archive.attrs.get("source_dir"), texts.get(f.path, "")) or \
            _path(archive.attrs.get("source_file"), texts.get(f.path, ""))
        if source is not None:
            return FunctionCode(**common, start=start, end=end, where=where, root=source)
        return FunctionCode(**common, start=start, end=end, where=where,
                            not_local=f'data "archive_file" "{m.group(1)}" has no literal source_dir or source_file')
    literal = _path(expr, text)
    if literal is not None and not literal.endswith((".zip", ".jar")):
        return FunctionCode(**common, start=start, end=end, where=where, root=literal)
    what = f"a package built elsewhere ({literal})" if literal else "known only at plan time"
    return FunctionCode(**common, start=start, end=end, where=where, not_local=f"filename is {what}")


def _module(address: str, body, text: str) -> FunctionCode | None:
    if "source_path" not in body.attrs:
        return None
    expr = body.attrs.get("source_path")
    start, end = _span(body, "source_path", (0, 0))
    common = dict(function=address, start=start, end=end,
                  where=Where("module-input", address, "source_path"), handler=_literal(body.attrs.get("handler")),
                  architecture=_arch(body))
    path = _path(expr, text)
    if path is None:
        return FunctionCode(**common, not_local="source_path is not a single literal path")
    return FunctionCode(**common, root=path)


def provider_pins(module) -> dict[str, list]:
    """{file: [ToolPin]} for ``terraform { required_providers { aws = { version = "..." } } }``."""
    from ...model import ToolPin

    out: dict[str, list] = {}
    for f in module.files:
        for kind, _, body in f.top:
            if kind != "terraform":
                continue
            for block in body.nested("required_providers"):
                for name in block.attrs.keys():
                    spec = block.attrs.get(name)
                    fields = getattr(spec, "fields", None)
                    if isinstance(spec, _Str) and name == "aws":  # aws = "~> 4.0": the 0.12 syntax, still accepted
                        fields = {"version": spec}
                    if not isinstance(fields, dict):
                        continue
                    source = _literal(fields.get("source")) or ("hashicorp/aws" if name == "aws" else None)
                    version = fields.get("version")
                    if source is None or source.lower().removeprefix("registry.terraform.io/") != "hashicorp/aws" \
                            or not isinstance(version, _Str):
                        continue
                    q = version.quote or '"'
                    out.setdefault(f.path, []).append(ToolPin(
                        "hashicorp/aws", "terraform", version.value, version.start, version.end, version.path,
                        spell=lambda new, q=q: (f"{q}{new}{q}", new)))
    return out
