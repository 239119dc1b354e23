"""The command line's machinery: options declared as data, parsed, checked
and rendered as help the way click did (same grammar, messages, help layout
and exit statuses), without importing click (about 13-15 ms of a one-file
run).  ``output`` is click.echo's and click.style's part: text written and
flushed, ANSI styling dropped when the stream is not a terminal."""

from __future__ import annotations

import os
import sys


class UsageError(Exception):
    """A usage error: ``Error: MESSAGE`` on stderr, after the command's usage line when it has one; exit 2."""

    def __init__(self, message: str, command=None):
        super().__init__(message)
        self.message, self.command = message, command


class Exit(Exception):
    def __init__(self, code: int = 0):
        super().__init__(code)
        self.code = code


def invalid(message: str, option=None) -> UsageError:
    """click's BadParameter wording: ``Invalid value for '--flag': MESSAGE`` (``Invalid value: MESSAGE`` without one)."""
    if option is None:
        return UsageError(f"Invalid value: {message}")
    return UsageError(f"Invalid value for {' / '.join(repr(n) for n in option.names)}: {message}")


# --- values -----------------------------------------------------------------------------------------

class IntRange:
    def __init__(self, min=None, max=None):
        self.min, self.max = min, max
        self.describe = "<=".join(p for p in (None if min is None else f"{min}", "x",
                                               None if max is None else f"{max}") if p is not None)
        if max is None:
            self.describe = f"x>={min}"
        elif min is None:
            self.describe = f"x<={max}"

    def __call__(self, value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid integer range.") from None
        if (self.min is not None and n < self.min) or (self.max is not None and n > self.max):
            raise ValueError(f"{n} is not in the range {self.describe}.")
        return n


class Choice:
    def __init__(self, choices):
        self.choices = tuple(choices)
        self.metavar = f"[{'|'.join(self.choices)}]"

    def __call__(self, value: str) -> str:
        if value not in self.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(repr(c) for c in self.choices)}.")
        return value


class Path:
    """click.Path(exists=False): a path that need not exist; if it does, it must be of the kind asked for."""

    def __init__(self, file_okay=True, dir_okay=True, readable=True, writable=False):
        self.file_okay, self.dir_okay, self.readable, self.writable = file_okay, dir_okay, readable, writable
        self.kind = "File" if not dir_okay else "Directory" if not file_okay else "Path"
        self.metavar = self.kind.upper()

    def __call__(self, value: str) -> str:
        import stat

        try:
            st = os.stat(value)
        except OSError:
            return value
        if not self.file_okay and stat.S_ISREG(st.st_mode):
            raise ValueError(f"{self.kind} {value!r} is a file.")
        if not self.dir_okay and stat.S_ISDIR(st.st_mode):
            raise ValueError(f"{self.kind} {value!r} is a directory.")
        if self.readable and not os.access(value, os.R_OK):
            raise ValueError(f"{self.kind} {value!r} is not readable.")
        if self.writable and not os.access(value, os.W_OK):
            raise ValueError(f"{self.kind} {value!r} is not writable.")
        return value


class Option:
    """``--name VALUE`` (or a flag, or ``--on/--off``), stored under ``dest``."""

    def __init__(self, *names, dest=None, type=None, default=None, flag=False, multiple=False, metavar=None,
                 help="", show_default=False, off=None):
        self.names, self.flag, self.multiple, self.type, self.help = names, flag, multiple, type, help
        self.off = off  # the --no-... name of an on/off pair
        self.dest = dest or max(names, key=len).lstrip("-").replace("-", "_")
        self.default = () if multiple else (False if flag and default is None else default)
        self.metavar = metavar or getattr(type, "metavar", None) or "TEXT"
        self.show_default = show_default

    def term(self) -> str:
        names = ", ".join(sorted(self.names, key=lambda n: len(n) - len(n.lstrip("-")))) if self.off is None else f"{self.names[0]} / {self.off}"
        return names if self.flag else f"{names} {self.metavar}"

    def describe(self) -> str:
        """The help text, then the default and range in brackets."""
        bits = []
        if self.show_default:
            bits.append(f"default: {(self.names[0] if self.default else self.off).lstrip('-')}" if self.off
                        else f"default: {self.default}")
        if isinstance(self.type, IntRange):
            bits.append(self.type.describe)
        if not bits:
            return self.help
        return f"{self.help}  [{'; '.join(bits)}]" if self.help else f"[{'; '.join(bits)}]"


