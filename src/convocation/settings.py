"""The one settings module; every value comes from ``config`` with a safe default."""

import json
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from convocation import config

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(config.env_str("DATA_DIR", str(Path.cwd() / "var")))

DEBUG = config.env_bool("DEBUG", False)
SECRET_KEY = config.env_str("SECRET_KEY", "insecure-development-key-set-CONVOCATION_SECRET_KEY")
ALLOWED_HOSTS = config.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "convocation.admin_site.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "convocation.web",
    "convocation.treaties",
    "convocation.people",
    "convocation.accounts",
    "convocation.cycles",
    "convocation.meetings",
    "convocation.letters",
    "convocation.registrations",
    "convocation.documents",
    "convocation.attendance",
    "convocation.reports",
    "convocation.side_events",
    "convocation.nominations",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

# Django's database sessions and ModelBackend, with their per-request reads compiled once.
SESSION_ENGINE = "convocation.accounts.sessions"
# An authenticator app's secret is shown once, to its owner, on the enrolment page: the admin
# shows no one's secret key or QR code, so another officer cannot copy a second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTHENTICATION_BACKENDS = ["convocation.accounts.sessions.AccountBackend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "convocation.web.middleware.RequestSizeLimit",
    "convocation.web.middleware.NullCharacters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a request whose user proved a second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The largest request any form takes: a 10 MB credential and the form around it.
MAX_REQUEST_BYTES = config.env_int("MAX_REQUEST_BYTES", 12 * 2**20)

ROOT_URLCONF = "convocation.urls"
WSGI_APPLICATION = "convocation.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        config.database_url(DATA_DIR), conn_max_age=config.env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and config.env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # Server-side binding lets PostgreSQL keep the plan of a query sent again and again (the
    # meeting fingerprint, on every request) instead of planning it each time
    # (docs/performance.md). Turn off behind a pooler in transaction mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins, so that two registrations
    # cannot both count the free places before either writes (SQLite has no row locks).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": config.env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": config.env_str("CACHE_LOCATION", "convocation"),
        "TIMEOUT": config.env_int("CACHE_TIMEOUT", 3600),
    }
}

# Emails (confirmations, messages to registrants) and other background work. The database
# backend needs no extra server: `convocation db_worker` runs the queue.
TASKS = {
    "default": {
        "BACKEND": config.env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = config.env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = config.env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = config.env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = config.env_str(
    "DEFAULT_FROM_EMAIL", "ATT Secretariat <info@thearmstradetreaty.org>"
)
# Emails are read away from the site: their links start with this address (no trailing slash).
SITE_URL = config.env_str("SITE_URL", "http://127.0.0.1:8000")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["convocation.formats"]
USE_TZ = True
TIME_ZONE = "UTC"

MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Uploaded and issued files: on disk under MEDIA_ROOT by default, any Django storage backend
# by setting, such as an S3-compatible bucket through django-storages (docs/configuration.md).
# Files are always served through the application, behind its access rules.
STORAGES = {
    "default": {
        "BACKEND": config.env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(config.env_str("STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Meeting documents: the largest file of one language version, and how long after an issue
# the registrants' digest waits for other documents to join it.
DOCUMENTS_MAX_UPLOAD_BYTES = config.env_int("DOCUMENTS_MAX_UPLOAD_BYTES", 10 * 2**20)
DOCUMENTS_DIGEST_DELAY_MINUTES = config.env_int("DOCUMENTS_DIGEST_DELAY_MINUTES", 10)

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Delegates sign in with a one-time code or link sent by email; Secretariat staff sign in
# with a password (and two-factor, once enrolled) at the admin login.
LOGIN_URL = "accounts:sign_in"
# How long a sign-in code or link stays valid.
CONVOCATION_SIGN_IN_MINUTES = config.env_int("SIGN_IN_MINUTES", 10)
