"""CloudFormation and SAM templates, YAML or JSON, detected by content.

A runtime is followed through Ref to a parameter's Default (and its
AllowedValues), Fn::FindInMap, Fn::If, and an Fn::Sub whose template has one
``${Var}``: the site is then the variable's written value (a parameter's
Default, or the entry of the Sub's variable map) and its value is the runtime
the template composes; a fix writes only the part the variable supplies.

Parsing uses libyaml through PyYAML's C parser: it composes a node tree with
exact marks (character index, BOM excluded) and accepts JSON too, so one
locator serves both.  The composer asks a resolver for the tag of every
untagged node; ours answers by node kind only (every scalar stays a string),
which is all a locator needs and 40% faster than ``CBaseLoader``'s resolver
(see the README's design notes for numbers).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import re

from ..edits import Positions
from ..model import FunctionCode, Item, ListInfo, Located, ParseError, Site, Unresolved, Where
from ..records import dataclass
from . import Format, register
from .json_compose import compose_json, looks_like_json
from .nodes import DEFAULT_TAGS, MappingNode, ScalarNode, SequenceNode, interning
from .shapes import looks_like_runtime

FUNCTION_TYPES = {"AWS::Lambda::Function", "AWS::Serverless::Function"}
LAYER_TYPES = {"AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion"}
_FUNCTION_OR_LAYER = FUNCTION_TYPES | LAYER_TYPES
_BLOCK_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+\Z")
_BLOCK_ITEM_SUFFIX = re.compile(r"[ \t]*(#[^\n]*)?\r?\Z")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SHORT_FORMS = {"!Ref": "Ref", "!Condition": "Condition"}
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# Raw text that marks a file as meant to be a template even when it does not
# parse; a broken file without these is not reported (it may be a Helm chart).
_TEMPLATE_MARKERS = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-20|[\"']?Type[\"']?[ \t]*:[ \t]*[\"']?AWS::[A-Za-z0-9]+::"
)


# A Serverless Framework variable (${self:...}, ${opt:...}, ${file(...)}...), never
# CloudFormation's own ${Var} or ${AWS::Region}, which mean something only inside Fn::Sub.
_FRAMEWORK_VARIABLE = re.compile(r"\$\{[A-Za-z]\w*(?::(?!:)|\()")


# How many intrinsic functions (!If in !If ...) the locator follows into one
# another: libyaml allows 1,000 levels, Python's stack fewer.
MAX_FOLLOWED = 100

# A document this large (characters) is kept out of the garbage collector's
# sight once composed, until the next document is composed.
LARGE = 1_000_000

# What a document's aliases may expand to, in nodes: past this the file is an
# error (YAML's "billion laughs": 10 lines of anchors make 10^10 nodes).
MAX_EXPANDED_NODES = 1_000_000


def _libyaml_composer(text: str):
    """libyaml's composer for ``text``, with a resolver that only looks at the
    node kind.  ``yaml`` is imported here, when a document is not composed by
    ``json_compose``: a one-file check of a JSON template never imports it."""
    global _Composer
    if _Composer is None:
        import yaml
        import yaml._yaml

        if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover - PyYAML's wheels include libyaml
            raise ImportError(
                "iacfix needs PyYAML built with libyaml (its C parser gives exact marks and speed; "
                "the pure-Python parser also rejects tabs that libyaml accepts): "
                "pip install --force-reinstall pyyaml"
            )

        class Composer(yaml.cyaml.CParser):
            def resolve(self, kind, value, implicit, _tags=DEFAULT_TAGS):
                return _tags[kind]

            def descend_resolver(self, parent, index):
                pass

            def ascend_resolver(self):
                pass

        _Composer = Composer
    return _Composer(text)


_Composer = None


def _paused(compose, size: int):
    """``compose()``, of a document of ``size`` characters, with the garbage
    collector paused: a composer allocates millions of objects and no cycle,
    which the collector would only walk again and again (5x the time)."""
    collecting = gc.isenabled()
    try:
        gc.unfreeze()  # what the last large document froze goes back to the collector
        gc.disable()
        root = compose()
        if root is not None and size > LARGE:
            gc.freeze()  # and afterwards: each allocation would have it walk them again (fix: 2.5x the time)
        return root
    finally:
        if collecting:
            gc.enable()


def _compose(text: str):
    """Compose ``text`` (BOM stripped) into the node tree libyaml composes:
    a JSON document by ``json_compose`` (which leaves to libyaml whatever it
    is not sure of), anything else by libyaml."""
    body = text[1:] if text.startswith("\ufeff") else text
    if looks_like_json(body) and (root := _paused(lambda: compose_json(body), len(body))) is not None:
        return root  # JSON has no aliases
    return compose_libyaml(text)


def compose_libyaml(text: str):
    """Compose ``text`` (BOM stripped) by libyaml: what ``json_compose`` is held to."""
    import yaml

    body = text[1:] if text.startswith("\ufeff") else text
    try:
        composer = _libyaml_composer(body)
        nodes = yaml._yaml.ScalarNode, yaml._yaml.SequenceNode, yaml._yaml.MappingNode
        large = len(body) > LARGE
        try:
            yaml._yaml.ScalarNode, yaml._yaml.SequenceNode, yaml._yaml.MappingNode = \
                ScalarNode, SequenceNode, MappingNode
            if large:  # the class is changed only then: each change resets what the interpreter learnt of it
                interning(True)
            root = _paused(composer.get_single_node, len(body))
        finally:
            yaml._yaml.ScalarNode, yaml._yaml.SequenceNode, yaml._yaml.MappingNode = nodes
            if large:
                interning(False)
            composer.dispose()
    except yaml.MarkedYAMLError as e:
        if "Unicode character escape" in str(e.problem) and _SURROGATE_ESCAPE.search(body):
            # JSON writes characters beyond the BMP as surrogate pairs, which
            # libyaml rejects.  Swap each such escape for one of equal length:
            # offsets stay exact, and no runtime value contains one.
            return compose_libyaml(_SURROGATE_ESCAPE.sub(lambda m: "\\u003f", body))
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid syntax"
        if e.context and e.problem:
            problem = f"{problem} ({e.context})"
        # The mark's index counts characters like ours; its line would also count
        # U+0085, U+2028 and U+2029 as line breaks, which editors do not.
        raise ParseError(f"YAML/JSON syntax error: {problem}", offset=mark.index + (text != body)) from None
    except yaml.reader.ReaderError as e:
        chars = len(body.encode("utf-8")[: e.position].decode("utf-8", "ignore"))
        raise ParseError(f"unacceptable character #x{e.character:04x}", offset=chars + (text != body)) from None
    except yaml.YAMLError as e:  # pragma: no cover - libyaml reports marks for all syntax errors
        raise ParseError(f"YAML/JSON error: {e}") from None
    if "&" in body:  # an anchor, so maybe aliases: bound what they expand to
        _check_aliases(root, text != body)
    return root


def compose(text: str):
    """``_compose``, through Jinja masking when the text may hold Jinja (a
    cookiecutter template): then a ``jinja.Masked`` document (see ``tree_of``)."""
    if "{{" in text or "{%" in text:
        from . import jinja

        return jinja.parse(text, _compose)
    return _compose(text)


def tree_of(doc):
    """The node tree of a parsed document (masked or not)."""
    return getattr(doc, "root", doc)


def _children(node):
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return ()


def _check_aliases(root, shift: int, budget: int | None = None) -> None:
    """Refuse a document whose aliases expand past ``budget`` nodes (a "billion
    laughs"), or that holds itself through an alias.  The composer shares an
    aliased node instead of copying it: each node is visited once here, and
    everything else works on the shared nodes too."""
    budget = MAX_EXPANDED_NODES if budget is None else budget
    size: dict[int, int] = {}  # id -> expanded size; -1 while its children are being sized
    stack = [root] if root is not None else []
    while stack:
        node = stack[-1]
        known = size.get(id(node))
        if known is None:
            size[id(node)] = -1
            for child in _children(node):
                state = size.get(id(child))
                if state == -1:
                    raise ParseError("a YAML alias refers to a node that contains it (a recursive structure); "
                                     "not analysed", offset=node.start + shift)
                if state is None:
                    stack.append(child)
            continue
        stack.pop()
        if known == -1:
            total = size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
            if total > budget:
                raise ParseError(f"YAML aliases expand this node to more than {budget:,} nodes (a \"billion "
                                 "laughs\" document); not analysed", offset=node.start + shift)


def _get(node, key: str):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return v
    return None


def index(node) -> dict:
    """{key: value} of a mapping node's plain or tagged scalar keys, each with the
    value ``_get`` finds for it (the first, when a key is written twice); {} for
    anything else."""
    out: dict = {}
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value not in out:
                out[k.value] = v
    return out


def _str(node) -> str | None:
    return node.value if isinstance(node, ScalarNode) and not node.tag.startswith("!") else None


def _intrinsic(node):
    """(step, name, args) for Ref / Fn::X in short (!X) or long form, else None."""
    if node.tag.startswith("!"):
        name = _SHORT_FORMS.get(node.tag, "Fn::" + node.tag[1:])
        return node.tag, name, node
    if isinstance(node, MappingNode) and len(node.value) == 1:
        key = _str(node.value[0][0])
        if key == "Ref" or (key or "").startswith("Fn::"):
            return key, key, node.value[0][1]
    return None


def _mentions(node, needle: str) -> bool:
    """Whether a scalar (or tag) under ``node`` contains ``needle``; each node once."""
    seen, stack = set(), [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if needle in n.tag or (isinstance(n, ScalarNode) and needle in n.value):
            return True
        stack.extend(_children(n))
    return False


def is_template(root) -> bool:
    if not isinstance(root, MappingNode):
        return False
    if _get(root, "AWSTemplateFormatVersion") is not None:
        return True
    transform = _get(root, "Transform")
    if transform is not None and _mentions(transform, "AWS::Serverless"):
        return True
    resources = _get(root, "Resources")
    if isinstance(resources, MappingNode):
        return any((_str(_get(r, "Type")) or "").startswith("AWS::") for _, r in resources.value)
    return False


@dataclass(frozen=True)
class _Sub:
    """The Fn::Sub text around a value being followed: the runtime is
    ``prefix + value + suffix``."""

    prefix: str = ""
    suffix: str = ""
    template: str = ""  # the outermost template, for where-strings
    why: str = ""  # what an unresolved reason is about: "Fn::Sub variable ${V}: "

    def inner(self, template: str, var: str) -> _Sub:
        head, _, tail = template.partition("${" + var + "}")
        return _Sub(self.prefix + head, tail + self.suffix, self.template or template,
                    f"{self.why}Fn::Sub variable ${{{var}}}: ")

    def speller(self, quote: str):
        """Write only the part of a target the variable supplies, in the value's
        quotes; a plain part that YAML or JSON would read as another value
        (3.10 is the number 3.1) is double-quoted."""
        prefix, suffix = self.prefix, self.suffix

        def spell(target: str):
            if len(target) <= len(prefix) + len(suffix) or not (target.startswith(prefix) and target.endswith(suffix)):
                return None
            part = target[len(prefix):len(target) - len(suffix)]
            q = quote or ('"' if _retyped(part) else "")
            return f"{q}{part}{q}", part

        return spell


_NO_SUB = _Sub()


def _retyped(plain_text: str) -> bool:
    """Whether a standard YAML (1.1) or JSON parser reads this plain scalar as
    something that prints differently: 3.10 -> 3.1, 010 -> 8, on -> True."""
    import yaml

    try:
        value = yaml.safe_load(plain_text)
    except yaml.YAMLError:
        return True
    return not isinstance(value, str) and str(value) != plain_text


class _Walker:
    def __init__(self, root, text: str, path: str | None = None):
        self.path = path  # the template's path: a SAM image function's Dockerfile is read beside it
        self.more: list = []
        self.root = root
        self.text = text
        self.shift = 1 if text.startswith("\ufeff") else 0
        self.params = _get(root, "Parameters")
        self.mappings = _get(root, "Mappings")
        self.sites: dict[int, Site] = {}
        self.unresolved: dict[int, Unresolved] = {}
        self._reached: list[Site] | None = None  # collects the sites a list entry reaches
        # A node reached again (a YAML alias, or one parameter behind many Refs)
        # is not followed again: what it led to the first time gains the new
        # users.  Without this, !If [C, *a, *a] twenty levels deep is followed
        # 2^20 times.  _log holds every site and note recorded or replayed, in order.
        self._done: dict[tuple, list | None] = {}
        self._log: list = []
        self._depth = 0  # intrinsic functions (and lists) being followed
        self.code: list[FunctionCode] = []  # where each function's code is

    # -- spans ------------------------------------------------------------
    def span(self, node) -> tuple[int, int]:
        return node.start + self.shift, node.end + self.shift

    def block_delete_span(self, node) -> tuple[int, int] | None:
        """The whole line of a block-list entry, if the line holds nothing else."""
        start, end = self.span(node)
        line_start = self.text.rfind("\n", 0, start) + 1
        newline = self.text.find("\n", end)
        line_end = len(self.text) if newline == -1 else newline + 1
        if not (_BLOCK_ITEM_PREFIX.match(self.text, line_start, start)
                and _BLOCK_ITEM_SUFFIX.match(self.text[end:line_end].rstrip("\n"))):
            return None
        return line_start, line_end

    # -- recording ----------------------------------------------------------
    def add_site(self, node, path, users, kind, where: Where, layer=None, list_info=None, sub=_NO_SUB) -> Site | None:
        if _FRAMEWORK_VARIABLE.match(node.value) and not sub.template:  # a fragment a serverless.yml includes
            return self.add_unresolved(node, f"{node.value} is a Serverless Framework variable, resolved by the "
                                       "Framework at deploy time", users)
        start, end = self.span(node)
        quote = {None: "", "": "", "'": "'", '"': '"'}.get(node.style)  # block scalars: not rewritable
        if quote is not None:
            token = f"{quote}{node.value}{quote}"
            if self.text.endswith(token, start, end):
                start = end - len(token)  # past a tag or anchor written before the value
            else:
                quote = None  # escapes or line folding inside the value: report, never rewrite
        key = (start, sub.prefix, sub.suffix)  # one value read as two runtimes: two sites
        site = self.sites.get(key)
        if site is None:
            site = self.sites[key] = Site(
                value=sub.prefix + node.value + sub.suffix, start=start, end=end, path=path, kind=kind, quote=quote,
                users=[], where=dataclasses.replace(where, via=f'Fn::Sub "{sub.template}"') if sub.template else where,
                in_list=list_info,
                spell=sub.speller(quote) if (sub.prefix or sub.suffix) and quote is not None else None,
                tied=path[:2] if path[0] == "Parameters" else None,  # a Default moves with its AllowedValues
            )
        elif path != site.path and path not in site.also:
            site.also.append(path)  # the same node again: a YAML alias
        self._touch(site, users, layer)
        return site

    def _touch(self, item, users, layer=None):
        """``item`` (a Site or an Unresolved) is reached for ``users``."""
        item.users.extend(u for u in users if u not in item.users)
        self._log.append(item)
        if isinstance(item, Site):
            if layer and layer not in item.layers:
                item.layers.append(layer)
            if self._reached is not None:
                self._reached.append(item)

    def add_unresolved(self, node, reason, users, sub=_NO_SUB):
        start, end = self.span(node)
        u = self.unresolved.get(start)
        if u is None:
            u = self.unresolved[start] = Unresolved(start, end, sub.why + reason, [])
        self._touch(u, users)

    # -- resolution -----------------------------------------------------------
    def resolve(self, node, path, want, users, kind, where, layer=None, sub=_NO_SUB):
        """Follow ``node`` to the literal(s) it stands for and record them;
        ``sub``: the Fn::Sub text the value is written into.  A node other
        than a plain scalar is followed once for each (want, sub)."""
        if isinstance(node, ScalarNode) and not node.tag.startswith("!"):
            return self._resolve(node, path, want, users, kind, where, layer, sub)
        if self._depth >= MAX_FOLLOWED:
            return self.add_unresolved(node, f"the value nests more than {MAX_FOLLOWED} functions deep", users, sub)
        key = (id(node), want, sub)
        if key in self._done:
            if self._done[key] is None:  # being followed: a parameter whose Default refers to itself
                return self.add_unresolved(node, "the value refers to itself", users, sub)
            for item in self._done[key]:
                self._touch(item, users, layer)
            return
        self._done[key] = None
        mark = len(self._log)
        self._depth += 1
        try:
            self._resolve(node, path, want, users, kind, where, layer, sub)
        finally:
            self._depth -= 1
        self._done[key] = list({id(x): x for x in self._log[mark:]}.values())

    def _resolve(self, node, path, want, users, kind, where, layer=None, sub=_NO_SUB):
        intrinsic = _intrinsic(node)
        if intrinsic is not None:
            step, name, args = intrinsic
            if name == "Ref":
                return self.ref(node, _str(args) if args is not node else node.value, want, users, layer, sub)
            if name == "Fn::If" and isinstance(args, SequenceNode) and len(args.value) == 3:
                for i in (1, 2):
                    self.resolve(args.value[i], path + (step, i), want, users, kind, where, layer, sub)
                return
            if name == "Fn::FindInMap" and isinstance(args, SequenceNode) and len(args.value) >= 3:
                return self.find_in_map(node, args, want, users, layer, sub)
            if name == "Fn::Sub" and want == "scalar":
                return self.fn_sub(node, step, args, path, users, kind, where, layer, sub)
            return self.add_unresolved(node, f"the value is computed by {name}", users, sub)
        if want == "list":
            if isinstance(node, SequenceNode):
                self.resolve_list(node, path, users, kind, where, layer, sub)
            return
        if _str(node) is not None:
            self.add_site(node, path, users, kind, where, layer, sub=sub)

    def resolve_list(self, node, path, users, kind, where, layer, sub=_NO_SUB):
        items = []
        info = ListInfo(path=path, items=items, flow=bool(node.flow_style))
        seq_start, seq_end = self.span(node)
        for i, child in enumerate(node.value):
            start, end = self.span(child)
            if not seq_start <= start < end <= seq_end:
                # An alias (*name): the node, and so its span, is where the anchor is.
                info.blocked = "the list holds a YAML alias"
            literal = _str(child)
            # An entry's value is the runtime it makes (AllowedValues of a Sub's parameter: "3.9" -> python3.9).
            value = None if literal is None else sub.prefix + literal + sub.suffix
            item = Item(value, start, end, None if info.flow else self.block_delete_span(child))
            items.append(item)
            if literal is not None:
                self.add_site(child, path + (i,), users, kind, where, layer, info, sub)
                continue
            outer, self._reached = self._reached, []
            try:
                self.resolve(child, path + (i,), "scalar", users, kind, where, layer, sub)
                item.reaches = self._reached
            finally:
                if outer is not None:
                    outer.extend(self._reached)
                self._reached = outer

    def ref(self, node, name, want, users, layer, sub=_NO_SUB):
        if name == "AWS::NoValue":
            return
        param = _get(self.params, name) if name else None
        if not isinstance(param, MappingNode):
            return self.add_unresolved(node, f"Ref {name} is not a parameter of this template", users, sub)
        ptype = _str(_get(param, "Type")) or ""
        if ptype.startswith("AWS::SSM::"):
            return self.add_unresolved(node, f"parameter {name} is read from SSM at deploy time", users, sub)
        default = _get(param, "Default")
        if default is None:
            return self.add_unresolved(node, f"parameter {name} has no Default: the runtime is chosen at deploy time",
                                       users, sub)
        if want == "list":
            return self.add_unresolved(node, f"parameter {name} is a comma-delimited list", users, sub)
        base = ("Parameters", name)
        self.resolve(default, base + ("Default",), "scalar", users, "parameter-default", Where("parameter", name, "Default"),
                     layer, sub)
        allowed = _get(param, "AllowedValues")
        if isinstance(allowed, SequenceNode):
            self.resolve(allowed, base + ("AllowedValues",), "list", users, "allowed-value",
                         Where("parameter", name, "AllowedValues"), layer, sub)

    def fn_sub(self, node, step, args, path, users, kind, where, layer, sub):
        """Fn::Sub whose template has one ${Var} and literal text around it:
        follow the variable (an entry of the variable map, else a parameter)."""
        if isinstance(args, ScalarNode) and (args is node or _str(args) is not None):
            template, variables = args.value, None
        elif isinstance(args, SequenceNode) and len(args.value) == 2 and _str(args.value[0]) is not None \
                and isinstance(args.value[1], MappingNode) and not args.value[1].tag.startswith("!"):
            template, variables = args.value[0].value, args.value[1]
        else:
            return self.add_unresolved(node, "Fn::Sub takes a template string or [template, variable map]", users, sub)
        refs = _SUB_VARIABLE.findall(template)
        escaped = [r for r in refs if r.startswith("!")]
        if escaped:
            return self.add_unresolved(node, f"the Fn::Sub template holds the escape ${{{escaped[0]}}}", users, sub)
        if len(refs) != 1:
            names = ", ".join(f"${{{r}}}" for r in refs)
            return self.add_unresolved(node, f"the Fn::Sub template has {len(refs)} variables ({names})" if refs
                                       else "the Fn::Sub template has no ${} variable", users, sub)
        var = refs[0]
        inner = sub.inner(template, var)
        if "${" in inner.prefix + inner.suffix:
            return self.add_unresolved(node, f'the Fn::Sub template "{template}" has an unclosed ${{', users, sub)
        value = _get(variables, var)
        if value is not None:
            return self.resolve(value, path + (step, 1, var), "scalar", users, kind, where, layer, inner)
        if isinstance(_get(self.params, var), MappingNode):
            return self.ref(node, var, "scalar", users, layer, inner)
        if "::" in var:
            reason = "is a pseudo parameter, known at deploy time"
        elif "." in var:
            reason = "is a resource attribute (Fn::GetAtt), known at deploy time"
        elif _get(_get(self.root, "Resources"), var) is not None:
            reason = "is a resource's Ref value, known at deploy time"
        else:
            reason = "is not a parameter of this template" + ("" if variables is None else " nor in its variable map")
        self.add_unresolved(node, f"Fn::Sub variable ${{{var}}} {reason}", users, sub)

    def find_in_map(self, node, args, want, users, layer, sub=_NO_SUB):
        map_name = _str(args.value[0])
        table = _get(self.mappings, map_name) if map_name else None
        if not isinstance(table, MappingNode):
            return self.add_unresolved(node, f"Fn::FindInMap names no mapping of this template ({map_name})", users, sub)
        level = [((), table)]
        for key_node in args.value[1:3]:
            key = _str(key_node)
            nxt = []
            for keys, mapping in level:
                if not isinstance(mapping, MappingNode):
                    continue
                for k, v in mapping.value:
                    # A key that is not a literal (e.g. !Ref Env) may be any key.
                    if key is None or (isinstance(k, ScalarNode) and k.value == key):
                        nxt.append((keys + (k.value,), v))
            level = nxt
        if not level:
            return self.add_unresolved(node, f"Fn::FindInMap finds no value in mapping {map_name}", users, sub)
        for keys, value in level:
            path = ("Mappings", map_name) + keys
            self.resolve(value, path, want, users, "mapping-value", Where("mapping", map_name, ".".join(keys)), layer, sub)

    # -- template structure ---------------------------------------------------
    def walk(self) -> Located:
        inheritors = []
        resources = _get(self.root, "Resources")
        for name_node, res in resources.value if isinstance(resources, MappingNode) else ():
            name = _str(name_node)
            if name is None:
                continue  # a complex or tagged key is no logical id
            rtype = _str(_get(res, "Type"))
            props = _get(res, "Properties")
            base = ("Resources", name)
            if rtype in FUNCTION_TYPES:
                code = _function_code(name, name_node, rtype, props, self.root, self.span)
                if code is not None:
                    self.code.append(code)
                runtime = _get(props, "Runtime")
                if runtime is not None:
                    self.resolve(runtime, base + ("Properties", "Runtime"), "scalar", [name], "property", Where("resource", name, "Runtime"))
                elif rtype == "AWS::Serverless::Function" and _str(_get(props, "PackageType")) != "Image":
                    inheritors.append(name)
                elif _get(_get(res, "Metadata"), "DockerBuildArgs") is not None and self.path is not None:
                    self.build_args(name, _get(res, "Metadata"), props)
            elif rtype in LAYER_TYPES:
                layer = name
                runtimes = _get(props, "CompatibleRuntimes")
                if runtimes is not None:
                    self.resolve(runtimes, base + ("Properties", "CompatibleRuntimes"), "list", [name], "layer-runtime",
                                 Where("resource", name, "CompatibleRuntimes"), layer)
                build = _get(_get(res, "Metadata"), "BuildMethod")
                if _str(build) is not None and looks_like_runtime(build.value, "aws"):
                    self.add_site(build, base + ("Metadata", "BuildMethod"), [name], "build-method",
                                  Where("metadata", name, "BuildMethod"), layer)
        global_runtime = _get(_get(_get(self.root, "Globals"), "Function"), "Runtime")
        if global_runtime is not None:
            self.resolve(global_runtime, ("Globals", "Function", "Runtime"), "scalar", inheritors, "globals",
                         Where("globals", "Function", "Runtime"))
        self.block_shared_values()
        return Located(sorted(self.sites.values(), key=lambda s: s.start),
                       sorted(self.unresolved.values(), key=lambda u: u.start), self.more + self.code)

    def build_args(self, name: str, meta, props=None) -> None:
        """SAM ``Metadata.DockerBuildArgs`` values that feed a FROM tag of the
        function's Dockerfile (``sam_images``): an ``ImageRef`` each, fixed here."""
        from .sam_images import build_arg_images

        args = _get(meta, "DockerBuildArgs")
        values = {k.value: v for k, v in (args.value if isinstance(args, MappingNode) else ())
                  if _str(k) is not None and _str(v) is not None}
        found = build_arg_images(self.path, _str(_get(meta, "DockerContext")), _str(_get(meta, "Dockerfile")),
                                 {k: v.value for k, v in values.items()})
        if isinstance(found, str):
            for node in values.values():
                self.add_unresolved(node, found, [name])
            return
        for key, refs in found.items():
            node = values[key]
            start, end = self.span(node)
            quote = {None: "", "": "", "'": "'", '"': '"'}.get(node.style)
            ok = quote is not None and self.text.endswith(f"{quote}{node.value}{quote}", start, end)
            for ref in refs:
                vs, ve = ref.start, ref.end

                def spell(new, value=node.value, vs=vs, ve=ve, quote=quote):
                    written = value[:vs] + new + value[ve:]
                    q = quote or ('"' if _retyped(written) else "")
                    return f"{q}{written}{q}", written

                ref.at, ref.users, ref.path, ref.spell = (start, end), [name], \
                    ("Resources", name, "Metadata", "DockerBuildArgs", key), spell
                ref.start, ref.end = (end - len(f"{quote}{node.value}{quote}"), end) if ok else (None, None)
                if not ok:
                    ref.blocked = "the value is not written as a plain or quoted literal; change it by hand"
                self.more.append(ref)
        if found:  # the runtime is chosen here: so is whether the code runs on it
            self.image_code(name, meta, props)

    def image_code(self, name: str, meta, props) -> None:
        from .sam_images import image_function_code

        command = _get(_get(props, "ImageConfig"), "Command")
        command = _str(command.value[0]) if isinstance(command, SequenceNode) and command.value else None
        arch = _get(props, "Architectures") or _get(_get(_get(self.root, "Globals"), "Function"), "Architectures")
        arm64 = isinstance(arch, SequenceNode) and any(_str(a) == "arm64" for a in arch.value)
        start, end = self.span(_get(meta, "Dockerfile") or _get(meta, "DockerContext") or meta)
        code = image_function_code(self.path, _str(_get(meta, "DockerContext")), _str(_get(meta, "Dockerfile")),
                                   name, start, end, command, arm64)
        if code is not None:
            self.code.append(code)

    def block_shared_values(self):
        """A value read as two runtimes (python${V} and python3.${V}, or !Ref V and
        a Sub of V) has no rewrite that fits both: report it, never rewrite it, and
        likewise the rest of its parameter (AllowedValues must keep the Default)."""
        runtimes: dict[int, list[str]] = {}
        for (start, _, _), site in self.sites.items():
            runtimes.setdefault(start, []).append(site.value)
        shared = {start: values for start, values in runtimes.items() if len(values) > 1}
        params = {}
        for site in self.sites.values():
            if site.start in shared and site.path[0] == "Parameters":
                params.setdefault(site.path[:2], shared[site.start])
        for site in self.sites.values():
            values = shared.get(site.start) or params.get(site.path[:2])
            if values and site.blocked is None:
                owner = f"parameter {site.path[1]}" if site.path[:2] in params else "the value"
                site.blocked = f"{owner} is read as different runtimes ({', '.join(values)}); no rewrite fits all"


def _function_code(name: str, name_node, rtype: str, props, root, span) -> FunctionCode | None:
    """Where a function's code is: SAM ``CodeUri`` (or Globals') and ``InlineCode``,
    ``Code.ZipFile``, a packaged ``Code`` path; S3 and intrinsics are not local.
    None for a container image."""
    p = index(props)  # about ten keys are asked of each: one pass instead of one each
    if _str(p.get("PackageType")) == "Image" or _get(p.get("Code"), "ImageUri") is not None:
        return None
    globals_ = _get(_get(root, "Globals"), "Function")
    handler = _str(p.get("Handler")) or _str(_get(globals_, "Handler"))
    arch = p.get("Architectures") or _get(globals_, "Architectures")
    arch = "arm64" if isinstance(arch, SequenceNode) and any(_str(a) == "arm64" for a in arch.value) else "x86_64"
    where = Where("resource", name, "CodeUri" if rtype == "AWS::Serverless::Function" else "Code")
    if rtype == "AWS::Serverless::Function":
        inline = p.get("InlineCode")
        node = p.get("CodeUri")
        if node is None and inline is None:
            node = _get(globals_, "CodeUri")
        if inline is not None:
            node, where = inline, Where("resource", name, "InlineCode")
    else:
        node = p.get("Code")
        if _get(node, "ZipFile") is not None:
            node, where = _get(node, "ZipFile"), Where("resource", name, "Code.ZipFile")
            inline = node
        else:
            inline = None
    start, end = span(node if node is not None else name_node)
    common = dict(function=name, start=start, end=end, where=where, handler=handler, architecture=arch)
    if node is None:
        return None  # no code given at all: the template is incomplete, not ours to judge
    if inline is not None:
        text = _str(node)
        if text is None:
            return FunctionCode(**common, not_local="the inline code is built with an intrinsic function")
        return FunctionCode(**common, inline=text, inline_line=0)  # the line is worked out from ``start``
    value = _str(node)
    if value is None:
        return FunctionCode(**common, not_local=f"{where.field} is an S3 location or is known only at deploy time")
    if value.startswith("s3://"):
        return FunctionCode(**common, not_local=f"{where.field} is an S3 object ({value})")
    return FunctionCode(**common, root=value)


def _duplicate_key(root):
    """(second key, first key) of the first key written twice in a mapping a
    runtime can be read from: the template's top level, Resources, a
    resource, a function's or layer's Properties and Metadata, Parameters and
    each parameter, every level of Mappings, Globals and Globals.Function,
    Transform; else None.  The locator reads the first of two keys, other
    tools the last (cfn-lint reports E0000)."""
    mappings = [root]
    resources = _get(root, "Resources")
    mappings.append(resources)
    for _, res in resources.value if isinstance(resources, MappingNode) else ():
        mappings.append(res)
        if _str(_get(res, "Type")) in _FUNCTION_OR_LAYER:
            mappings += [_get(res, "Properties"), _get(res, "Metadata")]
    params = _get(root, "Parameters")
    mappings.append(params)
    mappings += [p for _, p in params.value] if isinstance(params, MappingNode) else []
    level = [_get(root, "Mappings")]
    for _ in range(3):  # Mappings: name -> key -> key -> value
        mappings += level
        level = [v for m in level if isinstance(m, MappingNode) for _, v in m.value]
    globals_ = _get(root, "Globals")
    mappings += [globals_, _get(globals_, "Function"), _get(root, "Transform")]
    return first_duplicate(mappings)


def first_duplicate(mappings) -> tuple | None:
    """(second key, first key) of the first key written twice in one of ``mappings``, else None."""
    seen = set()
    for mapping in mappings:
        if not isinstance(mapping, MappingNode) or id(mapping) in seen:
            continue
        seen.add(id(mapping))
        keys = [k.value for k, _ in mapping.value if type(k) is ScalarNode]
        if len(keys) == len(set(keys)):  # nearly always: one pass in C
            continue
        first = {}
        for key, _ in mapping.value:
            if type(key) is ScalarNode:
                if key.value in first:
                    return key, first[key.value]
                first[key.value] = key
    return None


class _Meaning:
    """What a document means, to verify a fix: its node tree, and the changes
    a fix expects in it (``expect``), keyed by node.  Two meanings are equal
    when their trees are, key by key, entry by entry, tag by tag and scalar
    by scalar, the changes applied.  An aliased node is one node here as in
    the file: a list or mapping is compared once per pair of nodes, never
    expanded (a scalar, one comparison, where it is met: ``_same``)."""

    def __init__(self, root, changes: dict | None = None, broken: bool = False):
        self.root = root
        # id(node) -> ("value", v, node) | ("list", {i: v}, {i deleted}, (appended,), node)
        self.changes = changes or {}
        self.broken = broken  # an expectation names no node of the document

    def expect(self, expectations) -> _Meaning:
        changes = dict(self.changes)
        keys: dict[int, dict] = {}
        # Scalars first: a list's own entries are addressed by their old indexes.
        for x in sorted(expectations, key=lambda x: x.value is None):
            node = _at(self.root, x.path, keys)
            if node is None:
                return _Meaning(self.root, changes, broken=True)
            if x.value is not None:
                changes[id(node)] = ("value", x.value, node)
            else:
                if not isinstance(node, SequenceNode):
                    return _Meaning(self.root, changes, broken=True)
                _, replace, delete, append, _ = changes.get(id(node), ("list", {}, set(), (), node))
                changes[id(node)] = ("list", {**replace, **dict(x.replace)}, delete | set(x.delete),
                                     append + tuple(x.append), node)
        return _Meaning(self.root, changes)

    def __eq__(self, other) -> bool:
        if not isinstance(other, _Meaning):
            return NotImplemented
        if self.broken or other.broken or (self.changes and other.changes):
            return False
        expected, got = (other, self) if other.changes else (self, other)
        return _same(expected.root, expected.changes, got.root)

    __hash__ = None


def _at(node, path: tuple, keys: dict):
    """The node at ``path`` (steps: a key, an index, the tag of a tagged node,
    whose value the next step goes into); None when there is none, or when a
    key on the way is written twice (the locator reads the first, other
    parsers the last).  ``keys`` caches each mapping's {key: [values]} by id."""
    inside = False  # past the tag step of a tagged node
    for step in path:
        if node is None:
            return None
        if node.tag.startswith("!") and not inside:
            if step != node.tag:
                return None
            inside = True
            continue
        if isinstance(node, MappingNode):
            index = keys.get(id(node))
            if index is None:
                index = keys[id(node)] = {}
                for k, v in node.value:
                    if isinstance(k, ScalarNode):
                        index.setdefault(k.value, []).append(v)
            found = index.get(step, ())
            node = found[0] if len(found) == 1 else None
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
        inside = False
    return node


def _same(old, changes: dict, new, budget: int | None = None) -> bool:
    """``old`` with ``changes`` applied equals ``new``; each pair of collections
    is compared once (an alias is never expanded), and at most ``budget`` pairs
    of nodes (else: not equal).

    A pair of scalars is compared where it is met, without a set of pairs seen
    (keeping them in it cost 14% of comparing the bench tree's templates).  Without
    aliases no pair comes twice, so the count is what a set of every pair would
    hold.  With them, ``old`` was composed by ``_compose``, which refuses a
    document whose aliases expand past ``MAX_EXPANDED_NODES`` places
    (``_check_aliases``): a scalar pair met again gets the same answer, and the
    count stays within the default budget, as a set's would."""
    budget = MAX_EXPANDED_NODES if budget is None else budget
    stack = [(old, new)]
    pop, push, change_of = stack.pop, stack.append, changes.get
    seen: set[tuple[int, int]] = set()  # pairs of collections
    compared = 0
    while stack:
        a, b = pop()
        if a is None or b is None:
            if a is not b:
                return False
            continue
        if not isinstance(a, ScalarNode):
            pair = (id(a), id(b))
            if pair in seen:
                continue
            seen.add(pair)
        compared += 1
        if compared > budget:
            return False
        change = change_of(id(a))
        if change is not None and change[0] == "value":
            if not (isinstance(b, ScalarNode) and b.value == change[1] and b.tag == a.tag):
                return False
            continue
        if type(a) is not type(b) or a.tag != b.tag:
            return False
        if isinstance(a, ScalarNode):
            if a.value != b.value:
                return False
        elif isinstance(a, SequenceNode):
            expected = a.value
            if change is not None:  # a list the fix rewrites: its entries as they must end up
                _, replace, delete, append, _ = change
                expected = [replace.get(i, c) for i, c in enumerate(a.value) if i not in delete] + list(append)
            if len(expected) != len(b.value):
                return False
            for x, y in zip(expected, b.value):
                if isinstance(x, str):
                    if not (isinstance(y, ScalarNode) and y.value == x and y.tag == DEFAULT_TAGS[ScalarNode]):
                        return False
                else:
                    push((x, y))
        else:
            if len(a.value) != len(b.value):
                return False
            for (ka, va), (kb, vb) in zip(a.value, b.value):
                push((ka, kb))
                push((va, vb))
    return True


def refuse_duplicate(text: str, twice: tuple | None, tools: str = "", doc=None) -> None:
    """Raise the error for a key written twice (``first_duplicate``'s answer), if one is;
    ``doc``: the parsed document, which says whether the two are in different Jinja branches."""
    if twice is not None:
        key, first = twice
        shift = text.startswith("\ufeff")
        line = Positions(text).at(first.start + shift)[0]
        if tree_of(doc) is not doc:  # read through Jinja masking
            from . import jinja

            if jinja.apart(doc, first.start + shift, key.start + shift):
                raise ParseError(f'key "{key.value}" is written in two Jinja branches (lines {line} and '
                                 f"{Positions(text).at(key.start + shift)[0]}): its value is chosen when the "
                                 "template is rendered; not analysed", offset=key.start + shift)
        raise ParseError(f'duplicate key "{key.value}" (first at line {line}): '
                         f"YAML parsers disagree on which one counts{tools}", offset=key.start + shift)


@register
class CloudFormation(Format):
    name = "cloudformation"
    extensions = (".yaml", ".yml", ".json", ".template")

    def prefilter(self, data: bytes) -> bool:
        return b"AWS" in data and (b"Runtime" in data or b"BuildMethod" in data or b"DockerBuildArgs" in data)

    def sniff(self, data: bytes) -> bool:
        return self.prefilter(data)  # a template under any name: parsing tells

    def parse(self, text: str):
        try:
            doc = compose(text)
        except ParseError:
            if not _TEMPLATE_MARKERS.search(text):
                return None  # broken or multi-document YAML that is no template: not ours
            raise
        if is_template(tree_of(doc)):
            refuse_duplicate(text, _duplicate_key(tree_of(doc)), " (cfn-lint E0000)", doc)
        return doc

    def check_edit(self, old: str, new: str) -> str | None:
        """A stricter check than libyaml's for JSON files: still valid JSON;
        and a templated file keeps its Jinja as it was."""
        if "{{" in old or "{%" in old:
            from . import jinja

            if (why := jinja.changed(old, new)) is not None:
                return why
        if old.lstrip("\ufeff \t\r\n").startswith("{"):
            try:
                json.loads(old.lstrip("\ufeff"))
            except ValueError:
                return None  # was not strict JSON to begin with
            try:
                json.loads(new.lstrip("\ufeff"))
            except ValueError as e:
                return f"the edited file would not be valid JSON ({e})"
        return None

    def locate(self, doc, text: str, path: str | None = None) -> Located | None:
        tree = tree_of(doc)
        if not is_template(tree):
            return None
        located = _Walker(tree, text, path).walk()
        if tree is not doc:  # read through Jinja masking
            from . import jinja

            located = jinja.guard(located, doc)
        return located

    def locate_unit(self, parsed: dict) -> dict:
        """One file at a time, knowing its path (a SAM image function's Dockerfile is read beside it)."""
        return {path: self.locate(doc, text, path) for path, (doc, text) in parsed.items()}

    def semantic(self, doc):
        return _Meaning(tree_of(doc))

    def suppressions(self, doc, text: str):
        """Each resource's ``Metadata.iacfix.ignore``: a list of rule codes or
        names, or of mappings with ``rules`` (a code or a list), ``until`` and
        ``reason``; a bare string or mapping stands for a list of one."""
        from ..suppressions import Declared

        out = []
        shift = 1 if text.startswith("\ufeff") else 0
        tree = tree_of(doc)
        resources = _get(tree, "Resources") if is_template(tree) else None
        for name_node, res in resources.value if isinstance(resources, MappingNode) else ():
            ignore = _get(_get(_get(res, "Metadata"), "iacfix"), "ignore")
            name = _str(name_node)
            if ignore is None or name is None:
                continue
            for entry in ignore.value if isinstance(ignore, SequenceNode) else [ignore]:
                span = entry.start + shift, entry.end + shift
                if isinstance(entry, MappingNode):
                    rules = _get(entry, "rules") or _get(entry, "rule")
                    names = [_str(r) or "" for r in rules.value] if isinstance(rules, SequenceNode) else \
                        None if rules is None else [_str(rules) or ""]
                    out.append(Declared(name, names, _str(_get(entry, "until")), _str(_get(entry, "reason")), *span))
                else:
                    out.append(Declared(name, [_str(entry) or ""], None, None, *span))
        return out
