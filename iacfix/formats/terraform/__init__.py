"""Terraform: ``.tf``, ``.tf.json``, ``.tfvars`` and ``.tfvars.json``, one module
directory at a time.

Runtime sinks (``_resource_sinks``, ``_Module._module_sinks``): ``aws_lambda_function.runtime``,
``aws_lambda_layer_version.compatible_runtimes``, the
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

import functools
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from ...model import Item, ListInfo, Located, ParseError, Site, Unresolved
from .. import Format, register

_HCL_COMMENTS = ("#", "//", "/*")
_RUNTIME_LIKE = {  # what a module input named runtime must look like to be taken for one
    "aws": re.compile(r"python\d\.\d+|nodejs\d+\.(x|\d+)|java\d+(\.al2(023)?)?|dotnet(core)?\d+(\.\d)?|ruby\d\.\d"
                      r"|go1\.x|provided(\.al2(023)?)?"),
    "gcp": re.compile(r"(python|nodejs|go|java|ruby|php|dotnet)\d+"),
}
_LAMBDA_MODULE = re.compile(r"terraform-aws-modules/(lambda/aws|terraform-aws-lambda)(\b|/|$)")
_FX_PYTHON = re.compile(r"(?i)(python\|)(\d+\.\d+)")
_TEMPLATE_REF = re.compile(r"\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)\s*\}")
MAX_LOCAL_MODULES = 64  # local module directories read for one unit, nested calls included
UNSET = "null"  # what a null value's _Opaque says: no runtime set, nothing to report


def _is_tf(name: str) -> bool:
    n = name.lower()
    return n.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json"))


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


# --- expressions: what a value is, wherever it is written ---------------------


class _At:
    """An HCL node and its reader: the path is worked out only if needed."""

    __slots__ = ("reader", "node")

    def __init__(self, reader, node):
        self.reader, self.node = reader, node

    def path(self) -> tuple:
        return self.reader.path(self.node)


@dataclass
class _Str:
    value: str
    start: int
    end: int
    quote: str | None  # None: written so that it cannot be rewritten in place (escapes)
    where: object  # JSON: the key path; HCL: the node, whose path is found only if it becomes a site

    @property
    def path(self) -> tuple:
        return self.where if isinstance(self.where, tuple) else self.where.path()


@dataclass
class _Tuple:
    items: list
    start: int
    end: int
    where: object
    json: bool

    path = _Str.path


@dataclass
class _Obj:
    fields: dict


@dataclass
class _Ref:
    kind: str  # var | local | ...
    name: str
    rest: list  # attribute names / indexes after var.NAME
    start: int
    end: int


@dataclass
class _Cond:
    branches: list  # any of them may be the value: a ? b : c, try(b, c), coalesce(b, c)


@dataclass
class _Values:
    """Every value of a map (lookup's first argument)."""

    of: object
    start: int
    end: int


@dataclass
class _Opaque:
    what: str
    start: int
    end: int


class _Attrs:
    """An HCL body's attributes, each turned into an expression only when asked
    for: most of a configuration is never looked at."""

    def __init__(self, reader, nodes: dict):
        self.reader, self.nodes, self.done = reader, nodes, {}

    def get(self, name: str, default=None):
        if name not in self.done:
            node = self.nodes.get(name)
            if node is None:
                return default
            self.done[name] = self.reader.expr(node)
        return self.done[name]

    def __contains__(self, name) -> bool:
        return name in self.nodes

    def __getitem__(self, name: str):
        if name not in self.nodes:
            raise KeyError(name)
        return self.get(name)

    def keys(self):
        return self.nodes.keys()


@dataclass
class _Body:
    attrs: object  # name -> expression: _Attrs (HCL) or a dict (JSON: every field)
    blocks: list  # (type, labels, body node) for HCL; built on demand
    reader: object = None  # the _Hcl reader; None for JSON

    def nested(self, name: str) -> list[_Body]:
        if self.reader is not None:
            out = [self.reader.body(node) for t, _, node in self.blocks if t == name]
            for t, labels, node in self.blocks:  # dynamic "name" { content { ... } }
                if t == "dynamic" and labels == [name]:
                    out += self.reader.body(node).nested("content")
            return out
        out = []
        value = self.attrs.get(name)
        for v in (value.items if isinstance(value, _Tuple) else [value]):
            if isinstance(v, _Obj):
                out.append(_body_of(v))
        return out

    def contains(self) -> list:
        """The literal lists of ``contains([...], ...)`` in ``condition`` (HCL only)."""
        node = self.attrs.nodes.get("condition") if self.reader is not None else None
        return self.reader.contains(node) if node is not None else []

    def literals(self) -> list[str]:
        """Every string literal in ``condition`` (HCL only)."""
        node = self.attrs.nodes.get("condition") if self.reader is not None else None
        return self.reader.literals(node) if node is not None else []


def _body_of(obj: _Obj) -> _Body:
    return _Body(attrs=obj.fields, blocks=[])


@dataclass
class _File:
    path: str
    top: list  # (type, labels, _Body)
    tfvars: object  # name -> expression (see _Attrs), for .tfvars files


# --- HCL (tree-sitter-hcl) -----------------------------------------------------


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
        while node.parent is not None:
            parent = node.parent
            positions = self.index.get(parent.id)
            if positions is None:
                positions = self.index[parent.id] = _positions(parent)
            if positions:
                steps.append(positions[node.id])
            node = parent
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
    content, a tuple the list of its elements, a single-child node its child."""
    if node.type == "string_lit":  # as _Hcl._string
        return data[node.children[0].end_byte:node.children[-1].start_byte].decode("utf-8")
    kids = [c for c in node.children if c.type != "comment"]
    if node.type == "tuple":
        return [hcl_semantic(k, data) for k in kids if k.type == "expression"]
    if not kids:
        return data[node.start_byte:node.end_byte].decode("utf-8")
    if len(kids) == 1:
        return hcl_semantic(kids[0], data)
    return [node.type] + [hcl_semantic(k, data) for k in kids]


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


# --- JSON (tree-sitter-json for spans) ----------------------------------------


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


# --- documents ----------------------------------------------------------------


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
        try:
            meaning = json.loads(text.lstrip("\ufeff"))
        except json.JSONDecodeError as e:
            raise ParseError(f"invalid JSON: {e.msg}; file left unchanged", offset=e.pos + (1 if text.startswith("\ufeff") else 0)) from None
        return _Doc("json", _parser("json").parse(data), data, meaning)
    tree = _parser("hcl").parse(data)
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


# --- sinks: where a runtime is used -------------------------------------------


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


def _module_source(body: _Body) -> str | None:
    source = body.attrs.get("source")
    return source.value if isinstance(source, _Str) else None


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


# --- a module directory -------------------------------------------------------


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
                        if any(rx.fullmatch(x) for x in other for rx in _RUNTIME_LIKE.values()):
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
        if source is not None and _LAMBDA_MODULE.search(source):
            for attr, is_list in (("runtime", False), ("compatible_runtimes", True)):
                if attr in body.attrs:
                    out.append(_Sink("aws", is_list, body.attrs[attr], f.path, address, attr, for_each=for_each))
            return out
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
                                 via=f"{address} input {input_name}", for_each=for_each))
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


# --- resolution ---------------------------------------------------------------


@dataclass
class _Hit:
    """A literal (or list) a sink's value comes from, and how it got there."""

    value: object  # _Str | _Tuple | _Opaque
    file: str
    kind: str
    where: str
    pinned: str | None = None  # why it must not be rewritten, if so


class Resolver:
    def __init__(self, module: _Module, for_each=None):
        self.m = module
        self.for_each = for_each  # (expression, file) of the resource whose each.value is read

    def hits(self, expr, file: str, kind: str, where: str, seen=frozenset()) -> list[_Hit]:
        """Where the value of ``expr`` is written: literals, lists, or why it cannot be known."""
        out = []
        for h in self._terms(expr, file, kind, where, seen):
            if isinstance(h.value, _Obj):
                h = _Hit(_Opaque("an object", 0, 0), h.file, h.kind, h.where)
            out.append(h)
        return out

    def _terms(self, expr, file: str, kind: str, where: str, seen) -> list[_Hit]:
        if isinstance(expr, (_Str, _Tuple, _Obj)):
            return [_Hit(expr, file, kind, where)]
        if isinstance(expr, _Cond):
            return [h for b in expr.branches for h in self._terms(b, file, kind, where, seen)]
        if isinstance(expr, _Values):
            out = []
            for h in self._terms(expr.of, file, kind, where, seen):
                values = h.value.fields.values() if isinstance(h.value, _Obj) else None
                if values is None:
                    out.append(_Hit(_Opaque("a lookup in something that is not a map", expr.start, expr.end),
                                    file, kind, where))
                else:
                    out += [x for v in values for x in self._terms(v, h.file, h.kind, h.where, seen)]
            return out
        if not isinstance(expr, _Ref):
            return [_Hit(expr, file, kind, where)]
        key = (expr.kind, expr.name)
        if key in seen:
            return [_Hit(_Opaque(f"{expr.kind}.{expr.name} refers to itself", expr.start, expr.end), file, kind, where)]
        seen = seen | {key}
        if expr.kind == "each":
            if self.for_each is None:
                return [_Hit(_Opaque("each.value outside a for_each", expr.start, expr.end), file, kind, where)]
            out = []
            for h in self._terms(self.for_each[0], self.for_each[1], kind, where, seen):
                items = h.value.fields.values() if isinstance(h.value, _Obj) else \
                    h.value.items if isinstance(h.value, _Tuple) else None
                if items is None:
                    out.append(_Hit(_Opaque("each.value of a for_each that is not a literal map",
                                            expr.start, expr.end), file, kind, where))
                else:
                    out += [x for v in items for x in self._select(v, expr.rest, h.file, h.kind, h.where, seen)]
            return out
        if expr.kind == "var":
            out = []
            var = self.m.vars.get(expr.name)
            if var is not None and var.default is not None:
                out += self._select(var.default, expr.rest, var.file.path, "variable-default",
                                    f'variable "{expr.name}{{}}" default', seen)
            for f, attrs, name in self.m.tfvars.get(expr.name, []):
                out += self._select(attrs.get(name), expr.rest, f.path, "tfvars",
                                    f"{expr.name}{{}} in {os.path.basename(f.path)}", seen)
            if not out:
                why = "is not declared" if var is None else "has no default and no .tfvars value"
                out.append(_Hit(_Opaque(f"var.{expr.name} {why}", expr.start, expr.end), file, kind, where))
            for h in out:
                h.pinned = h.pinned or (var.pinned if var is not None else None)
            return out
        entry = self.m.locals.get(expr.name)
        if entry is None:
            return [_Hit(_Opaque(f"local.{expr.name} is not defined", expr.start, expr.end), file, kind, where)]
        return self._select(entry[1].get(entry[2]), expr.rest, entry[0].path, "local", f"local.{expr.name}{{}}", seen)

    def _select(self, expr, rest: list, file: str, kind: str, where: str, seen) -> list[_Hit]:
        """``expr``'s attribute or element named by ``rest``; ``where`` has a
        ``{}`` for the path taken (``local.cfg{}`` -> ``local.cfg.runtime``)."""
        taken = ""
        for i, step in enumerate(rest):
            if isinstance(expr, _Obj) and isinstance(step, str) and step in expr.fields:
                expr = expr.fields[step]
                taken += f".{step}"
            elif isinstance(expr, _Tuple) and isinstance(step, int) and step < len(expr.items):
                self.m.indexed.add(id(expr))  # removing an entry would shift the others
                expr = expr.items[step]
                taken += f"[{step}]"
            elif isinstance(expr, (_Ref, _Cond)):
                if isinstance(expr, _Ref):
                    expr = _Ref(expr.kind, expr.name, expr.rest + rest[i:], expr.start, expr.end)
                    return self._terms(expr, file, kind, where.format(taken), seen)
                return [h for b in expr.branches for h in self._select(b, rest[i:], file, kind,
                                                                          where.format(taken) + "{}", seen)]
            else:
                what = f"element {step}" if isinstance(step, int) else f"attribute {step!r}"
                return [_Hit(_Opaque(f"{where.format(taken)} has no {what}", 0, 0), file, kind, where.format(taken))]
        return self._terms(expr, file, kind, where.format(taken), seen)

    def vars_reached(self, expr, seen=frozenset()) -> set[str]:
        if isinstance(expr, _Cond):
            return set().union(*(self.vars_reached(b, seen) for b in expr.branches))
        if isinstance(expr, _Values):
            return self.vars_reached(expr.of, seen)
        if isinstance(expr, _Obj):
            return set().union(set(), *(self.vars_reached(v, seen) for v in expr.fields.values()))
        if isinstance(expr, _Tuple):
            return set().union(set(), *(self.vars_reached(i, seen) for i in expr.items))
        if isinstance(expr, _Ref) and (expr.kind, expr.name) not in seen:
            if expr.kind == "var":
                return {expr.name}
            if expr.kind == "each":
                return self.vars_reached(self.for_each[0], seen) if self.for_each else set()
            entry = self.m.locals.get(expr.name)
            return self.vars_reached(entry[1].get(entry[2]), seen | {(expr.kind, expr.name)}) if entry else set()
        return set()


# --- from hits to sites -------------------------------------------------------


class _Collector:
    def __init__(self, module: _Module):
        self.m = module
        self.sites: dict[tuple[str, int], Site] = {}
        self.lists: dict[tuple[str, int], tuple[ListInfo, _Tuple]] = {}  # (file, start) -> list, as read
        self.unresolved: dict[str, list[Unresolved]] = {}

    def sink(self, sink: _Sink) -> None:
        resolver = Resolver(self.m, sink.for_each)
        kind, where = ("module-input", sink.via) if sink.via else ("property", f"{sink.address} {sink.attr}")
        for hit in resolver.hits(sink.expr, sink.file, kind, where):
            value = hit.value
            if (isinstance(value, _Str) and value.value == "") or (isinstance(value, _Opaque) and value.what == UNSET):
                continue  # "" and null leave the runtime unset (a container image, a module's default)
            if isinstance(value, _Str) and not sink.is_list:
                self._site(sink, hit, value, None)
            elif isinstance(value, _Tuple) and sink.is_list:
                self._list(sink, hit, value, resolver)
            elif not sink.quiet:
                what = value.what if isinstance(value, _Opaque) else \
                    f"{sink.attr} wants {'a list' if sink.is_list else 'a string'}, not {'a list' if isinstance(value, _Tuple) else 'a string'}"
                start, end = _span(sink.expr)
                self.unresolved.setdefault(sink.file, []).append(
                    Unresolved(start, end, what, users=[sink.address], provider=sink.provider))
        for var_name in resolver.vars_reached(sink.expr):
            var = self.m.vars.get(var_name)
            for tup in (var.validation if var is not None else []):
                self._list(sink, _Hit(tup, var.file.path, "allowed-value", f'variable "{var_name}" validation'),
                           tup, resolver, validation=True)

    def _site(self, sink: _Sink, hit: _Hit, s: _Str, info: ListInfo | None) -> Site | None:
        value, spell, quote = s.value, None, s.quote
        if sink.convert is not None:
            converted = sink.convert(value)
            if converted is None:
                return None
            value, spell = converted
        elif sink.quiet and not _RUNTIME_LIKE[sink.provider].fullmatch(value):
            return None
        key = (hit.file, s.start)
        site = self.sites.get(key)
        if site is None and hit.pinned:
            quote = None
        if site is not None:
            if sink.address not in site.users:
                site.users.append(sink.address)
            if site.provider != sink.provider and site.quote is not None:
                # One value, two spellings (python3.11 on Lambda, python311 on Google): no rewrite fits both.
                site.quote = None
                site.where += f" (also used by {sink.address}, on {sink.provider}, which spells runtimes differently; not rewritten)"
            return site
        where = f"{hit.where} ({hit.pinned}; not rewritten)" if hit.pinned else hit.where
        site = Site(value=value, start=s.start, end=s.end, path=s.path, kind=hit.kind, provider=sink.provider,
                    quote=quote, users=[sink.address], where=where, in_list=info, spell=spell)
        self.sites[key] = site
        return site

    def _list(self, sink: _Sink, hit: _Hit, tup: _Tuple, resolver: Resolver, validation: bool = False) -> None:
        key = (hit.file, tup.start)
        info = self.lists[key][0] if key in self.lists else None
        if info is None:
            items = []
            for item in tup.items:
                literal = item if isinstance(item, _Str) else None
                start, end = _span(item)
                items.append(Item(value=literal.value if literal else None, start=start, end=end))
            info = ListInfo(path=tup.path, items=items, flow=True, comment="" if tup.json else _HCL_COMMENTS)
            self.lists[key] = info, tup
        for i, item in enumerate(tup.items):
            entry = _Hit(item, hit.file, hit.kind, hit.where)
            if isinstance(item, _Str):
                self._site(sink, entry, item, info)
            elif not validation:
                reached = []
                for h in resolver.hits(item, hit.file, hit.kind, hit.where):
                    if isinstance(h.value, _Str):
                        site = self._site(sink, h, h.value, None)
                        if site is not None:
                            reached.append(site)
                    elif not sink.quiet:
                        start, end = _span(item)
                        what = h.value.what if isinstance(h.value, _Opaque) else "a list inside the list"
                        self.unresolved.setdefault(hit.file, []).append(
                            Unresolved(start, end, what, users=[sink.address], provider=sink.provider))
                info.items[i].reaches = reached

    def located(self, paths) -> dict:
        for info, tup in self.lists.values():
            if info.blocked is None and id(tup) in self.m.indexed:
                info.blocked = "the list is also read by index, which removing an entry would shift"
        by_file: dict[str, Located] = {}
        for (file, _), site in self.sites.items():
            by_file.setdefault(file, Located([], [])).sites.append(site)
        for file, items in self.unresolved.items():
            seen = set()
            for u in items:
                if (u.start, u.reason) not in seen:
                    seen.add((u.start, u.reason))
                    by_file.setdefault(file, Located([], [])).unresolved.append(u)
        return {p: by_file.get(p) for p in paths}


def _span(expr) -> tuple[int, int]:
    if isinstance(expr, _Cond):
        spans = [_span(b) for b in expr.branches]
        return min(s for s, _ in spans), max(e for _, e in spans)
    if isinstance(expr, _Obj):
        spans = [_span(v) for v in expr.fields.values()] or [(0, 0)]
        return min(s for s, _ in spans), max(e for _, e in spans)
    return expr.start, expr.end


@register
class Terraform(Format):
    name = "terraform"
    extensions = (".tf", ".tfvars", ".tf.json", ".tfvars.json")
    unit = "directory"

    def prefilter(self, data: bytes) -> bool:
        """A sink, or a call of a local module that may hold one."""
        return (b"runtime" in data or b"python_version" in data or b"linux_fx_version" in data
                or (b"module" in data and (b'"./' in data or b'"../' in data)))

    def context(self, path: str, data: bytes) -> bool:
        """What a value can travel through: variables, locals, module calls, tfvars."""
        return b"variable" in data or b"locals" in data or b"module" in data or _is_tfvars(path)

    def parse(self, text: str):
        return _parse(text)

    def unit_files(self, directory: str) -> list[str]:
        try:
            with os.scandir(directory or ".") as entries:
                return sorted(os.path.join(directory, e.name) for e in entries if _is_tf(e.name) and e.is_file())
        except OSError:
            return []

    def locate(self, doc, text: str) -> Located | None:
        return self.locate_unit({"": (doc, text)}).get("")

    def locate_unit(self, parsed: dict) -> dict:
        loader = _Loader(self)
        files = [_load(path, doc, text) for path, (doc, text) in parsed.items()]
        directory = os.path.dirname(next(iter(parsed), ""))
        module = _Module(files, loader)
        loader.seen.add(os.path.realpath(directory or "."))
        collector = _Collector(module)
        for sink in module.sinks:
            collector.sink(sink)
        return collector.located(parsed)

    def semantic(self, doc):
        if doc.kind == "json":
            return doc.semantic
        return hcl_semantic(doc.tree.root_node, doc.data)


def _module_files(directory: str, paths: tuple) -> list[_File]:
    """A local module's files, parsed once per worker while unchanged: many
    environments call the same module."""
    try:
        stamp = tuple((p, st.st_mtime_ns, st.st_size) for p, st in ((p, os.stat(p)) for p in paths))
    except OSError:
        stamp = None
    key = (os.path.realpath(directory or "."), stamp)
    if stamp is not None and key in _MODULE_CACHE:
        return _MODULE_CACHE[key]
    files = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            files.append(_load(path, _parse(text), text))
        except (OSError, UnicodeDecodeError, ParseError):
            continue  # context only: the module's own unit reports it
    if stamp is not None:
        if len(_MODULE_CACHE) >= 128:
            _MODULE_CACHE.pop(next(iter(_MODULE_CACHE)))
        _MODULE_CACHE[key] = files
    return files


_MODULE_CACHE: dict[tuple, list[_File]] = {}


class _Loader:
    """Reads local modules from disk (read-only context), each directory once."""

    def __init__(self, fmt: Terraform):
        self.fmt = fmt
        self.seen: set[str] = set()
        self.cache: dict[str, _Module | None] = {}

    def __call__(self, directory: str) -> _Module | None:
        real = os.path.realpath(directory or ".")
        if real in self.cache:
            return self.cache[real]
        if real in self.seen or len(self.seen) > MAX_LOCAL_MODULES:
            return None
        self.seen.add(real)
        files = _module_files(directory, tuple(self.fmt.unit_files(directory)))
        module = _Module(files, self) if files else None
        self.cache[real] = module
        return module
