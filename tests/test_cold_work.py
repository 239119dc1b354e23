"""The work of a run without a result cache (issue 15, third round), held to what it replaced:
no record of what a unit looked at when nothing keeps it, scalars interned only in a large
document, a service's requirement files read once per directory, a mapping's keys looked up
through one index."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iacfix import deps
from iacfix.formats import cloudformation as cfn
from iacfix.formats import nodes
from iacfix.formats.nodes import MAP, STR, MappingNode, ScalarNode, SequenceNode

# --- deps: recording only when a run keeps what it records ------------------------------------------


def _reader(calls):
    @deps.memo(maxsize=8)
    def size(path: str) -> int:
        calls.append(path)
        return len(deps.read_text(path))

    return size


def test_a_run_that_keeps_nothing_records_nothing_and_the_next_that_keeps_records_again(tmp_path):
    path = str(tmp_path / "requirements.txt")
    with open(path, "w") as fh:
        fh.write("legacy-cgi\n")
    calls = []
    size = _reader(calls)
    try:
        deps.forget(keeping=False)  # a run with --no-cache
        assert size(path) == 11
        with deps.recording() as rec:  # nothing records in such a run; the kept answer says so
            assert size(path) == 11
        assert rec.seen == {} and calls == [path]
        deps.forget(keeping=True)  # the next run keeps a cache: the answer is computed again, and recorded
        with deps.recording() as rec:
            assert size(path) == 11
        assert set(rec.seen) == {("s", path)} and calls == [path, path]
        with deps.recording() as again:  # and replayed to a unit that gets it from memory
            assert size(path) == 11
        assert again.seen == rec.seen and calls == [path, path]
    finally:
        deps.forget()


def test_without_a_cache_an_answer_asked_while_recording_still_records(tmp_path):
    """``keeping`` False skips the record only where nothing records: a recording block
    (the result cache's, or a test's) still gets what computing the answer read."""
    path = str(tmp_path / "a.txt")
    with open(path, "w") as fh:
        fh.write("x")
    size = _reader([])
    try:
        deps.forget(keeping=False)
        with deps.recording() as rec:
            size(path)
        assert set(rec.seen) == {("s", path)}
    finally:
        deps.forget()


def test_check_without_a_cache_prints_what_it_prints_with_one(iacfix, write):
    write({"template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
                            "Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                            "      CodeUri: a/\n      Handler: app.handler\n      Runtime: python3.9\n"
                            "  B:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                            "      CodeUri: b/\n      Handler: app.handler\n      Runtime: python3.9\n",
           "a/app.py": "import cgi\n", "b/app.py": "import imp\n", "requirements.txt": "legacy-cgi\n"})
    cached = iacfix("check", ".", "--format", "json")
    bare = iacfix("check", ".", "--format", "json", "--no-cache")
    assert cached.out == bare.out
    assert {f["path"] for f in bare.json["findings"]} >= {"a/app.py", "b/app.py"}


# --- requirement files beside the code: once per directory ----------------------------------------

SERVICE = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
           + "".join(f"  F{n}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/f{n}/\n"
                     f"      Handler: app.handler\n      Runtime: python3.12\n" for n in range(3)))


@pytest.mark.parametrize("where", ["src", "src/f1"])
def test_functions_that_share_a_requirement_file_each_see_its_backfill(iacfix, write, where):
    """Three functions' code directories under one ``src``: the requirement file (in their parent,
    or beside one of them) is read once per directory in the run, and each function gets the
    answer its own directory gives: the backfill where the file is, the removed import elsewhere."""
    files = {"template.yaml": SERVICE, f"{where}/requirements.txt": "legacy-cgi>=2.6\n"}
    files.update({f"src/f{n}/app.py": "import cgi\n\n\ndef handler(e, c):\n    return cgi\n" for n in range(3)})
    write(files)
    run = iacfix("check", ".", "--format", "json", "--no-cache")
    said = {f["path"]: f["rule"] for f in run.json["findings"] if f["rule"].startswith("RT3")}
    covered = {"src/f0/app.py", "src/f1/app.py", "src/f2/app.py"} if where == "src" else {"src/f1/app.py"}
    assert said == {f"src/f{n}/app.py": "RT303" if f"src/f{n}/app.py" in covered else "RT301" for n in range(3)}
    assert run.out == iacfix("check", ".", "--format", "json").out  # with the cache: the same


# --- scalars interned only in a large document ---------------------------------------------------


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, MappingNode):
            stack.extend(x for pair in n.value for x in pair)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


def _shape(node):
    """The tree as plain data: kind, tag, style, offsets and value of every node."""
    if isinstance(node, ScalarNode):
        return ("s", node.tag, node.style, node.start, node.end, node.value)
    kids = [(_shape(k), _shape(v)) for k, v in node.value] if isinstance(node, MappingNode) else \
        [_shape(c) for c in node.value]
    return (type(node).__name__, node.tag, node.style, node.start, node.end, kids)


def test_a_large_document_keeps_each_scalar_value_once_a_small_one_composes_the_same_tree(monkeypatch):
    text = "Resources:\n" + "".join(f"  R{n}:\n    Type: AWS::SNS::Topic\n    Properties: {{Name: t}}\n"
                                    for n in range(50))
    small = cfn.compose_libyaml(text)
    monkeypatch.setattr(cfn, "LARGE", 100)  # this text counts as large now
    large = cfn.compose_libyaml(text)
    assert _shape(small) == _shape(large)
    types = [v for k, v in large.value[0][1].value]
    assert len({id(r.value[0][0].value) for r in types}) == 1  # "Type", once
    assert ScalarNode.__init__ is nodes._plain and not ScalarNode._seen  # nothing kept after composing


def test_interning_is_off_again_after_a_large_document_that_does_not_parse(monkeypatch):
    monkeypatch.setattr(cfn, "LARGE", 10)
    with pytest.raises(cfn.ParseError):
        cfn.compose_libyaml("a: b\nc: [d\n" + "e: f\n" * 10)
    assert ScalarNode.__init__ is nodes._plain and not ScalarNode._seen


# --- a mapping's keys through one index --------------------------------------------------------------

_KEYS = st.sampled_from(["Runtime", "Handler", "Code", "CodeUri", "x", ""])


def _key(draw_kind, value):
    if draw_kind == "scalar":
        return ScalarNode(STR, value, _Mark(0), _Mark(0))
    if draw_kind == "tagged":
        return ScalarNode("!Ref", value, _Mark(0), _Mark(0))
    return MappingNode(MAP, [], _Mark(0), _Mark(0))  # a complex key: never matched


class _Mark:
    def __init__(self, index):
        self.index = index


@st.composite
def _mappings(draw):
    pairs = draw(st.lists(st.tuples(st.sampled_from(["scalar", "scalar", "tagged", "complex"]), _KEYS), max_size=12))
    return MappingNode(MAP, [(_key(kind, value), ScalarNode(STR, f"v{i}", _Mark(i), _Mark(i)))
                             for i, (kind, value) in enumerate(pairs)], _Mark(0), _Mark(0))


def _answers(node):
    return {key: cfn._get(node, key) for key in ("Runtime", "Handler", "Code", "CodeUri", "x", "", "absent")}


@pytest.mark.parametrize("node", [None, ScalarNode(STR, "Runtime", _Mark(0), _Mark(0)),
                                  SequenceNode("tag:yaml.org,2002:seq", [], _Mark(0), _Mark(0))])
def test_the_index_of_anything_but_a_mapping_answers_nothing(node):
    assert cfn.index(node) == {}
    assert all(v is None for v in _answers(node).values())


def test_the_index_answers_the_first_of_a_key_written_twice_as_the_scan_does():
    root = cfn.compose_libyaml("Runtime: a\n!Ref Handler: b\nRuntime: c\n? [x]\n: d\nHandler: e\n")
    idx = cfn.index(root)
    assert {k: idx.get(k) for k in _answers(root)} == _answers(root)
    assert idx["Runtime"].value == "a" and idx["Handler"].value == "b"


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(_mappings())
def test_the_index_answers_what_the_linear_scan_answers(node):
    idx = cfn.index(node)
    assert {k: idx.get(k) for k in _answers(node)} == _answers(node)


def test_function_code_is_found_the_same_with_keys_written_twice(tmp_path):
    """The locator reads a function's code, handler and architecture through the index:
    the first of two keys, as before (a template with a key written twice where a runtime is
    read is refused anyway; Properties with one written twice are refused too)."""
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n"
            "    Properties:\n      Runtime: python3.9\n      Handler: a.handler\n      Code: {ZipFile: 'import cgi'}\n"
            "      Architectures: [arm64]\n")
    located = cfn.CloudFormation().locate(cfn.compose(text), text, os.path.join(str(tmp_path), "t.yaml"))
    (code,) = [m for m in located.more if type(m).__name__ == "FunctionCode"]
    assert (code.handler, code.architecture, code.inline) == ("a.handler", "arm64", "import cgi")


# --- paths shown relative to the working directory -----------------------------------------------


def _display_by_relpath(path: str) -> str:
    """The oracle: ``display_path`` through ``relpath``, without its fast path: relative when
    ``relpath`` stays below the working directory (``..x/`` is a name below it, ``../x`` is not)."""
    rel = os.path.relpath(path)
    outside = rel == ".." or rel.startswith("../") or os.path.isabs(rel)
    return (path if outside else rel).replace(os.sep, "/")


@pytest.mark.parametrize("path", [
    "a/b.yaml", "./a//b.yaml", "a/./b/../c.yaml", ".", "a/..", "../x/y.yaml", "..x/y.yaml", "a/../../y.yaml",
    "{cwd}/a/b.yaml", "{cwd}//a/./b.yaml", "{cwd}/", "{cwd}", "{cwd}/..", "{cwd}/../work/t.yaml",
    "{parent}/other/x.yaml", "/", "{cwd}x/y.yaml", "{cwd}/a/../../workx/y.yaml", "//{cwd}/a.yaml",
    "{cwd}/..x/y.yaml", "{cwd}/.../y.yaml", "{cwd}/a/../..x", "{cwd}/..",
])
@pytest.mark.parametrize("where", ["work", "/"])
def test_display_paths_are_what_relpath_says(monkeypatch, tmp_path, path, where):
    from iacfix.paths import display_path

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work if where == "work" else "/")
    path = path.format(cwd=str(work), parent=str(tmp_path))
    assert display_path(path) == _display_by_relpath(path)



def test_a_template_in_a_directory_named_dot_dot_something_is_shown_relative(iacfix, write, tmp_path):
    """``..svc/`` is below the working directory: named by its absolute path, its template was
    shown absolute (relpath's answer starts with "..", read as "outside") while its function
    code was shown relative; both are relative now, as for any directory below."""
    write({"..svc/template.yaml": "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                                  "      Runtime: python3.9\n      Handler: a.h\n      Code: {S3Bucket: b}\n"})
    run = iacfix("check", str(tmp_path / "..svc"), "--format", "json", "--no-cache")
    assert {f["path"] for f in run.json["findings"]} == {"..svc/template.yaml"}

# --- a fix's verification compares trees as before -------------------------------------------------


def _plain(node, changes=None):
    """The oracle: a tree as plain data, every alias written out where it is used, with a
    fix's ``changes`` applied (what the edited document must hold)."""
    change = (changes or {}).get(id(node))
    if change is not None and change[0] == "value":
        return ("scalar", node.tag, change[1])
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value)
    if isinstance(node, SequenceNode):
        entries = node.value
        if change is not None:
            _, replace, delete, append, _ = change
            entries = [replace.get(i, c) for i, c in enumerate(node.value) if i not in delete] + list(append)
        return ("seq", node.tag, [("scalar", STR, e) if isinstance(e, str) else _plain(e, changes) for e in entries])
    return ("map", node.tag, [(_plain(k, changes), _plain(v, changes)) for k, v in node.value])


