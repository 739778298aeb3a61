"""Project documents and evidence files: core's upload checks, stored by digest under
``DATA_DIR/monitoring`` and served only after the project's access check."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from ctnet.core import files

ACCEPTED_TYPES = files.file_types(
    files.PDF, files.PNG, files.JPEG, files.DOCX, files.ODT, files.TEXT
)
ACCEPTED_LABEL = "PDF, PNG, JPEG, DOCX, ODT, text"


@dataclass(frozen=True)
class NewFile:
    filename: str
    content_type: str
    data: bytes

    @classmethod
    def from_upload(cls, upload: UploadedFile) -> NewFile:
        """An uploaded file; the size is checked before it is read."""
        if (upload.size or 0) > settings.MONITORING_MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.MONITORING_MAX_FILE_BYTES // (1024 * 1024)}
            )
        return cls(upload.name or "file", upload.content_type or "", upload.read())


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / "files"


def check_and_store(new_file: NewFile) -> tuple[str, str]:
    """(content type, digest) of a file that passed the checks and is now on disk."""
    content_type = files.check_upload(
        new_file.content_type,
        new_file.data,
        accepted=ACCEPTED_TYPES,
        max_bytes=settings.MONITORING_MAX_FILE_BYTES,
        accepted_label=ACCEPTED_LABEL,
    )
    return content_type, files.store_by_digest(storage_dir(), new_file.data)


def serve(sha256: str, content_type: str, file_name: str) -> FileResponse:
    response = FileResponse(
        (storage_dir() / sha256).open("rb"), as_attachment=True, filename=file_name
    )
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
