"""Plain typed factories: make_* functions with sensible defaults."""

import importlib
import io
import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Image,
    Quote,
    Section,
    Source,
    Tag,
)
from articles.services import article_set_body, image_create
from comments.models import Comment, Status

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_section(*, name: str = "", slug: str = "") -> Section:
    n = _n()
    name = name or f"Section {n}"
    return Section.objects.create(name=name, slug=slug or f"section-{n}")


def make_tag(*, name: str = "", slug: str = "") -> Tag:
    n = _n()
    return Tag.objects.create(name=name or f"Tag {n}", slug=slug or f"tag-{n}")


def make_author(*, name: str = "", slug: str = "", bio: str = "") -> Author:
    n = _n()
    return Author.objects.create(
        name=name or f"Author {n}", slug=slug or f"author-{n}", bio=bio
    )


def make_source(*, name: str = "", slug: str = "", url: str = "") -> Source:
    n = _n()
    return Source.objects.create(
        name=name or f"Source {n}",
        slug=slug or f"source-{n}",
        url=url or f"https://source{n}.example/",
    )


def make_article(
    *,
    title: str = "",
    slug: str = "",
    status: str = Article.Status.PUBLISHED,
    published_at: datetime | None = None,
    body: str = "<p>Body text of the article.</p>",
    dek: str = "A short standfirst.",
    section: Section | None = None,
    tags: list[Tag] | None = None,
    authors: list[Author] | None = None,
    **fields,
) -> Article:
    n = _n()
    if published_at is None and status != Article.Status.DRAFT:
        published_at = timezone.now() - timedelta(hours=n)
    article = Article(
        title=title or f"Article {n}",
        slug=slug or f"article-{n}",
        status=status,
        published_at=published_at,
        dek=dek,
        section=section,
        **fields,
    )
    article_set_body(article=article, body=body)
    article.save()
    if tags:
        article.tags.set(tags)
    for position, author in enumerate(authors or []):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    return article


def make_image(
    *, alt: str = "", width: int = 1000, height: int = 600, caption: str = ""
) -> Image:
    """An uploaded JPEG with its renditions, as the admin stores one."""
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (90, 120, 160)).save(out, format="JPEG")
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")
    return image_create(file=upload, alt=alt or f"Picture {_n()}", caption=caption)


def make_quote(
    *,
    article: Article,
    text: str = "We will rebuild the harbour.",
    source: Source | None = None,
    position: int = 0,
    source_url: str = "",
    speaker: str = "",
) -> Quote:
    return Quote.objects.create(
        article=article,
        text=text,
        source=source,
        position=position,
        source_url=source_url,
        speaker=speaker,
    )


def make_user(
    *,
    username: str = "",
    password: str = "secret-pass-123",
    groups: list[str] | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    email: str = "",
) -> User:
    n = _n()
    username = username or f"user{n}"
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email or f"{username}@example.com",
        is_staff=is_staff or bool(groups),
        is_superuser=is_superuser,
    )
    for name in groups or []:
        user.groups.add(role_group(name))
    return user


def role_group(name: str) -> Group:
    """
    The Editors or Moderators group as the data migrations make it. A
    transactional test (live server) flushes the database, which empties the
    groups for whichever test runs next on that worker; rebuild them then.
    """
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    group = Group.objects.create(name=name)
    if name == "Editors":
        editors = importlib.import_module(
            "articles.migrations.0002_editor_and_moderator_groups"
        )
        newsroom = importlib.import_module(
            "articles.migrations.0007_editors_manage_images_and_corrections"
        )
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles",
                content_type__model__in=[
                    *editors.EDITOR_MODELS,
                    *newsroom.NEWSROOM_MODELS,
                ],
            )
        )
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="newsarchive", content_type__model="redirect"
            )
        )
    elif name == "Moderators":
        wanted = [
            *importlib.import_module(
                "comments.migrations.0002_moderator_permissions"
            ).MODERATOR_PERMISSIONS,
            *importlib.import_module(
                "comments.migrations.0004_moderator_report_permissions"
            ).REPORT_PERMISSIONS,
        ]
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
    return group


def make_editor(**kwargs) -> User:
    return make_user(groups=["Editors"], **kwargs)


def make_moderator(**kwargs) -> User:
    return make_user(groups=["Moderators"], **kwargs)


def make_comment(
    *,
    article: Article,
    parent=None,
    status: str = Status.APPROVED,
    author_name: str = "",
    author_email: str = "",
    author_url: str = "",
    body: str = "A thoughtful comment.",
    created: datetime | None = None,
    **fields,
):
    """A comment stored as the pipeline would: sanitised body, root and depth set."""
    from newsarchive.sanitize import clean_comment_html

    n = _n()
    return Comment.objects.create(
        article=article,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        status=status,
        author_name=author_name or f"Reader {n}",
        author_email=author_email or f"reader{n}@example.com",
        author_url=author_url,
        body=body,
        body_html=clean_comment_html(body),
        created=created or timezone.now(),
        **fields,
    )


NEW_YORK = ZoneInfo("America/New_York")


def at(*args) -> datetime:
    """A moment in the site's zone (America/New_York in tests)."""
    return datetime(*args, tzinfo=NEW_YORK)


def make_full_article(**fields) -> Article:
    """A published article with a section, two tags, two authors and a quote."""
    section = fields.pop("section", None) or make_section()
    tags = fields.pop("tags", None) or [make_tag(), make_tag()]
    authors = fields.pop("authors", None) or [make_author(), make_author()]
    article = make_article(section=section, tags=tags, authors=authors, **fields)
    make_quote(article=article, source=make_source(), speaker="A spokesperson")
    return article


def article_admin_form(**overrides) -> dict:
    """The article add / change form as the browser posts it, no inline rows."""
    data = {
        "title": "Harbour reopens",
        "slug": "harbour-reopens",
        "dek": "Ships return.",
        "body": "<p>The harbour reopened today.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "featured_image": "",
        "featured_image_url": "",
        "featured_image_alt": "",
        "new_image_alt": "",
        "new_image_caption": "",
        "new_image_credit": "",
        "comments_open": "on",
        "comments_close_after_days": "",
        "import_ref": "",
        "_save": "Save",
    }
    for prefix in ("bylines", "quotes", "corrections"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def add_article_with_body(client, body: str) -> Article:
    """Add an article through the admin form, as an editor's browser would,
    with `body` as the editor sent it; the saved article."""
    response = client.post(
        reverse("admin:articles_article_add"), article_admin_form(body=body)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get()


def article_change_form(article: Article, **overrides) -> dict:
    """The change form for `article` as the browser posts it when opened now."""
    when = timezone.localtime(article.published_at) if article.published_at else None
    fields = {
        "title": article.title,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "published_at_0": f"{when:%Y-%m-%d}" if when else "",
        "published_at_1": f"{when:%H:%M:%S}" if when else "",
        "edit_version": str(article.version),
    }
    return article_admin_form(**(fields | overrides))
