"""AWS CDK apps in TypeScript, parsed with tree-sitter-typescript.

Files that import ``aws-cdk-lib`` (v2) or ``@aws-cdk/aws-lambda`` (v1) are
read for ``<lambda>.Runtime.PYTHON_3_X`` and ``new <lambda>.Runtime('python3.x',
...)``, whatever name the import gives the module or the class (``import *
as``, named imports, ``aws_lambda`` of ``aws-cdk-lib``, ``import x =
require(...)``).  The fix rewrites the constant's name or the string's
content.

As in the Python format, a value is rewritten only where it is a runtime
argument: the value of a ``runtime:`` property of an object literal (the
props of a construct, or any object literal), either branch of ``c ? a : b``
or an operand of ``||``/``??``/``&&`` there (parentheses, ``as``,
``satisfies`` and ``!`` let it through), or through a name declared once
(``const``, or ``let``/``var`` never assigned again) at the top of the module
or of a function body, not exported, whose every read in the file is such a
value (``{ runtime }`` included).  Anywhere else (compared, returned, stored
in a map or a field, formatted, passed to a call, ``.name`` read, a name
declared inside a block or reassigned) it is reported with the same rule and
never rewritten.  Entries of a ``compatibleRuntimes: [...]`` array, template
literals and the python3.7 default of an alpha ``PythonLayerVersion`` /
``PythonFunction`` are reported but not rewritten.  tree-sitter-typescript may
not parse the newest syntax: such a file is still read, and nothing in it is
rewritten.  Nothing is run.
"""

from __future__ import annotations

import functools

from ..model import Located, Site, Unresolved, Where
from . import Format, code_locations, register
from .nesting import check_depth
from .cdk_python import CONSTRUCT_DEFAULT, constant_name, runtime_id

RUNTIME = "aws-cdk-lib/aws-lambda.Runtime"
_MODULES = {  # import source -> what its namespace holds
    "aws-cdk-lib/aws-lambda": "aws-cdk-lib/aws-lambda",
    "@aws-cdk/aws-lambda": "aws-cdk-lib/aws-lambda",
    "aws-cdk-lib": "aws-cdk-lib",
    "@aws-cdk/aws-lambda-python-alpha": "alpha",
    "@aws-cdk/aws-lambda-python": "alpha",
}
IMPLICIT = {"alpha.PythonLayerVersion": "compatibleRuntimes", "alpha.PythonFunction": "runtime"}
ARRAYS = "iacfix does not rewrite compatibleRuntimes arrays in TypeScript"


@functools.lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_typescript

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript()))


