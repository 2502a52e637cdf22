"""Small hand-made WordPress export files for the importer's tests."""

from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[1].parent
    / "shared/corpora/themeunittestdata.wordpress.xml"
)
SITE = "https://old.example.com"

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old site</title>
<link>{site}</link>
<pubDate>Tue, 27 Jan 2015 14:56:57 {offset}</pubDate>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>{site}</wp:base_blog_url>
"""
TAIL = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    # "]]>" cannot sit inside one CDATA section: WordPress splits it in two.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login: str = "jane", name: str = "Jane Doe", *, author_id: str = "") -> str:
    the_id = f"<wp:author_id>{author_id}</wp:author_id>" if author_id else ""
    return (
        f"<wp:author>{the_id}<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{login}@example.com</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n"
    )


def category(slug: str, name: str, *, term_id: str = "5", parent: str = "") -> str:
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{slug}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
    )


def tag(slug: str, name: str, *, term_id: str = "9") -> str:
    return (
        f"<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
        f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
    )


def comment(
    comment_id: str,
    *,
    parent: str = "0",
    content: str = "A reader's comment.",
    approved: str = "1",
    comment_type: str = "",
    date: str = "2020-03-04 10:00:00",
    date_gmt: str | None = None,
    author_name: str = "Reader",
    email: str = "reader@example.com",
    url: str = "",
) -> str:
    gmt = date if date_gmt is None else date_gmt
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author>{cdata(author_name)}</wp:comment_author>"
        f"<wp:comment_author_email>{email}</wp:comment_author_email>"
        f"<wp:comment_author_url>{url}</wp:comment_author_url>"
        f"<wp:comment_author_IP>192.0.2.7</wp:comment_author_IP>"
        f"<wp:comment_date>{date}</wp:comment_date>"
        f"<wp:comment_date_gmt>{gmt}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(content)}</wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{comment_type}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
    )


def item(
    post_id: str,
    *,
    title: str = "A story",
    slug: str | None = None,
    content: str = "<p>Story text.</p>",
    excerpt: str = "",
    status: str = "publish",
    post_type: str = "post",
    date: str = "2020-03-04 09:00:00",
    date_gmt: str | None = None,
    creator: str = "jane",
    link: str | None = None,
    password: str = "",
    terms: str = "",
    meta: dict[str, str] | None = None,
    comments: str = "",
    parent: str = "0",
    attachment_url: str = "",
) -> str:
    slug = f"story-{post_id}" if slug is None else slug
    gmt = date if date_gmt is None else date_gmt
    link = f"{SITE}/{slug}/" if link is None else link
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key>"
        f"<wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    url = (
        f"<wp:attachment_url>{attachment_url}</wp:attachment_url>"
        if attachment_url
        else ""
    )
    return (
        f"<item><title>{cdata(title)}</title><link>{link}</link>"
        f"<dc:creator>{cdata(creator)}</dc:creator>"
        f"<content:encoded>{cdata(content)}</content:encoded>"
        f"<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:post_type>{post_type}</wp:post_type>"
        f"<wp:post_password>{password}</wp:post_password>{url}"
        f"{terms}{metas}{comments}</item>\n"
    )


def in_category(slug: str, name: str) -> str:
    return f'<category domain="category" nicename="{slug}">{cdata(name)}</category>'


def in_tag(slug: str, name: str) -> str:
    return f'<category domain="post_tag" nicename="{slug}">{cdata(name)}</category>'


def document(*parts: str, site: str = SITE, offset: str = "+0000") -> bytes:
    return (HEAD.format(site=site, offset=offset) + "".join(parts) + TAIL).encode()


def write(tmp_path: Path, *parts: str, name: str = "export.xml", **kwargs) -> Path:
    path = tmp_path / name
    path.write_bytes(document(*parts, **kwargs))
    return path


def run(*parts: str, site: str = SITE, offset: str = "+0000", **options):
    """Import a hand-made export; returns the run's Report."""
    import io

    from newsarchive.importing import import_wxr

    return import_wxr(io.BytesIO(document(*parts, site=site, offset=offset)), **options)