class Argument:
    def __init__(self, name: str, many: bool = False):
        self.name, self.many, self.dest = name, many, name.lower()
        self.usage = f"[{name}]..." if many else name


HELP = Option("-h", "--help", flag=True, help="Show this message and exit.")


class Command:
    def __init__(self, name: str, callback, params: list, help: str = "", epilog: str | None = None):
        self.name, self.callback, self.params, self.help, self.epilog = name, callback, params, help, epilog
        self.options = [p for p in params if isinstance(p, Option)] + [HELP]
        self.arguments = [p for p in params if isinstance(p, Argument)]

    @property
    def prog(self) -> str:
        return f"iacfix {self.name}"

    def usage(self) -> str:
        return " ".join(["[OPTIONS]", *(a.usage for a in self.arguments)])

    def fail(self, message: str):
        """A usage error with this command's usage line (click's ``ctx.fail``)."""
        raise UsageError(message, self)

    def exit(self, code: int = 0):
        raise Exit(code)

    def parse(self, args: list[str]) -> dict:
        """The values of ``args``, converted and checked, or UsageError; ``-h`` prints help and exits 0."""
        by_name = {}
        for o in self.options:
            for n in o.names + ((o.off,) if o.off else ()):
                by_name[n] = o
        raw: dict = {}  # dest -> the strings given (a list), or a flag's value
        positional: list[str] = []
        args = list(args)
        while args:
            arg = args.pop(0)
            if arg == "--":
                positional += args
                break
            if not arg.startswith("-") or arg == "-":
                positional.append(arg)
                continue
            if arg.startswith("--"):
                name, eq, attached = arg.partition("=")
                opts = [(name, attached if eq else None)]
            else:  # -j4, -qj 4, -q
                opts, rest = [], arg[1:]
                while rest:
                    name, rest = "-" + rest[0], rest[1:]
                    o = by_name.get(name)
                    if o is not None and not o.flag and rest:
                        opts.append((name, rest))
                        break
                    opts.append((name, None))
            for name, value in opts:
                o = by_name.get(name)
                if o is None:
                    longs = [n for n in by_name if n.startswith("--")]
                    raise UsageError(_no_such_option(name, longs if name.startswith("--") else ()), self)
                if o.flag:
                    if value is not None:
                        raise UsageError(f"Option {name!r} does not take a value.")
                    raw[o.dest] = name != o.off
                    continue
                if value is None:
                    if not args:
                        raise UsageError(f"Option {name!r} requires an argument.")
                    value = args.pop(0)
                raw.setdefault(o.dest, []).append(value)
        if raw.get("help"):
            echo(self.help_text())
            raise Exit(0)
        values = {}
        for o in self.options[:-1]:
            given = raw.get(o.dest)
            if given is None:
                values[o.dest] = o.default
            elif o.flag:
                values[o.dest] = given
            else:
                try:
                    converted = [o.type(v) if o.type else v for v in given]
                except ValueError as e:
                    error = invalid(str(e), o)
                    error.command = self
                    raise error from None
                values[o.dest] = tuple(converted) if o.multiple else converted[-1]
        for a in self.arguments:
            if a.many:
                values[a.dest], positional = tuple(positional), []
            elif positional:
                values[a.dest] = positional.pop(0)
            else:
                raise UsageError(f"Missing argument {a.name!r}.", self)
        if positional:
            s = "" if len(positional) == 1 else "s"
            raise UsageError(f"Got unexpected extra argument{s} ({' '.join(positional)})", self)
        return values

    def help_text(self) -> str:
        out = Help()
        out.usage(self.prog, self.usage())
        out.text(self.help)
        out.section("Options", [(o.term(), o.describe()) for o in self.options])
        if self.epilog:
            out.text(self.epilog)
        return out.value()


