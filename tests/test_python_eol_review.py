"""Issue 13 under review: real-world shaped files that the first cut got
wrong (each test names the defect it pins down)."""

import pytest


def test_crlf_tox_ini_and_setup_cfg_are_read_and_keep_their_line_ends(iacfix, write):
    # Windows checkouts (core.autocrlf) write CRLF: an INI section header
    # ending in \r must still be a section.
    tox = write("tox.ini", "[tox]\r\nenvlist = py39, py312\r\n\r\n[testenv:lint]\r\nbasepython = python3.9\r\n")
    cfg = write("setup.cfg", "[metadata]\r\nname = x\r\nclassifiers =\r\n"
                "    Programming Language :: Python :: 3.9\r\n    Programming Language :: Python :: 3.12\r\n"
                "\r\n[options]\r\npython_requires = >=3.9\r\n")
    run = iacfix("check", ".", "--format", "json")
    assert [(f["path"], f["line"], f["column"], f["runtime"]) for f in run.json["findings"]] == [
        ("setup.cfg", 8, 21, "3.9"), ("tox.ini", 2, 11, "3.9"), ("tox.ini", 5, 20, "3.9")]
    iacfix("fix", ".", "--unsafe-fixes")
    assert tox.read_bytes() == b"[tox]\r\nenvlist = py312\r\n\r\n[testenv:lint]\r\nbasepython = python3.13\r\n"
    assert cfg.read_bytes() == (b"[metadata]\r\nname = x\r\nclassifiers =\r\n"
                                b"    Programming Language :: Python :: 3.12\r\n"
                                b"\r\n[options]\r\npython_requires = >=3.11\r\n")
