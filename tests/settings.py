"""Settings for the test suite: the real settings, with test secrets and a test-only app."""

import os
import tempfile

_tmp = tempfile.mkdtemp(prefix="amparo-test-")
os.environ.setdefault("AMPARO_DATA_DIR", _tmp)
os.environ.setdefault(
    "AMPARO_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
# A fixed test KEK (never used outside tests).
os.environ.setdefault("AMPARO_KEK", "dGVzdC1vbmx5LWtlay0wMTIzNDU2Nzg5YWJjZGVmMDE")
os.environ.setdefault("AMPARO_SECURE_COOKIES", "0")

from amparo.settings import *  # noqa: E402,F403
from amparo.settings import ALLOWED_HOSTS, DATA_DIR, DATABASES, INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Argon2id still, with a smaller memory cost so the suite stays fast.
PASSWORD_HASHERS = ["tests.testapp.hashers.TestArgon2Hasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so worker subprocesses and raw-file checks see the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# Worker subprocesses started by tests connect to the test database, not the real one.
if os.environ.get("AMPARO_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["AMPARO_TEST_DB_NAME"]
