"""The ``iacfix`` command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
from collections import Counter

from . import __version__, formats
from .command import Argument, Choice, Group, IntRange, Option, Path, UsageError, echo, invalid
from .catalog import CatalogError, load_catalog
from .ci_options import ci_options, run_settings
from .engine import FileResult, Options
from .model import FileError
from .paths import display_path
from .pool import run
from .reading import DEFAULT_MAX_FILE_SIZE, format_size, parse_size
from .reports import FORMATS as OUTPUT_FORMATS
from .rules import RULES, SEVERITY_RANK, Context
from .rules.lifecycle import status
from .targets import default_target, refusal, suggestion, with_target
from .workers import Interrupted, interruptible
EPILOG = (
    "Exit status: 0 no finding at warning or above; 1 findings at warning or above "
    "(--fail-on moves the bar; --exit-zero never exits 1) "
    "(for fix: that remain; with --diff or --dry-run: that the files still hold); "
    "2 usage error, or a path that does not exist or a file that could not be read, parsed or written; "
    "130 or 143 interrupted by SIGINT or SIGTERM."
)


MAX_HORIZON = 36500  # days: a century reaches every published date


def _today() -> dt.date:
    return dt.date.today()


def _codes(values: tuple[str, ...]) -> set[str]:
    """Rule codes named by repeated, comma-separated codes, prefixes or names."""
    by_name = {r.name: c for c, r in RULES.items()}
    out = set()
    for item in (v.strip() for value in values for v in value.split(",")):
        if not item:
            continue
        matched = {c for c in RULES if c.startswith(item.upper())} or ({by_name[item]} if item in by_name else set())
        if not matched:
            raise invalid(f"unknown rule {item!r} (see `iacfix rules`)")
        out |= matched
    return out


def size(value: str) -> int:
    """A number of bytes: ``50MB``, ``200KB``, ``1GiB`` or ``1048576``."""
    size = parse_size(value)
    if size < 1:
        raise ValueError(f"{value!r} is less than one byte")
    return size


def date(value: str) -> dt.date:
    """YYYY-MM-DD, as click.DateTime(formats=["%Y-%m-%d"]) took it: month and day may drop a leading zero
    (2026-1-5) and a day may be space-padded; ``datetime.date`` checks the date."""
    import re

    m = re.fullmatch(r"(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])", value)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} does not match the format '%Y-%m-%d'.") from None


ACCEPT_OPTION = Option(
    "--accept", dest="accept_path", type=Path(dir_okay=False), metavar="FILE",
    help="Risk acceptances (TOML, [[accept]] tables: function or paths, runtime, until, reason): while valid, a "
         "function's lifecycle findings are info and not fixed; expired, they return at full severity.")


RESOLVE_OPTION = Option(
    "--resolve", flag=True,
    help="Also ask pip's own resolver whether each function's requirements (requirements.txt, pyproject.toml or a "
         "lock file beside its code) have wheels for the target (CPython "
         "version, manylinux tags of its Amazon Linux, its architecture). Uses your pip configuration and the "
         "network as pip does; answers are cached. Off by default: nothing else touches the network.")


def _common() -> list:
    """Options shared by check and fix."""
    return [
        Argument("PATHS", many=True),
        Option("--as-of", dest="as_of", type=date, metavar="DATE",
               help="Judge deadlines as of this date (YYYY-MM-DD). Default: today."),
        Option("--horizon", type=IntRange(min=0, max=MAX_HORIZON), metavar="DAYS",
               help="Warn about deprecations due within this many days. Default: 365."),
        Option("--catalog", dest="catalog_path", type=Path(dir_okay=False), metavar="FILE",
               help="Use this runtime catalog (JSON) instead of the built-in one."),
        Option("--select", multiple=True, metavar="RULES",
               help="Report and fix only findings of these rules (comma-separated codes, prefixes or names; "
                    "repeatable). Selection never changes which rule a finding belongs to."),
        Option("--ignore", multiple=True, metavar="RULES",
               help="Drop findings of these rules (comma-separated codes, prefixes or names; repeatable)."),
        Option("--unsafe-fixes", flag=True,
               help="Also apply (fix) or count as fixable (check) fixes that may change behaviour, such as "
                    "a move across a major version (python2.7 -> python3.13), or a Python support floor "
                    "raised (requires-python >=3.9 -> >=3.11)."),
        Option("--exclude", multiple=True, metavar="GLOB",
               help="Skip files and directories matching GLOB (repeatable), on top of the defaults "
                    "(.git, node_modules, .aws-sam, cdk.out, ...)."),
        Option("--format", dest="fmt", type=Choice(OUTPUT_FORMATS), default="text",
               show_default=True, help="Output format: text, json, github (workflow annotations, at most "
               "--max-annotations of each type, and the markdown summary in $GITHUB_STEP_SUMMARY), sarif "
               "(SARIF 2.1.0), gitlab (Code Quality report) or markdown (grouped by deadline)."),
        Option("-j", "--jobs", type=IntRange(min=1), metavar="N",
               help="Worker processes for big trees: at most the cores this process may run on (more only "
                    "slow the run down) and the number of files. Default: all those cores."),
        Option("--max-file-size", dest="max_file_size", type=size, default=DEFAULT_MAX_FILE_SIZE, metavar="SIZE",
               help=f"Do not read files larger than SIZE (e.g. 50MB, 200KB, 1GiB, or bytes); each is reported "
                    f"as an error. Default: {format_size(DEFAULT_MAX_FILE_SIZE)}."),
        ACCEPT_OPTION,
        RESOLVE_OPTION,
        Option("--no-cache", flag=True,
               help="Neither use nor keep the result cache (see --cache-dir); also IACFIX_NO_CACHE=1."),
        Option("--cache-dir", type=Path(file_okay=False), metavar="DIR",
               help="Keep each unit's results in DIR between runs; used again only while every file and "
                    "directory they were read from is unchanged. Default: $IACFIX_CACHE_DIR, the "
                    "configuration's cache-dir, or $XDG_CACHE_HOME/iacfix (~/.cache/iacfix); none when CI "
                    "is set and no directory is named, or when PATHS name no directory (pre-commit). A named "
                    "directory that cannot be written, or that others can write, is not used (a warning "
                    "says why). Never kept: --resolve runs, and units fix writes."),
        *ci_options(),
    ]


TARGET_HELP = (
    "Runtime to move flagged sites of its family to (a Python target fixes Python sites, a Node.js target "
    "Node.js sites in templates and Terraform; CDK code only gets Python targets); each provider gets it in its own spelling (python313 on Google Cloud, 3.13 on Azure). "
    "Refused if a lifecycle rule flags it on the --as-of date. Default: derived from the catalog as of "
    "--as-of: the Python runtime supported longest that no rule flags, the oldest among equals "
    "(python3.13 in 2026)."
)


def _target_option() -> Option:
    return Option("--target", metavar="RUNTIME", help=TARGET_HELP)


def _options(ctx, *, as_of, horizon, catalog_path, select, ignore, target, unsafe_fixes,
             fix, write, diff, max_file_size=DEFAULT_MAX_FILE_SIZE, accept_path=None, resolve=False,
             accept_rows=(), accept_origin="accept", accept_base=None) -> Options:
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as e:
        ctx.fail(str(e))
    try:
        chosen = _codes(select)
        if select and not chosen:  # --select "" (an unset variable in CI) must not turn every rule off
            raise invalid("--select names no rule; give codes, prefixes or names (see `iacfix rules`)")
        enabled = (chosen if select else set(RULES)) - _codes(ignore)
    except UsageError as e:
        ctx.fail(e.message)
    context = Context(as_of=as_of or _today(), horizon_days=horizon, catalog=catalog,
                      enabled=frozenset(enabled), unsafe_fixes=unsafe_fixes, resolve=resolve)
    if target is None:
        context = with_target(context, *default_target(catalog, context))
    else:
        target_rt = catalog.find(target)
        if target_rt is None:
            ctx.fail(f"--target {target!r} is not a runtime in the catalog (see `iacfix runtimes`)")
        why = refusal(target_rt, context)
        if why:
            ctx.fail(f"--target {target}: {why} (see `iacfix runtimes --as-of {context.as_of}`)")
        context = with_target(context, target_rt)
    if accept_path is not None or accept_rows:
        from .acceptance import AcceptanceError, load_acceptances, parse_acceptances

        try:  # the configuration's [[accept]] tables, then --accept FILE's
            accepts = parse_acceptances(list(accept_rows), catalog, accept_origin, accept_base)
            if accept_path is not None:
                accepts += load_acceptances(accept_path, catalog)
        except AcceptanceError as e:
            ctx.fail(str(e))
        context = dataclasses.replace(context, accepts=accepts)
    return Options(context=context, fix=fix, write=write, diff=diff, max_file_size=max_file_size)


def _interrupted(ctx, e: Interrupted, opts: Options) -> None:
    """A run stopped by SIGINT or SIGTERM exits 128 + the signal's number (130, 143), saying what it wrote."""
    name = signal.Signals(e.signum).name
    lines = [f"iacfix: interrupted by {name} before every file was processed"
             + ("; no file is half-written." if opts.write else ".")]
    if opts.write:
        written = sorted({display_path(p) for p in e.written})
        lines.append(f"Files written before it stopped, each fully fixed: {len(written)}" + (":" if written else "."))
        lines += [f"  {p}" for p in written]
    echo("\n".join(lines), err=True)
    ctx.exit(128 + e.signum)


