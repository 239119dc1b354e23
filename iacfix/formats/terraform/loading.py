"""Documents: a file's text parsed (tree-sitter grammars imported on first
use) and loaded into blocks and tfvars; local modules' files read from disk
once per worker while unchanged, and the per-unit loader that follows them."""

from __future__ import annotations

import functools
import json
import os
from typing import TYPE_CHECKING

from ... import deps
from ...model import ParseError
from ...reading import Unreadable, read_bytes
from ...records import dataclass
from ..nesting import MAX_DEPTH, check_depth, too_deep
from .hcl import _first_error, _Hcl
from .json_syntax import _Json, _json_top
from .modules import _Module
from .values import _File, _Obj

if TYPE_CHECKING:
    from . import Terraform

MAX_LOCAL_MODULES = 64  # local module directories read for one unit, nested calls included


def _is_tfvars(path: str) -> bool:
    return path.lower().endswith((".tfvars", ".tfvars.json"))


@functools.lru_cache(maxsize=2)
def _parser(kind: str):
    import tree_sitter

    if kind == "hcl":
        import tree_sitter_hcl as grammar
    else:
        import tree_sitter_json as grammar
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


@dataclass
class _Doc:
    kind: str  # hcl | json
    tree: object
    data: bytes
    semantic: object = None  # json only: the stdlib's reading


def _parse(text: str) -> _Doc:
    """Terraform's JSON syntax starts with ``{``, which native syntax never does."""
    data = text.encode("utf-8")
    if text.lstrip("\ufeff \t\r\n")[:1] == "{":
        tree = _parser("json").parse(data)
        check_depth(tree, data, text)
        try:
            meaning = json.loads(text.lstrip("\ufeff"))
        except json.JSONDecodeError as e:
            raise ParseError(f"invalid JSON: {e.msg}; file left unchanged", offset=e.pos + (1 if text.startswith("\ufeff") else 0)) from None
        except RecursionError:  # deeper than the stack, where tree-sitter saw errors instead
            raise too_deep(MAX_DEPTH) from None
        return _Doc("json", tree, data, meaning)
    tree = _parser("hcl").parse(data)
    check_depth(tree, data, text)
    if tree.root_node.has_error:
        bad = _first_error(tree.root_node)
        at = bad.start_byte if bad is not None else 0
        what = "syntax error"
        if bad is not None and bad.is_missing:
            if bad.type in ("quoted_template_end", "heredoc_identifier") and bad.parent is not None:
                what, at = "unterminated string", bad.parent.start_byte
            else:
                what = f"missing {bad.type.replace('_', ' ')}"
        raise ParseError(f"Terraform {what}; file left unchanged", offset=_Hcl(text, data).offset(at))
    return _Doc("hcl", tree, data)


def _load(path: str, doc: _Doc, text: str) -> _File:
    tfvars = _is_tfvars(path)
    if doc.kind == "json":
        reader = _Json(text, doc.data, tfvars)
        root = next((c for c in doc.tree.root_node.named_children if c.type == "object"), None)
        obj = reader.value(root, ()) if root is not None else _Obj({})
        obj = obj if isinstance(obj, _Obj) else _Obj({})
        return _File(path, [] if tfvars else _json_top(obj), obj.fields if tfvars else {})
    reader = _Hcl(text, doc.data)
    body_node = next((c for c in doc.tree.root_node.named_children if c.type == "body"), None)
    body = reader.body(body_node)
    top = [] if tfvars else [(kind, labels, reader.body(node)) for kind, labels, node in body.blocks]
    return _File(path, top, body.attrs if tfvars else {})


def _module_files(directory: str, paths: tuple) -> list[_File]:
    """A local module's files, parsed once per worker while unchanged: many
    environments call the same module."""
    try:
        stamp = tuple((p, deps.fingerprint(deps.stat(p))) for p in paths)  # ctime, inode too: what deps records
    except OSError:
        stamp = None
    key = (deps.realpath(directory or "."), stamp)
    if stamp is not None and key in _MODULE_CACHE:
        return _MODULE_CACHE[key]
    files = []
    for path in paths:
        try:
            # as text mode read it: universal newlines
            text = read_bytes(path).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            files.append(_load(path, _parse(text), text))
        except (Unreadable, UnicodeDecodeError, ParseError):
            continue  # context only: the module's own unit reports it
    if stamp is not None:
        if len(_MODULE_CACHE) >= 128:
            _MODULE_CACHE.pop(next(iter(_MODULE_CACHE)))
        _MODULE_CACHE[key] = files
    return files


_MODULE_CACHE: dict[tuple, list[_File]] = {}
deps.on_forget(_MODULE_CACHE.clear)


class _Loader:
    """Reads local modules from disk (read-only context), each directory once."""

    def __init__(self, fmt: Terraform):
        self.fmt = fmt
        self.seen: set[str] = set()
        self.cache: dict[str, _Module | None] = {}

    def __call__(self, directory: str) -> _Module | None:
        real = deps.realpath(directory or ".")
        if real in self.cache:
            return self.cache[real]
        if real in self.seen or len(self.seen) > MAX_LOCAL_MODULES:
            return None
        self.seen.add(real)
        files = _module_files(directory, tuple(self.fmt.unit_files(directory)))
        module = _Module(files, self) if files else None
        self.cache[real] = module
        return module
