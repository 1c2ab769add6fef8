"""What Django's error pages and error reports may show: code, never secrets or content.

Django's own filter hides settings whose names contain API, AUTH, TOKEN, KEY, SECRET, PASS,
SIGNATURE or HTTP_COOKIE, and only outside debug mode; posted values and local variables are
hidden only where a view was decorated for it. Amparo holds a key-encryption key (``AMPARO_KEK``,
which no Django pattern matches), reads secrets from ``..._FILE`` paths, and handles reporters'
words in ordinary local variables, so this filter is active in every mode and hides:

* settings and request metadata named like secrets (KEK, KEY, SECRET, TOKEN, PASS(WORD),
  ``..._FILE``, ``DATABASE_URL``, plus Django's own list);
* every posted value, every cookie and the value of every local variable in the traceback
  (their names stay, so the page still shows where it failed).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter

HIDDEN_SETTINGS = re.compile(
    r"API|AUTH|TOKEN|KEK|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|DSN|_FILE$",
    flags=re.IGNORECASE,
)


class SecretsHiddenFilter(SafeExceptionReporterFilter):
    hidden_settings = HIDDEN_SETTINGS

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [self.cleansed_substitute])
        return cleansed

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, str]:
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
