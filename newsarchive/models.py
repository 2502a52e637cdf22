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


class Redirect(models.Model):
    """
    One old address that answers 301 with a newer one: a renamed slug, a
    moved article, a WordPress permalink. The one table for the whole site,
    read only after a 404 (newsarchive.middleware.RedirectFallbackMiddleware),
    and written through newsarchive.redirects, which keeps every row pointing
    straight at a live address (no chains, no loops).
    """

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address, a path such as /category/world/ "
        "(with its query string for WordPress's /?p=123).",
    )
    new_path = models.CharField(
        max_length=500, help_text="Where it now lives: a path on this site."
    )
    reason = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(old_path=models.F("new_path")),
                name="redirect_not_to_itself",
                violation_error_message="An address cannot redirect to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"


class ImportRun(models.Model):
    """
    One WordPress import started from the admin: the uploaded file, how far
    the task has got (written by the worker, read by the page) and its report.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped with an error"

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    site_url = models.CharField(max_length=200, blank=True)
    dry_run = models.BooleanField(default=False)
    skip_pings = models.BooleanField(
        "skip pingbacks and trackbacks",
        default=False,
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    items_done = models.PositiveIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [("import_wordpress", "Can import WordPress exports")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="importrun_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.bytes_done * 100 // self.size) if self.size else 0


class FailedLogin(models.Model):
    """
    One failed sign-in: the username tried (lower-cased) and the address it
    came from. Counted by newsarchive.login_throttle; kept in the database so
    that every app server counts the same failures.
    """

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return (
            f"{self.username} from {self.ip or 'unknown'} at {self.at:%Y-%m-%d %H:%M}"
        )
