"""
Demo content for `manage.py load_demo_content`: read from the TOML files in
newsarchive/demo/, checked, then written to the database.

`read_demo_content()` only reads and checks, so a typo in a data file fails
with the file and the entry named before anything is written.
`load_demo_content()` creates what is missing and leaves every existing row
exactly as it is: newsroom rows are keyed by slug, articles by import_ref
"demo:<number>" and comments by "demo:comment:<key>". This module lives in
the project package because it writes to both apps.
"""

import dataclasses
import secrets
import tomllib
import types
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, get_args, get_origin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from articles.models import Article, ArticleAuthor, Author, Quote, Section, Source, Tag
from articles.services import article_keep_related_in_revision, article_set_body
from comments.models import (
    AkismetVerdict,
    Comment,
    HoldReason,
    ModerationEvent,
    Status,
    WordAction,
    WordRule,
)
from newsarchive.sanitize import clean_comment_html

DATA_DIR = Path(__file__).with_suffix("")  # newsarchive/demo/
DEMO_ACCOUNTS = [("editor", "Editors"), ("moderator", "Moderators")]
# Comment.akismet_verdict values that mean Akismet answered ("" = it did not).
ANSWERED_VERDICTS = frozenset(AkismetVerdict.values) - {AkismetVerdict.NONE}


class DemoDataError(ValueError):
    """A demo data file is malformed; the message names the file and entry."""


# What the files hold --------------------------------------------------------
# Each dataclass is the schema of one kind of entry: a field without a default
# is required, and a key that is not a field is an error.


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoAuthor:
    slug: str
    name: str
    bio: str


@dataclass(frozen=True)
class DemoSource:
    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class DemoQuote:
    source: str  # a source slug
    speaker: str
    text: str


@dataclass(frozen=True)
class DemoArticle:
    number: int
    status: str
    section: str
    title: str
    slug: str
    dek: str
    authors: tuple[str, ...]
    body: str
    days_ago: float | None = None  # negative: scheduled; None: a draft
    tags: tuple[str, ...] = ()
    quotes: tuple[DemoQuote, ...] = ()
    comments_open: bool = True
    comments_premoderate: bool = False

    @property
    def import_ref(self) -> str:
        return f"demo:{self.number}"


@dataclass(frozen=True)
class DemoComment:
    key: str
    article: str  # an article slug
    hours_after: float
    author_name: str
    author_email: str
    ip: str
    body: str
    status: str
    event_kind: str
    event_from: str
    event_reason: str
    parent: str = ""  # the key of an earlier comment on the same article
    author_url: str = ""
    hold_reason: str = ""
    hold_detail: str = ""
    verdict: str = ""  # what Akismet said, stored as Comment.akismet_verdict
    discarded: bool = False
    by_moderator: bool = False

    @property
    def import_ref(self) -> str:
        return f"demo:comment:{self.key}"


@dataclass(frozen=True)
class DemoContent:
    sections: tuple[DemoSection, ...]
    tags: dict[str, str]  # slug: name
    authors: tuple[DemoAuthor, ...]
    sources: tuple[DemoSource, ...]
    articles: tuple[DemoArticle, ...]
    comments: tuple[DemoComment, ...]
    user_agent: str
    # (phrase, action): the moderators' hold and block words.
    word_rules: tuple[tuple[str, str], ...] = ()


# Reading and checking -------------------------------------------------------

_TYPE_WORDS = {str: "a string", int: "a whole number", bool: "true or false"}


