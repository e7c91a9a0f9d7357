"""Square avatar renditions: centre-cropped, small, metadata-free."""

import io
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from .models import AVATAR_SIZES


def _rendition_name(user, source_name, size):
    stem = os.path.splitext(os.path.basename(source_name))[0][:40]
    return f"avatars/renditions/{user.pk}-{stem}-{size}.webp"


def delete_avatar_renditions(user):
    for name in (user.avatar_renditions or {}).values():
        if name and default_storage.exists(name):
            default_storage.delete(name)
    user.avatar_renditions = {}


def make_avatar_renditions(user):
    """Write square WebP renditions of the user's avatar and record their names (not saved)."""
    delete_avatar_renditions(user)
    if not user.avatar:
        return {}
    user.avatar.open("rb")
    try:
        data = user.avatar.read()
    finally:
        user.avatar.close()
    image = Image.open(io.BytesIO(data))
    image.seek(0)  # animated GIFs: the first frame
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    side = min(image.size)
    renditions = {}
    for size in AVATAR_SIZES:
        square = ImageOps.fit(image, (min(size, side), min(size, side)), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        square.save(out, "WEBP", quality=85)
        name = _rendition_name(user, user.avatar.name, size)
        if default_storage.exists(name):
            default_storage.delete(name)
        renditions[str(size)] = default_storage.save(name, ContentFile(out.getvalue()))
    user.avatar_renditions = renditions
    return renditions


def delete_avatar(user):
    """Remove the avatar file and its renditions from storage (not saved)."""
    delete_avatar_renditions(user)
    if user.avatar:
        user.avatar.delete(save=False)
