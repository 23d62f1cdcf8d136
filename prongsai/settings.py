"""The one settings module. Everything that differs between installations comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

from prongsai.lib.env import envbool, envchoice, envint, envlist, envrequired, envsecret, envstr

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("PRONGSAI_VAR_DIR", str(BASE_DIR.parent / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    configured = envsecret("SECRET_KEY")
    if configured:
        return configured
    # Development and demo: a random key kept beside the embedded database, never in the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
# The address the public reads this installation at, for absolute URLs in the open-data catalogue and
# files (e.g. https://prongsai.example.go.th); empty: taken from each request (system check opendata.E002).
PUBLIC_URL = envstr("PRONGSAI_PUBLIC_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "prongsai.geography",
    "prongsai.organizations",
    "prongsai.accounts",
    "prongsai.audit",
    "prongsai.plans",
    "prongsai.documents",
    "prongsai.ita",
    "prongsai.portal",
    "prongsai.api",
    # Listed so that the API's docs page uses the Swagger UI files shipped in the package (served by
    # WhiteNoise from 'self'), not a CDN the Content-Security-Policy would refuse.
    "ninja",
    "prongsai.opendata",
    "prongsai.reports",
    "prongsai.risks",
    "prongsai.complaints",
    "prongsai.oversight",
]

MIDDLEWARE = [
    # First: complaint pages' client address, browser and referring page are blanked before anything
    # else reads them (prongsai/lib/notrace.py).
    "prongsai.lib.notrace.NoTraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "prongsai.lib.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required (sign-in, public
    # survey links, the coming public portal): one behaviour for signed-out visitors everywhere.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Paths (regular expressions over the path) whose visitors leave no trace: no address, user agent or
# referring page reaches the views, the database or the logs (prongsai/lib/notrace.py).
PRONGSAI_NO_TRACE_PREFIXES = [r"^/p/complaints/", r"^/p/[^/]+/complaints/"]

ROOT_URLCONF = "prongsai.urls"
FORM_RENDERER = "prongsai.lib.forms.FormRenderer"
WSGI_APPLICATION = "prongsai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "prongsai.oversight.context.oversight",
            ],
        },
    },
]

# SQLite (WAL, IMMEDIATE transactions) is the embedded default; DATABASE_URL switches to PostgreSQL.
_database_url = envstr("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": envstr("PRONGSAI_SQLITE_PATH", str(VAR_DIR / "prongsai.sqlite3")),
            # Kept open between requests: opening a file and running the PRAGMAs costs more than most pages.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (prongsai/accounts/throttle.py): a user name, or a browser holding a device cookie,
# may fail this many times; after that each failure makes the next attempt wait 2, 4, 8 … seconds, at
# most SIGNIN_WINDOW_SECONDS, and a count is forgotten that long after its last wait ended.
SIGNIN_MAX_FAILURES = envint("SIGNIN_MAX_FAILURES", 5)
SIGNIN_WINDOW_SECONDS = envint("SIGNIN_WINDOW_SECONDS", 15 * 60)
# The same per client address (kept only as a keyed hash); higher, since one office shares one address.
SIGNIN_CLIENT_MAX_FAILURES = envint("SIGNIN_CLIENT_MAX_FAILURES", 20)
# Behind a proxy the client address is the right-most X-Forwarded-For entry, which the proxy must add
# (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for).
SIGNIN_CLIENT_ADDRESS_FROM_PROXY = envbool("SIGNIN_CLIENT_ADDRESS_FROM_PROXY", envbool("BEHIND_PROXY", False))

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (report evidence) go through STORAGES["default"]: the filesystem under var/media unless
# PRONGSAI_STORAGE=s3 keeps them in an S3-compatible store (AWS S3, MinIO, Ceph, a cloud's object store)
# for an installation serving many organisations. Files are only ever served through the app's access
# checks, never by a bucket URL, so the bucket stays private (no ACL is set on objects).
STORAGE = envchoice("PRONGSAI_STORAGE", ("filesystem", "s3"), "filesystem")
if STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envrequired(
                "PRONGSAI_S3_BUCKET", "PRONGSAI_STORAGE=s3 keeps files in this bucket"
            ),
            "endpoint_url": envstr("PRONGSAI_S3_ENDPOINT_URL") or None,  # empty: AWS itself
            "region_name": envstr("PRONGSAI_S3_REGION") or None,
            # Empty: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": envsecret("PRONGSAI_S3_ACCESS_KEY_ID"),
            "secret_key": envsecret("PRONGSAI_S3_SECRET_ACCESS_KEY"),
            "location": envstr("PRONGSAI_S3_PREFIX", ""),
            "addressing_style": envchoice("PRONGSAI_S3_ADDRESSING", ("auto", "path", "virtual"), "auto"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = True

# Security. Cookies are secure unless the installation says it runs on plain HTTP (the local demo).
SECURE_COOKIES = envbool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Uploads are bounded while they stream in (prongsai.lib.uploads): a body declared larger than
# MAX_REQUEST_SIZE is not read; a file past MAX_UPLOAD_SIZE is dropped as it arrives. Forms may set
# a smaller limit of their own (the ITA import takes what 10,000 rows can need).
MAX_REQUEST_SIZE = envint("MAX_REQUEST_MB", 32) * 1024 * 1024
MAX_UPLOAD_SIZE = envint("MAX_UPLOAD_MB", 20) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "prongsai.lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Public survey links (docs/decisions/0005-anonymous-survey-abuse.md). A POST must carry a signed one-time
# ticket at least SURVEY_TICKET_MIN_SECONDS old and a proof of work of SURVEY_PROOF_BITS bits bound to
# it; only then is it counted against the link's SURVEY_POSTS_PER_MINUTE answers (kept in the database,
# per link, never per address).
SURVEY_POSTS_PER_MINUTE = envint("SURVEY_POSTS_PER_MINUTE", 120)
SURVEY_TICKET_MIN_SECONDS = envint("SURVEY_TICKET_MIN_SECONDS", 10)
SURVEY_PROOF_BITS = envint("SURVEY_PROOF_BITS", 16)

# The anonymous complaint channel (docs/decisions/0012-complaints.md). Filing and receipt forms carry a
# signed ticket at least COMPLAINTS_TICKET_MIN_SECONDS old with a proof of work of COMPLAINTS_PROOF_BITS
# bits, one more per doubling of the organisation's filings in the hour past COMPLAINTS_FREE_PER_HOUR,
# at most COMPLAINTS_PROOF_MAX_BITS. Receipt attempts share one budget per minute for the installation.
COMPLAINTS_PROOF_BITS = envint("COMPLAINTS_PROOF_BITS", 16)
COMPLAINTS_PROOF_MAX_BITS = envint("COMPLAINTS_PROOF_MAX_BITS", 22)
COMPLAINTS_FREE_PER_HOUR = envint("COMPLAINTS_FREE_PER_HOUR", 8)
COMPLAINTS_TICKET_MIN_SECONDS = envint("COMPLAINTS_TICKET_MIN_SECONDS", 5)
COMPLAINTS_RECEIPTS_PER_MINUTE = envint("COMPLAINTS_RECEIPTS_PER_MINUTE", 120)
# Closed cases are destroyed this many days after closing (`prongsai complaints purge`); counts remain.
COMPLAINTS_RETENTION_DAYS = envint("COMPLAINTS_RETENTION_DAYS", 365 * 5)
# Argon2id limits (libsodium's "moderate" opslimit 3, 64 MiB by default) for receipts, handlers' passwords
# and the recovery code. Tests lower them; the limits used are stored with each wrapped key.
COMPLAINTS_ARGON2_OPSLIMIT = envint("COMPLAINTS_ARGON2_OPSLIMIT", 3)
COMPLAINTS_ARGON2_MEMLIMIT = envint("COMPLAINTS_ARGON2_MEMLIMIT", 64 * 1024 * 1024)

# The change log. Each organisation's log head is signed with an Ed25519 key kept in a file, never in the
# database; the newest checkpoint of each log is also kept in AUDIT_WITNESS_DIR, outside the database.
# In production put both on storage the database administrator cannot write.
AUDIT_ORIGIN = envstr("PRONGSAI_AUDIT_ORIGIN", "prongsai.local")
AUDIT_KEY_FILE = envstr("PRONGSAI_AUDIT_KEY_FILE", str(VAR_DIR / "audit-signing.key"))
AUDIT_VERIFIER_KEY = envstr("PRONGSAI_AUDIT_VERIFIER_KEY", "")
AUDIT_WITNESS_DIR = envstr("PRONGSAI_AUDIT_WITNESS_DIR", str(VAR_DIR / "checkpoints"))

# Public pages are cached per process in local memory, keyed by a publication stamp read from the
# database on each request, so a publish is seen at once by every process without a shared cache
# (docs/decisions/0007-public-portal.md). A shared cache (Redis, Memcached) would also work: set CACHES.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "prongsai"},
    "portal": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "prongsai-portal",
        "OPTIONS": {"MAX_ENTRIES": envint("PORTAL_CACHE_ENTRIES", 2000)},
    },
    "pieces": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "prongsai-pieces",
        "OPTIONS": {"MAX_ENTRIES": envint("PLAN_PIECE_ENTRIES", 5000)},
    },
}
PORTAL_CACHE = "portal"
# Each item's rendered row and sheet of the plan page (plans/fragments.py), keyed by what they show, so
# a per-process cache is never stale (about 3 KiB each: 5,000 is some 15 MiB a process).
PLAN_PIECE_CACHE = "pieces"
PLAN_PIECE_SECONDS = envint("PLAN_PIECE_SECONDS", 3600)
PORTAL_CACHE_SECONDS = envint("PORTAL_CACHE_SECONDS", 600)
# How long a process trusts the publication stamp it read before reading it again (a publication made by
# another process shows within this time; one made by this process at once).
PORTAL_STAMP_SECONDS = envint("PORTAL_STAMP_SECONDS", 2)

# Documents: the font family used for the official plan document (TH Sarabun New compatible).
# The national reporting rules (rounds, due dates, reasons, score bands); empty: the shipped file.
REPORT_RULES_FILE = envstr("PRONGSAI_REPORT_RULES", "")
# Evidence files attached to reports (photos, PDF, Word, Excel), stored through STORAGES["default"].
EVIDENCE_MAX_SIZE = envint("EVIDENCE_MAX_MB", 10) * 1024 * 1024
DOCUMENT_FONT = envstr("PRONGSAI_DOCUMENT_FONT", "Laksaman")
# The font the Word file names: the one Thai government documents use, which Word on an officer's Windows
# has; its fontTable offers DOCUMENT_WORD_FONT_ALTERNATIVE to Word, and LibreOffice on Linux takes
# Laksaman (the TLWG copy of TH SarabunPSK, same metrics) through fontconfig.
# Characters the document font lacks (emoji an officer types) come from the other installed fonts; this
# one, checked at start (documents.W002), covers emoji.
DOCUMENT_EMOJI_FONT = envstr("PRONGSAI_DOCUMENT_EMOJI_FONT", "Noto Color Emoji")
DOCUMENT_WORD_FONT = envstr("PRONGSAI_DOCUMENT_WORD_FONT", "TH SarabunPSK")
DOCUMENT_WORD_FONT_ALTERNATIVE = envstr("PRONGSAI_DOCUMENT_WORD_FONT_ALTERNATIVE", "TH Sarabun New")

# Open data: the licence, catalogue texts and Thai GD Catalog fields are data, in
# prongsai/opendata/data/catalog-fields.json unless this names an installation's own copy.
OPENDATA_CATALOG_FILE = envstr("PRONGSAI_OPENDATA_CATALOG_FILE", "")

# Logging: Django's defaults (console, mail_admins, runserver's own line format) with
# prongsai.lib.notrace.NoTraceFilter on every handler and on each logger that writes request records
# (django.request, django.server, django.security.<exception>), so that nothing about a complaint
# page's visitor is written anywhere (issue 11 §3). The proxy's and gunicorn's access logs are outside
# Django: turn them off for these paths (PRONGSAI_NO_TRACE_PREFIXES).
_NO_TRACE = {"filters": ["no_trace"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_trace": {"()": "prongsai.lib.notrace.NoTraceFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_trace"]},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_trace"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "no_trace"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {
        # As Django's own defaults: INFO and up, to the root's console, and to mail_admins unless DEBUG.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False, **_NO_TRACE},
        "django.request": _NO_TRACE,
        **{
            f"django.security.{name}": _NO_TRACE
            for name in (
                "csrf",
                "DisallowedHost",
                "DisallowedModelAdminLookup",
                "DisallowedModelAdminToField",
                "DisallowedRedirect",
                "InvalidSessionKey",
                "RequestDataTooBig",
                "SuspiciousFileOperation",
                "SuspiciousMultipartForm",
                "SuspiciousOperation",
                "SuspiciousSession",
                "TooManyFieldsSent",
                "TooManyFilesSent",
            )
        },
    },
}