def read_demo_content(directory: Path = DATA_DIR) -> DemoContent:
    """The demo files in `directory`, checked; DemoDataError if one is wrong."""
    newsroom_path = directory / "newsroom.toml"
    newsroom = _read(newsroom_path)
    where = str(newsroom_path)
    sections = _keyed(DemoSection, newsroom, "sections", where=where)
    tags = _table(newsroom, "tags", where=where)
    for slug, name in tags.items():
        _check(isinstance(name, str), f"{where}: [tags] {slug}: expected a string")
    authors = _keyed(DemoAuthor, newsroom, "authors", where=where)
    sources = _keyed(DemoSource, newsroom, "sources", where=where)
    _check_keys(newsroom, {"sections", "tags", "authors", "sources"}, where=where)

    articles_path = directory / "articles.toml"
    raw_articles = _read(articles_path)
    _check_keys(raw_articles, {"articles"}, where=str(articles_path))
    articles = tuple(
        _article(
            entry,
            where=f"{articles_path}: {label}",
            sections={s.slug for s in sections},
            tags=tags.keys(),
            authors={a.slug for a in authors},
            sources={s.slug for s in sources},
        )
        for label, entry in _entries(raw_articles, "articles", "number", articles_path)
    )
    _check_unique(articles, "number", where=str(articles_path))
    _check_unique(articles, "slug", where=str(articles_path))

    comments_path = directory / "comments.toml"
    raw_comments = _read(comments_path)
    _check_keys(
        raw_comments, {"comments", "user_agent", "word_rules"}, where=str(comments_path)
    )
    word_rules = _word_rules(raw_comments, where=str(comments_path))
    user_agent = raw_comments.get("user_agent")
    _check(
        isinstance(user_agent, str) and user_agent,
        f"{comments_path}: user_agent: expected a non-empty string",
    )
    by_slug = {a.slug: a for a in articles}
    comments: dict[str, DemoComment] = {}
    for label, entry in _entries(raw_comments, "comments", "key", comments_path):
        where = f"{comments_path}: {label}"
        comment = _comment(entry, where=where, articles=by_slug, earlier=comments)
        _check(comment.key not in comments, f"{where}: key {comment.key!r} repeated")
        comments[comment.key] = comment

    return DemoContent(
        sections=sections,
        tags=tags,
        authors=authors,
        sources=sources,
        articles=articles,
        comments=tuple(comments.values()),
        user_agent=user_agent,
        word_rules=word_rules,
    )


def _word_rules(data: dict[str, Any], *, where: str) -> tuple[tuple[str, str], ...]:
    rules = data.get("word_rules", {})
    _check(isinstance(rules, dict), f"{where}: [word_rules]: expected a table")
    _check_keys(rules, set(WordAction.values), where=f"{where}: [word_rules]")
    found = []
    for action, phrases in rules.items():
        _check(
            isinstance(phrases, list)
            and all(isinstance(p, str) and p.strip() for p in phrases),
            f"{where}: [word_rules] {action}: expected a list of phrases",
        )
        found += [(phrase, action) for phrase in phrases]
    return tuple(found)


def _article(
    entry: object,
    *,
    where: str,
    sections: Collection[str],
    tags: Collection[str],
    authors: Collection[str],
    sources: Collection[str],
) -> DemoArticle:
    article = _entry(DemoArticle, entry, where=where)
    _check_choice(article.status, Article.Status.values, "status", where=where)
    _check_choice(article.section, sections, "section", where=where)
    _check(article.authors, f"{where}: authors: needs at least one")
    for slug in article.authors:
        _check_choice(slug, authors, "authors", where=where)
    for slug in article.tags:
        _check_choice(slug, tags, "tags", where=where)
    for quote in article.quotes:
        _check_choice(quote.source, sources, "quotes.source", where=where)
    if article.status == Article.Status.DRAFT:
        _check(article.days_ago is None, f"{where}: days_ago: a draft has none")
    elif article.status == Article.Status.SCHEDULED:
        _check(
            article.days_ago is not None and article.days_ago < 0,
            f"{where}: days_ago: a scheduled article needs a negative one",
        )
    else:
        _check(
            article.days_ago is not None and article.days_ago >= 0,
            f"{where}: days_ago: a {article.status} article needs one, 0 or more",
        )
    return article


