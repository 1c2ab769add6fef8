"""The one seam every outbound network call passes through: e-mail and HTTP.

Transports never talk to the network themselves; they call ``outbound.send_email`` or
``outbound.post_json``. Tests can replace ``outbound.backend`` with a recorder, and operators can
audit in one place what Amparo sends out. Every call is logged with its kind and destination
host only — never its content.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.core.mail import EmailMessage

logger = logging.getLogger("amparo.outbound")


@dataclass
class HttpResult:
    status: int
    body: str


class Backend(Protocol):
    def send_email(self, message: EmailMessage) -> None: ...

    def post_json(
        self, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
    ) -> HttpResult: ...


class NetworkBackend:
    def send_email(self, message: EmailMessage) -> None:
        message.send(fail_silently=False)

    def post_json(
        self, url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
    ) -> HttpResult:
        if urlsplit(url).scheme not in ("https", "http"):
            raise ValueError("only http(s) URLs can be called")
        data = json.dumps(payload, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  (scheme checked above)
            url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (scheme checked above)
                return HttpResult(response.status, response.read(65536).decode("utf-8", "replace"))
        except urllib.error.HTTPError as exc:
            return HttpResult(exc.code, exc.read(65536).decode("utf-8", "replace"))


backend: Backend = NetworkBackend()


def send_email(message: EmailMessage) -> None:
    logger.info(
        "outbound e-mail to %d recipient(s) at %s",
        len(message.to),
        ",".join(sorted({a.rsplit("@", 1)[-1] for a in message.to})),
    )
    backend.send_email(message)


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 20
) -> HttpResult:
    logger.info("outbound HTTP POST to %s", urlsplit(url).netloc)
    return backend.post_json(url, payload, headers or {}, timeout)
