"""HCL native syntax (``.tf``, ``.tfvars``) read from a tree-sitter-hcl tree:
bodies, expressions and their spans, the semantic view used to verify a fix,
string unescaping and the first syntax error.  The tree comes from
``loading._parser``; nothing here imports tree-sitter."""

from __future__ import annotations

import re

from .values import UNSET, _At, _Attrs, _Body, _Cond, _Obj, _Opaque, _Ref, _Str, _Tuple, _Values

_HCL_COMMENTS = ("#", "//", "/*")


def _char_offsets(text: str, data: bytes):
    """byte offset -> character offset, for text that is not all ASCII."""
    if len(data) == len(text):
        return None
    out = [0] * (len(data) + 1)
    b = 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        for k in range(n):
            out[b + k] = i
        b += n
    out[b] = len(text)
    return out


class _Hcl:
    def __init__(self, text: str, data: bytes):
        self.data = data
        self.chars = _char_offsets(text, data)
        self.index: dict[int, dict[int, int]] = {}  # parent id -> {child id: position in the semantic list}

    def offset(self, byte: int) -> int:
        return byte if self.chars is None else self.chars[byte]

    def path(self, node) -> tuple:
        """Where ``node`` sits in ``hcl_semantic``'s nested lists."""
        steps = []
        parent = node.parent  # tree-sitter finds a parent by walking down from the root: once a step
        while parent is not None:
            positions = self.index.get(parent.id)
            if positions is None:
                positions = self.index[parent.id] = _positions(parent)
            if positions:
                steps.append(positions[node.id])
            node, parent = parent, parent.parent
        return tuple(reversed(steps))

    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8")

    def span(self, node) -> tuple[int, int]:
        return self.offset(node.start_byte), self.offset(node.end_byte)

    def body(self, node) -> _Body:
        """A block's body: its attributes (converted when asked for) and its
        blocks (read when asked for)."""
        attrs, blocks = {}, []
        for child in (node.named_children if node is not None else ()):
            if child.type == "attribute":
                attrs[self.text(child.named_children[0])] = child.named_children[-1]
            elif child.type == "block":
                kids = child.named_children
                labels = [self._label(k) for k in kids[1:] if k.type in ("string_lit", "identifier")]
                blocks.append((self.text(kids[0]), labels, next((k for k in kids if k.type == "body"), None)))
        return _Body(_Attrs(self, attrs), blocks, self)

    def contains(self, node) -> list:
        """The literal list of each ``contains([...], X)`` under ``node`` (a
        validation condition: ``X`` is its variable, maybe inside ``lower()``
        or a ``for`` over a list variable)."""
        out = []
        if node.type == "function_call" and self.text(node.named_children[0]) == "contains":
            args = next((c for c in node.named_children if c.type == "function_arguments"), None)
            exprs = [c for c in args.named_children if c.type == "expression"] if args is not None else []
            if len(exprs) == 2:
                allowed = self.expr(exprs[0])
                if isinstance(allowed, _Tuple):
                    out.append(allowed)
        for child in node.named_children:
            out += self.contains(child)
        return out

    def literals(self, node) -> list[str]:
        if node.type == "string_lit":
            return [self._string(node)]
        return [v for c in node.named_children for v in self.literals(c)]

    def _label(self, node) -> str:
        return self._string(node) if node.type == "string_lit" else self.text(node)

    def _string(self, node) -> str:
        """Content of a string literal, edge blanks included (tree-sitter's
        template_literal leaves them out), escapes as written."""
        return self.data[node.children[0].end_byte:node.children[-1].start_byte].decode("utf-8")

    def expr(self, node):
        kids = [c for c in node.children if c.type != "comment"]
        start, end = self.span(node)
        t = node.type
        if t == "expression":
            if len(kids) == 1:
                return self.expr(kids[0])
            if kids[0].type == "(":
                return self.expr(kids[1])
            if kids[0].type == "variable_expr":
                return self._traversal(kids, start, end)
            return _Opaque("an expression", start, end)
        if t == "literal_value":
            if kids[0].type == "string_lit":
                value = self._string(kids[0])
                plain = "\\" not in value and "%{" not in value and "${" not in value
                return _Str(_hcl_unescape(value), start, end, '"' if plain else None, _At(self, kids[0]))
            text = self.text(node)
            return _Opaque(UNSET if text == "null" else f"the literal {text}", start, end)
        if t == "variable_expr":
            return self._traversal(kids, start, end)
        if t == "collection_value":
            return self.expr(kids[0])
        if t == "tuple":
            return _Tuple([self.expr(k) for k in kids if k.type == "expression"], start, end, _At(self, node), False)
        if t == "object":
            fields = {}
            for elem in (k for k in kids if k.type == "object_elem"):
                key, value = [c for c in elem.children if c.type == "expression"][:2]
                k = self.expr(key)
                name = k.value if isinstance(k, _Str) else None
                if name is None and [c.type for c in key.named_children] == ["variable_expr"]:
                    name = self.text(key)  # a bare name: { runtime = ... }
                if name is not None:
                    fields[name] = self.expr(value)
            return _Obj(fields)
        if t == "conditional":
            exprs = [k for k in kids if k.type == "expression"]
            return _Cond([self.expr(exprs[1]), self.expr(exprs[2])])
        if t == "function_call":
            name = self.text(kids[0])
            args = next((c for c in kids if c.type == "function_arguments"), None)
            exprs = [self.expr(c) for c in args.named_children if c.type == "expression"] if args is not None else []
            if name in ("try", "coalesce") and exprs:
                return _Cond(exprs)
            if name == "lookup" and len(exprs) in (2, 3):
                return _Cond([_Values(exprs[0], start, end)] + exprs[2:])
            return _Opaque(f"a call to {name}()", start, end)
        if t == "template_expr":
            inner = kids[0]
            parts = [c for c in inner.children if c.type not in ("quoted_template_start", "quoted_template_end")]
            if inner.type == "quoted_template" and len(parts) == 1 and parts[0].type == "template_interpolation":
                expr = next(c for c in parts[0].children if c.type == "expression")
                return self.expr(expr)
            return _Opaque("a heredoc" if inner.type == "heredoc_template" else "an interpolated string", start, end)
        return _Opaque("an expression", start, end)

    def _traversal(self, kids, start: int, end: int):
        head = self.text(kids[0])
        rest = []
        for step in kids[1:]:
            if step.type == "get_attr":
                rest.append(self.text(step.named_children[-1]))
            elif step.type == "index" and step.named_children and step.named_children[0].type == "new_index":
                idx = next((c for c in step.named_children[0].children if c.type == "expression"), None)
                value = self.expr(idx) if idx is not None else None
                if isinstance(value, _Str):
                    rest.append(value.value)
                elif idx is not None and self.text(idx).isdigit():
                    rest.append(int(self.text(idx)))
                else:
                    return _Opaque(f"an index into {head}", start, end)
            else:
                return _Opaque(f"a splat or index of {head}", start, end)
        if head in ("var", "local") and rest and isinstance(rest[0], str):
            return _Ref(head, rest[0], rest[1:], start, end)
        if head == "each" and rest[:1] == ["value"]:
            return _Ref("each", "value", rest[1:], start, end)
        what = {"data": "a data source", "module": "a module output", "each": "each.value of a for_each",
                "count": "count.index"}.get(head, f"a reference to {head}")
        return _Opaque(what, start, end)


