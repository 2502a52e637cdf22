"""
CPU time of hostile markup before the sanitiser's caps (bleach itself) and
after (clean_*_html refusing it with HtmlTooComplex), as a ratio.

    .venv/bin/python bench/sanitize_cap.py [--repeat 3] [--reopen 800]

Not a test: it prints timings and asserts nothing about them. CPU time
(time.process_time), the best of --repeat runs; the refusals are timed over
many runs each, since one takes microseconds.
"""

import argparse
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchive import sanitize  # noqa: E402


def cpu(func, arg, *, repeat: int, refuse: bool) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        try:
            func(arg)
        except sanitize.HtmlTooComplex:
            if not refuse:
                raise
        else:
            if refuse:
                raise SystemExit(f"{func.__name__} accepted {arg[:40]!r}…")
        best = min(best, time.process_time() - start)
    return best


def refusal_cpu(func, arg) -> float:
    runs = 200
    start = time.process_time()
    for _ in range(runs):
        with contextlib.suppress(sanitize.HtmlTooComplex):
            func(arg)
    return (time.process_time() - start) / runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reopen",
        type=int,
        default=800,
        help="paragraphs in the re-opened <em> case (its cost grows as the square)",
    )
    args = parser.parse_args()

    comment, article = sanitize._comment_cleaner.clean, sanitize._article_cleaner.clean
    cases = [
        (
            "comment: <em>×16000 x </em>×16000 (144 KB)",
            "<em>" * 16000 + "x" + "</em>" * 16000,
            comment,
            sanitize.clean_comment_html,
        ),
        (
            "comment: <em>×7280 x </em>×7280 (65 KB, the form's limit)",
            "<em>" * 7280 + "x" + "</em>" * 7280,
            comment,
            sanitize.clean_comment_html,
        ),
        (
            f"comment: <p><em title=N>x</p> ×{args.reopen}",
            "".join(f"<p><em title={n}>x</p>" for n in range(args.reopen)),
            comment,
            sanitize.clean_comment_html,
        ),
        (
            "article: <div>×8000 x </div>×8000 (88 KB)",
            "<div>" * 8000 + "x" + "</div>" * 8000,
            article,
            sanitize.clean_article_html,
        ),
    ]
    print(f"{'input':<58} {'bleach':>10} {'refused':>10} {'ratio':>9}")
    for label, html, bleach_clean, capped in cases:
        before = cpu(bleach_clean, html, repeat=args.repeat, refuse=False)
        cpu(capped, html, repeat=1, refuse=True)
        after = refusal_cpu(capped, html)
        print(
            f"{label:<58} {before * 1000:8.0f} ms {after * 1e6:7.0f} µs "
            f"{before / after:8.0f}×"
        )


if __name__ == "__main__":
    main()