def write_roots(paths: list[str]) -> tuple[str, ...]:
    """The real paths fix may write under: each path given, and for a file of
    a directory-unit format (a Terraform file) its directory, whose files it
    is read with and whose values it may rewrite."""
    roots = []
    for p in paths:
        name = formats.claim_of(p) if not os.path.isdir(p) else None
        roots.append(os.path.realpath(os.path.dirname(os.path.abspath(p)) if name and formats.unit_of(name) != "file"
                                      else p))
    return tuple(roots)


def _result_cache(opts: Options, config, paths: list[str], no_cache: bool, cache_dir: str | None):
    """The result cache this run uses (``iacfix.cache``), or None."""
    if no_cache or os.environ.get("IACFIX_NO_CACHE", "") not in ("", "0"):
        return None
    if not any(os.path.isdir(p) for p in paths):  # files named one by one (pre-commit's staged files) have
        return None  # just changed: the cache's fixed cost (about 5 ms) would buy nothing
    from .cache import Cache, default_dir, keeps_nothing

    if cache_dir is None and not os.environ.get("IACFIX_CACHE_DIR") and config.settings.get("cache-dir"):
        cache_dir = os.path.join(config.base, os.path.expanduser(config.settings["cache-dir"]))  # ~/x: not under base
    if cache_dir is None and not os.environ.get("IACFIX_CACHE_DIR") and os.environ.get("CI"):
        return None  # a CI job that names no cache directory keeps none: writing one costs 27-38% more CPU
    directory = os.path.expanduser(cache_dir) if cache_dir else default_dir()  # --cache-dir '~/x', quoted
    if directory and (cache_dir is not None or os.environ.get("IACFIX_CACHE_DIR")) and not keeps_nothing(opts):
        from .cache import refusal  # (--resolve keeps no cache wherever it is: no directory to make or judge)

        why = refusal(directory)  # a directory the user named: say why it is not used (the default: silently)
        if why is not None:
            echo(f"iacfix: warning: the result cache is not kept in {directory}: {why}", err=True)
            return None
    return Cache(directory, opts) if directory else None