def _no_such_option(name: str, possibilities) -> str:
    message = f"No such option {name!r}."
    if possibilities:
        from difflib import get_close_matches

        close = sorted(get_close_matches(name, possibilities))
        listed = ", ".join(repr(p) for p in close)
        if len(close) == 1:
            message += f" Did you mean {listed}?"
        elif close:
            message += f" (Did you mean one of: {listed}?)"
    return message


class Group:
    """``iacfix [--version] [-h] COMMAND [ARGS]...``; a command's values go to its callback as keywords."""

    prog = "iacfix"

    def __init__(self, help: str, version: str):
        self.help, self.version, self.commands = _doc(help), version, {}

    def command(self, name: str, params: list, epilog: str | None = None):
        def register(f):
            self.commands[name] = Command(name, f, params, _doc(f.__doc__), epilog)
            return f

        return register

    def fail(self, message: str):
        raise UsageError(message, self)

    def usage(self) -> str:
        return "[OPTIONS] COMMAND [ARGS]..."

    def help_text(self) -> str:
        out = Help()
        out.usage(self.prog, self.usage())
        out.text(self.help)
        out.section("Options", [("--version", "Show the version and exit."), (HELP.term(), HELP.help)])
        limit = out.width - 6 - max(len(n) for n in self.commands)
        out.section("Commands", [(n, _short(self.commands[n].help, limit)) for n in sorted(self.commands)])
        return out.value()

    def __call__(self, args: list[str] | None = None) -> None:
        """Run the command line ``args`` (default: ``sys.argv[1:]``) and exit with its status, as click's main did."""
        code = 0
        try:
            self.invoke(sys.argv[1:] if args is None else list(args))
        except Exit as e:
            code = e.code
        except UsageError as e:
            _show(e)
            code = 2
        except (EOFError, KeyboardInterrupt):
            echo("", err=True)
            echo("Aborted!", err=True)
            code = 1
        except OSError as e:
            import errno

            if e.errno != errno.EPIPE:
                raise
            sys.stdout, sys.stderr = _Pacified(sys.stdout), _Pacified(sys.stderr)
            code = 1
        sys.exit(code)

    def invoke(self, args: list[str]) -> None:
        if not args:
            echo(self.help_text(), err=True)
            raise Exit(2)
        while args and args[0].startswith("-"):
            arg = args.pop(0)
            if arg in ("-h", "--help"):
                echo(self.help_text())
                raise Exit(0)
            if arg == "--version":
                echo(f"iacfix, version {self.version}")
                raise Exit(0)
            if arg == "--":
                break
            raise UsageError(_no_such_option(arg.partition("=")[0], ()), self)
        if not args:
            raise UsageError("Missing command.", self)
        command = self.commands.get(args[0])
        if command is None:
            from difflib import get_close_matches

            close = sorted(get_close_matches(args[0], self.commands))
            message = f"No such command {args[0]!r}."
            if close:
                listed = ", ".join(repr(p) for p in close)
                message += f" Did you mean {listed}?" if len(close) == 1 else f" (Did you mean one of: {listed}?)"
            raise UsageError(message, self)
        values = command.parse(args[1:])
        command.callback(command, **values)
        raise Exit(0)


def _show(e: UsageError) -> None:
    lines = []
    if e.command is not None:
        lines += [f"Usage: {e.command.prog} {e.command.usage()}",
                  f"Try '{e.command.prog} --help' for help.", ""]
    lines.append(f"Error: {e.message}")
    echo("\n".join(lines), err=True)