def _comment(
    entry: object,
    *,
    where: str,
    articles: dict[str, DemoArticle],
    earlier: dict[str, DemoComment],
) -> DemoComment:
    comment = _entry(DemoComment, entry, where=where)
    _check_choice(comment.article, articles.keys(), "article", where=where)
    _check(
        articles[comment.article].status == Article.Status.PUBLISHED,
        f"{where}: article: {comment.article!r} is not published",
    )
    _check_choice(comment.status, Status.values, "status", where=where)
    _check_choice(comment.hold_reason, HoldReason.values, "hold_reason", where=where)
    _check_choice(comment.verdict, AkismetVerdict.values, "verdict", where=where)
    _check_choice(
        comment.event_kind, ModerationEvent.Kind.values, "event_kind", where=where
    )
    _check_choice(comment.event_from, ["", *Status.values], "event_from", where=where)
    if comment.status == Status.HELD:
        _check(
            comment.hold_reason and comment.hold_detail,
            f"{where}: a held comment needs hold_reason and hold_detail, "
            "which the moderation queue shows as why it is there",
        )
    if comment.parent:
        parent = earlier.get(comment.parent)
        _check(
            parent is not None,
            f"{where}: parent: no earlier comment has key {comment.parent!r}",
        )
        _check(
            parent.article == comment.article,
            f"{where}: parent: comment {comment.parent!r} is on another article",
        )
    return comment


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise DemoDataError(f"{path}: cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: not valid TOML: {error}") from error


def _table(data: dict[str, Any], name: str, *, where: str) -> dict[str, Any]:
    table = data.get(name)
    _check(isinstance(table, dict), f"{where}: [{name}]: expected a table")
    return table


def _keyed(cls, data: dict[str, Any], name: str, *, where: str) -> tuple:
    """`[name.<slug>]` tables as `cls` entries, the slug filled in."""
    entries = []
    for slug, entry in _table(data, name, where=where).items():
        label = f"{where}: [{name}.{slug}]"
        _check(isinstance(entry, dict), f"{label}: expected a table")
        _check("slug" not in entry, f"{label}: the slug is the table name")
        entries.append(_entry(cls, {**entry, "slug": slug}, where=label))
    return tuple(entries)


def _entries(data: dict[str, Any], name: str, key: str, path: Path):
    """(label, entry) for each `[[name]]`; the label says which one it is."""
    entries = data.get(name)
    _check(isinstance(entries, list), f"{path}: expected [[{name}]] entries")
    for index, entry in enumerate(entries, start=1):
        label = f"[[{name}]] #{index}"
        if isinstance(entry, dict) and key in entry:
            label += f" ({key} = {entry[key]!r})"
        yield label, entry


def _entry(cls, entry: object, *, where: str):
    """`entry` as a `cls`, each value checked against the field's type."""
    _check(isinstance(entry, dict), f"{where}: expected a table")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(entry.keys() - fields.keys())
    _check(not unknown, f"{where}: unknown field {', '.join(map(repr, unknown))}")
    values = {}
    for name, spec in fields.items():
        if name in entry:
            values[name] = _value(entry[name], spec.type, where=f"{where}: {name}")
        elif spec.default is dataclasses.MISSING:
            raise DemoDataError(f"{where}: missing field {name!r}")
    return cls(**values)


def _value(value: object, expected, *, where: str):
    if get_origin(expected) is types.UnionType:  # float | None: None is absence
        (expected,) = (t for t in get_args(expected) if t is not types.NoneType)
    if get_origin(expected) is tuple:
        item_type = get_args(expected)[0]
        _check(isinstance(value, list), f"{where}: expected a list")
        return tuple(
            _value(item, item_type, where=f"{where}[{i}]")
            for i, item in enumerate(value)
        )
    if dataclasses.is_dataclass(expected):
        return _entry(expected, value, where=where)
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        _check(ok, f"{where}: expected a number, got {value!r}")
        return float(value)
    ok = isinstance(value, expected) and (
        expected is bool or not isinstance(value, bool)
    )
    _check(ok, f"{where}: expected {_TYPE_WORDS[expected]}, got {value!r}")
    return value


