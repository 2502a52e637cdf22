"""
Uploaded pictures: checking a file and making its renditions, with Pillow.

Renditions are made once, when the picture is uploaded, in a few widths as
WebP and as JPEG (PNG for pictures with transparency), re-encoded so that no
camera metadata (GPS position, serial numbers) reaches readers. Pages only
name the stored files in srcset; nothing is resized per request.
"""

import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Pillow's own guard, checked when a file is opened: past twice this it
# raises DecompressionBombError before decoding anything.
PILImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

RENDITION_WIDTHS = (480, 960, 1600)
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


@dataclass(frozen=True)
class CheckedImage:
    width: int
    height: int
    format: str


def check_image_file(upload) -> CheckedImage:
    """
    Refuse, with a message an editor can act on, a file that is too big, is
    not a picture we accept, or would decode to too many pixels (a
    decompression bomb: a small file that expands to gigabytes).
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This file is {upload.size / 1_000_000:.1f} MB; pictures may be at "
            f"most {limit / 1_000_000:.0f} MB. Export a smaller version and try "
            "again.",
            code="too_large",
        )
    max_pixels = settings.IMAGE_MAX_PIXELS
    bomb = ValidationError(
        "This picture has more pixels than we can safely process (the limit "
        f"is {max_pixels / 1_000_000:.0f} megapixels). Export a smaller version.",
        code="too_many_pixels",
    )
    not_image = ValidationError(
        "This file is not a picture we can read. Upload a JPEG, PNG, WebP or GIF.",
        code="not_image",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that;
            # anything over our limit is refused.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as picture:
                picture_format = picture.format
                width, height = picture.size
                if width * height > max_pixels:
                    raise bomb
                picture.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise bomb from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_image from None
    finally:
        upload.seek(0)
    if picture_format not in ACCEPTED_FORMATS:
        raise not_image
    return CheckedImage(width=width, height=height, format=picture_format)


def make_renditions(*, name: str) -> list[dict]:
    """Write the renditions of the stored picture `name`; return their records."""
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        with PILImage.open(io.BytesIO(data)) as opened:
            opened.seek(0)  # first frame of an animation
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    fallback = ("png", "PNG") if has_alpha else ("jpeg", "JPEG")
    stem = os.path.splitext(os.path.basename(name))[0]
    folder = os.path.dirname(name).replace("images", "renditions", 1)
    widths = [w for w in RENDITION_WIDTHS if w < picture.width] + [picture.width]
    records = []
    for width in widths:
        height = max(1, round(picture.height * width / picture.width))
        resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
        for label, pil_format, options in (
            ("webp", "WEBP", {"quality": 80, "method": 4}),
            (fallback[0], fallback[1], {"quality": 82, "optimize": True}),
        ):
            out = io.BytesIO()
            image = resized if pil_format != "JPEG" else resized.convert("RGB")
            image.save(out, format=pil_format, **options)
            extension = "jpg" if label == "jpeg" else label
            saved = default_storage.save(
                f"{folder}/{stem}-{width}w.{extension}", ContentFile(out.getvalue())
            )
            records.append(
                {
                    "width": width,
                    "height": height,
                    "format": label,
                    "name": saved,
                    "bytes": out.tell(),
                }
            )
    return records
