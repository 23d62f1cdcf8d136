"""The one settings module. Everything that differs between installations comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from prongsai.lib.env import envbool, envchoice, envint, envlist, envrequired, envsecret, envstr

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("PRONGSAI_VAR_DIR", str(BASE_DIR.parent / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = envbool("DEBUG", False)


# Several application servers must share one SECRET_KEY (sessions, CSRF, the anonymous forms' tickets, the
# throttle's HMACs): the key kept under var/ is one machine's (system check lib.W001).
SECRET_KEY_FROM_VAR_DIR = not envsecret("SECRET_KEY")


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
    # The job queue: Django 6's tasks (backported) kept in a table of the database (prongsai/lib/jobs.py).
    "django_tasks",
    "django_tasks_db",
    "prongsai.lib",
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
    # Last, around the view only: public GETs may read from DATABASE_REPLICA_URL (prongsai/lib/replica.py).
    "prongsai.lib.replica.ReplicaMiddleware",
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
# A read replica of PostgreSQL (streaming replication) for read-only pages: public pages, the API, open
# data and the oversight dashboards (prongsai/lib/replica.py). Writes, transactions, sessions and users
# stay on the primary. Tests point it at the primary (TEST MIRROR).
_replica_url = envstr("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = {
        **dj_database_url.parse(_replica_url, conn_max_age=60),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["prongsai.lib.replica.ReplicaRouter"]
# Paths (regular expressions) whose GET and HEAD requests may read from the replica: the directory, an
# organisation's public pages (not the complaint channel, whose reporter pages act on what was just
# written; its public counts yes), document checks, the API, open data and the oversight dashboards (not
# their scope-check form). Other read-only views can be marked with prongsai.lib.replica.read_only.
REPLICA_PATHS = envlist(
    "PRONGSAI_REPLICA_PATHS",
    [
        r"^/$",
        r"^/verify/",
        r"^/p/(?!complaints/)[^/]+/(?!complaints/)",
        r"^/p/[^/]+/complaints/statistics/",
        r"^/api/",
        r"^/data/",
        r"^/oversight/(?!o/)",
    ],
)
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
    # Laid-out chunks of documents (documents/pdf.py), named by a digest of what they hold, so a name
    # is always written with the same bytes and may be overwritten.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "document-cache", "allow_overwrite": True},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (report and risk evidence, complaint attachments as ciphertext) go through
# STORAGES["default"], and the document cache through STORAGES["documents"]: the filesystem under var/
# unless PRONGSAI_STORAGE=s3 keeps them in an S3-compatible store (AWS S3, MinIO, Ceph, a cloud's object
# store), which every application server and worker sees. Files are only ever served through the app's
# access checks, never by a bucket URL, so the bucket stays private (no ACL is set on objects).
STORAGE = envchoice("PRONGSAI_STORAGE", ("filesystem", "s3"), "filesystem")
if STORAGE == "s3":
    _s3_prefix = envstr("PRONGSAI_S3_PREFIX", "").strip("/")
    _s3_options: dict[str, object] = {
        "bucket_name": envrequired("PRONGSAI_S3_BUCKET", "PRONGSAI_STORAGE=s3 keeps files in this bucket"),
        "endpoint_url": envstr("PRONGSAI_S3_ENDPOINT_URL") or None,  # empty: AWS itself
        "region_name": envstr("PRONGSAI_S3_REGION") or None,
        # Empty: boto3's own chain (instance role, AWS_* variables, ~/.aws).
        "access_key": envsecret("PRONGSAI_S3_ACCESS_KEY_ID"),
        "secret_key": envsecret("PRONGSAI_S3_SECRET_ACCESS_KEY"),
        "location": _s3_prefix,
        "addressing_style": envchoice("PRONGSAI_S3_ADDRESSING", ("auto", "path", "virtual"), "auto"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "location": "/".join(filter(None, [_s3_prefix, "document-cache"])),
            "file_overwrite": True,
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

# Caches. "default" is shared by every process of every application server: a table in the database
# Prongsai already has (DatabaseCache, created by `migrate`: prongsai/lib/apps.py), or Redis when
# PRONGSAI_CACHE_URL=redis://… (Django's RedisCache; pip install 'prongsai[redis]').
# The two page caches stay in each process's memory unless PRONGSAI_PAGE_CACHES=shared: their keys name
# everything they show (public pages: the publication stamp read from the database; plan page pieces:
# a digest of the item), so a change is a new key in every process and an old copy is never served
# (docs/decisions/0007-public-portal.md, 0016-several-servers.md; benchmarks/plan_page.py compares).
CACHE_URL = envstr("PRONGSAI_CACHE_URL", "")
PAGE_CACHES = envchoice("PRONGSAI_PAGE_CACHES", ("local", "shared"), "local")


def _shared_cache(name: str, **options: int) -> dict[str, object]:
    if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": f"prongsai:{name}",
        }
    if CACHE_URL and CACHE_URL != "db":
        raise ImproperlyConfigured(f"PRONGSAI_CACHE_URL={CACHE_URL!r}: expected db, redis://… or rediss://…")
    table = "prongsai_cache" if name == "default" else f"prongsai_cache_{name}"
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "OPTIONS": {option.upper(): value for option, value in options.items()},
    }


def _page_cache(name: str, entries: int) -> dict[str, object]:
    if PAGE_CACHES == "shared":
        return _shared_cache(name, max_entries=entries)
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"prongsai-{name}",
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES = {
    "default": _shared_cache("default"),
    "portal": _page_cache("portal", envint("PORTAL_CACHE_ENTRIES", 2000)),
    "pieces": _page_cache("pieces", envint("PLAN_PIECE_ENTRIES", 5000)),
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

# Background jobs (prongsai/lib/jobs.py) on a durable queue kept in the database Prongsai already has
# (django-tasks' database backend: no broker), run by `prongsai worker` on one or more machines. The worker
# also signs every log's head each PRONGSAI_CHECKPOINT_MINUTES (0: only `prongsai audit checkpoint`).
# PRONGSAI_JOBS=immediate runs each job in the process that asks for it, after its transaction commits
# (an installation without a worker; the request that asks waits for it).
JOBS = envchoice("PRONGSAI_JOBS", ("database", "immediate"), "database")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if JOBS == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
CHECKPOINT_MINUTES = envint("PRONGSAI_CHECKPOINT_MINUTES", 60)
# Finished jobs are kept this many days, then removed by the worker (failures too: read them in /admin/).
JOB_RESULT_DAYS = envint("PRONGSAI_JOB_RESULT_DAYS", 14)

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
