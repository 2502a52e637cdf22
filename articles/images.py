"""
Uploaded pictures: checking a file and making its renditions, with Pillow.

Renditions are made once, when the picture is uploaded, in a few widths as
WebP and as JPEG (PNG for pictures with transparency), re-encoded so that no
camera metadata (GPS position, serial numbers) reaches readers. Pages only
name the stored files in srcset; nothing is resized per request.
"""

import io
import os
import uuid
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
# The stored original's extension comes from the format Pillow found, never
# from the name the browser sent: a GIF named page.html is still a .gif.
ORIENTATION = 0x0112
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


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


def clean_original(upload, checked: CheckedImage) -> ContentFile:
    """
    The original re-encoded in its own format, under a name we choose: no
    camera metadata (GPS position, serial numbers), nothing appended after
    the picture (a GIF that is also a page or a script), and a random stem
    so that neither a draft's picture nor the editor's file name can be
    guessed from a public address.
    """
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        with PILImage.open(upload) as opened:
            frames = getattr(opened, "n_frames", 1)
            options = {}
            if "icc_profile" in opened.info:
                # The colour profile is not personal and keeps colours right.
                options["icc_profile"] = opened.info["icc_profile"]
            upright = opened.getexif().get(ORIENTATION, 1) == 1
            if frames > 1:
                options["save_all"] = True
                out = _encode(opened, checked.format, options, keep=False)
            elif upright:
                # An untouched JPEG keeps its quantisation tables: saving it
                # again costs no visible quality.
                out = _encode(opened, checked.format, options, keep=True)
            else:
                # Turned upright, as the orientation tag we drop asked.
                picture = ImageOps.exif_transpose(opened)
                out = _encode(picture, checked.format, options, keep=False)
    upload.seek(0)
    return ContentFile(out, name=f"{uuid.uuid4().hex}.{EXTENSIONS[checked.format]}")


def _encode(picture, pil_format: str, options: dict, *, keep: bool) -> bytes:
    out = io.BytesIO()
    if pil_format == "JPEG":
        if keep and picture.format == "JPEG":
            options |= {"quality": "keep", "subsampling": "keep"}
        else:
            options |= {"quality": 95}
            if picture.mode not in ("RGB", "L", "CMYK"):
                picture = picture.convert("RGB")
    elif pil_format == "WEBP":
        options |= {"quality": 90}
    # No exif= or xmp= here: Pillow writes metadata only when asked to.
    picture.save(out, format=pil_format, **options)
    return out.getvalue()


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
