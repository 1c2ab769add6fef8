"""Upload handling that never writes a file in clear to disk and reports oversize files.

Django's memory handler silently drops files above its limit (and the temporary-file handler
would write evidence unencrypted to /tmp). This handler keeps files in memory up to the cap and
turns anything larger into an empty file marked ``too_large``, so the page can say which file
was refused and keep the others.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from amparo.intake.evidence import MAX_BYTES


class BoundedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self.too_large:
            if self.buffer.tell() + len(raw_data) > MAX_BYTES:
                self.too_large = True
                self.buffer = io.BytesIO()
            else:
                self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        uploaded = InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=0 if self.too_large else file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        uploaded.too_large = self.too_large  # type: ignore[attr-defined]
        return uploaded
