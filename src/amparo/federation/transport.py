"""The one place federation talks to the network: an HTTP(S) request to a partner.

Redirects are never followed (a 3xx is a failure), responses are read up to the protocol's
message limit, TLS certificates are verified with the system's trust store. The address was
checked when the partner was added (``services.check_base_url``) and is checked again here,
so changing the setting that allows plain HTTP on loopback takes effect at once.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from amparo.engines.federation.envelope import MAX_MESSAGE_BYTES

TIMEOUT_SECONDS = 20.0


class TransportError(Exception):
    """The partner could not be reached or did not answer 200; the message is safe to show
    (no content from the partner)."""


@dataclass
class Response:
    status: int
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect())


def request(
    method: str, url: str, *, body: bytes | None = None, headers: dict[str, str]
) -> Response:
    from amparo.federation.services import check_base_url

    check_base_url(url.split("/federation/", 1)[0])
    req = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with _opener.open(req, timeout=TIMEOUT_SECONDS) as answer:
            data = answer.read(MAX_MESSAGE_BYTES + 1)
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise TransportError(
                "the partner refused the request (HTTP 404): it does not know this server's "
                "key, the group is not linked there, or the clocks differ by over 5 minutes"
            ) from None
        raise TransportError(f"the partner answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TransportError(f"the partner cannot be reached: {type(reason).__name__}") from None
    if len(data) > MAX_MESSAGE_BYTES:
        raise TransportError("the partner's answer is too large")
    if status != 200:
        raise TransportError(f"the partner answered HTTP {status}")
    return Response(status, data)