def _check(ok: object, message: str) -> None:
    if not ok:
        raise DemoDataError(message)


def _check_choice(
    value: str, choices: Collection[str], name: str, *, where: str
) -> None:
    if value not in choices:
        allowed = ", ".join(repr(c) for c in sorted(choices))
        raise DemoDataError(f"{where}: {name}: {value!r} is not one of {allowed}")


def _check_keys(data: dict[str, Any], known: set[str], *, where: str) -> None:
    unknown = sorted(data.keys() - known)
    _check(not unknown, f"{where}: unknown key {', '.join(map(repr, unknown))}")


def _check_unique(entries, name: str, *, where: str) -> None:
    seen = set()
    for entry in entries:
        value = getattr(entry, name)
        _check(value not in seen, f"{where}: {name} {value!r} is used twice")
        seen.add(value)


# Writing ----------------------------------------------------------------------


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        self.created.setdefault(kind, 0)
        if created:
            self.created[kind] += 1


@dataclass(frozen=True)
class DemoAccount:
    user: AbstractBaseUser
    group: str
    # Set only when the account was created just now and the password is not
    # the DEMO_PASSWORD setting: shown once, then never again.
    new_password: str = ""
    created: bool = False


@transaction.atomic
def create_demo_accounts() -> dict[str, DemoAccount]:
    """The demo staff accounts by username; an existing one is left as it is."""
    User = get_user_model()
    setting = getattr(settings, "DEMO_PASSWORD", "")
    accounts = {}
    for username, group_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            accounts[username] = DemoAccount(user=user, group=group_name)
            continue
        password = setting or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=group_name))
        accounts[username] = DemoAccount(
            user=user,
            group=group_name,
            new_password="" if setting else password,
            created=True,
        )
    return accounts


@transaction.atomic
def load_demo_content(
    *,
    content: DemoContent,
    now: datetime,
    moderator: AbstractBaseUser | None = None,
) -> DemoReport:
    """Create what is missing; leave every existing row untouched."""
    report = DemoReport()
    sections = {}
    for section in content.sections:
        sections[section.slug], created = Section.objects.get_or_create(
            slug=section.slug,
            defaults={"name": section.name, "description": section.description},
        )
        report.add("sections", created)
    tags = {}
    for slug, name in content.tags.items():
        tags[slug], created = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
        report.add("tags", created)
    authors = {}
    for author in content.authors:
        authors[author.slug], created = Author.objects.get_or_create(
            slug=author.slug, defaults={"name": author.name, "bio": author.bio}
        )
        report.add("authors", created)
    sources = {}
    for source in content.sources:
        sources[source.slug], created = Source.objects.get_or_create(
            slug=source.slug, defaults={"name": source.name, "url": source.url}
        )
        report.add("sources", created)

    existing = set(
        Article.objects.filter(import_ref__startswith="demo:").values_list(
            "import_ref", flat=True
        )
    )
    for demo in content.articles:
        created = demo.import_ref not in existing
        if created:
            _create_article(
                demo,
                now=now,
                sections=sections,
                tags=tags,
                authors=authors,
                sources=sources,
            )
        report.add("articles", created)

    for phrase, action in content.word_rules:
        _, created = WordRule.objects.get_or_create(phrase=phrase, action=action)
        report.add("word rules", created)
    report.add("comments", False)
    for created in _load_comments(content=content, now=now, moderator=moderator):
        report.add("comments", created)
    return report


