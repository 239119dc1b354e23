"""Benchmark iacfix on a synthetic monorepo (stdlib only, Python >= 3.10, Linux).

    python bench/run.py [--files 30000] [--seed 1] [--out DIR] [--repeat 3] [--cfn-lint N] [--scales 1,4,10]

Steps:

1. Generate the tree with bench/gen_tree.py into --out (default
   bench/out/tree-<files>-<seed>) unless that directory already exists.
2. Warm the page cache with one untimed run of each command below; their
   output is kept in bench/out/*.out and summarised at the end (findings,
   errors, files fixed).
3. Time, best (minimum) wall time of --repeat runs, each command as a child
   process:
     grep                  grep -rlE 'Runtime|BuildMethod|runtime|python_version' TREE  (the floor)
     iacfix check          iacfix check TREE --as-of 2026-11-21 --format json
     iacfix fix --dry-run  iacfix fix TREE --as-of 2026-11-21 --dry-run --format json
   Output goes to /dev/null.  Exit status 1 ("findings") is expected; 2 or
   more is reported as a failure.
   Then `iacfix check` on one template against `python -c pass` (best of
   10 or more): what a pre-commit hook pays, as a ratio of bare start-up.
4. With --cfn-lint N (N > 0), time cfn-lint, restricted to its Lambda runtime
   rules W2531, E2531 and E2533, against `iacfix check` on the same first N
   CloudFormation templates (files under */stacks/*, in sorted order).
5. Print a table and PASS/FAIL lines against the targets, and write everything
   to bench/out/results.json.

Memory is measured two ways for every run:

  main peak   ru_maxrss from os.wait4() on the child.  Linux reports the
              maximum of the child and of the descendants it reaped (iacfix's
              worker processes), never their sum.  Spawn floor: at exec, Linux
              also folds the spawning process's memory into the child's
              ru_maxrss (subprocess uses vfork, so this script's own peak), so
              ru_maxrss is never below this script's peak at spawn time.  The
              script therefore stays small (it never lists the whole tree, and
              parses outputs only after all timing); values at the floor are
              starred in the table, and the polled VmHWM (the child's own
              high-water mark, which exec resets) is reported next to them.
  tree peak   the child and all of its descendants, found through
              /proc/<pid>/task/*/children, polled every 20 ms; the sum of
              their VmRSS, at its highest.  Polling can miss short spikes.

cfn-lint 1.x cannot be narrowed with --include-checks alone: it always
prepends "W" and "E" to that list.  So every rule is ignored by prefix
(--ignore-checks E W I) and the three runtime rules are re-enabled with
--mandatory-checks, which wins over --ignore-checks.  Template parse errors
(E0000) are then hidden too.

The exit status is 0 when every target passes, 1 when one fails, 2 when a
benchmarked command itself failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
# Children run as an installed iacfix runs: with its modules' bytecode cached.  An
# environment that sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI images do) would
# otherwise make every child compile iacfix from source, about 60 ms of a one-file check.
# The cache goes under bench/out (PYTHONPYCACHEPREFIX), never into the checkout or the
# venv; the untimed warm-up run of each command writes it, for python -c pass too.
def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
        "PYTHONPYCACHEPREFIX": str(OUT_DIR / "pycache")}


CHILD_ENV = child_env()  # made again by main() once it has set IACFIX_NO_CACHE or IACFIX_CACHE_DIR
RESULTS_JSON = OUT_DIR / "results.json"
AS_OF = "2026-11-21"
POLL_SECONDS = 0.020
MB = 1024 * 1024

CFN_LINT_RULES = ["W2531", "E2531", "E2533"]

# Targets (issue 15: within 3x grep, fix within 4x, flat memory, a one-file
# check within 3x the bare interpreter's start-up).
CHECK_MAX_GREP_RATIO = 3.0
FIX_MAX_GREP_RATIO = 4.0
TREE_PEAK_MAX_MB = 150.0
ONE_FILE_MAX_STARTUP_RATIO = 3.0
CFN_LINT_MIN_SPEEDUP = 50.0


# --------------------------------------------------------------------------- #
# Command-line options
# --------------------------------------------------------------------------- #


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=30000, help="files in the synthetic tree (default: 30000)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    p.add_argument("--out", type=Path, help="tree directory (default: bench/out/tree-<files>-<seed>)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per command; the best is reported (default: 3)")
    p.add_argument("--cfn-lint", type=int, default=0, metavar="N",
                   help="also compare with cfn-lint on the first N templates (default: 0, skip)")
    p.add_argument("--baseline", type=Path, metavar="EXE",
                   help="also time another build's iacfix console script (e.g. a checkout of main in its own venv)"
                        " on the same tree, interleaved with this one, and compare")
    p.add_argument("--result-cache", action="store_true",
                   help="let iacfix keep its result cache (a temporary directory), so that every timed run after"
                        " the untimed one is served from it (default: IACFIX_NO_CACHE=1, every run does the work)")
    p.add_argument("--scales", default="", metavar="K,K,...",
                   help="also time check and grep on trees of K times --files each (e.g. 1,4,10) and print time and"
                        " peak memory per size (default: skip)")
    a = p.parse_args(argv)
    try:
        a.scales = [int(k) for k in a.scales.split(",") if k.strip()]
    except ValueError:
        p.error(f"--scales {a.scales}: expected whole numbers separated by commas, e.g. 1,4,10")
    if any(k < 1 for k in a.scales):
        p.error("--scales: every multiplier must be at least 1")
    if a.baseline is not None and not a.baseline.is_file():
        p.error(f"--baseline {a.baseline}: no such file")
    if a.repeat < 1:
        p.error("--repeat must be at least 1")
    if a.cfn_lint < 0:
        p.error("--cfn-lint must be 0 or more")
    a.out = (a.out or OUT_DIR / f"tree-{a.files}-{a.seed}").resolve()
    return a


# --------------------------------------------------------------------------- #
# The tree
# --------------------------------------------------------------------------- #


def ensure_tree(out: Path, files: int, seed: int) -> None:
    """Generate the tree into OUT unless it exists (via a temporary sibling, so
    an interrupted run never leaves a half-written tree behind)."""
    if out.exists():
        print(f"tree: reusing {out}")
        return
    print(f"tree: generating {files} files (seed {seed}) into {out} ...", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    gen = [sys.executable, str(BENCH_DIR / "gen_tree.py"), str(tmp), "--files", str(files), "--seed", str(seed)]
    counts = subprocess.run(gen, check=True, capture_output=True, text=True).stdout.strip()
    tmp.rename(out)
    print(f"tree: counts per kind {counts}")


@dataclass
class TreeInfo:
    files: int  # regular files (symlinks are not followed)
    bytes: int
    templates: list[Path]  # CloudFormation templates: files in a `stacks` directory, sorted


def _walk_regular(root: Path):
    """Yield (path, lstat) for every regular file under ROOT, in sorted order."""
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                yield path, st


def scan_tree(root: Path) -> TreeInfo:
    """Count ROOT's files and bytes without holding a list of every path:
    this process must stay small (see "spawn floor" in the module docstring)."""
    files = size = 0
    found = []
    for path, st in _walk_regular(root):
        files += 1
        size += st.st_size
        if "stacks" in Path(path).relative_to(root).parts[:-1]:
            found.append(Path(path))
    return TreeInfo(files, size, found)


def fingerprint(root: Path) -> str:
    """A signature of (path, inode, size, mtime) of every file, to detect writes."""
    h = hashlib.blake2b(digest_size=16)
    for path, st in _walk_regular(root):
        h.update(f"{path}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def total_bytes(paths: list[Path]) -> int:
    return sum(p.lstat().st_size for p in paths)


# --------------------------------------------------------------------------- #
# Running and measuring one child process
# --------------------------------------------------------------------------- #


def _status_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of PID in KB; empty once it has exited (zombies have neither)."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split()[:2]
                    found[key[:-1]] = int(value)
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return kids


def _process_tree(pid: int) -> list[int]:
    """PID and all of its descendants."""
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(_children(p))
    return tree


class TreeRssSampler(threading.Thread):
    """Polls a process tree: the maximum of its summed VmRSS, and the main
    process's own high-water mark (VmHWM)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.tree_peak_kb = 0
        self.main_hwm_kb = 0
        self.max_processes = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(POLL_SECONDS)

    def sample(self) -> None:
        pids = _process_tree(self.pid)
        status = [_status_kb(p) for p in pids]
        self.tree_peak_kb = max(self.tree_peak_kb, sum(s.get("VmRSS", 0) for s in status))
        self.main_hwm_kb = max(self.main_hwm_kb, status[0].get("VmHWM", 0))
        self.max_processes = max(self.max_processes, len(pids))

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass
class Run:
    """One execution of a command (memory in MB)."""

    wall_s: float
    returncode: int
    main_peak_mb: float  # wait4 ru_maxrss
    spawn_floor_mb: float  # this process's own peak when it started the child
    main_hwm_mb: float  # polled VmHWM of the main process
    tree_peak_mb: float  # polled sum of VmRSS over the process tree
    max_processes: int
    stderr_tail: str


