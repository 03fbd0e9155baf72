"""Securact settings: one module, configured by SECURACT_* environment variables.

The embedded default (no variable set) runs on SQLite with the data directory ``var/``
at the repository root. Secrets may be given directly or as ``*_FILE`` paths.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# mypy --strict wants ModelAdmin[Practice], ModelForm[Act]…: make those subscriptable at run
# time too (settings load before any app module).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """Read SECURACT_<name>, or the content of the file named by SECURACT_<name>_FILE."""
    file_path = os.environ.get(f"SECURACT_{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(f"SECURACT_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR", str(REPO_DIR / "var"))).resolve()
DEMO_DIR = DATA_DIR / "demo"


def _secret_key() -> str:
    """The configured key, else one generated once into the data directory (mode 0600)."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    # django-ninja (the API, issue 13): its documentation page's files, served from here.
    "ninja",
    "securact.core",
    "securact.pki",
    "securact.directory",
    "securact.vault",
    "securact.documents",
    "securact.signing",
    "securact.evidence",
    "securact.notify",
    "securact.significations",
    "securact.datamessage",
    "securact.delivery",
    "securact.returns",
    "securact.dashboard",
    "securact.workflow",
    "securact.bundles",
    "securact.edi",
    "securact.bench",
    "securact.portal",
    "securact.vault_pages",
    "securact.journal_pages",
    "securact.api",
    "securact.web",
]

# The header middlewares come first, so that the refusal pages of the middlewares below
# (which answer without calling the view) carry the headers too. No middleware reads the
# request body before RoleBeforeBodyMiddleware (CSRF reads it in process_view, which runs
# after every __call__ here).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "securact.core.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "securact.core.middleware.LanguageMiddleware",
    "securact.core.request_limits.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "securact.ui.sign_in.ClientCertificateMiddleware",
    # Under /api/: JSON for every error left, Idempotency-Key answers kept (issue 13).
    "securact.api.middleware.ApiMiddleware",
    "securact.web.body_guard.RoleBeforeBodyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "securact.urls"
WSGI_APPLICATION = "securact.wsgi.application"

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
                "securact.web.context_processors.securact",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'securact.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work during a write; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers wait (timeout) instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory: end-to-end tests run gunicorn in another process on this database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-securact-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = ["securact.pki.backends.OperatorCertificateBackend"]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGIN_URL = "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic target; WhiteNoise wants it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and `make run` serve static files straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security by default: the service is only ever reached over HTTPS.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS on every HTTPS answer (the embedded mode; nginx adds its own in front).
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", str(365 * 24 * 3600)))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Libraries that speak at INFO about themselves on every start (pikepdf's "logger bridge
    # initialized", printed by every command since an app imports it): warnings only, unless
    # SECURACT_LIBRARY_LOG_LEVEL says otherwise. Interactive commands (serve, declare) also
    # lower the root level to WARNING unless run with -v 2; the worker and gunicorn keep INFO.
    "loggers": {
        name: {"level": env("LIBRARY_LOG_LEVEL", "WARNING")}
        for name in ("pikepdf", "fontTools", "PIL", "asyncio", "urllib3")
    },
}

# --- Securact ------------------------------------------------------------------------
SECURACT_PORT = int(env("PORT", "8443"))
SECURACT_PKI_DIR = Path(env("PKI_DIR", str(DEMO_DIR / "pki"))).resolve()
# Trust anchors (roots) and the intermediate CAs allowed to issue client certificates.
SECURACT_TRUST_ROOTS = Path(env("TRUST_ROOTS", str(SECURACT_PKI_DIR / "trust" / "roots.pem")))
SECURACT_TRUST_INTERMEDIATES = Path(
    env("TRUST_INTERMEDIATES", str(SECURACT_PKI_DIR / "trust" / "intermediates.pem"))
)
# hard-fail: refuse when revocation cannot be checked; soft-fail: accept then.
SECURACT_REVOCATION_MODE = env("REVOCATION_MODE", "hard-fail")
SECURACT_CERT_CACHE_SECONDS = int(env("CERT_CACHE_SECONDS", "300"))
# Where the client certificate comes from: "gunicorn" (TLS in the app server) or
# "proxy" (nginx forwards it in headers, trusted only from SECURACT_TRUSTED_PROXIES).
SECURACT_CLIENT_CERT_SOURCE = env("CLIENT_CERT_SOURCE", "gunicorn")
SECURACT_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "unix,127.0.0.1,::1")
SECURACT_MAX_CERT_HEADER_BYTES = 16384

