from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


class Status(models.TextChoices):
    UNCHECKED = "unchecked", "Unchecked"
    HELD = "held", "Held"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class HoldReason(models.TextChoices):
    """Why a comment is where it is; the label is what a moderator reads."""

    NONE = "", "—"
    AKISMET_SPAM = "akismet_spam", "Akismet said spam"
    AKISMET_DISCARD = "akismet_discard", "Akismet said blatant spam"
    AKISMET_PROVISIONAL = "akismet_provisional", "Akismet asked to check again later"
    AKISMET_UNREACHABLE = "akismet_unreachable", "Akismet could not be reached"
    AKISMET_INVALID_KEY = "akismet_invalid_key", "Akismet rejected the API key"
    AKISMET_ERROR = "akismet_error", "Akismet answered with an error"
    NO_KEY = "no_key", "No Akismet key is configured"
    COULD_NOT_CHECK = "could_not_check", "Akismet could not check it for 15 days"
    TOO_MANY_LINKS = "too_many_links", "Too many links"
    HOLD_WORD = "hold_word", "Contains a hold word"
    BLOCK_WORD = "block_word", "Contains a blocked word"
    PREMODERATED = "premoderated", "Pre-moderated article"
    FIRST_TIME = "first_time", "First-time commenter"
    HONEYPOT = "honeypot", "Filled the hidden honeypot field"
    TOO_FAST = "too_fast", "Posted too fast after opening the form"
    REPORTED = "reported", "Reported by readers"
    MODERATOR = "moderator", "A moderator's decision"


# Groups of hold reasons, kept on the enum so every module asks the same set.
# Waiting for Akismet: the queue shows when the next try is due.
HoldReason.RETRYING = frozenset(
    {
        HoldReason.AKISMET_UNREACHABLE,
        HoldReason.AKISMET_INVALID_KEY,
        HoldReason.AKISMET_ERROR,
        HoldReason.AKISMET_PROVISIONAL,
        HoldReason.NO_KEY,
    }
)
# Held while a retry is due soon: no moderator is needed unless it gives up.
HoldReason.TRANSIENT = frozenset(
    {
        HoldReason.AKISMET_UNREACHABLE,
        HoldReason.AKISMET_ERROR,
        HoldReason.AKISMET_PROVISIONAL,
    }
)
# Holds the pipeline made only because it could not ask Akismet: the author's
# edit checks the comment again and may publish it. Every other hold (readers'
# reports, a moderator, our own rules, a provisional or given-up check) waits
# for a moderator however the comment is edited.
HoldReason.RELEASABLE_BY_EDIT = frozenset(
    {
        HoldReason.AKISMET_UNREACHABLE,
        HoldReason.AKISMET_INVALID_KEY,
        HoldReason.AKISMET_ERROR,
        HoldReason.NO_KEY,
    }
)
# Reasons whose stored detail ("3 links") says more than the label.
HoldReason.DETAIL_FIRST = frozenset(
    {
        HoldReason.TOO_MANY_LINKS,
        HoldReason.HOLD_WORD,
        HoldReason.BLOCK_WORD,
        HoldReason.TOO_FAST,
    }
)


class AkismetVerdict(models.TextChoices):
    """Akismet's last answer about a comment, as stored on it."""

    NONE = "", "—"
    HAM = "ham", "Ham"
    SPAM = "spam", "Spam"
    DISCARD = "discard", "Blatant spam (discard)"


AkismetVerdict.SPAMMY = frozenset({AkismetVerdict.SPAM, AkismetVerdict.DISCARD})


class CommentKind(models.TextChoices):
    """A reader's comment, or a notice that another site linked here."""

    COMMENT = "comment", "Comment"
    PINGBACK = "pingback", "Pingback"
    TRACKBACK = "trackback", "Trackback"


# The one name of the moderators' permission.
MODERATE_PERMISSION = "comments.moderate_comment"
# Exporting or erasing everything kept about an email address: given on its
# own, to the people who answer readers' data requests.
PERSONAL_DATA_PERMISSION = "comments.manage_personal_data"