def run_once(cmd: list[str], stdout_path: Path | None = None) -> Run:
    """Run CMD as a child; time it, and measure its peak memory."""
    out = open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")
    with out, tempfile.TemporaryFile() as err:
        floor_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=CHILD_ENV)
        sampler = TreeRssSampler(proc.pid)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: tell Popen
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    return Run(
        wall_s=wall,
        returncode=proc.returncode,
        main_peak_mb=usage.ru_maxrss / 1024,  # KB on Linux
        spawn_floor_mb=floor_kb / 1024,
        main_hwm_mb=sampler.main_hwm_kb / 1024,
        tree_peak_mb=sampler.tree_peak_kb / 1024,
        max_processes=sampler.max_processes,
        stderr_tail=tail,
    )


# --------------------------------------------------------------------------- #
# Commands and their best-of-K results
# --------------------------------------------------------------------------- #


@dataclass
class Bench:
    """A command to time, with the input it reads and its accepted exit codes."""

    name: str
    cmd: list[str]
    files: int
    bytes: int
    ok_codes: frozenset[int]
    runs: list[Run] = field(default_factory=list)
    warmup: Run | None = None  # the untimed run, whose output is kept
    output: Path | None = None
    check: dict = field(default_factory=dict)  # a summary of that output

    def ok(self, run: Run) -> bool:
        return run.returncode in self.ok_codes

    @property
    def failures(self) -> list[Run]:
        return [r for r in self.runs if not self.ok(r)]

    @property
    def best_wall_s(self) -> float:
        return min(r.wall_s for r in self.runs)

    @property
    def main_peak_mb(self) -> float:
        return max(r.main_peak_mb for r in self.runs)

    @property
    def tree_peak_mb(self) -> float:
        return max(r.tree_peak_mb for r in self.runs)

    @property
    def main_hwm_mb(self) -> float:
        return max(r.main_hwm_mb for r in self.runs)

    @property
    def main_at_floor(self) -> bool:
        """True when every ru_maxrss is only this process's own peak, inherited."""
        return all(r.main_peak_mb <= r.spawn_floor_mb + 0.5 for r in self.runs)

    def summary(self) -> dict:
        return {
            "name": self.name,
            "cmd": shorten_cmd(self.cmd),
            "files": self.files,
            "mb": self.bytes / MB,
            "best_wall_s": self.best_wall_s,
            "files_per_s": self.files / self.best_wall_s,
            "mb_per_s": self.bytes / MB / self.best_wall_s,
            "main_peak_mb": self.main_peak_mb,
            "main_peak_is_spawn_floor": self.main_at_floor,
            "main_hwm_polled_mb": self.main_hwm_mb,
            "tree_peak_mb": self.tree_peak_mb,
            "failed_runs": len(self.failures),
            "untimed_run": self.check,
            "runs": [asdict(r) for r in self.runs],
        }