# Legal calendar (LEGAL.md). Each rule can be relaxed by the operator.
SECURACT_ENFORCE_LEGAL_HOURS = env_bool("ENFORCE_LEGAL_HOURS", True)
SECURACT_ENFORCE_SUNDAYS = env_bool("ENFORCE_SUNDAYS", True)
SECURACT_ENFORCE_HOLIDAYS = env_bool("ENFORCE_HOLIDAYS", True)
SECURACT_DELIVERY_RULE = env("DELIVERY_RULE", "24h")
if SECURACT_DELIVERY_RULE not in ("24h", "same-day"):
    raise ImproperlyConfigured("SECURACT_DELIVERY_RULE must be 24h or same-day")
# Delivery (F6.3): the deadline task and the sweeper decide *à domicile* this many seconds
# after the deadline, so that a download that began just before it is recorded first.
SECURACT_DELIVERY_SETTLE_SECONDS = float(env("DELIVERY_SETTLE_SECONDS", "5"))
# How often each worker's sweeper looks for deposits past their deadline still undecided.
SECURACT_DELIVERY_SWEEP_SECONDS = float(env("DELIVERY_SWEEP_SECONDS", "60"))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURACT_DEMO_PKI_PORT = int(env("DEMO_PKI_PORT", "9780"))
SECURACT_DEMO_PKI_URL = env("DEMO_PKI_URL", f"http://localhost:{SECURACT_DEMO_PKI_PORT}")

# --- Service process (F3.4–F4) ----------------------------------------------------------
# SoftHSM2 reads its configuration once per process, from this variable.
os.environ.setdefault("SOFTHSM2_CONF", str(SECURACT_PKI_DIR / "softhsm2.conf"))
SECURACT_PUBLIC_URL = env("PUBLIC_URL", f"https://localhost:{SECURACT_PORT}")
SECURACT_MAX_FILE_BYTES = int(env("MAX_FILE_BYTES", str(50 * 1024 * 1024)))
SECURACT_MAX_SIGNIFICATION_BYTES = int(env("MAX_SIGNIFICATION_BYTES", str(200 * 1024 * 1024)))
# A request body larger than this is refused (413) before it is read: each upload form sends
# one act, so one act's limit plus 1 MiB for the rest of the form. nginx's
# client_max_body_size (deploy/nginx) must say the same.
SECURACT_MAX_REQUEST_BYTES = int(
    env("MAX_REQUEST_BYTES", str(SECURACT_MAX_FILE_BYTES + 1024 * 1024))
)
SECURACT_UPLOAD_DIR = Path(env("UPLOAD_DIR", str(DATA_DIR / "uploads")))
SECURACT_WORK_DIR = Path(env("WORK_DIR", str(DATA_DIR / "work")))
SECURACT_VAULT_DIR = Path(env("VAULT_DIR", str(DATA_DIR / "vault")))
# Where the vaults' content lives (README, "Vault storage"): "local", the directory above
# (the embedded default), or "s3", an S3-compatible object store with Object Lock (the
# production backend; the bucket is created with Object Lock when missing).
SECURACT_VAULT_STORAGE = env("VAULT_STORAGE", "local").strip().lower()
if SECURACT_VAULT_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("SECURACT_VAULT_STORAGE must be local or s3")
SECURACT_S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")  # empty: AWS S3 itself
SECURACT_S3_BUCKET = env("S3_BUCKET")
SECURACT_S3_ACCESS_KEY = env("S3_ACCESS_KEY")  # empty: boto3's usual chain (instance role…)
SECURACT_S3_SECRET_KEY = env("S3_SECRET_KEY")
SECURACT_S3_REGION = env("S3_REGION", "us-east-1")
# "path" (bucket in the URL path: MinIO, Ceph, Garage, moto…) or "virtual" (bucket in the
# host name); default: path with an endpoint URL, virtual on AWS.
SECURACT_S3_ADDRESSING_STYLE = env(
    "S3_ADDRESSING_STYLE", "path" if SECURACT_S3_ENDPOINT_URL else "virtual"
)
if SECURACT_VAULT_STORAGE == "s3" and not SECURACT_S3_BUCKET:
    raise ImproperlyConfigured("SECURACT_VAULT_STORAGE=s3 needs SECURACT_S3_BUCKET")
