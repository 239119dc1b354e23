"""What `fix` guarantees when it writes: only the bytes it read are replaced,
only under the paths it was given, with the file's owner, group, mode,
extended attributes and hard links kept; and a run that is interrupted or
killed (itself, one of its workers, or its whole process group) leaves no
half-written file, no orphaned worker and no temporary file that the next run
does not remove."""

from __future__ import annotations

import errno
import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import iacfix.edits as edits
import iacfix.fixing as fixing

IACFIX = Path(sys.executable).with_name("iacfix")
AS_OF = "2026-11-21"
FN = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n"
      "    Properties:\n      Runtime: python3.9\n")
FIXED = FN.replace("python3.9", "python3.13")


def write(path: Path, text: str = FN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def temporary_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob(".iacfix-*"))


# --- 4. a file changed while fix runs is not overwritten ------------------------------------------


def test_a_file_changed_after_it_was_read_is_not_written(iacfix, tmp_path, monkeypatch):
    path = write(tmp_path / "t.yaml")
    edit = fixing._edit

    def edit_while_someone_appends(f, fmt):
        done = edit(f, fmt)
        with open(f.path, "a") as fh:
            fh.write("# appended by someone else\n")
        return done

    monkeypatch.setattr(fixing, "_edit", edit_while_someone_appends)
    run = iacfix("fix", "t.yaml", "--format", "json")
    assert path.read_text() == FN + "# appended by someone else\n"
    assert [e["message"] for e in run.json["errors"]] == ["changed while iacfix was fixing it; not written"]
    assert run.code == 2 and run.json["files_written"] == 0 and run.json["fixed"] == []
    assert temporary_files(tmp_path) == []


def test_a_file_replaced_after_it_was_read_is_not_written(iacfix, tmp_path, monkeypatch):
    path = write(tmp_path / "t.yaml")
    edit = fixing._edit

    def edit_while_an_editor_saves(f, fmt):  # same size, another inode, by rename
        done = edit(f, fmt)
        write(tmp_path / "saved.yaml", FN.replace("python3.9", "python3.8"))
        os.replace(tmp_path / "saved.yaml", f.path)
        return done

    monkeypatch.setattr(fixing, "_edit", edit_while_an_editor_saves)
    run = iacfix("fix", "t.yaml")
    assert path.read_text() == FN.replace("python3.9", "python3.8")
    assert run.code == 2 and "t.yaml:1:1: error: changed while iacfix was fixing it; not written" in run.out
    assert "1 file could not be written" in run.out


def test_a_write_landing_in_the_instant_of_the_rename_puts_the_file_back(tmp_path, monkeypatch):
    path = write(tmp_path / "t.yaml")
    inode = path.stat().st_ino
    replace, calls = os.replace, []

    def replace_while_someone_appends(src, dst):
        calls.append(dst)
        if len(calls) > 1:
            return replace(src, dst)
        with open(dst, "ab") as old:  # opened before the rename: writes to the file being replaced
            replace(src, dst)
            old.write(b"# appended\n")

    monkeypatch.setattr(os, "replace", replace_while_someone_appends)
    with pytest.raises(edits.NotWritten, match="changed while iacfix was fixing it"):
        edits.atomic_write(str(path), FIXED.encode(), expected=FN.encode())
    assert len(calls) == 2  # the replace, then the original put back
    assert path.read_text() == FN + "# appended\n" and path.stat().st_ino == inode and path.stat().st_nlink == 1
    assert temporary_files(tmp_path) == []


def test_an_unchanged_file_is_written(tmp_path):
    path = write(tmp_path / "t.yaml")
    edits.atomic_write(str(path), FIXED.encode(), expected=FN.encode())
    assert path.read_text() == FIXED and path.stat().st_nlink == 1 and temporary_files(tmp_path) == []


# --- 5. only under the paths given; owner, group, mode, xattrs, hard links kept ----------------


def _link_out(tmp_path: Path) -> Path:
    secret = write(tmp_path / "outside" / "secret.yaml")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link.yaml").symlink_to("../outside/secret.yaml")
    write(tmp_path / "tree" / "own.yaml")
    return secret


def test_a_link_out_of_the_tree_is_not_written(iacfix, tmp_path):
    secret = _link_out(tmp_path)
    run = iacfix("fix", "tree", "--format", "json")
    assert secret.read_text() == FN and (tmp_path / "tree" / "own.yaml").read_text() == FIXED
    [refused] = run.json["not_fixed"]
    assert refused["path"] == "tree/link.yaml"
    assert "resolves to outside/secret.yaml, outside the paths given" in refused["message"]
    assert "--follow-links-out" in refused["message"]
    [left] = run.json["findings"]
    assert left["path"] == "tree/link.yaml" and "outside the paths given" in left["fix_unavailable"]
    assert run.code == 1 and run.json["files_written"] == 1
    assert "outside the paths given" in iacfix("fix", "tree", "--dry-run").out  # the preview says so too
    assert secret.read_text() == FN


