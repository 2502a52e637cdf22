"""Tasks for the scheduler tests, imported by dotted path like the real ones."""

from django.tasks import task

calls: list[str] = []


@task
def probe() -> str:
    calls.append("probe")
    return "ok"


@task
def other_probe() -> str:
    calls.append("other_probe")
    return "ok"


@task
def broken() -> None:
    raise RuntimeError("the job broke")