class _Judged:
    """The results as a report sees them, the baseline's findings dropped, the
    exit status worked out on the way; each iteration starts afresh."""

    def __init__(self, results, settings, write: bool, baseline=None):
        self.results, self.settings, self.write, self.baseline = results, settings, write, baseline
        self.errors = self.failing = False

    def __iter__(self):
        settings, write = self.settings, self.write
        left = None if self.baseline is None else Counter(settings.known)
        self.errors = self.failing = False
        settings.output.baselined = 0
        for r in self.results:
            held = []  # fixes a preview would make to findings the baseline holds: they fail nothing
            if left is not None:
                settings.output.baselined += self.baseline.drop(r, left, None if write else held)
            self.errors = self.errors or bool(r.errors)
            if not self.failing:
                # After a fix that wrote, what remains counts; after --diff or --dry-run the
                # files still hold everything that was found.
                held = {id(f) for f in held}
                self.failing = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[settings.fail_on(f.path)]
                                   for f in r.findings + ([] if write else r.fixed) if id(f) not in held)
            yield r


def _execute(ctx, paths, jobs, opts: Options, settings, cache: tuple = (True, None)) -> None:
    from . import reports

    paths = list(paths) or ["."]
    opts.roots = write_roots(paths)  # fix writes only under these
    # ... and judges knowing them: a template's build argument moves only with its Dockerfile
    opts.context = dataclasses.replace(opts.context, roots=opts.roots)
    opts.overrides = tuple((o, dataclasses.replace(c, roots=opts.roots)) for o, c in opts.overrides)
    opts.cache = _result_cache(opts, settings.config, paths, *cache)
    discovery = settings.discovery(formats.claims)
    try:
        with interruptible(), settings.progress() as progress:  # SIGTERM, like SIGINT, stops the run cleanly
            results, stats = run(discovery.files(paths), opts, jobs, keep=discovery.keeps, progress=progress)
    except Interrupted as e:
        _interrupted(ctx, e, opts)
    for path, message in discovery.problems:
        results.append(FileResult(display_path(path), errors=[FileError(display_path(path), 1, 1, message)]))
    target = opts.context.target.id if opts.context.target else None
    if settings.write_baseline or settings.known is not None:
        from . import baseline
    if settings.write_baseline:
        keys = Counter(baseline.key(f) for r in results for f in r.findings + ([] if opts.write else r.fixed))
        with open(settings.write_baseline, "w", encoding="utf-8") as fh:
            fh.write(baseline.dump(keys, opts.context.as_of.isoformat()))
        echo(f"iacfix: wrote {sum(keys.values())} findings to the baseline {settings.write_baseline}", err=True)
    judged = _Judged(results, settings, opts.write, baseline if settings.known is not None else None)
    reports.emit(judged, stats, settings.output, as_of=opts.context.as_of.isoformat(), fix=opts.fix,
                 write=opts.write, target=target)
    if judged.errors:
        ctx.exit(2)
    if settings.exit_zero or settings.write_baseline:
        ctx.exit(0)
    ctx.exit(1 if judged.failing else 0)