def shorten_cmd(cmd: list[str], keep: int = 12) -> list[str]:
    """CMD with a long list of file arguments elided, for reports."""
    if len(cmd) <= keep:
        return cmd
    return cmd[:keep] + [f"... ({len(cmd) - keep} more arguments)"]


def iacfix_exe() -> str:
    """The iacfix console script next to the running interpreter."""
    exe = Path(sys.executable).parent / "iacfix"
    if not exe.exists():
        sys.exit(f"error: {exe} not found; run with the Python of the venv where iacfix is installed")
    return str(exe)


def cfn_lint_exe() -> str | None:
    """The cfn-lint executable: next to this Python first, then on PATH; None if missing."""
    exe = Path(sys.executable).parent / "cfn-lint"
    return str(exe) if exe.exists() else shutil.which("cfn-lint")


def warm_up(bench: Bench, slug: str) -> None:
    """Run BENCH once, untimed, keeping its output in bench/out/SLUG.out.

    The output is summarised only after all timing (summarise_output): parsing
    it here would grow this process, and with it the spawn floor."""
    bench.output = OUT_DIR / f"{slug}.out"
    bench.warmup = run = run_once(bench.cmd, stdout_path=bench.output)
    if not bench.ok(run):
        print(f"  !! {bench.name}: exit status {run.returncode}\n     command: {' '.join(shorten_cmd(bench.cmd))}")
        print("     " + run.stderr_tail.strip().replace("\n", "\n     "))