def _same_by_plain_data(old, changes, new):
    return _plain(old, changes) == _plain(new)


_ALIASED = ("base: &b {Runtime: python3.9, Handler: a.h}\nlist: &l [python3.9, python3.10]\nx: *b\ny: [*b, *l, *l]\n"
            "z: &s python3.9\nw: [*s, *s, {k: *s}]\n")


@pytest.mark.parametrize("old, new", [
    (_ALIASED, _ALIASED),
    (_ALIASED, _ALIASED.replace("z: &s python3.9", "z: &s python3.8")),
    (_ALIASED, _ALIASED.replace("y: [*b, *l, *l]", "y: [*b, *l, *b]")),
    (_ALIASED, _ALIASED.replace("w: [*s, *s, {k: *s}]", "w: [*s, python3.9, {k: *s}]")),  # the alias written out
    (_ALIASED, _ALIASED.replace("{k: *s}", "{k: !Ref s}")),
    ("a: &a [b, &c {d: e}]\nf: [*a, *a, *c, *c]\n", "a: &a [b, &c {d: e}]\nf: [*a, *a, *c, {d: e}]\n"),
    ("a: b\n", "a: b\nc: d\n"),
    ("{\"a\": [1, 2, {\"b\": \"c\"}]}", "{\"a\": [1, 2, {\"b\": \"d\"}]}"),
])
def test_trees_compare_as_with_every_pair_kept(old, new):
    a, b = cfn.compose_libyaml(old), cfn.compose_libyaml(new)
    assert cfn._same(a, {}, b) == _same_by_plain_data(a, {}, b)
    assert cfn._same(b, {}, a) == _same_by_plain_data(b, {}, a)
    # with changes, as a fix expects them: every scalar python3.9 becomes python3.13
    changes = {id(n): ("value", "python3.13", n) for n in _walk(a) if isinstance(n, ScalarNode) and n.value == "python3.9"}
    fixed = cfn.compose_libyaml(old.replace("python3.9", "python3.13"))
    assert cfn._same(a, changes, fixed) == _same_by_plain_data(a, changes, fixed)
    assert cfn._same(a, changes, b) == _same_by_plain_data(a, changes, b)


