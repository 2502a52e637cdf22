"""
What `make run` starts, read from `make -n` (print the commands, run nothing),
and the deployment lines the README gives for production.
"""

import re
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "--no-print-directory", "-n", *args],  # noqa: S607
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _readme_deployment() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    block = re.search(r"A deployment runs:\s*```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "README has no deployment block"
    return block.group(1)


def test_serve_passes_the_port_to_every_process():
    commands = _dry_run("serve", "PORT=8001")
    # Settings derive SITE_URL from PORT, so links name the port served.
    assert "export PORT=8001" in commands
    assert "--bind 127.0.0.1:8001" in commands
    assert "8000" not in commands


def test_serve_runs_gunicorn_the_task_worker_and_the_scheduler_together():
    commands = _dry_run("serve")
    assert "manage.py db_worker" in commands
    assert "manage.py run_scheduler" in commands
    assert "gunicorn newsarchive.wsgi" in commands
    # Whichever stops first takes the others with it.
    assert "wait -n" in commands
    assert "trap" in commands


def test_each_gunicorn_worker_takes_at_most_ten_connections():
    # Kept-alive connections stay with the worker that took them: without a
    # cap, sixteen clients can all sit on one of two workers.
    commands = _dry_run("serve")
    assert "--threads 2" in commands
    assert "--worker-connections 10" in commands


def test_the_worker_runs_without_its_reloader_so_stopping_it_stops_it():
    # With DEBUG's autoreloader the pid that serve kills is only the
    # reloader, and the worker it started would outlive `make run`.
    assert "manage.py db_worker --no-reload" in _dry_run("serve")


def test_gunicorn_runs_without_a_control_socket():
    assert "--no-control-socket" in _dry_run("serve")
    assert "--no-control-socket" in _readme_deployment()


def test_run_creates_the_cache_table_after_migrating():
    commands = _dry_run("run").splitlines()
    migrate = next(i for i, c in enumerate(commands) if "manage.py migrate" in c)
    cache = next(i for i, c in enumerate(commands) if "createcachetable" in c)
    assert migrate < cache


def test_the_readme_deployment_runs_the_scheduler_and_creates_the_cache_table():
    deployment = _readme_deployment()
    assert "manage.py createcachetable" in deployment
    assert "manage.py run_scheduler" in deployment
    assert "manage.py db_worker" in deployment
