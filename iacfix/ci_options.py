"""The options that make iacfix fit CI and large repositories, and how they
combine with a configuration file: flags win over the file, the file over
the defaults.  ``run_settings`` turns the parsed options of ``check``/``fix``
into the engine's ``Options`` (with a context per ``[[overrides]]`` table)
and the rest of the run's settings (discovery, output, baseline, exit)."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import field

from . import config as configuration
from .command import Choice, IntRange, Option, Path, UsageError
from .discovery import DEFAULT_EXCLUDES, Discovery
from .records import dataclass
from .reports import Output

PROGRESS_AFTER = 1.0  # seconds: shorter runs never show progress


def ci_options() -> list:
    return [
        Option("--output-file", "-o", dest="output_file", type=Path(dir_okay=False, writable=True),
               metavar="FILE", help="Write the output (any --format) to FILE instead of stdout."),
        Option("--max-annotations", type=IntRange(min=0), default=10, show_default=True, metavar="N",
               help="--format github: at most N annotations of each type (error, warning, notice), the most "
                    "urgent first; GitHub shows 10 per type per step. 0: no cap."),
        Option("--exit-zero", flag=True, help="Exit 0 even when findings are reported (2 still means errors)."),
        Option("--fail-on", type=Choice(configuration.FAIL_ON),
               help="Exit 1 when a finding at this severity or above remains. Default: warning."),
        Option("--statistics", flag=True, help="Show counts per rule and runtime instead of each finding."),
        Option("-q", "--quiet", flag=True, help="Print findings only: no summary, no progress."),
        Option("--show-fixes", flag=True, help="List each fix: what check would apply, or what fix applied."),
        Option("--force-exclude", flag=True,
               help="Apply the excludes (defaults, configuration, --exclude) to paths named on the command line "
                    "too, as pre-commit names every staged file."),
        Option("--respect-gitignore", off="--no-respect-gitignore", flag=True, default=True, show_default=True,
               help="Skip files that .gitignore files ignore (a file named on the command line is always read)."),
        Option("--config", dest="config_file", type=Path(dir_okay=False), metavar="FILE",
               help="Read settings from FILE (iacfix.toml, or pyproject.toml with [tool.iacfix]) instead of "
                    "the nearest one above the checked paths."),
        Option("--isolated", flag=True, help="Ignore every configuration file."),
        Option("--baseline", dest="baseline_file", type=Path(dir_okay=False), metavar="FILE",
               help="Report only findings that are not in FILE (written by --write-baseline)."),
        Option("--write-baseline", type=Path(dir_okay=False, writable=True), metavar="FILE",
               help="Record today's findings in FILE (keyed on path, rule, runtime and logical location, not "
                    "lines) and exit 0."),
    ]


@dataclass
class Settings:
    """A run's settings besides the engine's Options: configuration, output, discovery, baseline, exit."""

    config: configuration.Config
    output: Output
    excludes: tuple[str, ...] = ()
    defaults: tuple[str, ...] = DEFAULT_EXCLUDES
    gitignore: bool = True
    force_exclude: bool = False  # excludes hold for paths named on the command line too
    exit_zero: bool = False
    fail_on_flag: str | None = None
    write_baseline: str | None = None
    known: object = None  # the baseline's keys (a Counter), when --baseline is given
    quiet: bool = False
    _fail: dict = field(default_factory=dict)

    def discovery(self, claims) -> Discovery:
        return Discovery(claims, self.excludes, defaults=self.defaults, gitignore=self.gitignore,
                         base=self.config.base if self.config.path else None, force=self.force_exclude)

    def fail_on(self, path: str) -> str:
        if self.fail_on_flag:
            return self.fail_on_flag
        if path not in self._fail:
            self._fail[path] = self.config.for_path(path).get("fail-on", "warning")
        return self._fail[path]

    @contextmanager
    def progress(self):
        """A counter of files on stderr, after a second, only on a terminal and never in CI."""
        if self.quiet or os.environ.get("CI") or not sys.stderr.isatty():
            yield None
            return
        start = time.monotonic()
        state = {"shown": 0.0}

        def tick(files: int) -> None:
            now = time.monotonic()
            if now - start >= PROGRESS_AFTER and now - state["shown"] >= 0.1:
                state["shown"] = now
                sys.stderr.write(f"\riacfix: {files:,} files read ({now - start:.0f} s)")
                sys.stderr.flush()

        try:
            yield tick
        finally:
            if state["shown"]:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()


def _writable(path: str) -> bool:
    """Whether a file can be written at ``path`` (checked before the run, which may be long)."""
    if os.path.isdir(path):
        return False
    if os.path.exists(path):
        return os.access(path, os.W_OK)
    parent = os.path.dirname(os.path.abspath(path))
    return os.path.isdir(parent) and os.access(parent, os.W_OK | os.X_OK)


def load_config(ctx, paths, config_file=None, isolated=False) -> configuration.Config:
    if isolated and config_file:
        ctx.fail("--config and --isolated exclude each other")
    try:
        if isolated:
            return configuration.Config()
        if config_file:
            return configuration.load(config_file)
        return configuration.discover(list(paths))
    except configuration.ConfigError as e:
        ctx.fail(str(e))


def run_settings(ctx, paths, kw: dict, make_options, *, fix: bool, write: bool, diff: bool):
    """(engine Options, Settings) from the parsed flags ``kw`` and the configuration."""
    config = load_config(ctx, paths, kw.pop("config_file"), kw.pop("isolated"))
    out = Output(fmt=kw.pop("fmt"), output_file=kw.pop("output_file"), max_annotations=kw.pop("max_annotations") or None,
                 quiet=kw.pop("quiet"), show_fixes=kw.pop("show_fixes"), statistics=kw.pop("statistics"))
    settings = Settings(config=config, output=out, exit_zero=kw.pop("exit_zero"), fail_on_flag=kw.pop("fail_on"),
                        gitignore=kw.pop("respect_gitignore"), write_baseline=kw.pop("write_baseline"), quiet=out.quiet,
                        force_exclude=kw.pop("force_exclude"))
    for flag, target in (("--output-file", out.output_file), ("--write-baseline", settings.write_baseline)):
        if target and not _writable(target):
            ctx.fail(f"{flag} {target}: cannot write there (no such directory, or no permission)")
    baseline_file = kw.pop("baseline_file")
    if baseline_file:
        from .baseline import BaselineError, load

        try:
            settings.known = load(baseline_file)
        except BaselineError as e:
            ctx.fail(str(e))
    top = config.settings
    settings.defaults = () if "exclude" in top else DEFAULT_EXCLUDES
    settings.excludes = tuple(top.get("exclude", ())) + tuple(top.get("extend-exclude", ())) + tuple(kw.pop("exclude"))

    def options(values: dict, where: str | None = None):
        flags = {k: kw[k] for k in ("as_of", "unsafe_fixes", "max_file_size", "accept_path", "resolve")}
        chosen = {
            "horizon": kw["horizon"] if kw["horizon"] is not None else values.get("horizon", 365),
            "catalog_path": kw["catalog_path"] or values.get("catalog"),
            "select": kw["select"] or tuple(values.get("select", ())),
            # --select on the command line starts a new selection: the file's ignore does not undo it
            "ignore": kw["ignore"] or (() if kw["select"] else tuple(values.get("ignore", ()))),
            "target": kw["target"] or values.get("target"),
        }
        if config.path and values.get("select") == [] and not kw["select"]:
            ctx.fail(f"{config.path}: select names no rule; give codes, prefixes or names, or leave it out")
        try:
            return make_options(ctx, **flags, **chosen, fix=fix, write=write, diff=diff,
                                accept_rows=values.get("accept", ()), accept_origin=f"{config.path} accept",
                                accept_base=config.base)
        except UsageError as e:
            if config.path and values:
                e.message = f"{e.message} (settings from {where or config.path})"
            raise

    opts = options(top)
    opts.config = config
    opts.overrides = tuple((o, options(dict(top, **o.settings), f"{config.path} overrides[{i}]").context)
                           for i, o in enumerate(config.overrides))
    return opts, settings
