"""Files that are not what their names say: link loops, FIFOs, devices, huge
files, names that are not UTF-8 or hold a newline; and -j far above the cores.

Whatever could hang runs in a child process with a bounded wait."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF
from iacfix import pool
from iacfix.reading import Unreadable, format_size, parse_size, read_bytes

EXE = Path(sys.executable).with_name("iacfix")
WAIT = 20  # seconds: a run of a few small files takes well under one
TEMPLATE = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  F:\n    Type: AWS::Lambda::Function\n'
            "    Properties:\n      Runtime: python3.9\n")
MAIN_TF = 'resource "aws_lambda_function" "f" {\n  runtime = var.rt\n}\n'
VARIABLES_TF = 'variable "rt" {\n  default = "python3.9"\n}\n'
BROKEN = TEMPLATE + "      Handler: [\n"  # a template with a YAML syntax error

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets, devices and rlimits are POSIX")


def cli(cwd: Path, *args: str, env: dict | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
    """The console script in a child process, killed if it outlives WAIT."""
    return subprocess.run([str(EXE), *args, "--as-of", AS_OF], cwd=cwd, capture_output=True, timeout=WAIT,
                          env={**os.environ, **(env or {})}, preexec_fn=preexec_fn, stdin=subprocess.DEVNULL)


def loop(tmp_path: Path, a: str, b: str) -> None:
    (tmp_path / a).symlink_to(b)
    (tmp_path / b).symlink_to(a)


# -- symbolic link loops ----------------------------------------------------------------------------

def test_a_symlink_loop_is_reported_and_every_other_file_still_is(iacfix, tmp_path):
    loop(tmp_path, "a.yaml", "b.yaml")
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    run = iacfix("check", ".", "--format", "json")
    assert run.code == 2
    errors = {e["path"]: e for e in run.json["errors"]}
    assert set(errors) == {"a.yaml", "b.yaml"}
    assert all("symbolic link loop" in e["message"] and (e["line"], e["column"]) == (1, 1) for e in errors.values())
    assert [f["path"] for f in run.json["findings"]] == ["t.yaml"]
    text = iacfix("check", ".", "a.yaml")  # walked and named
    assert "a.yaml:1:1: error: cannot read: symbolic link loop" in text.out and "t.yaml:6:16: RT003" in text.out


@pytest.mark.parametrize("args", [(".",), ("main.tf",)])
def test_a_symlink_loop_next_to_terraform_files_hides_no_variable(iacfix, tmp_path, args):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "variables.tf").write_text(VARIABLES_TF)
    loop(tmp_path, "loop.tf", "loop2.tf")
    run = iacfix("check", *args, "--format", "json")
    assert run.code == 2
    assert {e["path"] for e in run.json["errors"]} == {"loop.tf", "loop2.tf"}
    assert all("symbolic link loop" in e["message"] for e in run.json["errors"])
    assert [(f["path"], f["rule"]) for f in run.json["findings"]] == [("variables.tf", "RT003")]
    fixed = iacfix("fix", *args, "--format", "json")
    assert fixed.json["files_written"] == 1 and '"python3.13"' in (tmp_path / "variables.tf").read_text()


# -- FIFOs, sockets, devices ------------------------------------------------------------------------

@posix_only
def test_a_fifo_named_on_the_command_line_is_reported_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "t.yaml")
    (tmp_path / "ok.yaml").write_text(TEMPLATE)
    for args in (("check", "t.yaml", "ok.yaml"), ("fix", "t.yaml", "ok.yaml", "--diff")):
        run = cli(tmp_path, *args)
        out = run.stdout.decode()
        assert run.returncode == 2, run.stderr.decode()
        assert "t.yaml:1:1: error: not a regular file (a FIFO); not read" in out
        assert "ok.yaml:6:16: RT003" in out or "+      Runtime: python3.13" in out


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_named_on_the_command_line_is_reported_not_read(tmp_path):
    import resource

    def small():  # the old code read /dev/zero until memory ran out: make that quick
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    run = cli(tmp_path, "check", "/dev/zero", preexec_fn=small)
    assert run.returncode == 2, run.stderr.decode()[-2000:]
    assert run.stdout.decode().startswith("/dev/zero:1:1: error: not a regular file (a character device); not read")
    assert run.stderr == b""


@posix_only
def test_fifos_sockets_and_devices_found_while_walking_are_skipped(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.tf")  # among a Terraform directory's files
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock.yaml"))
    except OSError:  # a path too long for a socket address
        pass
    if os.path.exists("/dev/zero"):
        (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "variables.tf").write_text(VARIABLES_TF)
    try:
        run = cli(tmp_path, "check", ".", "--format", "json")
    finally:
        server.close()
    assert run.returncode == 1, run.stderr.decode()
    doc = json.loads(run.stdout)
    assert doc["errors"] == []
    assert [(f["path"], f["rule"]) for f in doc["findings"]] == [("t.yaml", "RT003"), ("variables.tf", "RT003")]


# -- the size cap -----------------------------------------------------------------------------------

def test_a_file_over_the_default_cap_is_reported_not_read(iacfix, tmp_path):
    with open(tmp_path / "huge.yaml", "wb") as fh:  # sparse: 60 MB long, nothing on disk
        fh.truncate(60 * 1000 * 1000)
    (tmp_path / "t.yaml").write_text(TEMPLATE)
    run = iacfix("check", ".")
    assert run.code == 2
    assert ("huge.yaml:1:1: error: file is 60 MB, larger than the 50 MB limit; not read "
            "(raise the limit with --max-file-size)") in run.out
    assert "t.yaml:6:16: RT003" in run.out


def test_max_file_size_sets_the_cap(iacfix, tmp_path):
    big = TEMPLATE.replace("Resources:", "# " + "x" * 300_000 + "\nResources:")
    (tmp_path / "big.yaml").write_text(big)
    (tmp_path / "main.tf").write_text(MAIN_TF + "# " + "x" * 300_000 + "\n")
    (tmp_path / "variables.tf").write_text(VARIABLES_TF)
    run = iacfix("check", ".", "--max-file-size", "200KB", "--format", "json")
    assert run.code == 2 and run.json["findings"] == []
    assert {e["path"]: e["message"] for e in run.json["errors"]} == {
        p: "file is 300.1 KB, larger than the 200 KB limit; not read (raise the limit with --max-file-size)"
        for p in ("big.yaml", "main.tf")}
    for size in ("1MB", "400kb", "1 MiB", str(len(big.encode()) + 40)):
        run = iacfix("check", ".", "--max-file-size", size, "--format", "json")
        assert (run.code, run.json["errors"]) == (1, []), size
        assert [f["path"] for f in run.json["findings"]] == ["big.yaml", "variables.tf"]


@pytest.mark.parametrize("size", ["lots", "50XB", "-1", "0", ""])
def test_a_max_file_size_that_is_not_a_size_is_a_usage_error(iacfix, tmp_path, size):
    run = iacfix("check", ".", "--max-file-size", size)
    assert run.code == 2 and "Invalid value for '--max-file-size'" in run.err, run.err


def test_help_documents_max_file_size(iacfix):
    text = " ".join(iacfix("check", "--help", as_of=None).out.split())
    assert "--max-file-size SIZE" in text and "50MB, 200KB" in text and "Default: 50 MB" in text


def test_sizes():
    assert [parse_size(s) for s in ("50MB", "200KB", "1048576", "1GiB", "1.5 mb", "7b")] == [
        50_000_000, 200_000, 1048576, 1 << 30, 1_500_000, 7]
    assert [format_size(n) for n in (50_000_000, 200_000, 1_500_000, 999, 1)] == [
        "50 MB", "200 KB", "1.5 MB", "999 bytes", "1 byte"]
    with pytest.raises(ValueError):
        parse_size("50 parsecs")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc")
def test_a_file_longer_than_stat_says_is_read_to_its_end_and_capped():
    """/proc files say they are empty; what is read is still capped."""
    assert b"Pid:" in read_bytes("/proc/self/status")
    with pytest.raises(Unreadable, match="over 10 bytes, larger than the 10 bytes limit"):
        read_bytes("/proc/self/status", 10)


# -- -j ---------------------------------------------------------------------------------------------

class _Pool:
    """Stands for the worker pool: records how many workers were asked for, works in-process."""

    asked: list[int] = []

    @classmethod
    def parallel(cls, work, init, opts, units, jobs, chunk, lost, written, into):
        cls.asked.append(jobs)
        init(opts)
        into.extend(work(u) for u in units)
        return into


@pytest.mark.parametrize("cores, jobs, workers", [
    (3, ("-j", "1000"), 3), (3, (), 3), (4, ("-j", "2"), 2), (512, ("-j", "1000"), 300), (512, (), 300),
])
def test_jobs_are_capped_at_the_cores_available_and_the_units(iacfix, tmp_path, monkeypatch, cores, jobs, workers):
    for i in range(300):  # enough to go parallel
        (tmp_path / f"f{i:03}.yaml").write_text("a: 1\n")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2 * cores)  # the machine's, not this process's
    monkeypatch.setattr(pool.workers, "parallel", _Pool.parallel)
    monkeypatch.setattr(_Pool, "asked", [])
    run = iacfix("check", ".", *jobs)
    assert run.code == 0 and "300 files read" in run.out
    assert _Pool.asked == [workers]


def test_help_says_jobs_are_capped(iacfix):
    text = " ".join(iacfix("check", "--help", as_of=None).out.split())
    assert "at most the cores this process may run on (more only slow the run down) and the number of files" in text


# -- write failures, file names ---------------------------------------------------------------------

@posix_only
def test_the_summary_says_which_files_could_not_be_written(tmp_path):
    import resource
    import signal

    def no_big_files():  # any file over 1 KB fails to be written (EFBIG), as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    (tmp_path / "t.yaml").write_text(TEMPLATE.replace("Resources:", "# " + "x" * 2000 + "\nResources:"))
    (tmp_path / "broken.yaml").write_text(BROKEN)
    run = cli(tmp_path, "fix", ".", preexec_fn=no_big_files)
    out = run.stdout.decode()
    assert run.returncode == 2, run.stderr.decode()
    assert "t.yaml:1:1: error: cannot write the fix:" in out
    assert out.splitlines()[-1].endswith(" 1 file could not be read or parsed; 1 file could not be written.")
    (tmp_path / "broken.yaml").unlink()
    out = cli(tmp_path, "fix", ".", preexec_fn=no_big_files).stdout.decode()
    assert out.splitlines()[-1].endswith("remains (1 error). 1 file could not be written.")


def _bad_name(tmp_path: Path) -> None:
    try:
        fd = os.open(os.path.join(os.fsencode(tmp_path), b"bad\xff.yaml"), os.O_WRONLY | os.O_CREAT)
    except OSError:
        pytest.skip("this file system takes only UTF-8 file names")
    os.write(fd, TEMPLATE.encode())
    os.close(fd)


@posix_only
def test_json_output_is_valid_utf8_whatever_the_file_names(tmp_path):
    _bad_name(tmp_path)
    for args in (("check", ".", "--format", "json"), ("fix", ".", "--diff", "--format", "json")):
        run = cli(tmp_path, *args, env={"PYTHONIOENCODING": "utf-8:surrogateescape"})
        doc = json.loads(run.stdout.decode("utf-8"))  # strict: no raw \xff byte
        assert [os.fsencode(f["path"]) for f in doc["findings"] + doc.get("fixed", [])] == [b"bad\xff.yaml"]
        assert b"bad\\udcff.yaml" in run.stdout


@posix_only
def test_text_output_shows_a_name_that_is_not_utf8_escaped(tmp_path):
    _bad_name(tmp_path)
    for fmt in ("text", "github"):
        run = cli(tmp_path, "check", ".", "--format", fmt, env={"PYTHONIOENCODING": "utf-8"})  # strict
        assert run.returncode == 1 and run.stderr == b"", run.stderr.decode()[-2000:]
        assert b"bad\\xff.yaml" in run.stdout
    run = cli(tmp_path, "fix", ".", "--diff", env={"PYTHONIOENCODING": "utf-8"})
    assert run.stdout.startswith(b'--- "a/bad\\377.yaml"\n+++ "b/bad\\377.yaml"\n@@')


def test_a_newline_in_a_file_name_is_escaped_in_text_output(iacfix, tmp_path):
    try:
        (tmp_path / "a\nb.yaml").write_text(TEMPLATE)
        (tmp_path / "c\td.yaml").write_text(BROKEN)
    except OSError:
        pytest.skip("this file system takes no newline in a file name")
    run = iacfix("check", ".")
    lines = run.out.splitlines()
    assert lines[0].startswith("a\\nb.yaml:6:16: RT003 [error] python3.9 is deprecated")
    assert lines[1].startswith("c\\td.yaml:")
    assert len(lines) == 3 and lines[2].startswith("Found 1 finding")
    diff = iacfix("fix", "a\nb.yaml", "--diff").out
    assert diff.startswith('--- "a/a\\nb.yaml"\n+++ "b/a\\nb.yaml"\n@@')
    assert iacfix("check", ".", "--format", "json").json["findings"][0]["path"] == "a\nb.yaml"