main = Group(help="""Find end-of-life function runtimes (AWS Lambda, Google Cloud Functions,
    Azure Functions) in CloudFormation and SAM templates (cookiecutter ones
    too), Serverless Framework services, AWS CDK apps, Terraform and the base
    images of Dockerfiles, and end-of-life Python in CI workflows, version
    files and packaging; say which deadline applies and whether the function's
    code and pinned tools are ready for the new runtime, and rewrite them in
    place.

    \b
      iacfix check infra/                       # every runtime site, with its deadline
      iacfix fix infra/ --diff                  # preview the rewrite (to python3.13 in 2026)
      iacfix fix infra/ --target python3.13     # rewrite in place; nothing else changes
      iacfix fix infra/ --unsafe-fixes          # also across a major version (python2.7)
      iacfix plan infra/ --format markdown      # per function: move to 3.13, to 3.12, or stay
      iacfix runtimes                           # the lifecycle catalog
      iacfix explain RT004                      # what a rule means""", version=__version__)


@main.command("check", [*_common(), _target_option()], epilog=EPILOG)
def check(ctx, paths, jobs, **kw):
    """Report every function runtime site in PATHS (default: .) that is past,
    or near, a deadline: AWS Lambda, Google Cloud Functions and Azure Functions
    in CloudFormation/SAM templates, Serverless services, CDK apps and
    Terraform, and the base images of Dockerfiles (Lambda base images,
    python:3.x).  A Terraform file is read with the other files of its directory
    (variables, .tfvars, locals); a serverless.yml with the files its
    ${file(...)} variables name.  CPython past (or near) its end of life is
    reported in CI workflows (.github/workflows, .gitlab-ci.yml, CircleCI,
    Azure Pipelines, tox, nox), version files (.python-version...) and
    packaging (pyproject.toml, setup.cfg)."""
    cache = kw.pop("no_cache"), kw.pop("cache_dir")
    opts, settings = run_settings(ctx, paths, kw, _options, fix=False, write=False, diff=False)
    _execute(ctx, paths, jobs, opts, settings, cache)


