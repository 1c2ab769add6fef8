from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from amparo.conf.env import env_int
from amparo.core.runtime import require_runtime_settings
from amparo.keyring.kek import current_kek


class Command(BaseCommand):
    help = "Serve Amparo with gunicorn (the production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("AMPARO_BIND_HOST", "127.0.0.1"),
            help="Address to bind (default 127.0.0.1; put a TLS proxy in front).",
        )
        parser.add_argument(
            "--port", type=int, default=settings.PORT, help="Port (default: PORT or 8000)."
        )
        # Two processes of two threads: web and worker stay within 600 MB resident on a small
        # server (bench/footprint). Four single-threaded processes answer with shorter tails
        # under heavy load (bench/intake) for about 260 MB more. See docs/operations.md.
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("AMPARO_WEB_WORKERS", 2, minimum=1),
            help="Worker processes (default 2, or AMPARO_WEB_WORKERS).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=env_int("AMPARO_WEB_THREADS", 2, minimum=1),
            help="Threads per worker process (default 2, or AMPARO_WEB_THREADS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        require_runtime_settings(current_kek)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

        from amparo.wsgi import application

        config = {
            "bind": f"{options['host']}:{options['port']}",
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            # No access log: it would record client addresses and query strings.
            "accesslog": None,
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
            "limit_request_line": 8190,
        }

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        Server().run()
