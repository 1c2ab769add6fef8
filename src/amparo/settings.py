"""Amparo settings: everything comes from the environment (see docs/configuration.md).

SQLite is the embedded default; set ``DATABASE_URL`` for PostgreSQL in production.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from amparo.conf.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("AMPARO_DATA_DIR", Path.cwd() / "var")
DEBUG = env_bool("AMPARO_DEBUG", False)


def _dev_secret(name: str) -> str:
    """A random secret kept in DATA_DIR, for development and the demo only."""
    path = DATA_DIR / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# The web secret (sessions, CSRF, cache keys, follow-up code salt). Without it Django refuses
# the first use of SECRET_KEY, so commands that never use it (migrate, setup, the engines,
# --help) run with no environment at all; ``serve`` and ``worker`` check for it at start.
SECRET_KEY = env_secret("AMPARO_SECRET_KEY") or ""
if not SECRET_KEY and DEBUG:
    SECRET_KEY = _dev_secret("secret_key")

# The key-encryption key (KEK) wraps every organisation's data keys. It must never sit in the
# database; see docs/operations.md for keeping it on another volume.
AMPARO_KEK = env_secret("AMPARO_KEK")
AMPARO_KEK_PREVIOUS = env_secret("AMPARO_KEK_PREVIOUS")
if not AMPARO_KEK and DEBUG:
    _kek_path = DATA_DIR / "secrets" / "kek.key"
    if _kek_path.exists():
        AMPARO_KEK = _kek_path.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = env_list("AMPARO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("AMPARO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("AMPARO_SITE_URL", "http://localhost:8000").rstrip("/")
PORT = env_int("PORT", 8000, minimum=1)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
    "amparo.core",
    "amparo.audit",
    "amparo.keyring",
    "amparo.accounts",
    "amparo.worker",
    "amparo.outbound",
    "amparo.backups",
    "amparo.intake",
    "amparo.cases",
    "amparo.escalations",
    "amparo.remedies",
    "amparo.demo",
    "amparo.campaigns",
    "amparo.collective",
    "amparo.sharing",
    "amparo.federation",
    "amparo.tdb",
    "amparo.scorecards",
    "amparo.takedowns",
    "amparo.accountability",
    "amparo.exports",
    "amparo.site",
]

MIDDLEWARE = [
    # First: /healthz answers a loopback probe before the HTTPS redirect and Host validation.
    "amparo.site.middleware.HealthzMiddleware",
    # Then one access-log line per request (method, route pattern, status, duration).
    "amparo.core.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store on everything but static files.
    "amparo.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "amparo.accounts.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "amparo.accounts.middleware.RequireMFAMiddleware",
    # PostgreSQL row-level security: the request sees only its organisation's case data.
    "amparo.accounts.middleware.OrganisationScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.site.context_processors.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_secret("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'amparo.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ConfigurationError(
        f"DATABASE_URL cannot be used ({exc}): give postgres://USER:PASSWORD@HOST:5432/NAME "
        "or sqlite:////absolute/path.sqlite3"
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
        # timeout instead of failing with "database is locked" half-way through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            # Freed pages are zeroed, so shredded key material does not linger in the file.
            "PRAGMA secure_delete=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared by every web and worker process: allauth keeps used TOTP codes and login
    # throttling counters here, so a per-process cache would let a code be replayed.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "amparo_cache",
        "KEY_FUNCTION": "amparo.core.cache.hashed_key",
    },
    # Public-form abuse counters: memory only, so no trace of a reporter's connection is stored.
    "intake": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "amparo-intake",
    },
}
# Reports per organisation and hour that the public form sends to the queue; more are held as
# a possible flood for review (never one with an immediate-risk answer; see intake/throttle.py).
AMPARO_INTAKE_LIMIT_PER_HOUR = env_int("AMPARO_INTAKE_LIMIT_PER_HOUR", 60, minimum=1)
# Held reports an organisation may have before the form refuses reports without a risk answer.
AMPARO_INTAKE_HELD_MAX = env_int("AMPARO_INTAKE_HELD_MAX", 5000, minimum=1)
# Addresses that receive the audit chain head every day, to keep it outside the server.
AMPARO_AUDIT_HEAD_EMAILS = env_list("AMPARO_AUDIT_HEAD_EMAILS", [])

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "amparo.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    # At most 5 failed sign-ins a minute per e-mail address typed ("key"), whether or not it is
    # an account (no enumeration), and nothing per client address: behind a proxy or an onion
    # service everyone shares one, and a flood of unknown e-mails must not lock out the staff.
    "login_failed": "5/m/key",
    "login": "",
    "reset_password": "5/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "signup": "0/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("AMPARO_MFA_ISSUER", "Amparo")
# allauth remembers a used code for one period; with no tolerance a code lives only
# inside that period, so a replay is always caught.
MFA_TOTP_TOLERANCE = 0
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_ADAPTER = "amparo.accounts.adapter.MFAAdapter"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Sessions: 30 minutes idle, 8 hours absolute (both enforced by SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = env_int("AMPARO_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = env_int("AMPARO_SESSION_MAX_HOURS", 8, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "amparo_session"
CSRF_COOKIE_HTTPONLY = True
# A browser-session cookie (no Max-Age or Expires): the public form leaves no long-lived
# cookie on a reporter's device.
CSRF_COOKIE_AGE = None

SECURE_COOKIES = env_bool("AMPARO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if env_bool("AMPARO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on form
# posts, which CSRF protection rightly refuses. Nothing leaks to other sites either way.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: everything from this origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("tr", _("Turkish")),
    ("vi", _("Vietnamese")),
    ("id", _("Indonesian")),
    ("sw", _("Swahili")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pl", _("Polish")),
    ("nl", _("Dutch")),
]
# The languages whose catalogue translates every page, the staff's included: the language
# picker on staff pages offers only these, and tests/test_translations.py fails if one of them
# lacks a string. The other languages of LANGUAGES translate the pages reporters see (German,
# Italian, Polish and Dutch have no catalogue of their own yet).
STAFF_LANGUAGES = ["en", "es", "ar", "fr", "pt", "ru"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("AMPARO_TIME_ZONE", "UTC")
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if DATA_DIR.is_dir():
    # whitenoise warns about a missing STATIC_ROOT; `amparo serve` creates DATA_DIR, and a
    # command run elsewhere (`amparo --help`) must not leave a var/ folder behind.
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Encrypted blobs (evidence, attachments) under generated names; never served directly.
AMPARO_BLOB_DIR = env_path("AMPARO_BLOB_DIR", DATA_DIR / "blobs")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads are held in memory only (never in a clear temporary file) and checked one by one.
FILE_UPLOAD_MAX_MEMORY_SIZE = 21 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["amparo.intake.uploads.BoundedMemoryUploadHandler"]
DATA_UPLOAD_MAX_NUMBER_FILES = 12

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("AMPARO_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("AMPARO_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("AMPARO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_secret("AMPARO_SMTP_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("AMPARO_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("AMPARO_SMTP_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("AMPARO_FROM_EMAIL", "amparo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Webhooks (signed HTTP POSTs, delivered by the worker) never go to private, loopback,
# link-local, multicast or reserved addresses, unless a network is allowed here
# (``127.0.0.0/8,10.20.0.0/16``): for a partner system on the organisation's own network.
# Federation partners over plain HTTP on a loopback address (tests and development only).
AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK = env_bool("AMPARO_FEDERATION_ALLOW_HTTP_LOOPBACK", False)
AMPARO_WEBHOOK_ALLOW_NETWORKS = env_list("AMPARO_WEBHOOK_ALLOW_NETWORKS", [])
for _network in AMPARO_WEBHOOK_ALLOW_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigurationError(
            f"AMPARO_WEBHOOK_ALLOW_NETWORKS: {_network!r} is not a network (10.0.0.0/8, ::1/128)"
        ) from None

# The intake API: requests one token may make per minute, counted in the shared database
# cache by token (never by client address); more are answered 429 with Retry-After.
AMPARO_API_LIMIT_PER_MINUTE = env_int("AMPARO_API_LIMIT_PER_MINUTE", 120, minimum=1)

# --- Background work ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker that has not reported for this long is presumed dead; its running task is retried.
AMPARO_WORKER_LEASE_SECONDS = env_int("AMPARO_WORKER_LEASE_SECONDS", 30, minimum=5)
AMPARO_INVITATION_HOURS = env_int("AMPARO_INVITATION_HOURS", 72, minimum=1)
# Response-time alarms for reports nobody has acknowledged (helpline practice: 60 and 90).
AMPARO_ALARM_SHIFT_LEAD_MINUTES = env_int("AMPARO_ALARM_SHIFT_LEAD_MINUTES", 60, minimum=1)
AMPARO_ALARM_COORDINATOR_MINUTES = env_int("AMPARO_ALARM_COORDINATOR_MINUTES", 90, minimum=1)

# --- Logging --------------------------------------------------------------------------------
# Access is logged without content: request logs carry method, route pattern, status and
# duration only ("amparo.access"), never paths, query strings, bodies, client addresses or user
# agents. Unhandled exceptions are logged with an error id, type, code location and — for
# database, configuration and network errors only — a redacted message (amparo.core.logging).
LOG_LEVEL = env_str("AMPARO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "amparo.core.logging.ScrubFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own request/server loggers would print request paths with query strings.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Error pages and error reports ------------------------------------------------------------
# Settings named like secrets (KEK, KEY, SECRET, TOKEN, PASSWORD, ..._FILE, DATABASE_URL) and
# every posted value are hidden on error pages and in error reports, in every mode.
DEFAULT_EXCEPTION_REPORTER_FILTER = "amparo.core.reporting.SecretsHiddenFilter"