def _positions(parent) -> dict:
    """Each child's index in ``hcl_semantic``'s list for ``parent`` (empty when
    ``parent`` collapses into its only child)."""
    kids = [c for c in parent.children if c.type != "comment"]
    if parent.type == "tuple":
        return {k.id: i for i, k in enumerate(k for k in kids if k.type == "expression")}
    return {k.id: 1 + i for i, k in enumerate(kids)} if len(kids) > 1 else {}


def hcl_semantic(node, data: bytes):
    """The tree as nested lists without comments: a string literal is its
    content, a tuple the list of its elements, a single-child node its child.

    Walked with one tree cursor, and each node's type looked up by its kind
    id (``Node.type`` is the name of that id, made into a new string at each
    call): 32% less time than asking every node for its ``children`` and
    every child for its ``type``, as the first version did (the tests hold
    it to that version)."""
    return _visit(node.walk(), data, node, _KIND_NAMES.get(node.kind_id) or _name(node))


def _visit(cursor, data: bytes, here, what: str):
    """``hcl_semantic`` of ``here``, the cursor's node, of kind ``what`` (a function of
    the module, not a closure over itself: that cycle would keep every tree it walked,
    C memory the collector does not count, until a full collection)."""
    if what == "string_lit":  # as _Hcl._string
        children = here.children
        return data[children[0].end_byte:children[-1].start_byte].decode("utf-8")
    out = []
    if cursor.goto_first_child():
        names = _KIND_NAMES
        while True:
            child = cursor.node
            kind = names.get(child.kind_id) or _name(child)
            if kind != "comment":
                out.append(_visit(cursor, data, child, kind) if what != "tuple" or kind == "expression" else _SKIPPED)
            if not cursor.goto_next_sibling():
                break
        cursor.goto_parent()
    if what == "tuple":
        return [v for v in out if v is not _SKIPPED]
    if not out:
        return data[here.start_byte:here.end_byte].decode("utf-8")
    if len(out) == 1:
        return out[0]
    return [what, *out]


def _name(node) -> str:
    name = _KIND_NAMES[node.kind_id] = node.type
    return name


_KIND_NAMES: dict[int, str] = {}  # a tree-sitter kind id -> its name (what Node.type answers for it)
_SKIPPED = object()  # a tuple's child that is no element (a bracket, a comma)


_ESCAPES = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[nrt\"\\])")


def _hcl_unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
    return _ESCAPES.sub(lambda m: simple.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), raw)


def _first_error(node):
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None