def _text(node, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8")


def _leaves(node):
    """Every leaf token in order, comments excluded."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "comment":
            continue
        if n.child_count == 0:
            yield n
        else:
            stack.extend(reversed(n.children))


class _Imports:
    def __init__(self, root, data: bytes):
        self.names: dict[str, str] = {}
        self.v1 = False
        for stmt in root.children:
            if stmt.type != "import_statement":
                continue
            require = next((c for c in stmt.children if c.type == "import_require_clause"), None)
            source = next((c for c in (require or stmt).children if c.type == "string"), None)
            module = _MODULES.get(_text(source, data).strip("'\"")) if source else None
            if module is None:
                continue
            self.v1 |= _text(source, data).strip("'\"") in ("@aws-cdk/aws-lambda", "@aws-cdk/aws-lambda-python")
            if require is not None:  # import lambda = require('@aws-cdk/aws-lambda')
                ident = next(c for c in require.children if c.type == "identifier")
                self.names[_text(ident, data)] = module
                continue
            clause = next((c for c in stmt.children if c.type == "import_clause"), None)
            for part in clause.children if clause else ():
                if part.type == "namespace_import":
                    ident = next(c for c in part.children if c.type == "identifier")
                    self.names[_text(ident, data)] = module
                elif part.type == "named_imports":
                    for spec in (c for c in part.children if c.type == "import_specifier"):
                        idents = [c for c in spec.children if c.type == "identifier"]
                        name, local = _text(idents[0], data), _text(idents[-1], data)
                        if module == "aws-cdk-lib" and name == "aws_lambda":
                            self.names[local] = "aws-cdk-lib/aws-lambda"
                        elif module in ("aws-cdk-lib/aws-lambda", "alpha"):
                            self.names[local] = f"{module}.{name}"

    def qualify(self, node, data: bytes) -> str | None:
        if node.type == "identifier":
            return self.names.get(_text(node, data))
        if node.type == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            base = self.qualify(obj, data) if obj is not None else None
            if base is None or prop is None:
                return None
            name = _text(prop, data)
            if base == "aws-cdk-lib" and name == "aws_lambda":
                return "aws-cdk-lib/aws-lambda"
            return f"{base}.{name}"
        return None


class _Walker:
    def __init__(self, tree, text: str, data: bytes):
        self.root = tree.root_node
        self.text, self.data = text, data
        self.ascii = len(text) == len(data)
        self.imports = _Imports(self.root, data)
        self.leaf_index = {(n.start_byte, n.end_byte): i for i, n in enumerate(_leaves(self.root))}
        self.sites: list[Site] = []
        self.values: list[tuple] = []  # (the value's node, its site, how the reason names it)
        self.names: _Names | None = None
        self.unresolved: list[Unresolved] = []
        self.code: list = []  # FunctionCode of each function construct
        # tree-sitter-typescript lags behind TypeScript: where it cannot parse a
        # part of the file, runtimes are still reported but nothing is rewritten.
        self.partial = self.root.has_error
        if self.partial:
            bad = next(_error_nodes(self.root))
            start = self.offset(bad.start_byte)
            self.unresolved.append(Unresolved(start, max(start, self.offset(bad.end_byte)),
                                              "tree-sitter-typescript cannot parse this part of the file; "
                                              "runtimes in this file are reported, not rewritten"))

    def offset(self, byte: int) -> int:
        return byte if self.ascii else len(self.data[:byte].decode("utf-8", "ignore"))

    def site(self, leaf, value: str, spell, users: list[str], shown=None) -> Site:
        start, end = self.offset(leaf.start_byte), self.offset(leaf.end_byte)
        at = (self.offset(shown.start_byte), self.offset(shown.end_byte)) if shown is not None else None
        return Site(value=value, start=start, end=end, path=(self.leaf_index[(leaf.start_byte, leaf.end_byte)],),
                    kind="property", users=users, where=_where(users), spell=spell, at=at)

    def walk(self) -> Located | None:
        if not self.imports.names:
            return None
        stack = [(self.root, [])]
        while stack:
            node, users = stack.pop()
            if node.type in ("new_expression", "call_expression"):
                users = self._construct_id(node) or users
            if node.type == "member_expression":
                self._constant(node, users)
            elif node.type == "new_expression":
                self._new_runtime(node, users)
                self._implicit(node, users)
                self._code(node)
            stack.extend((c, users) for c in reversed(node.children))
        if self.values:
            self.names = _Names(self.root)
            self._judge()
        if not self.sites and not self.unresolved:
            return None
        return Located(sorted(self.sites, key=lambda s: s.start), self.unresolved, self.code)

    def _code(self, node) -> None:
        """Where a function construct's code is (``code_locations``)."""
        ctor = node.child_by_field_name("constructor")
        q = (self.imports.qualify(ctor, self.data) or "") if ctor is not None else ""
        python = q == "alpha." + code_locations.PYTHON_FUNCTION
        if not (python or q.replace("aws-cdk-lib/aws-lambda", "aws_lambda") in code_locations.FUNCTIONS):
            return
        ids = self._construct_id(node)
        args = node.child_by_field_name("arguments")
        named = [c for c in args.children if c.is_named] if args is not None else []
        if not ids or len(named) < 3 or named[2].type != "object":
            return
        props = {}
        for pair in named[2].children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is not None:
                props[_text(key, self.data).strip("'\"")] = pair.child_by_field_name("value")
        start, end = self.offset(node.start_byte), self.offset(node.end_byte)
        arm = "ARM_64" in _text(props["architecture"], self.data) if "architecture" in props else False
        if ("entry" if python else "code") not in props:
            return  # nothing said about the code here
        if python:
            entry, base = self._path(props.get("entry"))
            self.code.append(code_locations.cdk_code(
                ids[0], start, end, code_method=None, code_arg=None, handler=self._string(props.get("handler")),
                entry=entry, index=self._string(props.get("index")) or "index.py", arm64=arm, base=base))
            return
        code, method, arg, base = props.get("code"), None, None, "app"
        if code is not None and code.type == "call_expression":
            fn = code.child_by_field_name("function")
            method = (self.imports.qualify(fn, self.data) or "").rpartition(".")[2] or None if fn is not None else None
            inner = code.child_by_field_name("arguments")
            first = next((c for c in inner.children if c.is_named), None) if inner is not None else None
            arg, base = self._path(first) if method in code_locations.ASSET else (self._string(first), "app")
        self.code.append(code_locations.cdk_code(ids[0], start, end, code_method=method, code_arg=arg,
                                                 handler=self._string(props.get("handler")), arm64=arm, base=base))

    def _string(self, node) -> str | None:
        if node is None or node.type != "string":
            return None
        return "".join(_text(c, self.data) for c in node.children if c.type == "string_fragment")

    def _path(self, node) -> tuple[str | None, str]:
        """A literal path (relative to the app), or ``path.join(__dirname, 'a', ...)`` (to this file)."""
        if node is not None and node.type == "call_expression":
            fn, inner = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            parts = [c for c in inner.children if c.is_named] if inner is not None else []
            if fn is not None and _text(fn, self.data) in ("path.join", "path.resolve", "join", "resolve") \
                    and parts and _text(parts[0], self.data) == "__dirname":
                rest = [self._string(p) for p in parts[1:]]
                if all(r is not None for r in rest):
                    return "/".join(rest) or ".", "file"
            return None, "app"
        return self._string(node), "app"

    def _judge(self) -> None:
        """Block every value that does not go straight to a runtime argument."""
        for node, site, label in self.values:
            pairs, why = self._flow(node)
            if why == ARRAYS:
                site.blocked = ARRAYS
            elif self.partial:
                site.blocked = "tree-sitter-typescript cannot parse all of this file"
            elif why is not None:
                site.blocked = f"{label} is not passed straight to a runtime argument ({why})"
            else:
                users = list(dict.fromkeys(i for pair in pairs for i in self._props_of(pair)))
                if users:
                    site.users, site.where = users, _where(users)

    def _props_of(self, pair) -> list[str]:
        """[id] of the construct whose props the object holding ``pair`` is, if it is one."""
        node = pair.parent
        while node.parent is not None and node.parent.type in _THROUGH:
            node = node.parent
        if node.parent is None or node.parent.type != "arguments":
            return []
        return self._construct_id(node.parent.parent)

    def _flow(self, node, want: str = "runtime", subject: str = "it", seen: frozenset = frozenset()):
        """Where the value of ``node`` goes: (the ``runtime:`` pairs it is the
        value of, None) when it goes nowhere else, else ([], why not); ARRAYS
        when it is an entry of a compatibleRuntimes array.  ``want`` is
        "runtime" or "runtimes" (an array of them)."""
        parent = node.parent
        if node.type == "shorthand_property_identifier":  # { runtime }: a read of the name runtime
            if node.text.decode() == _ARGUMENT[want]:
                return ([node], None) if want == "runtime" else ([], ARRAYS)
            return [], f"{subject} is the value of {node.text.decode()}:"
        if parent is None:
            return [], f"{subject} is not used"
        kind = parent.type
        if kind in _THROUGH or kind == "binary_expression" and _operator(parent) in ("||", "??", "&&") or \
                kind == "ternary_expression" and not _is(node, parent.child_by_field_name("condition")):
            return self._flow(parent, want, subject, seen)
        if kind == "pair" and _is(node, parent.child_by_field_name("value")) and \
                _key(parent.child_by_field_name("key")) == _ARGUMENT[want]:
            return ([parent], None) if want == "runtime" else ([], ARRAYS)
        if kind == "array" and want == "runtime":
            return self._flow(parent, "runtimes", "its array", seen)
        if kind == "variable_declarator" and _is(node, parent.child_by_field_name("value")):
            name = parent.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                return self._through_name(parent, name, want, seen)
        if kind == "assignment_expression" and _is(node, parent.child_by_field_name("right")):
            left = parent.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                return [], f"{left.text.decode()} is reassigned"
        return [], f"{subject} {_use(parent, node)}"

    def _through_name(self, declarator, ident, want: str, seen: frozenset):
        """``_flow`` of a value bound by ``const name = value``: the name must be
        declared there only, at the top of the module or a function body, never
        assigned again nor exported, and every read of it must go where the
        value may."""
        name = ident.text.decode()
        holder = declarator.parent.parent or declarator.parent  # the ERROR a partial parse leaves
        if holder.type == "export_statement":
            return [], f"{name} is exported"
        if holder.type != "program" and not (
                holder.type == "statement_block" and holder.parent is not None and holder.parent.type in _FUNCTIONS
                and _is(holder, holder.parent.child_by_field_name("body"))):
            return [], f"{name} is declared inside {_block(holder)}"
        key = self.names.scope_of(ident), name
        if len(self.names.bindings.get(key, ())) > 1:
            return [], f"{name} is declared in several places"
        if key in self.names.writes:
            return [], f"{name} is reassigned"
        reads = self.names.reads.get(key, [])
        if not reads:
            return [], f"{name} is not read in this file"
        if key in seen:
            return [], f"{name} is bound to itself"
        pairs = []
        for read in reads:
            got, why = self._flow(read, want, name, seen | {key})
            if why is not None:
                return [], why
            pairs += got
        return pairs, None

    def _construct_id(self, node) -> list[str]:
        args = node.child_by_field_name("arguments")
        named = [c for c in args.children if c.is_named] if args is not None else []
        if len(named) >= 2 and named[1].type == "string":
            return [_text(named[1], self.data).strip("'\"`")]
        return []

    def _constant(self, node, users: list[str]) -> None:
        obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
        if obj is None or prop is None or self.imports.qualify(obj, self.data) != RUNTIME:
            return
        name = _text(prop, self.data)
        rid = runtime_id(name)
        if rid is None:
            if name.endswith("_LATEST"):  # FROM_IMAGE, ALL and the like name no runtime
                start, end = self.offset(prop.start_byte), self.offset(prop.end_byte)
                self.unresolved.append(Unresolved(start, end, f"Runtime.{name} is chosen by the CDK version", users))
            return
        v1 = self.imports.v1

        def spell(target: str):
            constant = constant_name(target)
            return None if constant is None or v1 else (constant, constant)

        self.sites.append(self.site(prop, rid, spell, users))
        self.values.append((node, self.sites[-1], f"Runtime.{name}"))

    def _new_runtime(self, node, users: list[str]) -> None:
        ctor = node.child_by_field_name("constructor")
        args = node.child_by_field_name("arguments")
        if ctor is None or args is None or self.imports.qualify(ctor, self.data) != RUNTIME:
            return
        first = next((c for c in args.children if c.is_named), None)
        if first is None or first.type not in ("string", "template_string"):
            return
        fragments = [c for c in first.children if c.type == "string_fragment"]
        if len(fragments) != 1 or len([c for c in first.children if c.is_named]) != 1:
            return  # empty, escaped or with ${...}: no literal runtime to read
        fragment = fragments[0]
        site = self.site(fragment, _text(fragment, self.data), lambda target: (target, target), users, shown=first)
        if first.type == "template_string":
            site.quote = None  # reported; a template literal is left as written
        self.sites.append(site)
        self.values.append((node, site, f"new Runtime({_text(first, self.data)})"))

    def _implicit(self, node, users: list[str]) -> None:
        """new PythonLayerVersion(...) without compatibleRuntimes: python3.7. Reported, not rewritten."""
        ctor = node.child_by_field_name("constructor")
        args = node.child_by_field_name("arguments")
        argument = IMPLICIT.get(self.imports.qualify(ctor, self.data) or "") if ctor is not None else None
        if argument is None or args is None:
            return
        props = [c for c in args.children if c.is_named]
        props = props[2] if len(props) >= 3 else None
        if props is None or props.type != "object":
            return  # no literal props to read
        keys = set()
        for pair in props.children:
            if pair.type == "spread_element":
                return  # ...rest may hold it
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is not None:
                keys.add(_text(key, self.data).strip("'\""))
            elif pair.type == "shorthand_property_identifier":
                keys.add(_text(pair, self.data))
        if argument in keys:
            return
        start, end = self.offset(ctor.start_byte), self.offset(ctor.end_byte)
        self.sites.append(Site(value=CONSTRUCT_DEFAULT, start=start, end=end, path=(), kind="implicit-default",
                               users=users, where=Where("construct", _text(ctor, self.data), argument),
                               blocked=f"add {argument} by hand: iacfix inserts arguments only in Python"))


def _where(users: list[str]) -> Where:
    return Where("resource", users[0], "runtime") if users else Where("value", "Runtime")


# -- where a value goes ----------------------------------------------------------

_ARGUMENT = {"runtime": "runtime", "runtimes": "compatibleRuntimes"}  # the property a value may be of
_THROUGH = {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
            "type_assertion"}  # the value is the operand's
_FUNCTIONS = {"function_declaration", "generator_function_declaration", "function_expression", "function",
              "generator_function", "arrow_function", "method_definition"}
_SCOPES = {"program", "statement_block", "switch_body", "for_statement", "for_in_statement", "catch_clause",
           "class_static_block"} | _FUNCTIONS  # what let and const (and a block's declarations) belong to
_COMPARE = {"===", "!==", "==", "!=", "<", ">", "<=", ">=", "instanceof", "in"}
_USES = {"return_statement": "is returned", "arrow_function": "is returned", "yield_expression": "is yielded",
         "template_substitution": "is formatted into a string", "switch_case": "is compared",
         "spread_element": "is unpacked with ...", "expression_statement": "is not used",
         "required_parameter": "is a parameter default", "optional_parameter": "is a parameter default",
         "assignment_pattern": "is a default value", "object_assignment_pattern": "is a default value",
         "array": "is in an array", "for_in_statement": "is looped over", "ternary_expression": "is tested",
         "if_statement": "is tested", "while_statement": "is tested", "do_statement": "is tested",
         "for_statement": "is tested", "export_statement": "is exported", "export_specifier": "is exported",
         "type_query": "is used in a type", "await_expression": "is awaited", "throw_statement": "is thrown",
         "variable_declarator": "is destructured",
         "computed_property_name": "is a computed key", "unary_expression": "is tested"}
_BLOCKS = {"if_statement": "an if", "else_clause": "an if", "for_statement": "a for loop",
           "for_in_statement": "a for loop", "while_statement": "a while loop", "do_statement": "a while loop",
           "try_statement": "a try", "catch_clause": "a try", "finally_clause": "a try", "switch_case": "a switch",
           "switch_default": "a switch", "internal_module": "a namespace", "class_static_block": "a static block"}


def _is(a, b) -> bool:
    return b is not None and a.id == b.id


def _operator(node) -> str:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else ""


def _key(node) -> str | None:
    """A property key as written (quotes removed); None when it is computed."""
    if node is None or node.type == "computed_property_name":
        return None
    return node.text.decode().strip("'\"")


def _block(holder) -> str:
    """What a declaration that is not at the top of a module or function is inside of."""
    for node in (holder, holder.parent):
        if node is not None and node.type in _BLOCKS:
            return _BLOCKS[node.type]
    return "a block"


def _use(parent, node) -> str:
    """What is done with ``node``'s value in ``parent``, when it is not a runtime argument."""
    kind = parent.type
    if kind == "arguments" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        new = "new " if call.type == "new_expression" else ""
        if callee is not None and callee.type in ("identifier", "member_expression"):
            return f"is passed to {new}{callee.text.decode()}()"
        return "is passed to a call"
    if kind in ("call_expression", "new_expression"):
        return "is called"
    if kind == "member_expression":
        prop = parent.child_by_field_name("property")
        return f"has its .{prop.text.decode()} read" if prop is not None else "has a property read"
    if kind == "subscript_expression":
        return "is indexed" if _is(node, parent.child_by_field_name("object")) else "is used as an index"
    if kind == "assignment_expression" and parent.child_by_field_name("left") is not None:
        return f"is stored in {parent.child_by_field_name('left').text.decode()}"
    if kind == "public_field_definition":
        name = parent.child_by_field_name("name")
        return f"is stored in class field {name.text.decode()}" if name is not None else "is stored in a class field"
    if kind == "pair":  # a runtime: pair is not here
        key = parent.child_by_field_name("key")
        named = key is not None and key.type == "property_identifier"
        return f"is the value of {key.text.decode()}:" if named else "is stored in a map"
    if kind == "binary_expression":
        op = _operator(parent)
        return "is compared" if op in _COMPARE else "is concatenated" if op == "+" else "is part of a larger expression"
    return _USES.get(kind, "is part of a larger expression")


def _pattern_names(node):
    """The identifiers a binding or assignment pattern writes."""
    if node is None:
        return
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
    elif node.type in ("object_pattern", "array_pattern", "rest_pattern"):
        for child in node.named_children:
            yield from _pattern_names(child)
    elif node.type == "pair_pattern":
        yield from _pattern_names(node.child_by_field_name("value"))
    elif node.type in ("assignment_pattern", "object_assignment_pattern"):
        yield from _pattern_names(node.child_by_field_name("left"))


class _Names:
    """Which names a file declares where, and where each is read and written.

    A declaration belongs to a scope: ``let``, ``const``, a function or class
    declaration to the block (or module) it is in, ``var`` and parameters to
    their function.  A read or write of a name belongs to the innermost scope
    around it that declares the name; one that none declares is a global and
    belongs to no declaration.  Keys are (scope node id, name).
    """

    def __init__(self, root):
        self.bindings: dict[tuple, list] = {}
        self.reads: dict[tuple, list] = {}
        self.writes: set[tuple] = set()
        declared, written, used = set(), [], []
        for node in _walk(root):
            for ident, scope in _declares(node):
                declared.add(ident.id)
                self.bindings.setdefault((scope.id, ident.text.decode()), []).append(ident)
            written += _writes(node)
            if node.type in ("identifier", "shorthand_property_identifier"):
                used.append(node)
        written_ids = {n.id for n in written}
        for node in written:
            key = self._resolve(node)
            if key is not None:
                self.writes.add(key)
        for node in used:
            if node.id in declared or node.id in written_ids or _not_a_read(node):
                continue
            key = self._resolve(node)
            if key is not None:
                self.reads.setdefault(key, []).append(node)

    def scope_of(self, ident) -> int | None:
        return next((scope.id for node, scope in _declares(_declaring(ident)) if _is(node, ident)), None)

    def _resolve(self, node) -> tuple | None:
        name, scope = node.text.decode(), node.parent
        while scope is not None:
            if (scope.id, name) in self.bindings:
                return scope.id, name
            scope = scope.parent
        return None


def _walk(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.named_children))