class CommentQuerySet(models.QuerySet):
    def public(self):
        """The one rule for what readers see: approved comments only."""
        return self.filter(status=Status.APPROVED)

    def discussion(self):
        """Readers' comments, without the pingbacks and trackbacks shown apart."""
        return self.filter(kind=CommentKind.COMMENT)

    def mentions(self):
        """Pingbacks and trackbacks: other sites that linked to the article."""
        return self.exclude(kind=CommentKind.COMMENT)

    def held(self):
        return self.filter(status=Status.HELD)

    def unchecked(self):
        return self.filter(status=Status.UNCHECKED)

    def due_for_check(self, *, now=None):
        """Comments waiting for an Akismet (re)check whose time has come."""
        return self.filter(
            status__in=[Status.UNCHECKED, Status.HELD],
            next_check_at__isnull=False,
            next_check_at__lte=now or timezone.now(),
        )


# A comment Akismet answered: it keeps the answer's headers, or an alert.
AKISMET_ANSWERED = (~Q(akismet_headers={}) | ~Q(akismet_alert_code="")) & Q(
    checked_at__isnull=False
)


class Comment(models.Model):
    Status = Status
    HoldReason = HoldReason
    Kind = CommentKind

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    # The top-level comment of this thread (NULL for a top-level comment): lets
    # one query fetch whole threads for a page of top-level comments.
    root = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="thread_comments",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(
        max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT
    )

    author_name = models.CharField(max_length=245)
    author_email = models.EmailField(max_length=100)
    author_url = models.URLField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    body = models.TextField()
    body_html = models.TextField(blank=True)

    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    referrer = models.TextField(blank=True)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.UNCHECKED
    )
    # Where a removed comment goes back to on restore.
    previous_status = models.CharField(
        max_length=10, choices=Status.choices, blank=True
    )
    hold_reason = models.CharField(
        max_length=30, choices=HoldReason.choices, blank=True, default=""
    )
    hold_detail = models.CharField(max_length=300, blank=True)

    # Akismet's last verdict and what came with it.
    akismet_verdict = models.CharField(
        max_length=20, choices=AkismetVerdict.choices, blank=True
    )
    akismet_guid = models.CharField(max_length=100, blank=True)
    akismet_pro_tip = models.CharField(max_length=100, blank=True)
    akismet_alert_code = models.CharField(max_length=20, blank=True)
    akismet_alert_msg = models.TextField(blank=True)
    akismet_headers = models.JSONField(default=dict, blank=True)
    discarded = models.BooleanField(default=False)
    # The exact payload sent to Akismet, kept for submit-spam / submit-ham.
    akismet_payload = models.JSONField(null=True, blank=True)
    akismet_payload_expires_at = models.DateTimeField(null=True, blank=True)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    edited_at = models.DateTimeField(null=True, blank=True)
    # The author ticked "email me replies" (sent only once the address is
    # confirmed, see ReplySubscription).
    notify_replies = models.BooleanField(default=False)
    # Set when the article's authors / the parent's author were told about
    # this comment: the claim that makes those mails go out once.
    authors_notified_at = models.DateTimeField(null=True, blank=True)
    reply_notified_at = models.DateTimeField(null=True, blank=True)
    import_ref = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        permissions = [
            ("moderate_comment", "Can moderate comments"),
            (
                "manage_personal_data",
                "Can export and erase commenters' personal data",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    previous_status__in=[
                        "",
                        *(s for s in Status.values if s != Status.REMOVED),
                    ]
                ),
                name="comment_previous_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="comment_not_own_parent",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CommentKind.values),
                name="comment_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["article", "status", "created"], name="comment_article_status"
            ),
            models.Index(fields=["status", "-created"], name="comment_status_created"),
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="comment_check_due",
            ),
            models.Index(fields=["author_email"], name="comment_author_email"),
            # The queue's author records group by the lowered address and
            # count by status: with both (and the address itself, for the
            # planner) in the index, they read no table rows.
            models.Index(
                Lower("author_email"),
                F("status"),
                F("author_email"),
                name="comment_author_record",
            ),
            # The queue's Held tab, newest first: held comments and unchecked
            # ones (listed once overdue) as one ordered range, so that a page
            # reads its fifty entries instead of sorting every held comment.
            models.Index(
                fields=["-created", "-id"],
                condition=Q(status__in=[Status.HELD, Status.UNCHECKED]),
                name="comment_held_queue",
            ),
            # Spam kept for review, and spam discarded lately: the queue
            # counts both, and spam is a small share of a large table.
            models.Index(
                fields=["-created"],
                condition=Q(status="spam", discarded=False),
                name="comment_spam_kept",
            ),
            models.Index(
                fields=["checked_at"],
                condition=Q(status="spam", discarded=True),
                name="comment_spam_discarded",
            ),
            # Akismet's latest answer, for its account alert (see
            # selectors.akismet_alert): newest first among the answered.
            models.Index(
                fields=["-checked_at", "-id"],
                condition=AKISMET_ANSWERED,
                name="comment_akismet_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})


class StatusTally(models.Model):
    """
    How many comments each status holds (spam apart by `discarded`), as
    amounts added and taken away: database triggers (migration comments
    0014) write one row per statement that changes a comment's status, on
    every write path, and selectors.moderator.status_tally() sums them and
    now and then folds them into one row per status. The queue's tabs then
    count a million comments without reading them.
    """

    status = models.CharField(max_length=10, choices=Status.choices)
    discarded = models.BooleanField(default=False)
    amount = models.BigIntegerField()

    def __str__(self) -> str:
        return (
            f"{self.status}{' (discarded)' if self.discarded else ''}: {self.amount:+}"
        )


class EventKind(models.TextChoices):
    """What a ModerationEvent records."""

    STATUS = "status", "Status change"
    VERDICT = "verdict", "Akismet verdict"
    RETRY = "retry", "Check retry scheduled"
    FAILURE = "failure", "Check failed"
    SUBMIT_SPAM = "submit_spam", "Reported spam to Akismet"
    SUBMIT_HAM = "submit_ham", "Reported ham to Akismet"
    REPORT = "report", "Reader report"
    EDIT = "edit", "Edited by author"
    ERASURE = "erasure", "Personal data erased"
    NOTE = "note", "Note"
    IMPORT = "import", "Imported"


class ModerationEvent(models.Model):
    """One row for every status change, verdict, retry and failure."""

    Kind = EventKind

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    # A person, or NULL for the system (the pipeline, a task, Akismet).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_events",
    )
    reason = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["comment", "created"], name="event_comment")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="event_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.from_status or '∅'} → {self.to_status or '∅'}"

    @property
    def actor_label(self) -> str:
        return self.actor.get_username() if self.actor_id else "system"


