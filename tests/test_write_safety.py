"""What `fix` guarantees when it writes: only the bytes it read are replaced."""

from __future__ import annotations

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
