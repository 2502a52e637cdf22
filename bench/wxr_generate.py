"""
Write a synthetic WordPress export for the import benchmark: POSTS posts with
COMMENTS comments spread over them (threads three deep), authors and terms,
written as a stream so the generator's own memory stays flat.

    .venv/bin/python bench/wxr_generate.py OUT.xml [--posts 20000] [--comments 200000]
"""

import argparse
import random
from datetime import UTC, datetime, timedelta

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench site</title>
<link>https://bench.example.com</link>
<pubDate>Tue, 27 Jan 2015 14:56:57 +0000</pubDate>
<wp:base_blog_url>https://bench.example.com</wp:base_blog_url>
"""
WORDS = [
    *[
        "harbour",
        "council",
        "budget",
        "storm",
        "election",
        "port",
        "ferry",
        "strike",
        "river",
        "bridge",
    ],
    *[
        "minister",
        "school",
        "hospital",
        "market",
        "rail",
        "court",
        "festival",
        "museum",
        "farm",
        "coast",
    ],
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def generate(path: str, *, posts: int, comments: int, seed: int = 1) -> None:
    rng = random.Random(seed)  # noqa: S311 - filler text, not secrets
    start = datetime(2015, 1, 1, tzinfo=UTC)
    per_post, extra = divmod(comments, posts)
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(10):
            out.write(
                f"<wp:author><wp:author_login>writer{n}</wp:author_login>"
                f"<wp:author_email>writer{n}@bench.example.com</wp:author_email>"
                f"<wp:author_display_name><![CDATA[Writer {n}]]></wp:author_display_name></wp:author>\n"
            )
        for n in range(20):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id>"
                f"<wp:category_nicename>section-{n}</wp:category_nicename>"
                f"<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name><![CDATA[Section {n}]]></wp:cat_name></wp:category>\n"
            )
        for n in range(200):
            out.write(
                f"<wp:tag><wp:term_id>{n + 100}</wp:term_id><wp:tag_slug>tag-{n}</wp:tag_slug>"
                f"<wp:tag_name><![CDATA[Tag {n}]]></wp:tag_name></wp:tag>\n"
            )
        for post in range(1, posts + 1):
            when = start + timedelta(minutes=post * 37)
            date = when.strftime("%Y-%m-%d %H:%M:%S")
            slug = f"story-{post}"
            body = "\n\n".join(_text(rng, 60) for _ in range(5))
            terms = f'<category domain="category" nicename="section-{post % 20}"><![CDATA[Section {post % 20}]]></category>'
            for t in rng.sample(range(200), 3):
                terms += f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
            items = []
            count = per_post + (1 if post <= extra else 0)
            ids: list[int] = []
            for c in range(count):
                comment_id += 1
                # Every third comment answers an earlier one (threads nest).
                parent = ids[-1] if c % 3 and ids else 0
                ids.append(comment_id)
                cdate = (when + timedelta(minutes=c + 1)).strftime("%Y-%m-%d %H:%M:%S")
                items.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[Reader {comment_id % 997}]]></wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 997}@mail.example</wp:comment_author_email>"
                    f"<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{cdate}</wp:comment_date><wp:comment_date_gmt>{cdate}</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{_text(rng, 30)}]]></wp:comment_content>"
                    f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>"
                    f"</wp:comment>\n"
                )
            out.write(
                f"<item><title><![CDATA[{_text(rng, 6).title()}]]></title>"
                f"<link>https://bench.example.com/{slug}/</link>"
                f"<dc:creator>writer{post % 10}</dc:creator>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                f"<wp:post_password></wp:post_password>{terms}{''.join(items)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=200_000)
    args = parser.parse_args()
    generate(args.out, posts=args.posts, comments=args.comments)


if __name__ == "__main__":
    main()
