""".env.example documents every variable settings.py reads, and nothing else."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

_READ = re.compile(r"""env\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""")
_DOCUMENTED = re.compile(r"^#?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _read_by_settings() -> set[str]:
    return set(_READ.findall((REPO_ROOT / "newsarchive" / "settings.py").read_text()))


def _example_lines() -> list[str]:
    return (REPO_ROOT / ".env.example").read_text().splitlines()


def test_settings_reads_the_variables_we_expect_to_find():
    # Guards the regex: if it stopped matching, the next test would pass empty.
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "AKISMET_API_KEY"} <= (
        _read_by_settings()
    )


def test_env_example_lists_exactly_the_variables_settings_reads():
    documented = set(_DOCUMENTED.findall("\n".join(_example_lines())))
    assert documented == _read_by_settings()


def test_each_variable_has_a_comment_and_sets_nothing_when_sourced():
    lines = _example_lines()
    for i, line in enumerate(lines):
        if _DOCUMENTED.match(line):
            assert line.startswith("#"), f"{line!r} would be set when sourced"
            assert lines[i - 1].startswith("# "), f"{line!r} has no comment above"