def test_follow_links_out_writes_through_the_link_and_says_where(iacfix, tmp_path):
    secret = _link_out(tmp_path)
    run = iacfix("fix", "tree", "--follow-links-out")
    assert secret.read_text() == FIXED and (tmp_path / "tree" / "link.yaml").is_symlink()
    assert "tree/link.yaml: note: written through the link, to outside/secret.yaml" in run.out
    assert run.code == 0


def test_a_link_named_on_the_command_line_and_a_linked_root_are_written(iacfix, tmp_path):
    secret = _link_out(tmp_path)
    assert iacfix("fix", "tree/link.yaml").code == 0 and secret.read_text() == FIXED
    real = write(tmp_path / "real" / "t.yaml")
    (tmp_path / "alias").symlink_to("real")
    assert iacfix("fix", "alias").code == 0 and real.read_text() == FIXED


def test_a_file_with_several_hard_links_is_not_split(iacfix, tmp_path):
    path = write(tmp_path / "tree" / "t.yaml")
    os.link(path, tmp_path / "other.yaml")
    run = iacfix("fix", "tree", "--format", "json")
    assert path.read_text() == FN and (tmp_path / "other.yaml").read_text() == FN
    assert os.path.samefile(path, tmp_path / "other.yaml")
    [refused] = run.json["not_fixed"]
    assert "it has 2 hard links; writing it would split them" in refused["message"] and run.code == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another owner takes root")
def test_owner_and_group_are_kept(iacfix, tmp_path):
    path = write(tmp_path / "t.yaml")
    os.chown(path, 1234, 1234)
    path.chmod(0o640)
    assert iacfix("fix", "t.yaml").code == 0 and path.read_text() == FIXED
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 1234, 0o640)


def test_extended_attributes_are_kept(iacfix, tmp_path):
    path = write(tmp_path / "t.yaml")
    try:
        os.setxattr(path, "user.iacfix-test", b"keep me")
    except OSError as e:
        if e.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip(f"no user extended attributes here ({e.strerror})")
        raise
    assert iacfix("fix", "t.yaml").code == 0 and path.read_text() == FIXED
    assert os.getxattr(path, "user.iacfix-test") == b"keep me"


# --- 6. interrupted and killed runs ----------------------------------------------------------------

MANY = 600  # more than PARALLEL_MIN_FILES: the run uses worker processes
BIG = FN.split("Resources:\n")[0] + "Resources:\n" + "".join(
    f"  F{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.9\n"
    for i in range(20))
BIG_FIXED = BIG.replace("python3.9", "python3.13")