def _enclosing(node, kinds):
    """The nearest ancestor of one of ``kinds``; the root when there is none (a file not fully parsed)."""
    while node.parent is not None:
        node = node.parent
        if node.type in kinds:
            break
    return node


def _declaring(ident):
    """The node whose ``_declares`` names ``ident``."""
    node = ident.parent
    while node.type in ("object_pattern", "array_pattern", "rest_pattern", "pair_pattern", "assignment_pattern",
                        "object_assignment_pattern"):
        node = node.parent
    return node


def _declares(node):
    """(identifier, scope) of each name ``node`` itself declares."""
    kind = node.type
    if kind == "variable_declarator":
        var = node.parent is not None and node.parent.type == "variable_declaration"
        scope = _enclosing(node, (_FUNCTIONS | {"program"}) if var else _SCOPES)
        return [(n, scope) for n in _pattern_names(node.child_by_field_name("name"))]
    if kind in ("required_parameter", "optional_parameter"):
        owner = node.parent.parent or node.parent  # the function; the ERROR a partial parse leaves
        return [(n, owner) for n in _pattern_names(node.child_by_field_name("pattern"))]
    if kind == "arrow_function":
        param = node.child_by_field_name("parameter")
        return [(param, node)] if param is not None else []
    if kind in ("function_declaration", "generator_function_declaration", "class_declaration",
                "abstract_class_declaration", "enum_declaration", "internal_module"):
        name = node.child_by_field_name("name")
        return [(name, _enclosing(node, _SCOPES))] if name is not None else []
    if kind in ("function_expression", "function", "generator_function", "class"):
        name = node.child_by_field_name("name")
        return [(name, node)] if name is not None else []
    if kind == "catch_clause":
        return [(n, node) for n in _pattern_names(node.child_by_field_name("parameter"))]
    if kind == "for_in_statement" and node.child_by_field_name("kind") is not None:
        var = node.child_by_field_name("kind").type == "var"
        scope = _enclosing(node, _FUNCTIONS | {"program"}) if var else node
        return [(n, scope) for n in _pattern_names(node.child_by_field_name("left"))]
    if kind in ("import_require_clause", "namespace_import", "import_clause"):
        return [(c, _enclosing(node, {"program"})) for c in node.named_children if c.type == "identifier"]
    if kind == "import_specifier":
        local = node.child_by_field_name("alias") or node.child_by_field_name("name")
        return [(local, _enclosing(node, {"program"}))] if local is not None else []
    return []


