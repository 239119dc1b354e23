"""What `fix` guarantees when it writes: only the bytes it read are replaced,
only under the paths it was given, with the file's owner, group, mode,
extended attributes and hard links kept."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import iacfix.edits as edits
import iacfix.fixing as fixing

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
    assert "could not be read, parsed or written" in run.out


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
