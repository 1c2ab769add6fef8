from __future__ import annotations

from amparo.worker.services import live_worker_ids


def worker_is_alive() -> bool:
    return bool(live_worker_ids())