def summarise_output(bench: Bench) -> None:
    run = bench.warmup
    info: dict = {"returncode": run.returncode, "wall_s": run.wall_s, "output": str(bench.output)}
    text = bench.output.read_text(encoding="utf-8", errors="replace")
    if bench.name.startswith(("iacfix", "baseline")):
        info.update(summarise_iacfix_json(text))
    elif bench.name.startswith("cfn-lint"):
        info.update(summarise_cfn_lint(text))
    if not bench.ok(run):
        info["stderr_tail"] = run.stderr_tail
    bench.check = info


def summarise_iacfix_json(text: str) -> dict:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        return {"json_error": str(e), "output_head": text[:500]}
    info = {"findings": len(doc.get("findings", [])), "errors": len(doc.get("errors", []))}
    if "fixed" in doc:
        info.update(fixed=len(doc["fixed"]), not_fixed=len(doc.get("not_fixed", [])), written=doc.get("written"))
    if doc.get("errors"):
        info["first_errors"] = doc["errors"][:5]
    return info


def summarise_cfn_lint(text: str) -> dict:
    """Counts per rule from cfn-lint's parseable output (path:line:col:line:col:RULE:message)."""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) > 5:
            counts[parts[5]] = counts.get(parts[5], 0) + 1
    return {"matches_per_rule": counts}


def time_benches(benches: list[Bench], repeat: int) -> None:
    """Run every bench REPEAT times, interleaved so drift hits them all alike."""
    for k in range(repeat):
        for b in benches:
            run = run_once(b.cmd)
            b.runs.append(run)
            flag = "" if b.ok(run) else f"  FAILED (exit {run.returncode})"
            print(f"  run {k + 1}/{repeat}  {b.name:<28} {run.wall_s:8.3f} s{flag}", flush=True)


# --------------------------------------------------------------------------- #
# Report
# --------------------------------------------------------------------------- #

COLUMNS = ["command", "files", "MB", "wall s", "files/s", "MB/s", "main peak MB", "tree peak MB", "ratio"]


def table_rows(benches: list[Bench], baseline: Bench) -> list[list[str]]:
    rows = []
    for b in benches:
        wall = b.best_wall_s
        rows.append([
            b.name + (" (FAILED)" if b.failures else ""),
            f"{b.files}",
            f"{b.bytes / MB:.1f}",
            f"{wall:.3f}",
            f"{b.files / wall:,.0f}",
            f"{b.bytes / MB / wall:.1f}",
            f"{b.main_peak_mb:.1f}" + ("*" if b.main_at_floor else ""),
            f"{b.tree_peak_mb:.1f}",
            f"{wall / baseline.best_wall_s:.2f}x",
        ])
    return rows


def print_table(title: str, benches: list[Bench], baseline: Bench) -> None:
    rows = [COLUMNS] + table_rows(benches, baseline)
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    print(f"\n{title} (wall: best of {len(baseline.runs)}; ratio: wall / {baseline.name})")
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  " + "  ".join(cells))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
    floored = [b for b in benches if b.main_at_floor]
    if floored:
        floor = max(r.spawn_floor_mb for b in floored for r in b.runs)
        print(f"  * wait4 ru_maxrss equals this script's own peak ({floor:.1f} MB), inherited at exec;"
              " the child's real peak is lower (polled VmHWM: "
              + ", ".join(f"{b.name} {b.main_hwm_mb:.1f} MB" for b in floored) + ")")


