"""Settings, all read from the environment (``CTNET_*`` and ``DATABASE_URL``).

Every value goes through a strict parser: a typo in a deployment fails loudly at start-up with
``ImproperlyConfigured`` instead of silently falling back to an insecure default. Secrets may be
given in a file named by ``<NAME>_FILE`` (Docker/Kubernetes secrets), never in the image.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ctnet.envparse import envbool, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent

# --- Mode -------------------------------------------------------------------------------------
# Demo mode: the embedded SQLite platform on 127.0.0.1 with demo people (``ctnet demo``).
DEMO = envbool("CTNET_DEMO", False)
DEBUG = envbool("CTNET_DEBUG", False)
TESTING = envbool("CTNET_TESTING", False)

# --- Web server (``ctnet serve``, ``ctnet/serving.py``) -------------------------------------------
# Web worker processes; 0 means one per core this process may use (granian, WSGI).
WEB_WORKERS = envint("CTNET_WORKERS", 0, minimum=0, maximum=64)
# Requests each worker accepts at once before the rest wait in the listen backlog.
WEB_BACKPRESSURE = envint("CTNET_WEB_BACKPRESSURE", 64, minimum=1, maximum=4096)

DATA_DIR = Path(envstr("CTNET_DATA_DIR", str(Path.cwd() / "ctnet-data")) or "ctnet-data")

# Without a key: a throw-away one for demo and tests (sessions do not survive a restart), and
# none otherwise. ``ctnet serve`` refuses to start without one; management commands such as
# ``audit verify`` still need settings to load, so the failure is raised where it matters.
SECRET_KEY = envstr("CTNET_SECRET_KEY") or (
    secrets.token_urlsafe(50) if (DEMO or DEBUG or TESTING) else ""
)
if len(SECRET_KEY) < 32 and not (DEMO or DEBUG or TESTING) and SECRET_KEY:
    raise ImproperlyConfigured("CTNET_SECRET_KEY must be at least 32 characters long")

# The audit chain is keyed so that someone who can write to the database but does not hold this
# key cannot rebuild a consistent chain after editing a row. Defaults to a key derived from
# SECRET_KEY; set it separately to rotate the session key without breaking the audit chain.
AUDIT_KEY = envstr("CTNET_AUDIT_KEY") or (("audit:" + SECRET_KEY) if SECRET_KEY else "")

# --- Audit checkpoints (issue 13) -----------------------------------------------------------
# Signed checkpoints of the audit chain (its length and last hash) are appended to this file by
# ``ctnet audit checkpoint`` and checked by ``ctnet audit verify``. It belongs outside the
# database's reach: another disk, a write-once mount, or a file copied to another system.
AUDIT_CHECKPOINT_FILE = Path(
    envstr("CTNET_AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl"))
    or str(DATA_DIR / "audit-checkpoints.jsonl")
)

# Field-level encryption key for source details (see docs/security.md).
FIELD_KEY = envstr("CTNET_FIELD_KEY") or (("field:" + SECRET_KEY) if SECRET_KEY else "")

ALLOWED_HOSTS = envlist("CTNET_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CTNET_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("CTNET_SITE_URL", "http://127.0.0.1:8000") or ""

# --- Applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ctnet.core",
    "ctnet.directory",
    "ctnet.practices",
    "ctnet.hashes",
    "ctnet.exchange",
    "ctnet.screening",
    "ctnet.coordination",
    "ctnet.consultations",
    "ctnet.monitoring",
    # django-ninja as an app only for its packaged Swagger UI (templates and static files): the
    # API docs then load from our own origin, never a CDN (an isolated network has none). Last,
    # so that core's ``ninja/swagger.html`` (language, title, favicon) wins.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ctnet.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctnet.screening.uploads.PassengerListUploadMiddleware",
    # Any other API body over CTNET_MAX_UPLOAD_BYTES: a JSON 413, refused unread (issue 13).
    "ctnet.core.middleware.ApiBodySizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ctnet.core.middleware.RequestContextMiddleware",
    "ctnet.core.middleware.SessionIdleTimeoutMiddleware",
    "ctnet.core.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ctnet.urls"
WSGI_APPLICATION = "ctnet.wsgi.application"
AUTH_USER_MODEL = "core.User"
# Django's model backend, with the membership fetched with the person (ctnet/core/backends.py).
AUTHENTICATION_BACKENDS = ["ctnet.core.backends.MemberBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
CSRF_FAILURE_VIEW = "ctnet.core.views.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctnet.core.context_processors.membership",
            ],
        },
    }
]

# --- Database --------------------------------------------------------------------------------
_database_url = envstr("DATABASE_URL")
if _database_url:
    try:
        # Persistent connections default to off: the pool below keeps connections instead.
        _db = dj_database_url.parse(
            _database_url,
            conn_max_age=envint("CTNET_DB_CONN_MAX_AGE", 0, maximum=3600),
            conn_health_checks=True,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _db["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite")
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "ctnet.sqlite3")}
# PostgreSQL: Django's own psycopg pool per process, so that a request borrows an open connection
# instead of opening one (several milliseconds each). Each granian worker runs its views in one
# thread, so a few connections per process are plenty; size it against max_connections as
# (web processes + worker threads) x CTNET_DB_POOL_MAX. 0 turns the pool off (then
# CTNET_DB_CONN_MAX_AGE applies, e.g. behind PgBouncer).
DB_POOL_MAX = envint("CTNET_DB_POOL_MAX", 4, minimum=0, maximum=100)
if _db["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX:
    if _db.get("CONN_MAX_AGE"):
        raise ImproperlyConfigured("CTNET_DB_CONN_MAX_AGE and CTNET_DB_POOL_MAX exclude each other")
    _db.setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": DB_POOL_MAX, "timeout": 10}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections: opening the file and running the PRAGMAs below on every request
    # cost the served /healthz three quarters of its rate (issue 18: 845 req/s on SQLite against
    # 3,205 on pooled PostgreSQL, same machine, same run). A local file does not go stale the way
    # a network connection does; the age still bounds how long a process holds one.
    if not _db.get("CONN_MAX_AGE"):
        _db["CONN_MAX_AGE"] = envint("CTNET_DB_CONN_MAX_AGE", 600, maximum=3600)
    _db["CONN_HEALTH_CHECKS"] = True
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue instead of
    # failing with "database is locked" when a read transaction upgrades to a write.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, for more than one machine (docs/operations.md) -------------------------------------
# Unset: the embedded platform needs nothing beyond its database (tasks in the database, the cache
# in each process, rate-limit buckets in the database). Set, every web node and worker shares
# Redis for the task queue (RQ), the cache and the rate-limit buckets.
REDIS_URL = envstr("CTNET_REDIS_URL") or ""
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CTNET_REDIS_URL must be a redis://, rediss:// or unix:// URL")

# --- Background tasks ------------------------------------------------------------------------
# The database backend needs no broker: ``ctnet worker`` polls the same database. Tests run tasks
# immediately so that their effects can be asserted. With Redis, the same tasks go through an RQ
# queue, which ``ctnet worker`` then serves.
if TESTING:
    _task_backend = "django_tasks.backends.immediate.ImmediateBackend"
elif REDIS_URL:
    _task_backend = "django_tasks_rq.RQBackend"
else:
    _task_backend = "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": _task_backend}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}

if REDIS_URL:
    INSTALLED_APPS.append("django_rq")  # its ``rqworker`` command serves the queue
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Scheduled jobs -----------------------------------------------------------------------------
# `ctnet worker` enqueues each job once its interval has passed since it was last enqueued
# (``core/scheduler.py``), so retention purges, reminders, overdue flags and crisis expiry run
# with no cron, in the demo too. Name -> (task, seconds between runs). CTNET_SCHEDULE overrides
# intervals, "name=seconds,name=seconds"; 0 turns a job off; an unknown name is an error.
_SCHEDULE_DEFAULTS: dict[str, tuple[str, int]] = {
    # A signed checkpoint of the audit chain, outside the database (AUDIT_CHECKPOINT_FILE).
    "audit-checkpoint": ("ctnet.core.tasks.write_audit_checkpoint", 24 * 3600),
    # The day's notices in one e-mail to each person who chose the daily digest.
    "notice-digests": ("ctnet.core.tasks.send_notice_digests", 24 * 3600),
    # Contact points nearing staleness: the reminder thresholds are whole days.
    "directory-reminders": ("ctnet.directory.tasks.send_reconfirmation_reminders", 24 * 3600),
    # Requests past their deadline: urgent requests count in hours, so within the hour.
    "exchange-overdue": ("ctnet.exchange.tasks.flag_overdue_requests", 3600),
    # Retention: data about people is gone within the hour of its retention date.
    "exchange-purge": ("ctnet.exchange.tasks.purge_expired_people", 3600),
    "screening-purge": ("ctnet.screening.tasks.purge_expired_hits", 3600),
    # Watchlist entries past their review date: their owners are told once a day while due.
    "screening-review-reminders": ("ctnet.screening.reminders.send_review_reminders", 24 * 3600),
    # Exchange person records past their review date: their originators' heads, once a day.
    "exchange-review-reminders": ("ctnet.exchange.tasks.send_person_review_reminders", 24 * 3600),
    # Project periods ended without an approved report: the owning entities' reporters, daily.
    "monitoring-reports-due": ("ctnet.monitoring.notices.send_reports_due", 24 * 3600),
    # A crisis bank closes at its set time; a quarter of an hour late at most.
    "hashes-crisis-expiry": ("ctnet.hashes.tasks.expire_crisis_banks", 15 * 60),
    # Action-plan milestones due within the week: their owners are told once, checked daily.
    "coordination-milestones-due": (
        "ctnet.coordination.tasks.send_milestone_due_notices",
        24 * 3600,
    ),
    # Assistance needs whose monitoring project reported (an approved update): closed hourly.
    "coordination-needs-reported": ("ctnet.coordination.tasks.close_needs_reported", 3600),
}


def _schedule(raw: str | None) -> dict[str, tuple[str, int]]:
    schedule = dict(_SCHEDULE_DEFAULTS)
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        name, sep, seconds = part.partition("=")
        name = name.strip()
        if not sep or name not in schedule:
            raise ImproperlyConfigured(
                f"CTNET_SCHEDULE: {part.strip()!r} is not name=seconds with a known job "
                f"({', '.join(sorted(schedule))})"
            )
        try:
            interval = int(seconds.strip())
        except ValueError:
            raise ImproperlyConfigured(f"CTNET_SCHEDULE: {part.strip()!r}: not seconds") from None
        if interval < 0:
            raise ImproperlyConfigured(f"CTNET_SCHEDULE: {part.strip()!r}: negative interval")
        schedule[name] = (schedule[name][0], interval)
    return {name: job for name, job in schedule.items() if job[1] > 0}


SCHEDULE = _schedule(envstr("CTNET_SCHEDULE"))

# --- Authentication --------------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if TESTING:
    # Argon2 is deliberately slow; tests create many users. Production never sees this hasher.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "ctnet"
SESSION_IDLE_MINUTES = envint("CTNET_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SESSION_COOKIE_AGE = envint("CTNET_SESSION_MAX_HOURS", 12, minimum=1, maximum=24 * 30) * 3600
SESSION_ENGINE = "django.contrib.sessions.backends.db"
API_TOKEN_MAX_DAYS = envint("CTNET_API_TOKEN_MAX_DAYS", 365, minimum=1, maximum=3650)
INVITATION_DAYS = envint("CTNET_INVITATION_DAYS", 7, minimum=1, maximum=90)
# Directory entries not re-confirmed within this many days are flagged stale (issue 3).
DIRECTORY_RECONFIRM_DAYS = envint("CTNET_DIRECTORY_RECONFIRM_DAYS", 180, minimum=7, maximum=730)

# --- Hash sharing (issue 7) ------------------------------------------------------------------
# Images and files sent to be hashed; refused above this size before they are decoded.
HASHES_MAX_UPLOAD_BYTES = envint(
    "CTNET_HASHES_MAX_UPLOAD_BYTES", 8 * 1024 * 1024, minimum=1024, maximum=64 * 1024 * 1024
)
# Hashes in one match request.
HASHES_MAX_BATCH = envint("CTNET_HASHES_MAX_BATCH", 1000, minimum=1, maximum=100_000)
# PDQ match threshold; a caller may ask for less, never more. 63 is the engine's exact limit.
HASHES_PDQ_MAX_DISTANCE = envint("CTNET_HASHES_PDQ_MAX_DISTANCE", 31, minimum=0, maximum=63)
# Disagreements (from distinct organisations, more than agreements) that flag a signal disputed.
HASHES_DISPUTE_THRESHOLD = envint("CTNET_HASHES_DISPUTE_THRESHOLD", 2, minimum=1, maximum=100)
# Trust lost per false-positive report, and the trust at or below which the signal is disabled.
HASHES_FP_TRUST_PENALTY = envint("CTNET_HASHES_FP_TRUST_PENALTY", 25, minimum=1, maximum=100)
HASHES_FP_DISABLE_TRUST = envint("CTNET_HASHES_FP_DISABLE_TRUST", 50, minimum=0, maximum=99)
# A signal matching more than this many times within one window is quarantined (surge).
HASHES_SURGE_WINDOW_MINUTES = envint(
    "CTNET_HASHES_SURGE_WINDOW_MINUTES", 60, minimum=1, maximum=24 * 60
)
HASHES_SURGE_MATCHES = envint("CTNET_HASHES_SURGE_MATCHES", 1000, minimum=1)
# Longest time box of a crisis bank.
HASHES_CRISIS_MAX_HOURS = envint("CTNET_HASHES_CRISIS_MAX_HOURS", 72, minimum=1, maximum=24 * 30)
# Signals per page of the delta feed.
HASHES_FEED_PAGE_SIZE = envint("CTNET_HASHES_FEED_PAGE_SIZE", 500, minimum=1, maximum=10_000)
# Videos sent to be hashed (vPDQ): refused above this size before they are read, and above this
# duration (or its frames, at most 120 a second) after probing, before a frame is decoded.
HASHES_MAX_VIDEO_BYTES = envint(
    "CTNET_HASHES_MAX_VIDEO_BYTES", 256 * 1024 * 1024, minimum=1024, maximum=4 * 1024**3
)
HASHES_MAX_VIDEO_SECONDS = envint("CTNET_HASHES_MAX_VIDEO_SECONDS", 1800, minimum=1, maximum=36_000)


def _ffprobe(name: str, default: str) -> str:
    value = (envstr(name, default) or "").strip()
    if not value.startswith("/"):
        raise ImproperlyConfigured(f"{name}={value!r} must be an absolute path to ffprobe")
    return value


# FFmpeg's ffprobe (Debian's ffmpeg package), which checks a video before it is decoded.
HASHES_FFPROBE = _ffprobe("CTNET_HASHES_FFPROBE", "/usr/bin/ffprobe")
# Where the background task saves the prebuilt PDQ index.
HASHES_INDEX_DIR = Path(envstr("CTNET_HASHES_INDEX_DIR", str(DATA_DIR / "hashes")) or "hashes")

# --- Secure exchange (issue 5) --------------------------------------------------------------
# Default answer deadlines of requests; the sender may set another.
EXCHANGE_URGENT_HOURS = envint("CTNET_EXCHANGE_URGENT_HOURS", 8, minimum=1, maximum=24 * 7)
EXCHANGE_NORMAL_DAYS = envint("CTNET_EXCHANGE_NORMAL_DAYS", 7, minimum=1, maximum=365)

# --- Consultations of the civil-society unit (issue 15) ----------------------------------
# Breakdowns of answers (counts, the opinion map) stay hidden below this many participants, so
# that a small audience cannot be read back to its members (k-anonymity).
CONSULTATIONS_K = envint("CTNET_CONSULTATIONS_K", 5, minimum=2, maximum=1000)
# Reports from distinct participants that hide a submission until a moderator decides.
CONSULTATIONS_AUTOHIDE_REPORTS = envint(
    "CTNET_CONSULTATIONS_AUTOHIDE_REPORTS", 3, minimum=1, maximum=100
)
# An image attached to a submission; refused above this size before it is decoded.
CONSULTATIONS_MAX_UPLOAD_BYTES = envint(
    "CTNET_CONSULTATIONS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024, maximum=50 * 1024 * 1024
)

# Submissions through public links from one address per hour (ctnet/ratelimits.py).
CONSULTATIONS_PUBLIC_SUBMISSIONS_PER_HOUR = envint(
    "CTNET_CONSULTATIONS_PUBLIC_SUBMISSIONS_PER_HOUR", 30, minimum=1, maximum=100_000
)

# --- Traveller screening (issue 6) ----------------------------------------------------------
# Possible matches at or above this score are raised for review: the engine's calibrated default
# (engine/score.py DEFAULT_THRESHOLD, docs/screening.md); a test keeps the two equal.
SCREENING_THRESHOLD = envfloat("CTNET_SCREENING_THRESHOLD", 0.92, minimum=0.5, maximum=1.0)
# Where the worker saves the candidate index that every process maps (docs/screening.md).
SCREENING_INDEX_DIR = Path(
    envstr("CTNET_SCREENING_INDEX_DIR", str(DATA_DIR / "screening")) or "screening"
)
# Library searches one person may run per minute (a reader's pace; every query runs the
# sentence encoder). Sized by the deployment like the screening limit below.
PRACTICE_SEARCHES_PER_MINUTE = envint("CTNET_PRACTICE_SEARCHES_PER_MINUTE", 60, minimum=1)
# The encoder's BLAS threads per process (CTNET_ENCODER_THREADS; `ctnet serve` sets cores ÷
# workers). The engine reads it, without Django; checked here so that a bad value stops start-up.
try:
    from ctnet.practices.engine.embedder import encoder_threads

    ENCODER_THREADS = encoder_threads()
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
# Travellers in one call (a wide-body flight carries under 900 people).
SCREENING_MAX_BATCH = envint("CTNET_SCREENING_MAX_BATCH", 5000, minimum=1, maximum=100_000)
# Travellers one person may screen per hour: an airport's day of flights, not a census.
SCREENING_TRAVELLERS_PER_HOUR = envint("CTNET_SCREENING_TRAVELLERS_PER_HOUR", 50_000, minimum=1)
SCREENING_MAX_UPLOAD_BYTES = envint(
    "CTNET_SCREENING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024, maximum=200 * 1024 * 1024
)
SCREENING_MAX_WATCHLIST_BYTES = envint(
    "CTNET_SCREENING_MAX_WATCHLIST_BYTES", 50 * 1024 * 1024, minimum=1024
)
# Retention of possible matches (traveller details) by outcome; confirmed hits follow their
# watchlist's own period. Unreviewed hits do not stay forever either.
SCREENING_OPEN_RETENTION_DAYS = envint("CTNET_SCREENING_OPEN_RETENTION_DAYS", 30, minimum=1)
SCREENING_FALSE_POSITIVE_RETENTION_DAYS = envint(
    "CTNET_SCREENING_FALSE_POSITIVE_RETENTION_DAYS", 7, minimum=0
)
SCREENING_INCONCLUSIVE_RETENTION_DAYS = envint(
    "CTNET_SCREENING_INCONCLUSIVE_RETENTION_DAYS", 90, minimum=1
)
# How long "this traveller is not this entry" is remembered (a keyed hash, no name).
SCREENING_FP_MEMORY_DAYS = envint("CTNET_SCREENING_FP_MEMORY_DAYS", 365, minimum=1)

# --- Monitoring and evaluation (issue 16) -----------------------------------------------------
# Disaggregation combinations per indicator (sex x age x ...): DHIS2's unbounded category
# combinations made servers unusable; 2 sexes x 6 age bands x 5 more is already 60.
MONITORING_MAX_DISAGGREGATIONS = envint(
    "CTNET_MONITORING_MAX_DISAGGREGATIONS", 60, minimum=1, maximum=1000
)
# Days after a period's end by which its update is due; later it is a late report.
MONITORING_REPORT_DAYS = envint("CTNET_MONITORING_REPORT_DAYS", 30, minimum=0, maximum=365)
# Evidence files and project documents (PDF, images, text, office documents).
MONITORING_MAX_FILE_BYTES = envint(
    "CTNET_MONITORING_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=100 * 1024 * 1024
)
# An IATI activity file to import; the export is streamed and has no bound.
MONITORING_MAX_IATI_BYTES = envint(
    "CTNET_MONITORING_MAX_IATI_BYTES", 10 * 1024 * 1024, minimum=1024, maximum=200 * 1024 * 1024
)
# The official IATI 2.03 activity schema (iati-activities-schema.xsd and what it includes);
# by default the copy beside the repository, ../shared/data/iati-2.03.
MONITORING_IATI_SCHEMA_DIR = Path(
    envstr(
        "CTNET_MONITORING_IATI_SCHEMA_DIR",
        str(BASE_DIR.parent.parent / "shared" / "data" / "iati-2.03"),
    )
    or "iati-2.03"
)

# --- HTTP security ---------------------------------------------------------------------------
_secure = not (DEMO or DEBUG or TESTING)
SESSION_COOKIE_SECURE = envbool("CTNET_SECURE_COOKIES", _secure)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = envint("CTNET_HSTS_SECONDS", 31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = envbool("CTNET_SSL_REDIRECT", False)
if envbool("CTNET_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of trusted reverse proxies in front of the app; the client address is taken that many
# hops from the right of X-Forwarded-For (0: use the socket address, never the header).
TRUSTED_PROXY_COUNT = envint("CTNET_TRUSTED_PROXY_COUNT", 0, maximum=5)

# Uploads: refuse large bodies before they reach a view (each app may set a smaller limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("CTNET_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("zh-hans", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # rows and the API; pages show the person's own zone (core.TimeZoneMiddleware)
# Our own short date formats per language (ctnet/formats/<lang>/formats.py) on top of Django's:
# day before month and a 24-hour clock everywhere (Django's English is the US "m/d/Y P"), and in
# Arabic without Django's right-to-left marks, since pages isolate every date left to right.
FORMAT_MODULE_PATH = ["ctnet.formats"]

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
# ``ctnet serve`` and ``ctnet demo`` collect the static files here before they serve: each name
# carries a hash of its content (so browsers may keep it for a year) and each text file is
# stored gzip-compressed beside it, which WhiteNoise sends to every browser that accepts it
# (htmx: 52 KB -> 17 KB). Tests and debug runs serve straight from the app folders instead.
STATIC_COLLECTED = not (DEBUG or TESTING)
STATIC_ROOT = (
    Path(envstr("CTNET_STATIC_ROOT", str(DATA_DIR / "static")) or DATA_DIR / "static")
    if STATIC_COLLECTED
    else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
# Files with a content hash in their name are cached for ever (WhiteNoise marks them immutable);
# the rest for an hour.
WHITENOISE_MAX_AGE = 3600
# Files a browser asks for at the site's root, such as /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "core" / "root"
# Source maps (Swagger UI ships them) are never asked for by a browser without its devtools open.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("swf", "flv", "woff", "woff2", "map"),
]

# --- Mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = envstr(
    "CTNET_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEMO or DEBUG)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = envstr("CTNET_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("CTNET_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("CTNET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("CTNET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("CTNET_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("CTNET_EMAIL_FROM", "ctnet <no-reply@ctnet.invalid>")

# --- Logging ---------------------------------------------------------------------------------
_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def envlevel(name: str, default: str) -> str:
    raw = (envstr(name, default) or default).strip().upper()
    if raw not in _LEVELS:
        levels = ", ".join(sorted(_LEVELS))
        raise ImproperlyConfigured(f"{name}={raw!r} is not a log level ({levels})")
    return raw


LOG_LEVEL = envlevel("CTNET_LOG_LEVEL", "INFO")
# The task worker's own lines (each task started and finished, each scheduled job enqueued):
# only warnings and failures unless asked (``ctnet worker --verbose`` sets INFO).
TASK_LOG_LEVEL = envlevel("CTNET_TASK_LOG_LEVEL", "WARNING")
_task_filter = ["task_level"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "one_line_4xx": {"()": "ctnet.core.logs.OneLineForClientErrors"},
        "task_level": {"()": "ctnet.core.logs.AtLeast", "level": TASK_LOG_LEVEL},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            # A 4xx (django.request, django.security.*) is one line; tracebacks for 5xx only.
            "filters": ["one_line_4xx"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.security": {"level": "WARNING"},
        "django_tasks": {"filters": _task_filter},
        "django_tasks_db": {"filters": _task_filter},
        "ctnet.core.scheduler": {"filters": _task_filter},
    },
}