def _tree(tmp_path: Path, n: int = MANY) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(n):
        (tree / f"t{i:04d}.yaml").write_text(BIG)
    return tree


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    out, err = open(tmp_path / "out", "wb"), open(tmp_path / "err", "wb")
    with out, err:
        # SIGINT as a terminal gives it: a suite started in the background (``cmd &``) ignores
        # SIGINT, and its children would inherit that.
        return subprocess.Popen([str(IACFIX), "fix", "tree", "--as-of", AS_OF, *args], cwd=tmp_path,
                                stdout=out, stderr=err, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _children(pid: int) -> list[int]:
    out = []
    for name in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            out += [int(x) for x in Path(name).read_text().split()]
        except OSError:
            pass
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _until(condition, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _workers(proc: subprocess.Popen) -> list[int]:
    assert _until(lambda: len(_children(proc.pid)) >= 2), "no worker processes started"
    return _children(proc.pid)


def _finish(proc: subprocess.Popen, timeout: float = 30.0) -> int:
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        pytest.fail("the run did not end")


def _on_disk(tree: Path) -> tuple[set[str], set[str]]:
    """(fixed, untouched) file names; any other content fails."""
    fixed, untouched = set(), set()
    for path in tree.glob("*.yaml"):
        text = path.read_text()
        assert text in (BIG, BIG_FIXED), f"{path.name} is half-written"
        (fixed if text == BIG_FIXED else untouched).add(path.name)
    return fixed, untouched


@pytest.fixture
def reap():
    procs = []
    yield procs.append
    for proc in procs:  # whatever happened, leave nothing running
        for pid in _children(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait(10)


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_the_workers_die_with_the_run(tmp_path, reap, sig, code):
    tree = _tree(tmp_path)
    proc = _start(tmp_path, "-j", "2")
    reap(proc)
    workers = _workers(proc)
    time.sleep(0.3)
    os.kill(proc.pid, sig)
    assert _finish(proc) == code
    assert _until(lambda: not any(_running(w) for w in workers), 10), "a worker outlived the run"
    fixed, untouched = _on_disk(tree)
    assert untouched, "the run ended before it was interrupted: make the tree bigger"
    if sig != signal.SIGKILL:  # it stopped cleanly: no temporary file, and it says what it wrote
        assert temporary_files(tree) == []
        err = (tmp_path / "err").read_text()
        assert f"iacfix: interrupted by {sig.name} before every file was processed" in err
        assert {line.strip().removeprefix("tree/") for line in err.splitlines()[2:]} == fixed
        assert (tmp_path / "out").read_text() == ""


def test_an_interrupted_serial_run_removes_its_temporary_file_and_exits_143(tmp_path, reap):
    tree = _tree(tmp_path, 300)
    proc = _start(tmp_path, "-j", "1")
    reap(proc)
    assert _until(lambda: _on_disk(tree)[0]), "nothing was fixed"
    os.kill(proc.pid, signal.SIGTERM)
    assert _finish(proc) == 143
    fixed, untouched = _on_disk(tree)
    assert untouched and temporary_files(tree) == []
    assert "interrupted by SIGTERM" in (tmp_path / "err").read_text()


def test_a_killed_worker_costs_its_file_and_the_run_goes_on(tmp_path, reap):
    tree = _tree(tmp_path)
    proc = _start(tmp_path, "-j", "2", "--format", "json")
    reap(proc)
    workers = _workers(proc)
    time.sleep(0.3)
    os.kill(workers[0], signal.SIGKILL)
    code = _finish(proc, 60)
    err = (tmp_path / "err").read_text()
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    doc = json.loads((tmp_path / "out").read_text())
    lost = {e["path"]: e["message"] for e in doc["errors"]}
    assert len(lost) <= 1 and code == (2 if lost else 0)  # one file was being processed when it died
    assert all(m.startswith("worker process died (killed by signal 9, SIGKILL)") for m in lost.values())
    reported = {f["path"] for f in doc["fixed"]}
    written_unreported = {p for p, m in lost.items() if "after writing the fix" in m}
    fixed, untouched = _on_disk(tree)
    assert {f"tree/{n}" for n in fixed} == reported | written_unreported  # every write reported
    assert {f"tree/{n}" for n in untouched} == set(lost) - written_unreported  # the rest fixed
    assert temporary_files(tree) == []


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path, reap):
    tree = _tree(tmp_path)
    proc = _start(tmp_path, "-j", "2")
    reap(proc)
    _workers(proc)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    assert _finish(proc) == -9
    left = temporary_files(tree)
    again = subprocess.run([str(IACFIX), "fix", "tree", "--as-of", AS_OF], cwd=tmp_path, capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 0 and temporary_files(tree) == []
    assert all(f"tree/{name}: note: removed a temporary file left by an interrupted iacfix run" in again.stdout
               for name in left)
    assert _on_disk(tree) == ({p.name for p in tree.glob("*.yaml")}, set())


def test_only_iacfix_leftovers_are_removed(iacfix, tmp_path):
    write(tmp_path / "t.yaml")
    old = time.time() - 3600
    names = {
        ".iacfix-4194399-abcd_123.tmp": True,  # a pid above any pid_max: its process is gone
        ".iacfix-k2j4h5g6.tmp": True,  # as iacfix 0.1.0 named them
        f".iacfix-{os.getpid()}-abcdefgh.tmp": False,  # its process (this one) still runs
        ".iacfix-notes.tmp": False,  # not a name iacfix makes
        ".iacfix-4194399-abcdefgh.tmp.bak": False,
        "x.iacfix-4194399-abcdefgh.tmp": False,
    }
    for name in names:
        write(tmp_path / name, "leftover")
        os.utime(tmp_path / name, (old, old))
    newer = write(tmp_path / ".iacfix-4194398-newer000.tmp", "written after the run started")
    os.utime(newer, (time.time() + 3600,) * 2)
    (tmp_path / "d").mkdir()
    os.utime(tmp_path / "d", (old, old))
    (tmp_path / "d").rename(tmp_path / ".iacfix-4194397-adirectr.tmp")  # not a regular file
    run = iacfix("fix", ".")
    kept = {p.name for p in tmp_path.iterdir()}
    assert {n for n, removed in names.items() if removed} & kept == set()
    assert {n for n, removed in names.items() if not removed} <= kept
    assert {newer.name, ".iacfix-4194397-adirectr.tmp"} <= kept
    assert run.out.count("note: removed a temporary file left by an interrupted iacfix run") == 2
    assert (tmp_path / "t.yaml").read_text() == FIXED


def _work_or_die(unit):
    if unit == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    return [unit]


def _no_init(arg):
    pass


def _die_unless_in(parent):
    if os.getpid() != parent:
        os._exit(3)


def test_a_unit_that_kills_its_worker_is_lost_alone():
    from iacfix.workers import parallel

    units = [f"u{i}" for i in range(300)]
    units[7] = units[150] = "die"
    lost, written = [], []
    done = parallel(_work_or_die, _no_init, None, units, 2, 8,
                    lambda unit, how, wrote, pid: lost.append((unit, how)) or [], written)
    assert sorted(x for batch in done for x in batch) == sorted(u for u in units if u != "die")
    assert lost == [("die", "killed by signal 9, SIGKILL")] * 2 and written == []


def test_when_workers_die_before_they_start_the_run_is_done_here():
    from iacfix.workers import parallel

    units = [f"u{i}" for i in range(100)]
    done = parallel(_work_or_die, _die_unless_in, os.getpid(), units, 2, 8, lambda *a: pytest.fail("lost"), [])
    assert sorted(x for batch in done for x in batch) == sorted(units)
