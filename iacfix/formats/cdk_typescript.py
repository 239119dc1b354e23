"""AWS CDK apps in TypeScript, parsed with tree-sitter-typescript.

Files that import ``aws-cdk-lib`` (v2) or ``@aws-cdk/aws-lambda`` (v1) are
read for ``<lambda>.Runtime.PYTHON_3_X`` and ``new <lambda>.Runtime('python3.x',
...)``, whatever name the import gives the module or the class (``import *
as``, named imports, ``aws_lambda`` of ``aws-cdk-lib``, ``import x =
require(...)``).  The fix rewrites the constant's name or the string's
content.  Entries of a ``compatibleRuntimes: [...]`` array, template literals
and the python3.7 default of an alpha ``PythonLayerVersion`` /
``PythonFunction`` are reported but not rewritten.  tree-sitter-typescript may
not parse the newest syntax: such a file is still read, and nothing in it is
rewritten.  Nothing is run.
"""

from __future__ import annotations

import functools

from ..model import Located, Site, Unresolved, Where
from . import Format, register
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
        self.unresolved: list[Unresolved] = []
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

    def site(self, leaf, value: str, spell, in_array: bool, users: list[str], shown=None) -> Site:
        start, end = self.offset(leaf.start_byte), self.offset(leaf.end_byte)
        at = (self.offset(shown.start_byte), self.offset(shown.end_byte)) if shown is not None else None
        return Site(value=value, start=start, end=end, path=(self.leaf_index[(leaf.start_byte, leaf.end_byte)],),
                    kind="property", users=users, where=Where("resource", users[0], "runtime") if users else
                    Where("value", "Runtime"), spell=spell, at=at,
                    blocked="iacfix does not rewrite compatibleRuntimes arrays in TypeScript" if in_array else
                    "tree-sitter-typescript cannot parse all of this file" if self.partial else None)

    def walk(self) -> Located | None:
        if not self.imports.names:
            return None
        stack = [(self.root, False, [])]
        while stack:
            node, in_list, users = stack.pop()
            if node.type in ("new_expression", "call_expression"):
                users = self._construct_id(node) or users
            if node.type == "member_expression":
                self._constant(node, in_list, users)
            elif node.type == "new_expression":
                self._new_runtime(node, in_list, users)
                self._implicit(node, users)
            # Only the entries of a compatibleRuntimes array are list entries.
            entries = node.type == "array" and node.parent is not None and node.parent.type == "pair" and \
                _text(node.parent.child_by_field_name("key"), self.data).strip("'\"") == "compatibleRuntimes"
            stack.extend((c, entries and c.type == "member_expression", users) for c in reversed(node.children))
        if not self.sites and not self.unresolved:
            return None
        return Located(sorted(self.sites, key=lambda s: s.start), self.unresolved)

    def _construct_id(self, node) -> list[str]:
        args = node.child_by_field_name("arguments")
        named = [c for c in args.children if c.is_named] if args is not None else []
        if len(named) >= 2 and named[1].type == "string":
            return [_text(named[1], self.data).strip("'\"`")]
        return []

    def _constant(self, node, in_array: bool, users: list[str]) -> None:
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

        self.sites.append(self.site(prop, rid, spell, in_array, users))

    def _new_runtime(self, node, in_array: bool, users: list[str]) -> None:
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
        site = self.site(fragment, _text(fragment, self.data), lambda target: (target, target), in_array, users,
                         shown=first)
        if first.type == "template_string":
            site.quote = None  # reported; a template literal is left as written
        self.sites.append(site)

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


@register
class CdkTypeScript(Format):
    name = "cdk-typescript"
    extensions = (".ts",)

    def prefilter(self, data: bytes) -> bool:
        return b"aws-cdk" in data

    def parse(self, text: str):
        data = text.encode("utf-8")
        tree = _parser().parse(data)
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
