"""AWS CDK apps in TypeScript, parsed with tree-sitter-typescript.

Files that import ``aws-cdk-lib`` (v2) or ``@aws-cdk/aws-lambda`` (v1) are
read for ``<lambda>.Runtime.PYTHON_3_X`` and ``new <lambda>.Runtime('python3.x',
...)``, whatever name the import gives the module or the class.  The fix
rewrites the constant's name or the string's content.  Entries of a
``compatibleRuntimes: [...]`` array are reported but not rewritten (rewriting
them one by one could leave the target twice).  Nothing is run.
"""

from __future__ import annotations

import functools

from ..model import Located, ParseError, Site, Unresolved
from . import register
from .cdk_python import constant_name, runtime_id

RUNTIME = "aws-cdk-lib/aws-lambda.Runtime"
_MODULES = {  # import source -> what its namespace holds
    "aws-cdk-lib/aws-lambda": "aws-cdk-lib/aws-lambda",
    "@aws-cdk/aws-lambda": "aws-cdk-lib/aws-lambda",
    "aws-cdk-lib": "aws-cdk-lib",
}


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
            source = next((c for c in stmt.children if c.type == "string"), None)
            module = _MODULES.get(_text(source, data).strip("'\"")) if source else None
            if module is None:
                continue
            self.v1 |= _text(source, data).strip("'\"").startswith("@aws-cdk/")
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
                        elif module == "aws-cdk-lib/aws-lambda":
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

    def offset(self, byte: int) -> int:
        return byte if self.ascii else len(self.data[:byte].decode("utf-8", "ignore"))

    def site(self, leaf, value: str, spell, in_array: bool, users: list[str]) -> Site:
        start, end = self.offset(leaf.start_byte), self.offset(leaf.end_byte)
        return Site(value=value, start=start, end=end, path=(self.leaf_index[(leaf.start_byte, leaf.end_byte)],),
                    kind="property", users=users, quote=None if in_array else "",
                    where=f"{users[0]} runtime" if users else "Runtime", spell=spell)

    def walk(self) -> Located | None:
        if not self.imports.names:
            return None
        stack = [(self.root, False, [])]
        while stack:
            node, in_array, users = stack.pop()
            if node.type in ("new_expression", "call_expression"):
                users = self._construct_id(node) or users
            if node.type == "member_expression":
                self._constant(node, in_array, users)
            elif node.type == "new_expression":
                self._new_runtime(node, in_array, users)
            stack.extend((c, in_array or node.type == "array", users) for c in reversed(node.children))
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
        if first is None or first.type != "string":
            return
        fragments = [c for c in first.children if c.type == "string_fragment"]
        if len(fragments) != 1 or len([c for c in first.children if c.is_named]) != 1:
            return  # empty, escaped or templated: not a literal runtime
        fragment = fragments[0]
        self.sites.append(self.site(fragment, _text(fragment, self.data), lambda target: (target, target),
                                    in_array, users))


@register
class CdkTypeScript:
    name = "cdk-typescript"
    extensions = (".ts",)

    def prefilter(self, data: bytes) -> bool:
        return b"aws-cdk" in data

    def parse(self, text: str):
        data = text.encode("utf-8")
        tree = _parser().parse(data)
        if tree.root_node.has_error:
            bad = next(n for n in _error_nodes(tree.root_node))
            line, col = bad.start_point
            prefix = data[data.rfind(b"\n", 0, bad.start_byte) + 1:bad.start_byte]
            raise ParseError("TypeScript syntax error", line=line + 1, column=len(prefix.decode("utf-8", "ignore")) + 1)
        return tree, data

    def locate(self, doc, text: str) -> Located | None:
        tree, data = doc
        return _Walker(tree, text, data).walk()

    def semantic(self, doc):
        tree, data = doc
        return [_text(leaf, data) for leaf in _leaves(tree.root_node)]

    def check_edit(self, old: str, new: str) -> str | None:
        return None


def _error_nodes(node):
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            yield n
        elif n.has_error:
            stack.extend(reversed(n.children))
