"""A Dockerfile lexer with exact positions, following BuildKit's parser
(``frontend/dockerfile/parser/parser.go``) step by step.

BuildKit reads a Dockerfile line by line: parser directives (``# escape=`
``, ``# syntax=...``) only before anything else; comment lines; an
instruction's physical lines joined where a line ends in the escape character
(backslash, or backtick after ``# escape=```), comment lines and blank lines
inside such a run skipped; then, for ``RUN``, ``COPY`` and ``ADD`` (also
under ``ONBUILD``), the bodies of the heredocs the line opens (``<<EOF``,
``<<-EOF``, ``<<"EOF"``), read up to their terminator.  This module does the
same and keeps, for every instruction, where each piece of its logical line
sits in the text, so that a word of the logical line maps back to its exact
span (or to None when a continuation splits it).

Tested against BuildKit itself (the ``dockerfile`` package, tests only) on
generated inputs: same instructions, same lines, same logical text, same
heredoc bodies.
"""

from __future__ import annotations

import re
from dataclasses import field

from ..model import ParseError
from ..records import dataclass

_DIRECTIVE = re.compile(r"#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z", re.S)
_DIRECTIVES = {"escape", "syntax", "check"}
_WORD = re.compile(r"[^\t\v\f\r ]+")  # BuildKit splits instruction words on [\t\v\f\r ]+
_HEREDOC = re.compile(r"(\d*)<<(-?)([^<]*)\Z")
_HEREDOC_KEYWORDS = {"run", "copy", "add"}
# Go's unicode.IsSpace: Python's str.isspace() also counts U+001C-U+001F.
_NOT_GO_SPACE = "\x1c\x1d\x1e\x1f"


def _lstrip(s: str, start: int, end: int) -> int:
    """The first index in s[start:end] that is not white space (as Go sees it)."""
    while start < end and s[start].isspace() and s[start] not in _NOT_GO_SPACE:
        start += 1
    return start


@dataclass
class Heredoc:
    name: str
    start: int  # the body: text[start:end], every line with its newline
    end: int
    chomp: bool  # <<-: leading tabs are stripped