class _Pacified:
    """A stream whose flush ignores a broken pipe (the reader of ``iacfix check . | head`` is gone)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except BrokenPipeError:
            pass

    def __getattr__(self, attr):
        return getattr(self.wrapped, attr)


# --- help, laid out as click laid it out -------------------------------------------------------------

def _doc(doc: str | None) -> str:
    if not doc:
        return ""
    import inspect

    return inspect.cleandoc(doc)


def _short(help: str, limit: int) -> str:
    """click's short help: the first sentence of the first paragraph, shortened to ``limit``."""
    words = help.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    for i, word in enumerate(words):
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            words = words[:i + 1]
            break
    text = " ".join(words)
    if len(text) <= limit:
        return text
    import textwrap

    return textwrap.shorten(text, limit, placeholder="...", break_on_hyphens=False)


def _wrap(text: str, width: int, indent: str = "", paragraphs: bool = False) -> str:
    import textwrap

    text = text.expandtabs()

    def fill(t: str, extra: str) -> str:
        return textwrap.fill(t, width, initial_indent=indent + extra, subsequent_indent=indent + extra,
                             replace_whitespace=False)

    if not paragraphs:
        return fill(text, "")
    blocks, buf, lead = [], [], None

    def flush():
        if buf:
            if buf[0].strip() == "\b":
                blocks.append((lead or 0, True, "\n".join(buf[1:])))
            else:
                blocks.append((lead or 0, False, " ".join(buf)))
            buf.clear()

    for line in text.splitlines():
        if not line:
            flush()
            lead = None
        else:
            if lead is None:
                stripped = line.lstrip()
                lead, line = len(line) - len(stripped), stripped
            buf.append(line)
    flush()
    out = []
    for n, raw, t in blocks:
        extra = " " * n
        out.append("\n".join(f"{indent}{extra}{ln}" for ln in t.splitlines()) if raw else fill(t, extra))
    return "\n\n".join(out)


class Help:
    def __init__(self):
        import shutil

        self.width = max(min(shutil.get_terminal_size().columns, 100) - 2, 50)
        self.parts: list[str] = []

    def usage(self, prog: str, args: str) -> None:
        import textwrap

        prefix = f"Usage: {prog} "
        self.parts.append(textwrap.fill(args, self.width, initial_indent=prefix, subsequent_indent=" " * len(prefix),
                                        replace_whitespace=False) + "\n")

    def text(self, text: str) -> None:
        if text:
            self.parts.append("\n" + _wrap(text, self.width, "  ", paragraphs=True) + "\n")

    def section(self, name: str, rows: list[tuple[str, str]]) -> None:
        self.parts.append(f"\n{name}:\n")
        first = min(max(len(a) for a, _ in rows), 30) + 2
        for term, text in rows:
            line = f"  {term}"
            if not text:
                self.parts.append(line + "\n")
                continue
            line += " " * (first - len(term)) if len(term) <= first - 2 else "\n" + " " * (first + 2)
            lines = _wrap(text, max(self.width - first - 2, 10), paragraphs=True).splitlines()
            self.parts.append(line + (lines[0] if lines else "") + "\n"
                              + "".join(f"{'':>{first + 2}}{ln}\n" for ln in lines[1:]))

    def value(self) -> str:
        return "".join(self.parts).rstrip("\n")


# --- output: click.echo and click.style ---------------------------------------------------------------

_ANSI = None


def unstyle(text: str) -> str:
    """``text`` without ANSI escape sequences."""
    global _ANSI
    if "\x1b" not in text:
        return text
    if _ANSI is None:
        import re

        _ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
    return _ANSI.sub("", text)


COLOURS = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36, "white": 37}


def style(text: str, fg: str | None = None, bold: bool = False) -> str:
    """``text`` in colour ``fg``, bold or not, then reset (click.style's sequences)."""
    colour = f"\033[{COLOURS[fg]}m" if fg else ""
    return colour + ("\033[1m" if bold else "") + text + "\033[0m"


def echo(text: str = "", err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Write ``text`` (and a newline) to stdout or stderr and flush; styling is dropped unless
    ``color`` is true or (``color`` None) the stream is a terminal."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    if nl:
        text += "\n"
    if not text:
        stream.flush()
        return
    if not color and "\x1b" in text and (color is False or not _isatty(stream)):
        text = unstyle(text)
    stream.write(text)
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:  # a closed or odd stream is no terminal
        return False
