"""Print the findings of every golden input (file or tree) in the shape of tests/golden/findings.json.

    python tools/golden_findings.py > tests/golden/findings.json

Positions are the test's expectations: after running this, read the diff line
by line against the input files before committing it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"


def main() -> None:
    out = {}
    trees = [p for p in GOLDEN.glob("*.in") if p.is_dir()]
    for path in sorted([*GOLDEN.glob("*.in.*"), *trees]):
        with tempfile.TemporaryDirectory() as tmp:  # alone, as the test sees it: no Terraform siblings
            (shutil.copytree if path.is_dir() else shutil.copyfile)(path, Path(tmp) / path.name)
            run = subprocess.run([sys.executable, "-m", "iacfix", "check", path.name, "--as-of", "2026-11-21",
                                  "--format", "json"], capture_output=True, text=True, cwd=tmp)
        where = ["path"] if path.is_dir() else []
        out[path.name] = [[f[k] for k in where] + [f["rule"], f["line"], f["column"], f["end_line"], f["end_column"],
                                                   f["runtime"]] for f in json.loads(run.stdout)["findings"]]
    rows = ",\n".join(f"  {json.dumps(k)}: [" + ", ".join(json.dumps(v) for v in vs) + "]" for k, vs in out.items())
    print("{\n" + rows + "\n}")


if __name__ == "__main__":
    main()