@dataclass
class Target:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def evaluate(main: dict[str, Bench], cfn: dict[str, Bench] | None, tree_unchanged: bool,
             one: dict[str, Bench]) -> list[Target]:
    grep, check, fix = main["grep"], main["check"], main["fix"]
    targets = []
    for b, limit in ((check, CHECK_MAX_GREP_RATIO), (fix, FIX_MAX_GREP_RATIO)):
        ratio = b.best_wall_s / grep.best_wall_s
        targets.append(Target(f"{b.name} within {limit:g}x grep", ratio <= limit and not b.failures,
                              f"{b.best_wall_s:.3f} s vs {grep.best_wall_s:.3f} s = {ratio:.2f}x"))
    bare, single = one["python"], one["check"]
    ratio = single.best_wall_s / bare.best_wall_s
    targets.append(Target(f"one-file check within {ONE_FILE_MAX_STARTUP_RATIO:g}x interpreter start-up",
                          ratio <= ONE_FILE_MAX_STARTUP_RATIO and not single.failures,
                          f"{single.best_wall_s:.3f} s vs {bare.best_wall_s:.3f} s = {ratio:.2f}x"))
    for b in (check, fix):
        targets.append(Target(f"{b.name} tree peak under {TREE_PEAK_MAX_MB:g} MB", b.tree_peak_mb < TREE_PEAK_MAX_MB,
                              f"{b.tree_peak_mb:.1f} MB (main process alone: polled VmHWM {b.main_hwm_mb:.1f} MB,"
                              f" wait4 ru_maxrss {b.main_peak_mb:.1f} MB)"))
    if cfn:
        lint, ours = cfn["cfn-lint"], cfn["check"]
        speedup = lint.best_wall_s / ours.best_wall_s
        targets.append(Target(f"iacfix check at least {CFN_LINT_MIN_SPEEDUP:g}x faster than cfn-lint",
                              speedup >= CFN_LINT_MIN_SPEEDUP and not lint.failures and not ours.failures,
                              f"{lint.best_wall_s:.3f} s vs {ours.best_wall_s:.3f} s on {ours.files} templates"
                              f" = {speedup:.1f}x"))
    targets.append(Target("iacfix fix --dry-run left the tree unchanged", tree_unchanged, "compared inode, size, mtime of every file"))
    for b in list(main.values()) + list((cfn or {}).values()):
        if b.failures:
            targets.append(Target(f"{b.name} exit status", False,
                                  f"{len(b.failures)}/{len(b.runs)} runs exited with {sorted({r.returncode for r in b.failures})}"))
    return targets


