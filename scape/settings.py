"""Django settings for SCAPE, read from environment variables.

The embedded default (no variables set) is SQLite and a local media folder in
``var/``. ``SCAPE_ENV=production`` switches on the hardened settings that pass
``manage.py check --deploy`` and requires ``SCAPE_SECRET_KEY``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

from scape.storages import evidence_storage_config, media_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCAPE_VAR_DIR", BASE_DIR / "var"))

SCAPE_ENV = os.environ.get("SCAPE_ENV", "development")
PRODUCTION = SCAPE_ENV == "production"
# pytest-django imports these settings with pytest already loaded.
TESTING = os.environ.get("SCAPE_TESTING") == "1" or "pytest" in sys.modules


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("SCAPE_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SCAPE_SECRET_KEY must be set when SCAPE_ENV=production")
    # The embedded default keeps a generated key beside its database, so that
    # sessions survive restarts without a secret ever being committed.
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = _bool("SCAPE_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SCAPE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SCAPE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "scape.core",
    "scape.directory",
    "scape.vault",
    "scape.equipment",
    "scape.traffic",
    "scape.activities",
    "scape.operations",
    "scape.alerts",
    "scape.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scape.core.middleware.RequestContextMiddleware",
    "scape.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "scape.core.middleware.UserLanguageMiddleware",
    "scape.core.middleware.UserTimeZoneMiddleware",
    "scape.core.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scape.urls"
WSGI_APPLICATION = "scape.wsgi.application"
ASGI_APPLICATION = "scape.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "scape.core.context_processors.scape",
            ],
        },
    }
]


# IMMEDIATE serialises SQLite writers up front, so the audit chain's
# read-last-then-append never races and no writer fails half-way with
# "database is locked"; WAL lets readers go on while one writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        db: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        if db["ENGINE"] == "django.db.backends.sqlite3":
            # A sqlite:// URL is the embedded database at another path: same options.
            db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
            db["CONN_MAX_AGE"] = 0
        if db["ENGINE"] == "django.db.backends.postgresql":
            test_name = os.environ.get("SCAPE_TEST_DATABASE_NAME")
            if test_name:
                # The audit tables let only a database named test_* be emptied
                # between tests (core migration 0005).
                db["TEST"] = {
                    "NAME": test_name if test_name.startswith("test_") else f"test_{test_name}"
                }
        return db
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "scape.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Single sign-on through an OpenID Connect provider (scape.core.sso; docs/operations.md).
SCAPE_OIDC_CLIENT_ID = os.environ.get("SCAPE_OIDC_CLIENT_ID", "")
if SCAPE_OIDC_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("scape.core.sso.ScapeOIDCBackend")
OIDC_RP_CLIENT_ID = SCAPE_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = os.environ.get("SCAPE_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SCAPE_OIDC_AUTHORIZATION_URL", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SCAPE_OIDC_TOKEN_URL", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SCAPE_OIDC_USERINFO_URL", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SCAPE_OIDC_JWKS_URL", "")
OIDC_RP_SIGN_ALGO = os.environ.get("SCAPE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("SCAPE_OIDC_SCOPES", "openid email profile groups")
OIDC_AUTHENTICATION_CALLBACK_URL = "core:sso_callback"
OIDC_USE_PKCE = True
LOGIN_REDIRECT_URL_FAILURE = "/login/"
# {"provider group": "organization-code:role,role"}, as JSON.
SCAPE_OIDC_GROUPS = json.loads(os.environ.get("SCAPE_OIDC_GROUPS", "{}") or "{}")
SCAPE_OIDC_GROUPS_CLAIM = os.environ.get("SCAPE_OIDC_GROUPS_CLAIM", "groups")
# acr values the provider uses for a sign-in with a second factor.
SCAPE_OIDC_MFA_ACR = [v for v in os.environ.get("SCAPE_OIDC_MFA_ACR", "").split(",") if v]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create hundreds of users: a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "directory:home"
LOGOUT_REDIRECT_URL = "core:login"

# Languages: every string a person reads exists in these three.
LANGUAGE_CODE = os.environ.get("SCAPE_DEFAULT_LANGUAGE", "en")
LANGUAGES = [("lt", "Lietuvių"), ("lv", "Latviešu"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
SCAPE_DISPLAY_TIME_ZONES = {"LT": "Europe/Vilnius", "LV": "Europe/Riga"}
SCAPE_DEFAULT_DISPLAY_TIME_ZONE = os.environ.get(
    "SCAPE_DEFAULT_DISPLAY_TIME_ZONE", "Europe/Vilnius"
)
LANGUAGE_COOKIE_NAME = "scape_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"


def _leaflet_static() -> list[tuple[str, str]]:
    # Leaflet and Leaflet.draw come from the django-leaflet wheel; only its
    # static files are used (its app needs GeoDjango), so nothing loads from a CDN.
    spec = importlib.util.find_spec("leaflet")
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / "leaflet"
    return [("leaflet", str(folder))] if folder.is_dir() else []


STATICFILES_DIRS = _leaflet_static()
MEDIA_ROOT = Path(os.environ.get("SCAPE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    # Photos, plate crops, attachments: in the bucket too when there is one.
    "default": media_storage_config(MEDIA_ROOT),
    # Evidence originals and derivatives: write-once, content-addressed; on an
    # S3-compatible store when SCAPE_S3_BUCKET is set (see docs/storage.md).
    "evidence": evidence_storage_config(MEDIA_ROOT / "evidence"),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Tasks: Django's Tasks API, stored in the database, run by `scape worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("SCAPE_TASKS_IMMEDIATE") == "1"
            else "django_tasks_db.DatabaseBackend"
        ),
        # "vision" takes the video work (scape worker --queue-name vision on a
        # GPU machine); everything else goes to "default".
        "QUEUES": ["default", "vision"],
    }
}
SCAPE_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("SCAPE_WORKER_HEARTBEAT_SECONDS", 10))

# Audit checkpoints (scape/core/checkpoints.py, docs/operations.md): how often
# the worker signs the chain head, the folder that holds one subfolder of
# copies per organization (point each at storage that partner controls), and
# the secret the per-organization Ed25519 keys are derived from.
SCAPE_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("SCAPE_AUDIT_CHECKPOINT_MINUTES", 60))
SCAPE_AUDIT_WITNESS_DIR = os.environ.get("SCAPE_AUDIT_WITNESS_DIR", str(VAR_DIR / "witness"))
SCAPE_AUDIT_SIGNING_SECRET = os.environ.get("SCAPE_AUDIT_SIGNING_SECRET", "")

# Traffic cameras: reads that hit nothing are deleted after this many days.
SCAPE_TRAFFIC_READ_DAYS = int(os.environ.get("SCAPE_TRAFFIC_READ_DAYS", 30))
SCAPE_TRAFFIC_MAX_IMAGE_BYTES = int(os.environ.get("SCAPE_TRAFFIC_MAX_IMAGE_BYTES", 256 * 1024))
# Footage a traffic camera recorded (its source, or its device a camera's equipment
# record) is read for plates as soon as it is stored; 0 leaves it to a person.
SCAPE_TRAFFIC_READ_ON_ARRIVAL = os.environ.get("SCAPE_TRAFFIC_READ_ON_ARRIVAL", "1") == "1"

# Largest picture (in pixels) that is decoded anywhere: evidence stills,
# equipment photos, plate crops. Checked on the header, before decoding.
SCAPE_MAX_IMAGE_PIXELS = int(os.environ.get("SCAPE_MAX_IMAGE_PIXELS", 64_000_000))

# Evidence vault
SCAPE_MAX_EVIDENCE_BYTES = int(os.environ.get("SCAPE_MAX_EVIDENCE_BYTES", 64 * 1024**3))
SCAPE_RECOVERY_DAYS = int(os.environ.get("SCAPE_RECOVERY_DAYS", 7))
# Where bytes bound for an object store are staged before upload (local disk).
SCAPE_STAGING_DIR = os.environ.get("SCAPE_STAGING_DIR", "")

# Security
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SCAPE_SESSION_SECONDS", 8 * 3600))
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Map tiles: any XYZ tile server, none by default. A police network is often
# closed, and every tile fetched tells the tile server which area is being
# looked at: SCAPE calls no outside server unless one is set here (`make run`
# sets OpenStreetMap's for the demo). Without tiles the maps draw their
# features on a plain background and say why.
SCAPE_MAP_TILES_URL = os.environ.get("SCAPE_MAP_TILES_URL", "")
SCAPE_MAP_ATTRIBUTION = os.environ.get("SCAPE_MAP_ATTRIBUTION", "")


def _tile_origin(url: str) -> str:
    parsed = urlsplit(url.replace("{s}.", "*."))
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme and parsed.netloc else ""


SCAPE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    f"img-src 'self' data: blob: {_tile_origin(SCAPE_MAP_TILES_URL)}; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _bool("SCAPE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SCAPE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("SCAPE_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("SCAPE_LOCKOUT_HOURS", 0.25))
# Per username, from whatever address: guessing one account's password from
# many addresses (spraying through proxies) is locked out too.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# Days a new account (or one whose second factor an administrator reset) may
# enrol an authenticator app; afterwards only an administrator opens it again.
SCAPE_ENROL_DAYS = int(os.environ.get("SCAPE_ENROL_DAYS", 7))
# API tokens: the longest lifetime a token may be given (scape/core/api.py).
SCAPE_API_TOKEN_DAYS = int(os.environ.get("SCAPE_API_TOKEN_DAYS", 90))
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "SCAPE"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "scape.core.api.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["scape.core.api.IsMember"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "scape.core.api.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "scape.core.api_schema.ApiSchema",
    "EXCEPTION_HANDLER": "scape.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SCAPE API",
    "DESCRIPTION": "Cross-border public-order platform: directory, evidence and operations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the OpenAPI schema is stable and readable.
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "scape.activities.choices.ActivityKind",
        "ActivityStatusEnum": "scape.activities.choices.ActivityStatus",
        "AudienceEnum": "scape.activities.choices.Audience",
        "RegistrationStatusEnum": "scape.activities.choices.RegistrationStatus",
        "CertificateStateEnum": "scape.activities.choices.CertificateState",
        "StatusEnum": "scape.alerts.choices.Status",
        "MsgTypeEnum": "scape.alerts.choices.MsgType",
        "ScopeEnum": "scape.alerts.choices.Scope",
        "CategoryEnum": "scape.alerts.choices.Category",
        "ResponseTypeEnum": "scape.alerts.choices.ResponseType",
        "UrgencyEnum": "scape.alerts.choices.Urgency",
        "AlertsSeverityEnum": "scape.alerts.choices.Severity",
        "CertaintyEnum": "scape.alerts.choices.Certainty",
        "StateEnum": "scape.alerts.choices.State",
        "LanguageEnum": "scape.alerts.choices.Language",
        "RoleEnum": "scape.core.choices.Role",
        "ActionEnum": "scape.core.choices.Action",
        "OutcomeEnum": "scape.core.choices.Outcome",
        "JobStatusEnum": "scape.core.choices.JobStatus",
        "DirectoryCountryEnum": "scape.directory.choices.Country",
        "OrganizationKindEnum": "scape.directory.choices.OrganizationKind",
        "GenderEnum": "scape.directory.choices.Gender",
        "SpokenLanguageEnum": "scape.directory.choices.SpokenLanguage",
        "AssetKindEnum": "scape.equipment.choices.AssetKind",
        "AssetStatusEnum": "scape.equipment.choices.AssetStatus",
        "MeterUnitEnum": "scape.equipment.choices.MeterUnit",
        "MaintenanceKindEnum": "scape.equipment.choices.MaintenanceKind",
        "InformingTypeEnum": "scape.equipment.choices.InformingType",
        "OperationsSeverityEnum": "scape.operations.choices.Severity",
        "IncidentStatusEnum": "scape.operations.choices.IncidentStatus",
        "PersonCategoryEnum": "scape.operations.choices.PersonCategory",
        "LinkKindEnum": "scape.operations.choices.LinkKind",
        "PatrolStatusEnum": "scape.operations.choices.PatrolStatus",
        "MemberRoleEnum": "scape.operations.choices.MemberRole",
        "TransportEnum": "scape.operations.choices.Transport",
        "IndicatorGroupEnum": "scape.reports.choices.IndicatorGroup",
        "IndicatorUnitEnum": "scape.reports.choices.IndicatorUnit",
        "PeriodKindEnum": "scape.reports.choices.PeriodKind",
        "TrafficCountryEnum": "scape.traffic.choices.Country",
        "ReadSourceEnum": "scape.traffic.choices.ReadSource",
        "HotlistReasonEnum": "scape.traffic.choices.HotlistReason",
        "DirectionEnum": "scape.traffic.choices.Direction",
        "SourceTypeEnum": "scape.vault.choices.SourceType",
        "MediaKindEnum": "scape.vault.choices.MediaKind",
        "ItemStatusEnum": "scape.vault.choices.ItemStatus",
        "IntegrityEnum": "scape.vault.choices.Integrity",
        "DerivativeKindEnum": "scape.vault.choices.DerivativeKind",
        "CaseStatusEnum": "scape.vault.choices.CaseStatus",
        "DeletionStatusEnum": "scape.vault.choices.DeletionStatus",
    },
}

EMAIL_BACKEND = os.environ.get(
    "SCAPE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("SCAPE_FROM_EMAIL", "scape@localhost")
# Links in e-mails point here.
SCAPE_SITE_URL = os.environ.get("SCAPE_SITE_URL", "http://127.0.0.1:8000")
# CAP <sender> is code@this domain (e.g. scape.palanga.lt); unset, the
# organization's e-mail address, else code@ the host of SCAPE_SITE_URL.
SCAPE_CAP_SENDER_DOMAIN = os.environ.get("SCAPE_CAP_SENDER_DOMAIN", "")
SCAPE_WEBHOOK_TIMEOUT = float(os.environ.get("SCAPE_WEBHOOK_TIMEOUT", 5))
# Pages that update without reloading (notifications, maps) poll this often.
SCAPE_LIVE_POLL_SECONDS = int(os.environ.get("SCAPE_LIVE_POLL_SECONDS", 5))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCAPE_LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "scape.core.views.csrf_failure"
