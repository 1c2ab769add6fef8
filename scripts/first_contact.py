"""First contact, as a newcomer meets Amparo: `make demo` on a clean checkout, then a browser.

    python3 scripts/first_contact.py [--timeout SECONDS]

1. starts ``make demo`` in this checkout on a free port (installing whatever is missing) and
   waits for ``/healthz`` to answer 200;
2. in Debian's chromium (Playwright): signs in with the caseworker account and TOTP secret the
   demo printed, opens the case list and the report queue;
3. submits the public report form with JavaScript disabled, as a reporter in Tor Browser's
   "Safest" mode, and keeps the follow-up code it shows;
4. finds that report in the caseworker's queue and opens it;
5. stops the demo by its process id with SIGTERM and checks that its web server and worker are
   gone and the port is free.

Any failed step ends the run with a non-zero status and the demo's last lines. The first part
needs only the standard library (it runs before anything is installed); the browser part runs
under ``.venv/bin/python``, which ``make demo`` created. CI runs this before ``make test``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("AMPARO_CHROMIUM", "/usr/bin/chromium")
ORGANISATION = "linea-segura"


class StepFailed(Exception):
    pass


def step(text: str) -> None:
    print(f"first contact: {text}", flush=True)


# --- part 1: the demo as a process ------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def healthz(base: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) has stopped serving.
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def logins(log: str) -> tuple[str, str, str]:
    password = re.search(r"Password for every demo account: (\S+)", log)
    row = re.search(rf"^{ORGANISATION}\s+caseworker\s+(\S+@\S+)\s+([A-Z2-7]+)\s*$", log, re.M)
    if not password or not row:
        raise StepFailed("the demo did not print a caseworker's log-in and TOTP secret")
    return row.group(1), password.group(1), row.group(2)


def run_demo(timeout: float) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.gettempdir()) / f"amparo-first-contact-{port}.log"
    env = dict(os.environ, PORT=str(port))
    for name in ("AMPARO_DEBUG", "DATABASE_URL", "AMPARO_SECRET_KEY", "AMPARO_KEK"):
        env.pop(name, None)
    step(f"make demo on port {port} (log: {log_path})")
    with open(log_path, "wb") as log_file:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "demo"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    failed = True
    try:
        deadline = time.monotonic() + timeout
        while healthz(base) != 200:
            if make.poll() is not None:
                raise StepFailed(f"make demo ended with status {make.returncode} before serving")
            if time.monotonic() > deadline:
                raise StepFailed(f"/healthz did not answer 200 within {timeout:.0f} s")
            time.sleep(1)
        step("/healthz answers 200")
        email, password, secret = logins(log_path.read_text(encoding="utf-8", errors="replace"))
        step(f"the demo printed the log-in {email} with its TOTP secret")
        browser = subprocess.run(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "python"), __file__, "--browser", base, email, password],
            input=secret.encode(),
            cwd=ROOT,
            check=False,
        )
        if browser.returncode != 0:
            raise StepFailed("the browser part failed (see above)")
        failed = False
    except StepFailed as exc:
        step(f"FAILED: {exc}")
    finally:
        failed = stop_demo(make, port) or failed
        if failed:
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            print("\n".join(["--- last lines of make demo ---", *tail]), flush=True)
    if failed:
        return 1
    step("all steps passed")
    return 0


def stop_demo(make: subprocess.Popen[bytes], port: int) -> bool:
    """SIGTERM to the demo's own process id; True when something was left behind."""
    pids_file = ROOT / "var" / "run" / "demo.pids"
    pids = [int(p) for p in pids_file.read_text().split()] if pids_file.exists() else []
    if not pids:
        step("FAILED: var/run/demo.pids does not name the demo's processes")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(make.pid, signal.SIGKILL)
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(pids[0], signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        make.wait(timeout=45)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.3)
    left = [p for p in pids if alive(p)]
    if left or make.poll() is None or not port_free(port):
        step(f"FAILED: after SIGTERM to {pids[0]}, still running: {left or 'make'}")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(make.pid, signal.SIGKILL)
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return True
    step(f"SIGTERM to the demo ({pids[0]}) stopped its web server and worker; port {port} free")
    return False


# --- part 2: the browser ----------------------------------------------------------------------
def totp(secret: str, at: float) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as any authenticator app computes it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def queue_references(page: object, base: str) -> list[str]:
    page.goto(f"{base}/o/{ORGANISATION}/reports/?status=all")  # type: ignore[attr-defined]
    links = page.locator("table tbody td a[href*='/reports/']")  # type: ignore[attr-defined]
    return [text.strip() for text in links.all_inner_texts()]


def browser_part(base: str, email: str, password: str, secret: str) -> None:
    from playwright.sync_api import sync_playwright

    marker = f"first-contact-{os.getpid()}-{int(time.time())}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        staff = browser.new_context(base_url=base).new_page()
        staff.goto("/accounts/login/")
        staff.get_by_label("Email").fill(email)
        staff.get_by_label("Password").fill(password)
        staff.get_by_role("button", name="Sign In").click()
        staff.wait_for_url("**/2fa/authenticate/")
        if 30 - time.time() % 30 < 5:
            time.sleep(30 - time.time() % 30 + 0.5)
        staff.get_by_role("textbox", name="Code").fill(totp(secret, time.time()))
        staff.get_by_role("button", name="Sign In").click()
        staff.wait_for_url(f"{base}/")
        step(f"signed in as {email} with password and TOTP")

        response = staff.goto(f"{base}/o/{ORGANISATION}/cases/")
        assert response is not None and response.status == 200, "the case list did not open"
        assert staff.locator("h1").first.inner_text().strip(), "the case list has no heading"
        step("opened the case list")
        before = set(queue_references(staff, base))

        reporter = browser.new_context(base_url=base, java_script_enabled=False).new_page()
        reporter.goto(f"/report/{ORGANISATION}/")
        reporter.locator("input[name=incident_type][value=threats_of_violence]").check()
        reporter.locator("select[name=platform]").select_option("facebook")
        reporter.locator("textarea[name=narrative]").fill(
            f"They threaten to kill me and posted my address. {marker}"
        )
        reporter.locator("select[name=country]").select_option("MX")
        reporter.locator("input[name=danger_now]").check()
        reporter.locator("input[name=consent_contact][value=no]").check()
        reporter.locator("input[name=consent_collective][value=no]").check()
        reporter.locator("form button[type=submit]").last.click()
        # The "received" page is the form's POST response; the code never enters a session.
        code = reporter.locator(".followup-code strong").inner_text()
        assert len(code.split()) == 6, "the received page showed no follow-up code"
        step("submitted the public form with JavaScript disabled; got a follow-up code")

        new = [ref for ref in queue_references(staff, base) if ref not in before]
        assert len(new) == 1, f"expected one new report in the queue, found {new}"
        staff.get_by_role("link", name=new[0]).click()
        staff.wait_for_load_state()
        assert marker in staff.content(), "the report page does not show what was reported"
        step(f"found report {new[0]} in the caseworker's queue and opened it")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=1200, help="seconds to wait for /healthz")
    parser.add_argument("--browser", nargs=3, metavar=("BASE", "EMAIL", "PASSWORD"))
    args = parser.parse_args()
    if args.browser:
        try:
            browser_part(*args.browser, sys.stdin.read().strip())
        except Exception as exc:
            step(f"FAILED in the browser: {type(exc).__name__}: {exc}")
            return 1
        return 0
    return run_demo(args.timeout)


if __name__ == "__main__":
    sys.exit(main())
