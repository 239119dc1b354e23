"""The data that flows through iacfix: files -> sites -> findings -> edits.

Formats produce ``Site``s (a runtime value with its exact span) and
``Unresolved`` notes; the judge turns them into ``Finding``s; the fixer turns
fixable findings into ``Edit``s.  Offsets are indexes into the decoded text
(characters, BOM included as U+FEFF), so splicing the text and encoding it
back as UTF-8 changes no other byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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


@dataclass
class Site:
    value: str
    start: int  # span of the whole scalar token, quotes included
    end: int
    path: tuple  # where the scalar sits in the parsed document
    kind: str  # property | globals | parameter-default | allowed-value | mapping-value | layer-runtime |
    #            build-method | implicit-default (a construct's default, not written)
    provider: str = "aws"
    quote: str | None = ""  # "", "'", '"'; None: the token cannot be rewritten in place
    users: list[str] = field(default_factory=list)
    where: str = ""  # human description: "Parameter PyRuntime Default"
    in_list: ListInfo | None = None
    notes: list[str] = field(default_factory=list)  # said when the site is fixed
    also: list[tuple] = field(default_factory=list)  # further paths of the same node (YAML aliases)
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


@dataclass
class Unresolved:
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


@dataclass
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    runtime: str | None
    message: str
    deadlines: dict | None
    fixable: bool
    provider: str = "aws"
    users: list[str] = field(default_factory=list)
    site: Site | None = field(default=None, repr=False, compare=False)
    fix_to: str | None = None  # the fix target as this site's provider spells it

    def to_json(self) -> dict:
        return {
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


@dataclass
class FileError:
    path: str
    line: int
    column: int
    message: str

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str
