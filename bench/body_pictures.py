"""
CPU time of drawing an article body's own pictures (articles.body): a long
body with no picture of ours, and one with N of ours, the one query
included. Not a test: it prints timings and asserts nothing about them.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 MEDIA_ROOT=/tmp/bench-media \\
        .venv/bin/python bench/body_pictures.py [--pictures 20] [--repeat 5]

The database is migrated and the pictures made first (not timed); CPU time
is time.process_time, the best of --repeat runs.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

from articles import body, services  # noqa: E402
from newsarchive.sanitize import clean_article_html  # noqa: E402

PARAGRAPH = "<p>" + "The harbour reopened after a winter of repairs. " * 12 + "</p>"


def picture(n: int):
    out = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (n % 255, 90, 160)).save(out, format="JPEG")
    upload = SimpleUploadedFile(f"p{n}.jpg", out.getvalue(), content_type="image/jpeg")
    return services.image_create(file=upload, alt=f"Picture {n}")


def best(func, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func(arg)
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pictures", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    images = [picture(n) for n in range(args.pictures)]
    plain = clean_article_html(PARAGRAPH * 100)
    mixed = clean_article_html(
        "".join(
            PARAGRAPH + f'<figure><img src="{i.file.url}" alt=""></figure>'
            for i in images
        )
        + PARAGRAPH * (100 - len(images))
    )
    print(
        f"body without our pictures ({len(plain) / 1000:.0f} KB): "
        f"{best(body.body_with_pictures, plain, args.repeat) * 1000:.2f} ms"
    )
    print(
        f"body with {len(images)} of ours ({len(mixed) / 1000:.0f} KB, 1 query): "
        f"{best(body.body_with_pictures, mixed, args.repeat) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
