"""Writing a benchmark's section into ``bench/RESULTS.md``: the section that starts with the
benchmark's heading is replaced (up to the next ``## `` heading), or appended when absent."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PREAMBLE = (
    "# Benchmark results\n\nFigures measured by the benchmarks under bench/. "
    "Each section is replaced when its benchmark runs again.\n"
)


def replace_section(heading: str, section: str, path: Path = RESULTS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else PREAMBLE
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[nxt + 1 :] if nxt >= 0 else "")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def machine() -> str:
    """One line naming the machine a benchmark ran on: cores, CPU model, memory, Python."""
    import os
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, Python {platform.python_version()}"
    )