def environment() -> dict:
    return {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def tool_version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"


# --------------------------------------------------------------------------- #
# Main
# --------------------------------------------------------------------------- #


def main_benches(tree: Path, info: TreeInfo, baseline: Path | None = None) -> dict[str, Bench]:
    iacfix = iacfix_exe()
    common = ["--as-of", AS_OF, "--format", "json"]
    ok = frozenset({0, 1})
    n, size = info.files, info.bytes
    benches = {
        "grep": Bench("grep -rlE (floor)", ["grep", "-rlE", "Runtime|BuildMethod|runtime|python_version", str(tree)], n, size, ok),
        "check": Bench("iacfix check", [iacfix, "check", str(tree), *common], n, size, ok),
        "fix": Bench("iacfix fix --dry-run", [iacfix, "fix", str(tree), *common, "--dry-run"], n, size, ok),
    }
    if baseline is not None:
        if os.environ.get("IACFIX_CACHE_DIR"):  # --result-cache: the baseline keeps its own (a build of another
            import tempfile  # cache schema sets the file aside as foreign, and each build rebuilt it every run)

            common = [*common, "--cache-dir", tempfile.mkdtemp(prefix="iacfix-bench-base-cache-")]
        benches["base-check"] = Bench("baseline check", [str(baseline), "check", str(tree), *common], n, size, ok)
        benches["base-fix"] = Bench("baseline fix --dry-run", [str(baseline), "fix", str(tree), *common, "--dry-run"],
                                    n, size, ok)
    return benches


def one_file_benches(template: Path) -> dict[str, Bench]:
    """What a pre-commit hook pays: `iacfix check` on one file, against the
    bare interpreter starting and doing nothing."""
    ok = frozenset({0, 1})
    size = template.stat().st_size
    return {
        "python": Bench("python -c pass", [sys.executable, "-c", "pass"], 1, size, frozenset({0})),
        "check": Bench("iacfix check (one file)", [iacfix_exe(), "check", "--as-of", AS_OF, "--format", "json", str(template)], 1, size, ok),
    }


def scale_runs(args: argparse.Namespace) -> list[dict]:
    """check and grep on trees of K x --files: time and peak memory per size
    (the main process's own, where results pile up, and all processes'), for
    this build and, with --baseline, the other build."""
    rows = []
    for k in args.scales:
        files = args.files * k
        out = OUT_DIR / f"tree-{files}-{args.seed}"
        ensure_tree(out, files, args.seed)
        info = scan_tree(out)
        benches = main_benches(out, info, args.baseline)
        del benches["fix"]
        benches.pop("base-fix", None)
        for slug, b in benches.items():
            warm_up(b, f"scale{k}-{slug}")
        time_benches(list(benches.values()), args.repeat)
        grep, check = benches["grep"], benches["check"]
        row = {"scale": k, "files": info.files, "mb": info.bytes / MB, "grep_s": grep.best_wall_s,
               "check_s": check.best_wall_s, "ratio": check.best_wall_s / grep.best_wall_s,
               "check_us_per_file": check.best_wall_s / info.files * 1e6,
               "tree_peak_mb": check.tree_peak_mb, "main_hwm_mb": check.main_hwm_mb}
        if "base-check" in benches:
            base = benches["base-check"]
            row.update(base_check_s=base.best_wall_s, base_tree_peak_mb=base.tree_peak_mb,
                       base_main_hwm_mb=base.main_hwm_mb)
        rows.append(row)
    print("\nScaling (check; wall: best of runs; main: the main process's own peak, polled VmHWM;"
          " all: the summed peak of every process)")
    based = any("base_check_s" in r for r in rows)
    print("  scale     files      MB   grep s  check s  ratio  us/file  main MB   all MB"
          + ("  baseline s  main MB   all MB" if based else ""))
    for r in rows:
        print(f"  {r['scale']:>5}  {r['files']:>8}  {r['mb']:>6.0f}  {r['grep_s']:7.3f}  {r['check_s']:7.3f}"
              f"  {r['ratio']:5.2f}x  {r['check_us_per_file']:7.1f}  {r['main_hwm_mb']:7.1f}  {r['tree_peak_mb']:7.1f}"
              + (f"  {r['base_check_s']:10.3f}  {r['base_main_hwm_mb']:7.1f}  {r['base_tree_peak_mb']:7.1f}"
                 if "base_check_s" in r else ""))
    return rows


def cfn_lint_benches(exe: str, chosen: list[Path]) -> dict[str, Bench]:
    """cfn-lint restricted to its runtime rules, and iacfix check, on CHOSEN."""
    paths = [str(p) for p in chosen]
    n, size = len(chosen), total_bytes(chosen)
    lint_cmd = [exe, "--format", "parseable",
                "--ignore-checks", "E", "W", "I",
                "--mandatory-checks", *CFN_LINT_RULES,
                "--", *paths]
    # cfn-lint's exit status is a bit mask (2 error, 4 warning, 8 info); 1 means it failed.
    lint_ok = frozenset(c for c in range(16) if c % 2 == 0)
    iacfix = iacfix_exe()
    check = [iacfix, "check", "--as-of", AS_OF, "--format", "json"]
    ok = frozenset({0, 1})
    return {
        "cfn-lint": Bench(f"cfn-lint ({','.join(CFN_LINT_RULES)})", lint_cmd, n, size, lint_ok),
        "check": Bench("iacfix check", check + paths, n, size, ok),
        "check-j1": Bench("iacfix check -j 1", check + ["-j", "1"] + paths, n, size, ok),
    }


def run_cfn_lint_part(n: int, all_templates: list[Path], repeat: int) -> tuple[dict[str, Bench] | None, dict]:
    exe = cfn_lint_exe()
    if exe is None:
        msg = ("cfn-lint is not installed (no `cfn-lint` next to this Python nor on PATH); "
               f"skipping the cfn-lint comparison. Install it with: {Path(sys.executable).parent / 'pip'} install cfn-lint")
        print(f"\n{msg}")
        return None, {"skipped": msg}
    chosen = all_templates[:n]
    if len(chosen) < n:
        print(f"\nnote: only {len(chosen)} templates in the tree, fewer than --cfn-lint {n}")
    version = tool_version([exe])
    benches = cfn_lint_benches(exe, chosen)
    print(f"\ncfn-lint: {version} on {len(chosen)} templates; one untimed run each ...", flush=True)
    for slug, b in benches.items():
        warm_up(b, f"cfn-{slug}")
    print(f"timing ({repeat} rounds) ...", flush=True)
    time_benches(list(benches.values()), repeat)
    return benches, {"version": version, "templates": len(chosen),
                     "rules": CFN_LINT_RULES, "cmd": shorten_cmd(benches["cfn-lint"].cmd),
                     "first_template": str(chosen[0]) if chosen else None,
                     "last_template": str(chosen[-1]) if chosen else None}


def print_cfn_lint_report(cfn: dict[str, Bench]) -> None:
    benches = [cfn["cfn-lint"], cfn["check"], cfn["check-j1"]]
    print_table(f"First {cfn['check'].files} templates", benches, cfn["check"])
    for key in ("check", "check-j1"):
        speed = cfn["cfn-lint"].best_wall_s / cfn[key].best_wall_s
        print(f"  speed ratio cfn-lint / {cfn[key].name}: {speed:.1f}x")
    print(f"  cfn-lint matches per rule: {cfn['cfn-lint'].check.get('matches_per_rule')};"
          f" iacfix findings: {cfn['check'].check.get('findings')}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.result_cache:  # measured warm: the untimed run fills it
        import tempfile

        os.environ["IACFIX_CACHE_DIR"] = tempfile.mkdtemp(prefix="iacfix-bench-cache-")
        os.environ.pop("IACFIX_NO_CACHE", None)
    else:  # iacfix's result cache would serve every timed run from the untimed one
        os.environ["IACFIX_NO_CACHE"] = "1"
    # The children's environment is this one as it is now, not as it was at import.
    CHILD_ENV.clear()
    CHILD_ENV.update(child_env())
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    ensure_tree(args.out, args.files, args.seed)
    tree = scan_tree(args.out)
    print(f"tree: {tree.files} regular files, {tree.bytes / MB:.1f} MB, {len(tree.templates)} templates under */stacks/*")
    iacfix_version = tool_version([iacfix_exe()])
    print(f"iacfix: {iacfix_version}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")

    benches = main_benches(args.out, tree, args.baseline)
    print("warming the cache (untimed grep) and running each iacfix command once ...", flush=True)
    before = fingerprint(args.out)
    for slug, b in benches.items():
        warm_up(b, slug)
    print(f"timing ({args.repeat} rounds) ...", flush=True)
    time_benches(list(benches.values()), args.repeat)
    tree_unchanged = fingerprint(args.out) == before

    one = one_file_benches(tree.templates[0])
    for slug, b in one.items():
        warm_up(b, f"one-{slug}")
    time_benches(list(one.values()), max(args.repeat, 10))

    cfn, cfn_info = None, {"skipped": "--cfn-lint 0"}
    if args.cfn_lint > 0:
        cfn, cfn_info = run_cfn_lint_part(args.cfn_lint, tree.templates, args.repeat)

    scales = scale_runs(args) if args.scales else []

    all_benches = list(benches.values()) + list(one.values()) + list((cfn or {}).values())
    for b in all_benches:  # only now: parsing big outputs grows this process
        summarise_output(b)
    for b in (benches["check"], benches["fix"]):
        print(f"\n{b.name} output ({b.output}): {b.check}")

    print_table(f"Whole tree: {args.out}", list(benches.values()), benches["grep"])
    if args.baseline is not None:
        for key in ("check", "fix"):
            this, base = benches[key], benches[f"base-{key}"]
            print(f"  {this.name}: this build {this.best_wall_s:.3f} s, baseline {base.best_wall_s:.3f} s"
                  f" ({this.best_wall_s / base.best_wall_s:.2f}x); findings {this.check.get('findings')}"
                  f" vs {base.check.get('findings')}")
    print_table(f"One file: {tree.templates[0].name}", list(one.values()), one["python"])
    if cfn:
        print_cfn_lint_report(cfn)

    targets = evaluate(benches, cfn, tree_unchanged, one)
    print()
    for t in targets:
        print(t.line())

    results = {
        "config": {"files": args.files, "seed": args.seed, "tree": str(args.out), "repeat": args.repeat,
                   "cfn_lint": args.cfn_lint, "as_of": AS_OF,
                   "baseline": str(args.baseline) if args.baseline else None},
        "environment": environment() | {"iacfix": iacfix_version},
        "tree": {"regular_files": tree.files, "mb": tree.bytes / MB, "templates": len(tree.templates)},
        "benches": {k: b.summary() for k, b in benches.items()},
        "one_file": {k: b.summary() for k, b in one.items()},
        "scales": scales,
        "cfn_lint": cfn_info | ({"benches": {k: b.summary() for k, b in cfn.items()}} if cfn else {}),
        "dry_run_left_tree_unchanged": tree_unchanged,
        "targets": [asdict(t) for t in targets],
    }
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {RESULTS_JSON}")

    if any(b.failures for b in all_benches):
        return 2
    return 0 if all(t.passed for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