class WordAction(models.TextChoices):
    HOLD = "hold", "Hold for moderation"
    BLOCK = "block", "Mark as spam"


class WordRule(models.Model):
    """A moderator-edited word list: hold for review, or treat as spam outright."""

    Action = WordAction

    phrase = models.CharField(max_length=200)
    action = models.CharField(max_length=5, choices=Action.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["phrase", "action"], name="wordrule_unique"
            ),
            models.CheckConstraint(
                condition=Q(action__in=WordAction.values), name="wordrule_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.phrase}"


class CommentReportQuerySet(models.QuerySet):
    def open(self):
        """The one rule for a report still to be looked at: not dismissed."""
        return self.filter(dismissed_at__isnull=True)


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSIVE = "abusive", "Abusive or hateful"
    OFF_TOPIC = "off_topic", "Off-topic"
    OTHER = "other", "Something else"


class CommentReport(models.Model):
    """A reader's report that an approved comment breaks the rules."""

    Reason = ReportReason

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.TextField(blank=True, max_length=1000)
    # Who reported: a signed-in user, else a keyed hash of the IP, so distinct
    # reporters can be counted without keeping the address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_reports",
    )
    reporter_key = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dismissed_comment_reports",
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"],
                condition=Q(dismissed_at__isnull=True),
                name="report_one_open_per_reporter",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ReportReason.values),
                name="report_reason_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["comment"],
                condition=Q(dismissed_at__isnull=True),
                name="report_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class ReplyOptoutMarker(models.Model):
    """
    An address that asked never to be emailed about replies, then had its
    personal data erased. Erasure deletes the subscription row, but the
    opt-out must outlive it, or anyone could tick "email me replies" with the
    address again. Only a keyed hash of the address is kept
    (selectors.personal_data.optout_key), never the address itself.
    """

    key = models.CharField(max_length=64, unique=True)
    # The opt-out's own time, so a confirmation link mailed before it still
    # cannot lift it.
    unsubscribed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Erased address opted out since {self.unsubscribed_at:%Y-%m-%d}"


class ReplySubscription(models.Model):
    """
    An email address that asked for reply notifications and confirmed it
    (double opt-in). Which comments it covers is Comment.notify_replies; one
    unsubscribe stops them all, and opting in again needs a new confirmation.
    """

    email = models.EmailField(max_length=100, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Limits confirmation mails to one a day per address, so the opt-in box
    # cannot be used to mail-bomb someone.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
