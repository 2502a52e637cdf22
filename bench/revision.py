"""The commit a benchmark measured, for its results' names and headers."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def short_commit() -> str:
    return subprocess.run(  # noqa: S603 - git, fixed arguments
        ["/usr/bin/git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
