"""The data that flows through iacfix: files -> sites -> findings -> edits.

Formats locate: ``Site``s (a runtime value with its exact span and a
structured ``Where``) and ``Unresolved`` notes, in a ``Located``.  Checkers
(``iacfix.rules``) turn what was located into ``Finding``s, each carrying its
``Fix``: span ``Edit``s with a title and an applicability, or the reason it
has none.  The engine applies the fixes a run asks for and verifies them.  Offsets are indexes into the decoded text
(characters, BOM included as U+FEFF), so splicing the text and encoding it
back in the file's encoding (UTF-8, or UTF-16 / UTF-32 with a BOM) changes
no other byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from collections import namedtuple

from .records import dataclass


class ParseError(Exception):
    """A file that cannot be read or parsed; ``offset`` locates the problem."""

    def __init__(self, message: str, offset: int | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column


@dataclass
class Item:
    """One entry of a list of runtimes (CompatibleRuntimes, AllowedValues)."""

    value: str | None  # None when the entry is not a literal (e.g. !Ref)
    start: int
    end: int
    delete: tuple[int, int] | None = None  # span removing the whole entry (block lists)
    reaches: list = field(default_factory=list)  # sites a non-literal entry can evaluate to


@dataclass
class ListInfo:
    """A list a site belongs to; the fixer rewrites it as a whole."""

    path: tuple
    items: list[Item]
    flow: bool  # [a, b] (and JSON) rather than one "- a" line per entry
    comment: str | tuple[str, ...] = "#"  # how a comment starts: a prefix, or several (HCL: #, //, /*); "" if none
    blocked: str | None = None  # why the list cannot be rewritten safely, if so
    single_needs_comma: bool = False  # a one-entry list keeps a trailing comma: (a,)
    # A list of what is tested or supported (a CI matrix, classifiers): flagged
    # entries leave it, the rest stay, and the target comes only if none is left.
    tested: bool = False


@dataclass(frozen=True)
class Where:
    """Where a value is written, as data (rules and reporters word it).

    ``kind`` names the place: ``resource`` (a resource's property or
    attribute), ``globals`` (SAM Globals), ``parameter`` (a template
    parameter's ``Default`` or ``AllowedValues``), ``mapping`` (a Mappings
    entry), ``metadata`` (a resource's Metadata), ``variable`` (a Terraform
    variable or .tfvars value), ``local``, ``module-input``, ``construct``
    (a CDK construct call), ``value`` (any other reference, named as written).
    ``name`` is the thing's own name (logical id, address, parameter), and
    ``field`` the property, attribute or key under it.  ``via`` names what
    the value is interpolated into, if anything.
    """

    kind: str
    name: str = ""
    field: str = ""
    via: str = ""  # what the value is written into, when it is part of a larger one: Fn::Sub "python${V}"


@dataclass
class Site:
    """A runtime value in a file: its exact span, where it sits, and what it takes to rewrite it."""

    value: str
    start: int  # span of the whole scalar token, quotes included
    end: int
    path: tuple  # where the scalar sits in the parsed document
    kind: str  # property | globals | parameter-default | allowed-value | mapping-value | layer-runtime |
    #            build-method | module-input | implicit-default (a construct's default, not written)
    provider: str = "aws"
    quote: str | None = ""  # "", "'", '"'; None: the token cannot be rewritten in place
    users: list[str] = field(default_factory=list)
    where: Where = field(default_factory=lambda: Where("value"))
    in_list: ListInfo | None = None
    also: list[tuple] = field(default_factory=list)  # further paths of the same node (YAML aliases)
    layers: list[str] = field(default_factory=list)  # layers built for this runtime (rebuilt when it moves)
    # How this format writes a target here: runtime id -> (replacement text,
    # the value the re-parsed document holds at ``path``), or None when it
    # cannot be written.  None: the id itself, in the site's quotes.
    spell: Callable[[str], tuple[str, object] | None] | None = field(default=None, repr=False)
    # For a runtime that is not written at all (a construct's default): the
    # fix inserts text at ``start`` (== ``end``) and ``path`` names the list
    # the re-parsed document gains ``spell(target)[1]`` in.
    insert: bool = False
    at: tuple[int, int] | None = None  # where findings point, when not at the edited span
    blocked: str | None = None  # why this value must not be rewritten (reported, never fixed), if so
    # Values that must move together or not at all, sharing this key: a
    # parameter's Default and its AllowedValues, a variable's values and its
    # validation list.
    tied: tuple | None = None


@dataclass
class Unresolved:
    """A runtime whose value iacfix cannot tell (a parameter without a default, an expression)."""

    start: int
    end: int
    reason: str
    users: list[str] = field(default_factory=list)
    provider: str = "aws"


@dataclass
class Located:
    """What a format found in one file."""

    sites: list[Site]
    unresolved: list[Unresolved]
    more: list = field(default_factory=list)  # anything else a format locates, for the checkers that consume it


# Tuples, built by ``collections.namedtuple`` (``typing.NamedTuple`` makes the same class, and
# importing ``typing`` cost a one-file check 2 ms): cheap to make, hash and send between processes.
Edit = namedtuple("Edit", ["start", "end", "text"], module=__name__)
Edit.__doc__ = """Replace ``text[start:end]`` (character offsets) with ``text``."""


Expectation = namedtuple("Expectation", ["path", "value", "replace", "delete", "append"],
                         defaults=(None, (), (), ()), module=__name__)
Expectation.__doc__ = """What the re-parsed document must show at ``path`` after a fix: a scalar's new
``value``; a list's ``replace`` ((index, value), ...), ``delete`` (indexes removed) and ``append``
(values added at its end)."""


SAFE, UNSAFE = "safe", "unsafe"


@dataclass(slots=True)
class Fix:
    """Span edits on one file, with a title and an applicability.

    ``safe`` fixes are applied by ``fix``; ``unsafe`` ones (they may change
    what the code does) only with ``--unsafe-fixes``.  ``expect`` says what
    the re-parsed file must show afterwards; ``notes`` are said when the fix
    is applied.  Several findings may share one fix (the entries of one list).
    """

    title: str
    applicability: str
    edits: tuple[Edit, ...]
    expect: tuple[Expectation, ...] = ()
    notes: tuple[str, ...] = ()
    lines: tuple[tuple[int, int, int, int], ...] = ()  # each edit's (line, column, end_line, end_column)

    def to_json(self, path: str) -> dict:
        return {"title": self.title, "applicability": self.applicability, "edits": [
            {"path": path, "line": a, "column": b, "end_line": c, "end_column": d, "content": e.text}
            for e, (a, b, c, d) in zip(self.edits, self.lines)]}


@dataclass(slots=True)
class Finding:
    """What a rule says of one located item, with its fix or why it has none."""

    rule: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    runtime: str | None = None
    provider: str = "aws"
    deadlines: dict | None = None
    users: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # further structured keys, per rule
    fix: Fix | None = None
    fix_unavailable: str | None = None  # why there is no fix, when there is none
    fixable: bool = False  # a fix this run applies (safe, or unsafe with --unsafe-fixes)
    tie: tuple | None = field(default=None, compare=False, repr=False)  # Site.tied of its site
    stuck: bool = field(default=False, compare=False, repr=False)  # should move, cannot be rewritten
    where: Where | None = field(default=None, compare=False, repr=False)  # the site's logical place (baseline keys)

    def to_json(self) -> dict:
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "runtime": self.runtime,
            "provider": self.provider,
            "message": self.message,
            "deadlines": self.deadlines,
            "fixable": self.fixable,
            "used_by": self.users,
        }
        out.update(self.data)
        out["fix"] = None if self.fix is None else self.fix.to_json(self.path)
        out["fix_unavailable"] = self.fix_unavailable
        return out


@dataclass
class FileError:
    """A file that could not be read, parsed or written, at its line and column."""

    path: str
    line: int
    column: int
    message: str

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}



@dataclass
class FunctionCode:
    """Where a function's code is, as a format reads it (put in ``Located.more``).

    ``function`` names the function as the runtime sites' ``users`` do (a
    logical id, a construct id, a Terraform address, a Serverless function's
    key; a standalone Dockerfile's path, as its base image's ``users`` do), so
    that a checker can tie the code to the runtime it runs on.  ``root`` is the code's directory
    (or single file) as written, relative to ``base`` (``file``: the IaC
    file's directory; ``app``: the CDK app's root, where ``cdk.json`` is);
    ``inline`` the code itself when it is written in the file (``ZipFile``,
    ``InlineCode``, ``Code.from_inline``), starting at ``inline_line``.
    ``handler`` is Lambda's ``module.function`` (``index`` for ``PythonFunction``'s
    ``index=``).  ``not_local`` says why the code cannot be read (an S3
    object, a value known only at deploy time); then nothing is guessed.
    ``start``/``end`` locate the declaration (a finding about the code as a
    whole points there).  Formats say where; they never read the code.
    """

    function: str
    start: int
    end: int
    where: Where = field(default_factory=lambda: Where("resource"))
    root: str | None = None
    base: str = "file"  # file | app
    handler: str | None = None
    inline: str | None = None
    inline_line: int = 1
    inline_indent: int = 0  # columns the file indents the inline code by (a YAML block scalar)
    inline_flat: bool = False  # the code's lines are escapes in one written line: findings point at it
    not_local: str | None = None
    architecture: str = "x86_64"
    # The IaC names the code directory (CodeUri, an asset, source_dir); False when it is the
    # file's own directory by default (a Serverless service, a Dockerfile's build context).
    named_root: bool = True


@dataclass
class ToolPin:
    """A deploy tool's version as a repository pins it (put in ``Located.more``):
    ``aws-cdk-lib`` in a requirements file, ``pyproject.toml``, ``package.json``
    or a lock file; the ``hashicorp/aws`` provider in ``required_providers`` or
    ``.terraform.lock.hcl``.  ``spec`` is the constraint as written
    (``==2.100.0``, ``^2.100.0``, ``~> 5.0``) in ``ecosystem``'s syntax (pypi,
    npm, terraform); ``start``/``end`` span the text a fix replaces, ``path``
    is where the re-parsed document holds it, and ``spell(spec)`` the
    replacement text and the value it parses to.  ``lock``: resolved by a
    tool, never edited by hand."""

    tool: str
    ecosystem: str
    spec: str
    start: int
    end: int
    path: tuple = ()
    lock: bool = False
    spell: Callable[[str], tuple[str, object]] | None = field(default=None, repr=False)
