"""
The site's one redirect table: every write goes through here, so each row
points straight at a live address. Slug changes, renames, merges and the
WordPress importer all call record_move(); the admin adds rows by hand
through add_redirect(), which refuses loops.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from newsarchive.models import Redirect

MAX_HOPS = 20


def clean_path(path: str, *, field: str = "path") -> str:
    """A local path ("/…"), never an address on another site."""
    path = (path or "").strip()
    parts = urlsplit(path)
    if (
        not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or parts.scheme
        or parts.netloc
        or any(ord(ch) < 32 for ch in path)
    ):
        raise ValidationError(
            {field: "Give a path on this site, starting with a single /."}
        )
    return path


@transaction.atomic
def record_move(*, old_path: str, new_path: str, reason: str = "") -> None:
    """
    Something that lived at old_path now lives at new_path. The new address
    is live, so it stops redirecting; whatever pointed at the old address
    now points at the new one, so chains never form.
    """
    old_path, new_path = clean_path(old_path), clean_path(new_path)
    if old_path == new_path:
        return
    Redirect.objects.filter(old_path=new_path).delete()
    Redirect.objects.filter(new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": new_path, "reason": reason}
    )


@transaction.atomic
def record_moves(moves: list[tuple[str, str]], *, reason: str = "") -> None:
    """
    record_move() for many addresses at once, in a constant number of
    queries (an importer writes several per item). Each old path should
    appear once.
    """
    target: dict[str, str] = {}
    for old, new in moves:
        target[clean_path(old)] = clean_path(new)
    # Moves within the batch collapse too: a -> b, b -> c is a -> c, b -> c.
    for old, new in target.items():
        seen = {old}
        while new in target and new not in seen:
            seen.add(new)
            new = target[new]
        target[old] = new
    moves = [(old, new) for old, new in target.items() if old != new]
    if not moves:
        return
    olds = {old for old, _ in moves}
    news = {new for _, new in moves}
    Redirect.objects.filter(old_path__in=news).delete()
    target = dict(moves)
    for row in Redirect.objects.filter(new_path__in=olds):
        Redirect.objects.filter(pk=row.pk).update(new_path=target[row.new_path])
    Redirect.objects.bulk_create(
        [Redirect(old_path=old, new_path=new, reason=reason) for old, new in moves],
        update_conflicts=True,
        unique_fields=["old_path"],
        update_fields=["new_path", "reason"],
    )


def final_target(path: str) -> str:
    """Where path ends up after following the table (path itself if no row)."""
    seen = {path}
    for _ in range(MAX_HOPS):
        nxt = (
            Redirect.objects.filter(old_path=path)
            .values_list("new_path", flat=True)
            .first()
        )
        if nxt is None:
            return path
        if nxt in seen:
            raise ValidationError("These redirects already go round in a loop.")
        seen.add(nxt)
        path = nxt
    raise ValidationError("This redirect chain is too long to follow.")


def check_redirect(*, old_path: str, new_path: str) -> str:
    """
    For a row an editor types: refuse a loop and answer the address the
    row should point at (the end of any chain it would join).
    """
    old_path = clean_path(old_path, field="old_path")
    new_path = clean_path(new_path, field="new_path")
    if old_path == new_path:
        raise ValidationError({"new_path": "An address cannot redirect to itself."})
    target = final_target(new_path)
    if target == old_path:
        raise ValidationError(
            {"new_path": f"{new_path} already leads back to {old_path}: a loop."}
        )
    return target


@transaction.atomic
def add_redirect(*, old_path: str, new_path: str, reason: str = "") -> Redirect:
    target = check_redirect(old_path=old_path, new_path=new_path)
    old_path = clean_path(old_path)
    Redirect.objects.filter(new_path=old_path).update(new_path=target)
    redirect, _ = Redirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": target, "reason": reason}
    )
    return redirect


def target_for(path: str, query_string: str = "") -> str | None:
    """
    The new address for a request that found nothing, or None. A row for
    the exact path and query wins (WordPress's /?p=123); otherwise the
    path's row, with the query string carried over.
    """
    candidates = [path]
    if query_string:
        candidates.insert(0, f"{path}?{query_string}")
    rows = dict(
        Redirect.objects.filter(old_path__in=candidates).values_list(
            "old_path", "new_path"
        )
    )
    if query_string and candidates[0] in rows:
        return rows[candidates[0]]
    if path in rows:
        new_path = rows[path]
        if query_string:
            new_path += ("&" if "?" in new_path else "?") + query_string
        return new_path
    return None