def _create_article(
    demo: DemoArticle, *, now: datetime, sections, tags, authors, sources
) -> None:
    published_at = None
    if demo.days_ago is not None:
        published_at = (now - timedelta(days=demo.days_ago)).replace(
            second=0, microsecond=0
        )
    article = Article(
        import_ref=demo.import_ref,
        title=demo.title,
        slug=demo.slug,
        dek=demo.dek,
        status=demo.status,
        published_at=published_at,
        section=sections[demo.section],
        comments_open=demo.comments_open,
        comments_premoderate=demo.comments_premoderate,
    )
    article_set_body(article=article, body=demo.body)
    article.save()
    # Written when published, not when loaded: otherwise every demo page
    # says "Updated today". update() because auto_now overrides save().
    stamp = min(published_at, now) if published_at else now
    Article.objects.filter(pk=article.pk).update(created=stamp, updated=stamp)
    article.tags.set([tags[slug] for slug in demo.tags])
    for position, slug in enumerate(demo.authors):
        ArticleAuthor.objects.create(
            article=article, author=authors[slug], position=position
        )
    for position, quote in enumerate(demo.quotes):
        Quote.objects.create(
            article=article,
            position=position,
            text=quote.text,
            source=sources[quote.source],
            speaker=quote.speaker,
        )
    article_keep_related_in_revision(article=article)


def _load_comments(*, content: DemoContent, now: datetime, moderator):
    """Yield, for each demo comment, whether it was created just now."""
    refs = [demo.import_ref for demo in content.comments]
    saved = {c.import_ref: c for c in Comment.objects.filter(import_ref__in=refs)}
    article_refs = {a.slug: a.import_ref for a in content.articles}
    articles = {
        a.import_ref: a
        for a in Article.objects.filter(import_ref__in=article_refs.values())
    }
    for demo in content.comments:
        article = articles.get(article_refs[demo.article])
        if demo.import_ref in saved or article is None or not article.published_at:
            yield False
            continue
        created = min(
            article.published_at + timedelta(hours=demo.hours_after),
            now - timedelta(minutes=5),
        )
        parent = saved[f"demo:comment:{demo.parent}"] if demo.parent else None
        comment = Comment.objects.create(
            import_ref=demo.import_ref,
            article=article,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author_name=demo.author_name,
            author_email=demo.author_email,
            author_url=demo.author_url,
            body=demo.body,
            body_html=clean_comment_html(demo.body),
            ip=demo.ip,
            user_agent=content.user_agent,
            referrer=f"{settings.SITE_URL}{article.get_absolute_url()}",
            status=demo.status,
            # A removed demo comment was approved before a moderator removed it.
            previous_status=Status.APPROVED if demo.status == Status.REMOVED else "",
            hold_reason=demo.hold_reason,
            hold_detail=demo.hold_detail,
            akismet_verdict=demo.verdict,
            discarded=demo.discarded,
            check_attempts=_check_attempts(demo.hold_reason, demo.verdict),
            checked_at=created if demo.verdict in ANSWERED_VERDICTS else None,
            next_check_at=_next_check(demo.status, demo.hold_reason, now),
            created=created,
        )
        ModerationEvent.objects.create(
            comment=comment,
            kind=demo.event_kind,
            from_status=demo.event_from,
            to_status=demo.status,
            actor=moderator if demo.by_moderator else None,
            reason=demo.event_reason,
            details={"hold_reason": demo.hold_reason} if demo.hold_reason else {},
            created=created + timedelta(seconds=1),
        )
        saved[demo.import_ref] = comment
        yield True


def _check_attempts(hold_reason: str, verdict: str) -> int:
    """How many Akismet checks the pipeline would have made by now."""
    if hold_reason == HoldReason.COULD_NOT_CHECK:
        return 24
    if hold_reason in (HoldReason.AKISMET_UNREACHABLE, HoldReason.NO_KEY):
        return 2
    return 1 if verdict else 0


def _next_check(status: str, hold_reason: str, now: datetime) -> datetime | None:
    """When the recheck would run: waiting comments keep a time, others none."""
    if status == Status.UNCHECKED:
        return now
    return {
        HoldReason.AKISMET_PROVISIONAL: now + timedelta(minutes=10),
        HoldReason.AKISMET_UNREACHABLE: now + timedelta(minutes=5),
        HoldReason.NO_KEY: now + timedelta(hours=1),
    }.get(hold_reason)
