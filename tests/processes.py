"""The environment for the site's own processes started by tests (servers, schedulers)."""

import os
from pathlib import Path


def site_env(tmp: Path, **extra: str) -> dict[str, str]:
    """
    Development defaults (no CACHE_URL, DEBUG on, no Akismet key) with the
    database and temporary files in `tmp`, and nothing of the caller's
    environment but what Python needs.
    """
    env = {
        key: os.environ[key]
        for key in ("PATH", "HOME", "LANG", "LC_ALL")
        if key in os.environ
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TMPDIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "AKISMET_API_KEY": "",
            **extra,
        }
    )
    return env