def test_the_budget_counts_each_node_once():
    """Without aliases every node is one pair: a tree of n nodes compares within a budget of
    n, not of n - 1 (each key, value and collection counts, as a set of pairs counted them)."""
    text = "a: [" + ", ".join(f"v{n}" for n in range(50)) + "]\nb: {" + ", ".join(f"k{n}: v" for n in range(30)) + "}\n"
    a, b = cfn.compose_libyaml(text), cfn.compose_libyaml(text)
    nodes = sum(1 for _ in _walk(a))
    assert nodes == 1 + 2 + (1 + 50) + (1 + 2 * 30)  # the root, its two keys, the list, the mapping
    assert cfn._same(a, {}, b, nodes) and not cfn._same(a, {}, b, nodes - 1)


_VALUES = st.sampled_from(["python3.9", "python3.13", "x", "'1'", "!Ref p", "[a, b]", "{k: v}", "*s", "*m"])


@st.composite
def _aliased_documents(draw):
    keys = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=5, unique=True))
    lines = ["s0: &s python3.9", "m0: &m {r: python3.9, l: [python3.9, *s]}"]
    lines += [f"{k}: " + ("[" + ", ".join(draw(st.lists(_VALUES, max_size=4))) + "]" if draw(st.booleans())
                          else draw(_VALUES)) for k in keys]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_aliased_documents(), _aliased_documents(), st.booleans())
