"""
The moderation queue's rows as HTML, written out in Python.

Through the template engine a row cost about as much as the rest of the
page: some sixty variables, filters and tags resolved one by one, fifty
times over. Here each row is one pass of string formatting over values the
view already holds, every one of them escaped as the template's autoescape
would, except the comment's body_html, which was sanitised on the way in
(newsarchive.sanitize) and is shown as stored. The page's own template
(admin/comments/moderation/queue.html) keeps everything else. Values are
escaped with html.escape(), which is what Django's escape() calls behind a
lazy-string check that costs more than the escaping: each is a plain str.

Nothing here is cached: a row is written from the comment as this request
read it, so a decision shows on the next load.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from html import escape
from urllib.parse import quote

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from comments.models import Status


class _Clock:
    """Times in the site's zone as the template's date filters wrote them,
    "c" and "j M Y, H:i", with the zone and month names looked up once."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.months = {m: str(name).title() for m, name in MONTHS_3.items()}

    def created(self, value: datetime) -> tuple[str, str]:
        local = value.astimezone(self.zone)
        text = f"{local.day} {self.months[local.month]} {local:%Y, %H:%M}"
        return local.isoformat(), text


@cache
def _actions(actions: tuple) -> str:
    """A row's buttons, with "{pk}" where the comment's id goes."""
    buttons = []
    for action in actions:
        tone = f" mq-{action.tone}" if action.tone else ""
        key = (
            f' data-mq-key="{action.key}" aria-keyshortcuts="{action.key}"'
            if action.key
            else ""
        )
        kbd = f" <kbd>{action.key}</kbd>" if action.key else ""
        buttons.append(
            f'<button type="submit" name="do" value="{action.name}:{{pk}}" '
            f'class="mq-button{tone}"{key}>{escape(action.label)}{kbd}</button>'
        )
    return "\n".join(buttons)


def row_html(row, *, tab: str, next_url: str, clock: _Clock) -> str:
    """One queue row (a QueueRow) as the queue shows it in `tab`."""
    c = row.comment
    pk = c.pk
    status = c.status
    created_iso, created_text = clock.created(c.created)

    author = [
        f'<strong id="comment-{pk}-author" class="mq-name">'
        f"{escape(c.author_name)}</strong>",
        f'<span class="mq-email">{escape(c.author_email)}</span>',
    ]
    if c.ip:
        author.append(f'<span class="mq-ip" title="IP address">{escape(c.ip)}</span>')
    if row.site:
        site = escape(row.site)
        author.append(
            f'<a class="mq-site" href="{site}" rel="nofollow noopener noreferrer" '
            f'target="_blank">{site}</a>'
        )
    if row.first_time:
        author.append(
            '<span class="mq-record is-new" title="This author\'s comments, '
            'by email">first comment</span>'
        )
    else:
        record = row.record
        author.append(
            '<span class="mq-record" title="This author\'s comments, by email">'
            f"{record['approved']} approved · {record['spam']} spam · "
            f"{record['removed']} removed</span>"
        )

    why = [f"<li>{escape(reason)}</li>" for reason in row.reasons]
    if status != tab:
        why.insert(0, f'<li class="mq-status">{escape(c.get_status_display())}</li>')

    parent = ""
    if row.parent_excerpt:
        parent = (
            '<blockquote class="mq-parent"><span class="mq-parent-label">'
            f"In reply to {escape(c.parent_author)}:</span> "
            f"{escape(row.parent_excerpt)}</blockquote>\n"
        )

    buttons = _actions(row.actions).replace("{pk}", str(pk))
    article = c.article
    anchor = f"#comment-{pk}" if status == Status.APPROVED else ""
    section = (
        f' <span class="mq-section">{escape(article.section.name)}</span>'
        if article.section_id
        else ""
    )

    return (
        f'<article class="mq-row mq-status-{escape(status)}" id="comment-{pk}" '
        f'data-mq-row tabindex="-1" aria-labelledby="comment-{pk}-author">\n'
        f'<input type="hidden" name="seen-{pk}" value="{escape(status)}">\n'
        f'<input type="hidden" name="version-{pk}" value="{row.version}">\n'
        '<div class="mq-select">'
        f'<input type="checkbox" name="selected" value="{pk}" id="select-{pk}">'
        f'<label for="select-{pk}" class="visually-hidden">'
        f"Select comment #{pk}</label></div>\n"
        '<div class="mq-main">\n'
        f'<header class="mq-author">{" ".join(author)}</header>\n'
        f'<ul class="mq-why" aria-label="Why it is here">{"".join(why)}</ul>\n'
        f"{parent}"
        f'<div class="mq-body">{c.body_html}</div>\n'
        '<footer class="mq-where">'
        f'On <a href="{escape(row.article_url)}{anchor}" class="mq-article">'
        f"{escape(article.title)}</a>{section}"
        f' · <time datetime="{created_iso}">{created_text}</time>'
        f' · <a href="{escape(row.history_url)}">History</a>'
        f' · <a href="{escape(row.reply_url)}?next={next_url}" data-mq-key="r">'
        "Reply</a></footer>\n"
        "</div>\n"
        f'<div class="mq-actions">{buttons}</div>\n'
        "</article>"
    )


def rows_html(rows: Iterable, *, tab: str, next_url: str) -> SafeString:
    """Every row of a queue page, in order; `next_url` is where actions and
    replies come back to (the page's own address)."""
    # As the template's urlencode filter quotes a value (safe="/").
    next_query = escape(quote(next_url, safe="/"))
    clock = _Clock()
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n".join(
            row_html(row, tab=tab, next_url=next_query, clock=clock) for row in rows
        )
    )
