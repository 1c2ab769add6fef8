from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


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
        # One thread per process: on two cores it answers with shorter tails than 2 x 4 (no
        # waiting for a process's interpreter lock), for ~150 MiB more per extra process.
        # See docs/operations.md.
        parser.add_argument(
            "--workers",
            type=int,
            default=4,
            help="Worker processes (default 4: two per core on a 2-core server).",
        )
        parser.add_argument(
            "--threads", type=int, default=1, help="Threads per worker (default 1)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

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