def test_trees_with_aliases_compare_as_with_every_pair_kept(old, new, fix):
    a, b = cfn.compose_libyaml(old), cfn.compose_libyaml(new if new != old or not fix else old)
    changes = {id(n): ("value", "python3.13", n) for n in _walk(a)
               if fix and isinstance(n, ScalarNode) and n.value == "python3.9"}
    assert cfn._same(a, changes, b) == _same_by_plain_data(a, changes, b)
    again = cfn.compose_libyaml(old.replace("python3.9", "python3.13") if fix else old)
    assert cfn._same(a, changes, again) == _same_by_plain_data(a, changes, again)


@pytest.mark.parametrize("real", ["/a/b/c.yaml", "/a/b", "/a/bc/d", "/a", "/", "/a/b/../c", "/a//b/c", "/a/./b/c",
                                  "/x/a/b/c", "a/b/c"])
@pytest.mark.parametrize("root", ["/a/b", "/a", "/", "/a/b/", "/a/.", "/a/b/..", "//a", "/a//b", "a/b"])
def test_a_path_is_under_a_root_as_commonpath_says(real, root):
    from iacfix.writing import _under

    try:
        expected = os.path.commonpath((real, root)) == root
    except ValueError:
        expected = False
    assert _under(real, root) == expected


# --- Terraform's semantic view, walked with one cursor ---------------------------------------------