def _writes(node) -> list:
    """The identifiers ``node`` assigns to after their declaration."""
    kind = node.type
    if kind in ("assignment_expression", "augmented_assignment_expression"):
        return list(_pattern_names(node.child_by_field_name("left")))
    if kind == "update_expression":
        return list(_pattern_names(node.child_by_field_name("argument")))
    if kind == "for_in_statement" and node.child_by_field_name("kind") is None:
        return list(_pattern_names(node.child_by_field_name("left")))
    return []


def _not_a_read(node) -> bool:
    """An identifier that names no value of this file: an import's remote name, an export's alias."""
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "import_specifier":
        return True
    return parent.type == "export_specifier" and _is(node, parent.child_by_field_name("alias"))


@register
class CdkTypeScript(Format):
    name = "cdk-typescript"
    extensions = (".ts",)
    comment_prefixes = ("//",)

    def prefilter(self, data: bytes) -> bool:
        # A site is named by Runtime (any import form) or is a construct's default.
        return b"aws-cdk" in data and (b"Runtime" in data or b"PythonFunction" in data or b"PythonLayerVersion" in data)

    def parse(self, text: str):
        data = text.encode("utf-8")
        tree = _parser().parse(data)
        check_depth(tree, data, text)
        return tree, data

    def locate(self, doc, text: str) -> Located | None:
        tree, data = doc
        return _Walker(tree, text, data).walk()

    def semantic(self, doc):
        tree, data = doc
        return [_text(leaf, data) for leaf in _leaves(tree.root_node)]


def _error_nodes(node):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            yield n
        elif n.has_error:
            stack.extend(reversed(n.children))