@main.command("fix", [
    *_common(), _target_option(),
    Option("--diff", flag=True, help="Print a unified diff of the changes; write nothing."),
    Option("--dry-run", flag=True, help="Report what would change; write nothing."),
    Option("--follow-links-out", flag=True,
           help="Also write files that a symbolic link in PATHS points to outside PATHS (by default they are "
                "reported, not written)."),
], epilog=EPILOG)
def fix(ctx, paths, jobs, diff, dry_run, follow_links_out, **kw):
    """Rewrite, in place, each flagged runtime in PATHS (default: .) of the
    target's family that is older than the target (--target; Python by
    default).  Safe fixes only, unless --unsafe-fixes: a move across a major
    version (python2.7) may change what the code does.  In a Dockerfile one fix
    moves the base images with their version paths and yum -> dnf, or nothing.

    Only the runtime values change: comments, quotes, indentation, line endings,
    BOM and the final newline stay byte-identical.  Each edited file is parsed
    again and written (atomically) only if exactly the intended values changed,
    only if it still holds what was read, and only under PATHS.
    Each provider gets the target in its own spelling (python3.13, python313 on
    Google Cloud, 3.13 on Azure).  Parameter AllowedValues, layer compatible
    runtimes and Terraform validation lists end up holding the target once and
    no flagged runtime.  Runtimes of other families are reported, not rewritten.
    """
    cache = kw.pop("no_cache"), kw.pop("cache_dir")
    opts, settings = run_settings(ctx, paths, kw, _options, fix=True, write=not (diff or dry_run), diff=diff)
    opts.links_out = follow_links_out
    _execute(ctx, paths, jobs, opts, settings, cache)


@main.command("plan", [
    Argument("PATHS", many=True),
    Option("--as-of", dest="as_of", type=date, metavar="DATE",
           help="Judge deadlines as of this date (YYYY-MM-DD). Default: today."),
    Option("--horizon", type=IntRange(min=0, max=MAX_HORIZON), default=365, show_default=True,
           metavar="DAYS", help="Deprecations due within this many days count as soon."),
    Option("--catalog", dest="catalog_path", type=Path(dir_okay=False),
           help="Use this runtime catalog (JSON) instead of the built-in one."),
    _target_option(),
    ACCEPT_OPTION,
    RESOLVE_OPTION,
    Option("--exclude", multiple=True, metavar="GLOB", help="Skip files and directories matching GLOB (repeatable)."),
    Option("--format", dest="fmt", type=Choice(["text", "json", "markdown"]), default="text", show_default=True,
           help="A table; JSON (version 1); or Markdown with a Mermaid gantt of the deadlines, for a pull "
                "request comment or a CI step summary."),
    Option("-j", "--jobs", type=IntRange(min=1), metavar="N", help="Worker processes."),
])
def plan_command(ctx, paths, as_of, horizon, catalog_path, target, accept_path, resolve, exclude, fmt, jobs):
    """Per function in PATHS (default: .): its runtime and deadlines, and for
    each candidate (the target, the newest older runtime that runs its code,
    staying) what blocks it and until when it is supported; then a
    recommendation.  Staying on a flagged runtime is recommended only under a
    valid acceptance (--accept).  Reads code offline (pip only with --resolve); writes nothing.  Exit
    status: 0, or 2 when a file could not be read or parsed."""
    from . import plan as planning

    from .ci_options import load_config
    from .discovery import DEFAULT_EXCLUDES, Discovery

    config = load_config(ctx, paths)  # the same configuration as check: target, catalog, excludes, [[accept]]
    top = config.settings
    opts = _options(ctx, as_of=as_of, horizon=horizon, catalog_path=catalog_path or top.get("catalog"), select=(),
                    ignore=(), target=target or top.get("target"), unsafe_fixes=False, fix=False, write=False,
                    diff=False, accept_path=accept_path, resolve=resolve, accept_rows=top.get("accept", ()),
                    accept_origin=f"{config.path} accept", accept_base=config.base)
    opts.plan = True
    excludes = tuple(top.get("exclude", ())) + tuple(top.get("extend-exclude", ())) + tuple(exclude)
    discovery = Discovery(formats.claims, excludes, defaults=() if "exclude" in top else DEFAULT_EXCLUDES,
                          gitignore=True, base=config.base if config.path else None)
    try:
        with interruptible():
            results, _ = run(discovery.files(list(paths) or ["."]), opts, jobs, keep=discovery.keeps)
    except Interrupted as e:
        _interrupted(ctx, e, opts)
    document = planning.build(results, opts.context)
    if fmt == "json":
        echo(json.dumps(document, indent=2))
    else:
        echo(planning.markdown(document) if fmt == "markdown" else planning.text(document), nl=fmt != "markdown")
    errors = [e for r in results for e in r.errors] + [FileError(display_path(p), 1, 1, m)
                                                       for p, m in discovery.problems]
    for e in errors:
        echo(f"{e.path}:{e.line}:{e.column}: error: {e.message}", err=True)
    ctx.exit(2 if errors else 0)


