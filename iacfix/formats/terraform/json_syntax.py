"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``): values with their
spans from a tree-sitter-json tree, and the top-level blocks as HCL gives them."""

from __future__ import annotations

import json
import re

from .hcl import _char_offsets, _Hcl
from .values import _Obj, _Opaque, _Ref, _Str, _Tuple, _body_of

_TEMPLATE_REF = re.compile(r"\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)\s*\}")


class _Json:
    def __init__(self, text: str, data: bytes, tfvars: bool):
        self.data = data
        self.chars = _char_offsets(text, data)
        self.tfvars = tfvars  # .tfvars.json values are literal, not templates

    offset = _Hcl.offset

    def value(self, node, path: tuple):
        start, end = self.offset(node.start_byte), self.offset(node.end_byte)
        raw = self.data[node.start_byte:node.end_byte].decode("utf-8")
        if node.type == "string":
            value = json.loads(raw)
            quote = '"' if raw[1:-1] == value else None
            if self.tfvars or "${" not in value:
                return _Str(value, start, end, quote, path)
            m = _TEMPLATE_REF.fullmatch(value)
            if m:
                head, name, *rest = m.group(1).split(".")
                if head in ("var", "local"):
                    return _Ref(head, name, rest, start, end)
                return _Opaque(f"a reference to {head}", start, end)
            return _Opaque("an interpolated string", start, end)
        if node.type == "array":
            items = [self.value(c, path + (i,)) for i, c in enumerate(node.named_children)]
            return _Tuple(items, start, end, path, True)
        if node.type == "object":
            fields = {}
            for pair in node.named_children:
                if pair.type == "pair":
                    k = pair.child_by_field_name("key")
                    key = json.loads(self.data[k.start_byte:k.end_byte])
                    fields[key] = self.value(pair.child_by_field_name("value"), path + (key,))
            return _Obj(fields)
        return _Opaque(f"the literal {raw}", start, end)


_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0}


def _json_top(root: _Obj) -> list:
    """Terraform's JSON syntax as (type, labels, body) blocks, as HCL gives them."""
    out = []

    def walk(kind: str, value, labels: list, depth: int):
        for v in (value.items if isinstance(value, _Tuple) else [value]):
            if not isinstance(v, _Obj):
                continue
            if depth == 0:
                out.append((kind, labels, _body_of(v)))
            else:
                for name, inner in v.fields.items():
                    walk(kind, inner, labels + [name], depth - 1)

    for kind, value in root.fields.items():
        if kind in _LABELS:
            walk(kind, value, [], _LABELS[kind])
    return out
