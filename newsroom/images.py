"""Image uploads: validation with Pillow, metadata stripping, responsive renditions.

Used by article hero images and reader avatars alike.
"""

import io
import os
import warnings

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats we accept, and the format a fallback rendition is written in.
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def _max_pixels():
    return settings.IMAGE_MAX_PIXELS


def open_checked_image(data: bytes) -> Image.Image:
    """Open image bytes, refusing non-images, unknown formats and pixel bombs.

    Raises forms.ValidationError with a message written for the uploader.
    """
    if len(data) > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise _too_large_error(len(data))
    # Pillow only reads the header here, so a bomb is caught before decoding.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels_error()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise forms.ValidationError(
                "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.",
                code="invalid_image",
            )
    if image.format not in ACCEPTED_FORMATS:
        raise forms.ValidationError(
            "Images must be JPEG, PNG, WebP or GIF; this one is %(format)s.",
            code="invalid_format",
            params={"format": image.format or "unknown"},
        )
    if width * height > _max_pixels():
        raise _too_many_pixels_error(width, height)
    try:
        # Decode fully once: truncated or corrupt files fail here, not later.
        image.load()
    except Exception:
        raise forms.ValidationError(
            "This image is damaged or incomplete. Please upload it again.",
            code="invalid_image",
        )
    return image


def _too_large_error(size):
    return forms.ValidationError(
        "This file is %(size)s; the limit is %(limit)s.",
        code="file_too_large",
        params={
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.IMAGE_MAX_UPLOAD_BYTES),
        },
    )


def _too_many_pixels_error(width=None, height=None):
    size = f" ({width}×{height} pixels)" if width else ""
    return forms.ValidationError(
        "This image is too large%(size)s; the limit is %(limit)s megapixels.",
        code="too_many_pixels",
        params={"size": size, "limit": _max_pixels() // 1_000_000},
    )


def strip_metadata(image: Image.Image) -> tuple[bytes, str]:
    """Re-encode without EXIF (GPS, camera serials), applying EXIF orientation first."""
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF")
    else:
        image.save(out, fmt)
    return out.getvalue(), fmt


class CleanImageFormField(forms.ImageField):
    """An ImageField that explains its refusals and stores files without metadata."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        # Refuse by the declared size before reading a huge upload into memory.
        if (upload.size or 0) > settings.IMAGE_MAX_UPLOAD_BYTES:
            raise _too_large_error(upload.size)
        if hasattr(upload, "temporary_file_path"):
            with open(upload.temporary_file_path(), "rb") as fh:
                raw = fh.read()
        else:
            upload.seek(0)
            raw = upload.read()
        image = open_checked_image(raw)
        content, fmt = strip_metadata(image)
        extension = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}[fmt]
        name = os.path.splitext(os.path.basename(upload.name))[0][:80] or "image"
        clean = SimpleUploadedFile(
            name + extension, content, content_type=Image.MIME.get(fmt, "image/jpeg")
        )
        clean.image = image
        return clean


class CleanImageField(models.ImageField):
    """Model ImageField whose form field validates with Pillow and strips EXIF."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})


def rendition_name(source_name: str, width: int, extension: str) -> str:
    stem, _ = os.path.splitext(source_name)
    return f"renditions/{stem}-{width}.{extension}"


def make_renditions(field_file, widths=None) -> list[dict]:
    """Write WebP and JPEG/PNG renditions of an uploaded image, smallest first.

    Returns what templates need for `srcset`: width, height and storage names.
    Widths larger than the original are skipped; the original's own width is
    always included so small images still get a rendition.
    """
    widths = widths or settings.IMAGE_RENDITION_WIDTHS
    field_file.open("rb")
    try:
        image = Image.open(field_file)
        image.load()
    finally:
        field_file.close()
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    fallback_format, fallback_ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
    image = image.convert("RGBA" if has_alpha else "RGB")
    targets = sorted({w for w in widths if w < image.width} | {min(image.width, max(widths))})
    renditions = []
    for width in targets:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        entry = {"width": width, "height": height}
        for fmt, ext, key in (
            ("WEBP", "webp", "webp"),
            (fallback_format, fallback_ext, "fallback"),
        ):
            out = io.BytesIO()
            options = {"quality": 82} if fmt in ("WEBP", "JPEG") else {"optimize": True}
            to_save = resized.convert("RGB") if fmt == "JPEG" else resized
            to_save.save(out, fmt, **options)
            name = rendition_name(field_file.name, width, ext)
            if default_storage.exists(name):
                default_storage.delete(name)
            entry[key] = default_storage.save(name, ContentFile(out.getvalue()))
        renditions.append(entry)
    return renditions


def srcset(renditions: list[dict], key: str) -> str:
    return ", ".join(f"{default_storage.url(r[key])} {r['width']}w" for r in renditions)