@main.command("runtimes", [
    Option("--as-of", dest="as_of", type=date, metavar="DATE",
           help="Compute each status as of this date. Default: today."),
    Option("--horizon", type=IntRange(min=0, max=MAX_HORIZON), default=365, show_default=True, metavar="DAYS",
           help="Statuses count deprecations due within this many days as soon."),
    Option("--catalog", dest="catalog_path", type=Path(dir_okay=False),
           help="Show this catalog (JSON) instead of the built-in one."),
    Option("--provider", metavar="PROVIDER", help="Only this provider: aws, gcp, azure or cpython."),
    Option("--family", metavar="FAMILY", help="Only this family, e.g. python."),
    Option("--format", dest="fmt", type=Choice(["text", "json"]), default="text", show_default=True),
])
def runtimes(ctx, as_of, horizon, catalog_path, provider, family, fmt):
    """Print the runtime catalog, one table per provider (AWS Lambda, Google
    Cloud Functions, Azure Functions, CPython itself): each runtime's dates as
    its provider names them, and its status as of a date."""
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as e:
        ctx.fail(str(e))
    if provider is not None and provider not in catalog.providers:
        ctx.fail(f"unknown provider {provider!r}; the catalog has {', '.join(catalog.providers)}")
    context = Context(as_of=as_of or _today(), horizon_days=horizon, catalog=catalog)
    rows = [rt for rt in catalog.runtimes.values() if family in (None, rt.family) and provider in (None, rt.provider)]
    rows.sort(key=lambda r: (list(catalog.providers).index(r.provider), r.family, r.version_key, r.id))
    if fmt == "json":
        echo(json.dumps({
            "last_checked": catalog.last_checked.isoformat(), "as_of": context.as_of.isoformat(),
            "runtimes": [dict(provider=r.provider, id=r.id, os=r.os, status=status(r, context), successor=r.successor,
                              deadlines=r.deadlines(), sources=r.sources) for r in rows],
        }, indent=2))
        return
    echo(f"Runtime catalog last checked {catalog.last_checked} ({catalog.origin}); status as of {context.as_of}")
    for code, prov in catalog.providers.items():
        mine = [r for r in rows if r.provider == code]
        if not mine:
            continue
        echo(f"\n{prov.name} ({code}){f' - {prov.source}' if prov.source else ''}")
        has_os = any(r.os for r in mine)
        header = ("RUNTIME", *(("OS",) if has_os else ()), *(label.upper() for label, _ in prov.dates.values()),
                  "STATUS", "MOVE TO")
        table = [header] + [
            (r.id, *((r.os or "-",) if has_os else ()), *(str(r.dates.get(k) or "-") for k in prov.dates),
             status(r, context), suggestion(r, context) or "-")
            for r in mine
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if provider in (None, "aws") and catalog.operating_systems:
        eol = "; ".join(f"{o.name} ({o.code}): {o.end_of_life}" for o in catalog.operating_systems.values())
        echo(f"\nOperating systems end of life: {eol}")


@main.command("explain", [Argument("RULE")])
def explain(ctx, rule):
    """Explain RULE (a code such as RT004, or a name such as runtime-os-end-of-life)."""
    found = RULES.get(rule.upper()) or next((r for r in RULES.values() if r.name == rule), None)
    if found is None:
        ctx.fail(f"unknown rule {rule!r}; `iacfix rules` lists them")
    echo(f"# {found.code} {found.name}\n")
    echo(f"{found.summary[0].upper()}{found.summary[1:]}.\n")
    fixable = "never" if found.fix_safety == "never" else "yes (safe within a major version; unsafe across one)"
    echo(f"Severity: {found.severity}. Fixable: {fixable}. "
               f"Tags: {', '.join(found.tags)}.\nSource: {found.url}\n")
    echo(found.docs())


@main.command("rules", [])
def list_rules(ctx):
    """List every rule with its severity and summary."""
    for r in RULES.values():
        echo(f"{r.code}  {r.name:<26} {r.severity:<8} {r.summary}")


if __name__ == "__main__":  # pragma: no cover
    main()
