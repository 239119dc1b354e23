import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from iacfix.cli import main

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SAMPLES = HERE.parent / "samples"
AS_OF = "2026-11-21"


class Run:
    def __init__(self, result):
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def iacfix(monkeypatch, tmp_path):
    """Run the CLI in-process with the current directory set to tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args, as_of=AS_OF):
        extra = ["--as-of", as_of] if as_of and args and args[0] in ("check", "fix", "runtimes") else []
        result = CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)
        return Run(result)

    return run


@pytest.fixture
def copy_golden(tmp_path):
    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copyfile(GOLDEN / name, dest)
        return dest

    return copy
