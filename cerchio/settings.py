"""Cerchio settings: one module, driven by environment variables (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lib.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_secret_list,
    env_str,
    generated_secret_key,
    is_fernet_key,
    looks_like_placeholder,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CERCHIO_DATA_DIR", str(BASE_DIR / "data")))

CERCHIO_ENV = env_str("CERCHIO_ENV", "development")
if CERCHIO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("CERCHIO_ENV must be 'development' or 'production'")
PRODUCTION = CERCHIO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_secret("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when CERCHIO_ENV=production")
    if (
        not SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
        or len(SECRET_KEY) < 40
        or looks_like_placeholder(SECRET_KEY)
    ):
        raise ImproperlyConfigured("Set a real SECRET_KEY (40+ random characters, not the example) in production")
elif not SECRET_KEY:
    SECRET_KEY = generated_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "cerchio.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lib",
    "privacy",
    "notifications",
    "accounts",
    "network",
    "directory",
    "intake",
    "following",
    "companion",
    "founding",
    "workspace",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "network.middleware.AccessMiddleware",
    "privacy.middleware.NoStoreForPersonalPagesMiddleware",
    "privacy.middleware.AuditPersonalPagesMiddleware",
]

ROOT_URLCONF = "cerchio.urls"

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
                "cerchio.context_processors.site",
                "workspace.context_processors.workspace",
            ],
        },
    },
]

WSGI_APPLICATION = "cerchio.wsgi.application"

# SQLite is the embedded default: a file in the data folder, tuned for a small
# association's single server (WAL, a busy timeout, writes that take the lock up front).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "cerchio.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A 64 MiB page cache (the default is 2 MiB): the directory's searches read the same
            # groups, meetings and full-text pages over and over, and a page not in the cache is
            # a system call; the cache fills only as far as pages are read.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLength", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
# Each language is named in itself, for the language switcher.
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Without collectstatic (development, tests) whitenoise serves from the app folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Development prints e-mails; production sends them (reset links must never land in logs).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cerchio <noreply@localhost>")
# A stuck SMTP server must not outlive the worker's lease on a message (CERCHIO_OUTBOX_LEASE_SECONDS).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Security headers. HTTPS-only cookies and HSTS are on in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# How many reverse proxies of ours stand before Cerchio (docs/deploy.md). Only they may tell the
# client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto); with 0 both headers are ignored.
CERCHIO_TRUSTED_PROXIES = env_int("CERCHIO_TRUSTED_PROXIES", 0)
if CERCHIO_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("CERCHIO_TRUSTED_PROXIES must be 0 or more")
if CERCHIO_TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Rate limits and throttling need a shared cache; the database serves it without extra services.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cerchio_cache",
    }
}

# --- Accounts (django-allauth) ------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"  # the adapter sends people with a role to the workspace
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # after a reset the person signs in again, MFA included
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Brute force (docs/security.md): failures slow down the client that fails, never the account
# holder elsewhere. Windows are short and always expire. "ip" is the client (lib.client).
ACCOUNT_RATE_LIMITS = {
    # Failed passwords from one client, whatever the account (allauth counts them).
    "login_failed": "30/5m/ip",
    # Failed passwords for one account from one client (key: account and client, accounts.throttle).
    "login_failed_pair": "5/5m/key",
    # Failed passwords for one account from all clients: past it, only clients that have themselves
    # failed on the account in the window are refused; a client with no failure always gets through.
    "login_failed_account": "50/5m/key",
    "login_failed_seen": "1/5m/key",
    # Wrong second-factor codes for one account from one client.
    "mfa_failed": "5/5m/key",
    "login": "30/m/ip",
    # Per client, and per (address, client) in accounts.forms.ResetPasswordForm: a stranger's
    # requests never use up the owner's own.
    "reset_password": "20/m/ip",
    "reset_password_pair": "3/5m/key",
    # Reset e-mails to one address from all clients together: many clients cannot flood an inbox.
    # Above one client's allowance, so a single stranger never uses up the owner's own.
    "reset_password_address": "5/15m/key",
    # The public intake form (intake/views.py): per client, and per contact (a keyed hash of it).
    "intake_request": "10/1h/key",
    "intake_request_contact": "3/1d/key",
    "signup": "10/m/ip",
}
MFA_FORMS = {"authenticate": "accounts.forms.MFAAuthenticateForm"}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"  # second-factor secrets encrypted at rest
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Cerchio"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: staff are signed out after 30 idle minutes and after 12 hours in any case.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CERCHIO_STAFF_IDLE_SECONDS = env_int("CERCHIO_STAFF_IDLE_SECONDS", 30 * 60)
CERCHIO_SESSION_ABSOLUTE_SECONDS = env_int("CERCHIO_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)

# --- Content Security Policy (django-csp) ------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "lib.log.OneLine"}},
    "formatters": {"one_line": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "one_line": {"class": "logging.StreamHandler", "filters": ["one_line"], "formatter": "one_line"},
    },
    "loggers": {
        # Every request with a wrong Host header: one line with the host, no traceback.
        "django.security.DisallowedHost": {
            "handlers": ["one_line"],
            "filters": ["one_line"],
            "level": "ERROR",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Cerchio ---------------------------------------------------------------
# How far ahead meetings are kept as rows. Six months covers the next six
# meetings of a monthly group; the daily refresh moves the window forward.
CERCHIO_MEETING_HORIZON_DAYS = env_int("CERCHIO_MEETING_HORIZON_DAYS", 200)
# Optional online geocoder for place names the local gazetteer does not know,
# e.g. "lib.geocoding.NominatimGeocoder". Off by default: no lookup leaves the server.
CERCHIO_GEOCODER = env_str("CERCHIO_GEOCODER")
CERCHIO_GEOCODER_URL = env_str("CERCHIO_GEOCODER_URL")
CERCHIO_DEFAULT_TIMEZONE = "Europe/Rome"
CERCHIO_DEMO = env_bool("CERCHIO_DEMO", False)
# Three separate keys, each rotatable on its own (docs/privacy.md, "Breach procedure"):
# SECRET_KEY signs sessions and links; CERCHIO_ENCRYPTION_KEYS encrypt contact details
# and second-factor secrets; CERCHIO_BLIND_INDEX_KEYS make the keyed hashes that find
# accounts by e-mail. Both lists are newest first; all are generated in development.
# Rotate by prepending a new key, running `manage.py rotate_encryption_keys` or
# `manage.py rotate_blind_index_key`, then removing the old key.
CERCHIO_ENCRYPTION_KEYS = env_secret_list("CERCHIO_ENCRYPTION_KEYS")
if not CERCHIO_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("Set CERCHIO_ENCRYPTION_KEYS in production")
    CERCHIO_ENCRYPTION_KEYS = [generated_secret_key(DATA_DIR, name="encryption_key", fernet=True)]
if not all(is_fernet_key(key) for key in CERCHIO_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "CERCHIO_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated"
    )
# CERCHIO_BLIND_INDEX_KEY (one key) is still read when the list is not set.
CERCHIO_BLIND_INDEX_KEYS = env_secret_list("CERCHIO_BLIND_INDEX_KEYS") or env_secret_list("CERCHIO_BLIND_INDEX_KEY")
if not CERCHIO_BLIND_INDEX_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("Set CERCHIO_BLIND_INDEX_KEYS in production")
    CERCHIO_BLIND_INDEX_KEYS = [generated_secret_key(DATA_DIR, name="blind_index_key")]
if PRODUCTION:
    if any(looks_like_placeholder(key) for key in CERCHIO_ENCRYPTION_KEYS):
        raise ImproperlyConfigured("CERCHIO_ENCRYPTION_KEYS holds the example key: make a real one")
    if any(len(key) < 32 or looks_like_placeholder(key) for key in CERCHIO_BLIND_INDEX_KEYS):
        raise ImproperlyConfigured("CERCHIO_BLIND_INDEX_KEYS must be random keys of 32 characters or more")
    if SECRET_KEY in CERCHIO_BLIND_INDEX_KEYS:
        raise ImproperlyConfigured("CERCHIO_BLIND_INDEX_KEYS must differ from SECRET_KEY, so each can be rotated")
# How long each kind of personal data is kept, in days (privacy/registry.py).
CERCHIO_RETENTION_DAYS = {
    "audit_log": env_int("CERCHIO_RETENTION_AUDIT_DAYS", 365),
    "inactive_participant": env_int("CERCHIO_RETENTION_INACTIVE_PARTICIPANT_DAYS", 730),
    "user_session": env_int("CERCHIO_RETENTION_SESSION_DAYS", 30),
    "unclaimed_email": env_int("CERCHIO_RETENTION_UNCLAIMED_EMAIL_DAYS", 1),
    "outbox_message": env_int("CERCHIO_RETENTION_OUTBOX_DAYS", 30),
    "unused_invitation": env_int("CERCHIO_RETENTION_UNUSED_INVITATION_DAYS", 30),
    # A closed intake request loses its personal data after this (a withdrawn one at once).
    "intake_closed_request": env_int("CERCHIO_RETENTION_INTAKE_CLOSED_DAYS", 180),
    "reflection": env_int("CERCHIO_RETENTION_REFLECTION_DAYS", 730),
}
# How long the link in a newcomer's confirmation lets them see, export or withdraw their request.
CERCHIO_INTAKE_LINK_DAYS = env_int("CERCHIO_INTAKE_LINK_DAYS", 365)
if PRODUCTION and CERCHIO_DEMO:
    raise ImproperlyConfigured("Demo mode cannot be used with CERCHIO_ENV=production")

# --- Background work (docs/worker.md) -----------------------------------------
# django-tasks with its database backend: no broker, the same database as the site.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The address people reach Cerchio at; every link in an e-mail starts with it.
CERCHIO_SITE_URL = env_str("CERCHIO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(CERCHIO_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname or _site.path or _site.query or _site.fragment:
    raise ImproperlyConfigured("CERCHIO_SITE_URL must be an address like https://gruppi.example.org")
if PRODUCTION and _site.scheme != "https":
    raise ImproperlyConfigured("CERCHIO_SITE_URL must start with https:// in production")
# The outbox: how often a message is tried before it is shown as failed, and how long a
# worker holds a message it is sending before another worker may take it over.
CERCHIO_OUTBOX_MAX_ATTEMPTS = env_int("CERCHIO_OUTBOX_MAX_ATTEMPTS", 6)
CERCHIO_OUTBOX_LEASE_SECONDS = env_int("CERCHIO_OUTBOX_LEASE_SECONDS", 300)
# How many due messages a worker claims at once (each is still recorded as sent on its own).
CERCHIO_OUTBOX_BATCH = env_int("CERCHIO_OUTBOX_BATCH", 100)
# Following a group: a meeting must stay unchanged this long before its followers are told,
# so several changes in a row make one notice and a change undone in time sends nothing.
CERCHIO_FOLLOWING_QUIET_SECONDS = env_int("CERCHIO_FOLLOWING_QUIET_SECONDS", 300)
