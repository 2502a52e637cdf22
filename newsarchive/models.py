from django.db import models


class FragmentVersion(models.Model):
    """
    The token that keys one scope of cached fragments ("articles" for every
    article fragment, "comments:<article id>" for one article's comment list).
    It lives in the database, and is replaced in the same transaction as the
    write it covers, so a cached fragment cannot outlive a change even when
    the cache loses keys, is flushed, or was down during the write.
    """

    scope = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"


class ScheduledJob(models.Model):
    """
    One recurring job of newsarchive.scheduler. Whoever moves `next_run_at`
    past now with a conditional UPDATE owns the current period, so each job is
    enqueued once per period however many schedulers run.
    """

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_by = models.CharField(max_length=200, blank=True)
    last_task_id = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