_HCL_CASES = [
    'a = [1, /* c */ 2, # x\n 3]\nb = []\nc = [ # only a comment\n]\n',
    'resource "aws_lambda_function" "f" {\n  runtime = "python3.9" # pin\n  tags = { a = "b", "c" = [1, [2, 3]] }\n}\n',
    'locals {\n  x = <<EOT\nhello ${var.y}\nEOT\n  y = var.a ? "p" : "q"\n  z = [for s in var.l : upper(s) if s != ""]\n}\n',
    '// only a comment\n',
    '',
    'variable "v" {\n  default = "a\\"b\\u00e9"\n  validation {\n    condition = contains(["python3.9"], var.v)\n  }\n}\n',
]


def _hcl_texts():
    from pathlib import Path

    here = Path(__file__).parent
    files = [p for d in (here, here.parent / "samples") for p in sorted(d.rglob("*"))
             if p.suffix in (".tf", ".tfvars") and p.is_file()]
    return _HCL_CASES + [p.read_text(encoding="utf-8", errors="replace") for p in files]


def semantic_by_children(node, data: bytes):
    """The oracle: ``hcl_semantic`` as it was first written, asking each node for its children."""
    if node.type == "string_lit":
        return data[node.children[0].end_byte:node.children[-1].start_byte].decode("utf-8")
    kids = [c for c in node.children if c.type != "comment"]
    if node.type == "tuple":
        return [semantic_by_children(k, data) for k in kids if k.type == "expression"]
    if not kids:
        return data[node.start_byte:node.end_byte].decode("utf-8")
    if len(kids) == 1:
        return semantic_by_children(kids[0], data)
    return [node.type] + [semantic_by_children(k, data) for k in kids]


def test_the_cursor_walk_gives_the_semantic_view_the_node_walk_gave():
    from iacfix.formats.terraform import loading
    from iacfix.formats.terraform.hcl import hcl_semantic

    texts, compared = _hcl_texts(), 0
    assert len(texts) > 30
    for text in texts:
        try:
            doc = loading._parse(text)
        except cfn.ParseError:
            continue
        if doc.kind == "hcl":
            root = doc.tree.root_node
            assert hcl_semantic(root, doc.data) == semantic_by_children(root, doc.data), text
            for child in root.children:  # from any node, not only the root
                assert hcl_semantic(child, doc.data) == semantic_by_children(child, doc.data)
            compared += 1
    assert compared > 25


def test_findings_on_one_runtime_carry_its_deadlines(iacfix, write):
    from iacfix.catalog import load_catalog

    rt = load_catalog().get("python3.9", "aws")
    write("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + "".join(
        f"  F{n}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.9\n" for n in range(3)))
    found = [f for f in iacfix("check", ".", "--format", "json").json["findings"] if f["runtime"] == "python3.9"]
    assert len(found) == 3 and all(f["deadlines"] == rt.deadlines() for f in found)


def test_the_semantic_walk_leaves_no_cycle_to_collect():
    """A walk that held itself (a closure calling itself) kept each tree-sitter tree it
    walked, C memory the collector does not count, until a full collection: fix
    --dry-run of the bench tree peaked at 178 MB instead of 50 MB."""
    import gc

    from iacfix.formats.terraform import loading
    from iacfix.formats.terraform.hcl import hcl_semantic

    doc = loading._parse(_HCL_CASES[1])
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(20):
            hcl_semantic(doc.tree.root_node, doc.data)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