# The shared work store (significations.work_store): the files the steps hand to each other.
# "local" (SECURACT_WORK_DIR, one machine) or "s3" (the object store above, under the prefix
# below, in SECURACT_WORK_S3_BUCKET or else the vault's bucket); default: as the vault.
# With "s3", SECURACT_WORK_DIR is only this process's own scratch folder.
SECURACT_WORK_STORAGE = env("WORK_STORAGE", SECURACT_VAULT_STORAGE).strip().lower()
if SECURACT_WORK_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("SECURACT_WORK_STORAGE must be local or s3")
if SECURACT_WORK_STORAGE == "s3" and not (env("WORK_S3_BUCKET") or SECURACT_S3_BUCKET):
    raise ImproperlyConfigured("SECURACT_WORK_STORAGE=s3 needs SECURACT_S3_BUCKET")
SECURACT_WORK_S3_BUCKET = env("WORK_S3_BUCKET", "")
SECURACT_WORK_S3_PREFIX = env("WORK_S3_PREFIX", "work/")
# Vault (F7). Quota of a vault whose own quota is not set, in bytes (uploads of the owner are
# refused beyond it; deposits of the service process never are, they warn instead).
SECURACT_VAULT_QUOTA_BYTES = int(env("VAULT_QUOTA_BYTES", str(10 * 1024**3)))
# Retention of evidence, in years, per kind ("act=25,act_return=5"): overrides the legal
# defaults of securact.vault.retention (sources there and in the README).
SECURACT_VAULT_RETENTION_YEARS = {
    kind: int(years)
    for kind, _sep, years in (item.partition("=") for item in env_list("VAULT_RETENTION_YEARS", ""))
}
# Drafts (acts added to the service form, never served) untouched this long are removed by
# the workers (issue 9, item 3).
SECURACT_DRAFT_TTL_HOURS = float(env("DRAFT_TTL_HOURS", "24"))
# Fixity audits in the workers (issue 11, item 5): one per period of this many hours (0: none),
# re-reading this share of all stored files, those checked longest ago first.
SECURACT_VAULT_AUDIT_HOURS = float(env("VAULT_AUDIT_HOURS", "24"))
SECURACT_VAULT_AUDIT_SHARE = float(env("VAULT_AUDIT_SHARE", "0.1"))
# The journal's Merkle tree (issue 12): each worker integrates the entries still pending this
# often (appends integrate after their commit already; this catches what they skipped).
SECURACT_JOURNAL_INTEGRATE_SECONDS = float(env("JOURNAL_INTEGRATE_SECONDS", "5"))
SECURACT_UNOSERVER_HOST = env("UNOSERVER_HOST", "127.0.0.1")
SECURACT_UNOSERVER_PORT = int(env("UNOSERVER_PORT", "2003"))
SECURACT_CONVERSION_TIMEOUT = int(env("CONVERSION_TIMEOUT", "120"))
SECURACT_TSA_URL = env("TSA_URL", f"{SECURACT_DEMO_PKI_URL}/securact/tsa/tsa")
SECURACT_SEAL_TOKEN_LABEL = env("SEAL_TOKEN_LABEL", "securact-platform")
SECURACT_SEAL_CERT = Path(env("SEAL_CERT", str(SECURACT_PKI_DIR / "platform-seal.cert.pem")))
SECURACT_SEAL_PIN_FILE = Path(env("SEAL_PIN_FILE", str(SECURACT_PKI_DIR / "platform-seal.pin")))
SECURACT_PLATFORM_NAME = env("PLATFORM_NAME", "SECURACT")
# The journal's signed checkpoints (issue 12, docs/evidence-log.md §2): an EC P-256 key on the
# seal's token (same token and PIN file, this label), its certificate, the checkpoints' origin
# line (also the note key's name: no space, no "+"), and when the workers publish one: every
# CHECKPOINT_ENTRIES new entries, or CHECKPOINT_MINUTES after the last when anything is new,
# and at least every CHECKPOINT_MAX_HOURS even with nothing new.
SECURACT_JOURNAL_KEY_LABEL = env("JOURNAL_KEY_LABEL", "journal")
SECURACT_JOURNAL_CERT = Path(
    env("JOURNAL_CERT", str(SECURACT_PKI_DIR / "platform-journal.cert.pem"))
)
SECURACT_JOURNAL_ORIGIN = env("JOURNAL_ORIGIN", "securact.example/journal")
SECURACT_CHECKPOINT_ENTRIES = int(env("CHECKPOINT_ENTRIES", "1000"))
SECURACT_CHECKPOINT_MINUTES = float(env("CHECKPOINT_MINUTES", "10"))
SECURACT_CHECKPOINT_MAX_HOURS = float(env("CHECKPOINT_MAX_HOURS", "24"))
# Evidence bundles and exports (issue 12): the certificates of the timestamp authority and the
# OCSP responders handed out with the roots, as PEM files separated by commas (empty:
# tsa.cert.pem and ocsp-*.cert.pem of SECURACT_PKI_DIR, as the demo PKI writes them).
SECURACT_AUTHORITY_CERTS = env_list("AUTHORITY_CERTS", "")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("SMTP_HOST", "localhost")
EMAIL_PORT = int(env("SMTP_PORT", "8025"))
EMAIL_HOST_USER = env("SMTP_USER")
EMAIL_HOST_PASSWORD = env("SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "SECURACT <ne-pas-repondre@securact.localhost>")
# "console" prints messages (demo); "http" posts them to an SMS operator's gateway.
SECURACT_SMS_BACKEND = env("SMS_BACKEND", "console")
SECURACT_SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SECURACT_SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")
SECURACT_SMS_SENDER = env("SMS_SENDER", "SECURACT")
SECURACT_SMS_TIMEOUT = float(env("SMS_TIMEOUT", "10"))
# A worker killed while sending an alert leaves it "sending"; after this lease another
# worker may send it (the recipient may then get it twice rather than never).
SECURACT_ALERT_LEASE_SECONDS = int(env("ALERT_LEASE_SECONDS", "300"))
# An alert not sent after the deposit (SMTP or SMS gateway down) never fails the service: each
# channel is retried on its own, with these waits (the last one repeats), for this many hours
# before it is recorded as failed.
SECURACT_ALERT_RETRY_BACKOFF = [
    float(s) for s in env_list("ALERT_RETRY_BACKOFF", "30,60,120,300,600,1800")
]
SECURACT_ALERT_RETRY_HOURS = float(env("ALERT_RETRY_HOURS", "48"))
SECURACT_TSA_TIMEOUT = int(env("TSA_TIMEOUT", "10"))
# Service process: attempts of a step failing transiently, and the waits between them.
SECURACT_STEP_MAX_ATTEMPTS = int(env("STEP_MAX_ATTEMPTS", "6"))
SECURACT_STEP_BACKOFF = [float(s) for s in env_list("STEP_BACKOFF", "2,5,15,60,300")]
SECURACT_STEP_LEASE_SECONDS = int(env("STEP_LEASE_SECONDS", "900"))

# --- The API (F9, issue 13; README "API") -------------------------------------------------
# Requests per client certificate in each fixed window of this many seconds; past it, a
# French 429 with Retry-After. Counted in the database, so every gunicorn process shares it.
SECURACT_API_RATE_LIMIT = int(env("API_RATE_LIMIT", "6000"))
SECURACT_API_RATE_WINDOW_SECONDS = int(env("API_RATE_WINDOW_SECONDS", "60"))
# Idempotency-Key: an answer is given again for this long; a first use still running after
# SECURACT_API_IDEMPOTENCY_STALE_SECONDS (its process died) may be run again by a retry.
SECURACT_API_IDEMPOTENCY_HOURS = int(env("API_IDEMPOTENCY_HOURS", "24"))
SECURACT_API_IDEMPOTENCY_STALE_SECONDS = int(env("API_IDEMPOTENCY_STALE_SECONDS", "600"))
# Rows in one page of a list (``limite``), at most.
SECURACT_API_PAGE_SIZE = int(env("API_PAGE_SIZE", "50"))
SECURACT_API_MAX_PAGE_SIZE = int(env("API_MAX_PAGE_SIZE", "200"))

# --- EDI (F9.1, issue 13): uploads, batches, events feed, webhooks ---------------------------
# An uploaded act waits this long for the batch that serves it, then is removed.
SECURACT_EDI_UPLOAD_TTL_HOURS = float(env("EDI_UPLOAD_TTL_HOURS", "24"))
SECURACT_EDI_MAX_BATCH_ITEMS = int(env("EDI_MAX_BATCH_ITEMS", "1000"))
# Remote signing of a batch, within its request: sessions at once, and for how long at most.
SECURACT_EDI_SIGNING_SESSIONS = int(env("EDI_SIGNING_SESSIONS", "4"))
SECURACT_EDI_SIGNING_SECONDS = float(env("EDI_SIGNING_SECONDS", "600"))
# An item left "processing" this long (its request gone) is processed again by a re-submission.
SECURACT_EDI_ITEM_LEASE_SECONDS = float(env("EDI_ITEM_LEASE_SECONDS", "600"))
# Each worker reads the journal into the feed and plans the webhooks' deliveries this often
# (0: never; the feed is still read before each of its reads).
SECURACT_EDI_DISPATCH_SECONDS = float(env("EDI_DISPATCH_SECONDS", "2"))
# A journal number missing in the feed's reading (a transaction still open) is looked up again
# for this long.
SECURACT_FEED_GAP_SECONDS = float(env("FEED_GAP_SECONDS", "600"))
# Webhooks: the first wait after a failed delivery, doubled at each failure up to the longest;
# the receiver's answer timeout; a delivery task's share of a worker before it hands over; the
# claim's lease; how long delivered attempts are kept; plain http:// allowed (tests only).
SECURACT_WEBHOOK_RETRY_FIRST_SECONDS = float(env("WEBHOOK_RETRY_FIRST_SECONDS", "10"))
SECURACT_WEBHOOK_RETRY_MAX_SECONDS = float(env("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
SECURACT_WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "10"))
SECURACT_WEBHOOK_RUN_SECONDS = float(env("WEBHOOK_RUN_SECONDS", "60"))
SECURACT_WEBHOOK_LEASE_SECONDS = float(env("WEBHOOK_LEASE_SECONDS", "300"))
SECURACT_WEBHOOK_ATTEMPTS_DAYS = float(env("WEBHOOK_ATTEMPTS_DAYS", "30"))
SECURACT_WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
