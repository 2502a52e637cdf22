"""
How stored uploads are served, in one place for both ways of serving them:
this server in development (newsarchive.views.media) and the S3-compatible
bucket in production (newsarchive.s3, which writes these onto each object).

A file's type comes from the extension we stored it under (pictures get the
one Pillow found, articles.images.EXTENSIONS), never from what an editor's
browser claimed; anything that is not a picture is a download, so nothing
in the media storage can open as a page or a script on a site's origin.
"""

import os

PICTURE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}

# Stored names never change (a new picture or rendition gets a new name).
CACHE_CONTROL = "public, max-age=31536000, immutable"


def picture_type(name: str) -> str | None:
    """The picture type of a stored name, or None if it is not a picture."""
    return PICTURE_TYPES.get(os.path.splitext(name)[1].lower())


def object_parameters(name: str) -> dict[str, str]:
    """What the bucket stores with `name` and sends back as its headers."""
    content_type = picture_type(name)
    if content_type is not None:
        return {"ContentType": content_type, "CacheControl": CACHE_CONTROL}
    # A WordPress export and anything else: bytes to save, not to show.
    return {
        "ContentType": "application/octet-stream",
        "ContentDisposition": "attachment",
    }