@dataclass
class Instruction:
    keyword: str  # lower case: "from", "run", ...; "" for a line BuildKit ignores
    line: str  # the logical line: continuations joined, comment lines dropped
    pieces: tuple  # ((logical offset, text offset, length), ...)
    first_line: int  # 1-based physical lines, heredoc bodies included
    last_line: int
    heredocs: list[Heredoc] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.pieces[0][1]

    def span(self, i: int, j: int) -> tuple[int, int] | None:
        """Where logical ``line[i:j]`` is written in the text; None when a
        continuation splits it."""
        for lo, at, n in self.pieces:
            if lo <= i and j <= lo + n and (i < lo + n or n == 0 or i == j):
                return at + i - lo, at + j - lo
        return None

    def words(self) -> list[tuple[str, int, int]]:
        """The logical line split as BuildKit splits it: (word, start, end) in logical offsets."""
        return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(self.line)]

    def args(self) -> tuple[str, int]:
        """The text after the keyword, and its logical offset."""
        m = _WORD.search(self.line)
        if m is None:
            return "", len(self.line)
        rest = m.end()
        while rest < len(self.line) and self.line[rest] in "\t\v\f\r ":
            rest += 1
        return self.line[rest:], rest


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    escape: str  # "\\" or "`"
    text: str = field(default="", repr=False)


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end without trailing CR/LF, end with them) of every line, as bufio splits at LF."""
    out, pos, n = [], 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        stop = n if nl == -1 else nl + 1
        end = stop
        while end > pos and text[end - 1] in "\r\n":
            end -= 1
        out.append((pos, end, stop))
        pos = stop
    return out


class _Directives:
    def __init__(self):
        self.escape = "\\"
        self.done = False
        self.seen: set[str] = set()
        self._set("\\")

    def _set(self, token: str) -> None:
        e = re.escape(token)
        self.continuation = re.compile(rf"([^{e}]){e}[ \t]*\Z|\A{e}[ \t]*\Z")

    def possible(self, line: str, at: int) -> None:
        if self.done:
            return
        m = _DIRECTIVE.match(line)
        if m is None or m.group(1).lower() not in _DIRECTIVES:
            self.done = True
            return
        key = m.group(1).lower()
        if key in self.seen:
            raise ParseError(f"only one {key} parser directive can be used", offset=at)
        self.seen.add(key)
        if key == "escape":
            if m.group(2) not in ("`", "\\"):
                raise ParseError(f"invalid escape token '{m.group(2)}' does not match ` or \\", offset=at)
            self.escape = m.group(2)
            self._set(self.escape)

    def trim(self, s: str) -> tuple[int, bool]:
        """Length of ``s`` without a continuation character, and whether the line ends here."""
        m = self.continuation.search(s)
        if m is None:
            return len(s), True
        return m.start() + (1 if m.group(1) is not None else 0), False


def _is_comment(text: str, start: int, end: int) -> bool:
    i = _lstrip(text, start, end)
    return i < end and text[i] == "#"


def _shell_words(line: str, raw: bool) -> list[str]:
    """Words as BuildKit's shell lexer splits them: quotes and escapes kept
    (``raw``, how heredoc openers are found) or removed (how their names are read)."""
    words, cur, has, i, quote = [], [], False, 0, None
    while i < len(line):
        c = line[i]
        if quote:
            if c == quote:
                quote = None
                if raw:
                    cur.append(c)
            elif c == "\\" and quote == '"' and i + 1 < len(line):
                i += 1
                cur.append(c + line[i] if raw else line[i])
            else:
                cur.append(c)
        elif c in "'\"":
            quote, has = c, True
            if raw:
                cur.append(c)
        elif c == "\\" and i + 1 < len(line):
            i += 1
            cur.append(c + line[i] if raw else line[i])
            has = True
        elif c == "\\" and not raw:  # a trailing backslash escapes nothing: Go's lexer drops it (<<EOF\)
            has = True
        elif c.isspace() and c not in _NOT_GO_SPACE:  # Go's unicode.IsSpace, as BuildKit's shell lexer
            if cur or has:
                words.append("".join(cur))
            cur, has = [], False
        else:
            cur.append(c)
            has = True
        i += 1
    if cur or has:
        words.append("".join(cur))
    return words


def _heredoc_names(keyword: str, line: str, args: str) -> list[tuple[str, bool]]:
    if keyword == "onbuild":
        sub = _WORD.search(args)
        keyword = sub.group().lower() if sub else ""
        args = args[sub.end():] if sub else ""
    if keyword not in _HEREDOC_KEYWORDS or args.lstrip().startswith("["):  # JSON form: no heredocs
        return []
    out = []
    for word in _shell_words(line, raw=True):
        m = _HEREDOC.match(word)
        name = _shell_words(m.group(3), raw=False) if m and m.group(3) else []
        if len(name) == 1:
            out.append((name[0], m.group(2) == "-"))
    return out


def parse(text: str) -> Dockerfile:
    d = _Directives()
    lines = _lines(text)
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        start, end, _ = lines[i]
        if i == 0 and text.startswith("\ufeff"):
            start += 1
        start = _lstrip(text, start, end)
        d.possible(text[start:end], start)
        i += 1
        first = i
        if start < end and text[start] == "#":
            continue  # a comment line (trimComments leaves nothing)
        n, done = d.trim(text[start:end])
        if done and n == 0:
            continue
        pieces, logical = [(0, start, n)], n
        while not done and i < len(lines):
            s, e, _ = lines[i]
            d.possible(text[s:e], s)
            i += 1
            if _is_comment(text, s, e) or _lstrip(text, s, e) == e:
                continue
            n, done = d.trim(text[s:e])
            pieces.append((logical, s, n))
            logical += n
        line = "".join(text[at:at + n] for _, at, n in pieces)
        m = _WORD.search(line)
        # BuildKit trims the joined line as Go's strings.TrimSpace does (a no-break space after an empty first line).
        keyword = m.group()[_lstrip(m.group(), 0, len(m.group())):].lower() if m else ""
        ins = Instruction(keyword, line, tuple(pieces), first, i)
        args = line[m.end():] if m else ""
        for name, chomp in (_heredoc_names(keyword, line, args) if "<<" in line else ()):
            body = lines[i][0] if i < len(lines) else len(text)
            while True:
                if i >= len(lines):
                    raise ParseError("unterminated heredoc", offset=ins.start)
                s, e, stop = lines[i]
                i += 1
                candidate = text[s:e].lstrip("\t") if chomp else text[s:e]
                if candidate == name:
                    ins.heredocs.append(Heredoc(name, body, s, chomp))
                    break
        ins.last_line = i
        out.append(ins)
    return Dockerfile(out, d.escape, text)
