"""Images attached to submissions, re-encoded so that no metadata leaves with them.

A photo from a telephone carries EXIF tags: the GPS position where it was taken, the device's
serial number, the time. For a sender at risk that is the address of their home. Only the
pixels are kept: they are copied into a fresh image, which has no EXIF, XMP, ICC or text
chunks, and saved again. Checked by content first (``core.files.check_upload``).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ctnet.core.files import JPEG, PNG, check_upload, file_types

ACCEPTED = file_types(JPEG, PNG)
# Larger images are refused before decoding: a small file can unpack into gigabytes of pixels.
MAX_PIXELS = 40_000_000


def strip_metadata(content_type: str, data: bytes, *, max_bytes: int) -> tuple[str, bytes]:
    """(content type, the re-encoded image without metadata), or a ValidationError."""
    content_type = check_upload(
        content_type, data, accepted=ACCEPTED, max_bytes=max_bytes, accepted_label="JPEG, PNG"
    )
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.width * source.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."))
            # The orientation tag is applied to the pixels before the tags are dropped.
            upright = ImageOps.exif_transpose(source)
            mode = "RGBA" if content_type == PNG[0] and "A" in upright.getbands() else "RGB"
            pixels = upright.convert(mode)
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The image cannot be read.")) from None
    out = io.BytesIO()
    if content_type == JPEG[0]:
        clean.save(out, format="JPEG", quality=88)
    else:
        clean.save(out, format="PNG", optimize=True)
    return content_type, out.getvalue()
