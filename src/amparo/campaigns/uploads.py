"""Uploads of campaign data: files of posts up to the page's stated limit.

The site-wide handler (:mod:`amparo.intake.uploads`) holds evidence files of at most 20 MB;
a month of a network's posts is larger. This handler does the same (memory only, never a
clear temporary file, an oversize file marked ``too_large`` rather than silently emptied)
with the campaign page's limit, :data:`MAX_UPLOAD`. The view installs it for its own
requests only.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

#: Largest file of posts or actions the campaign page accepts.
MAX_UPLOAD = 200 * 1024 * 1024
#: Largest upload in all (several files in one form).
MAX_TOTAL = 2 * MAX_UPLOAD


class CampaignUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.total = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        if self.total > MAX_TOTAL:
            raise StopUpload(connection_reset=True)
        if not self.too_large:
            if self.buffer.tell() + len(raw_data) > MAX_UPLOAD:
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
