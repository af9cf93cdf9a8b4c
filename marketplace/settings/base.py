"""Environment-driven base settings shared by every run mode.

Every variable read here is listed in the README's configuration table.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def require(name: str) -> str:
    """Return a variable that has no safe default, or refuse to start naming it."""
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Missing required environment variable {name}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "insecure-local-development-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies (IPs or CIDR networks) whose X-Forwarded-For is believed for the client IP in the audit log
# and sign-in rate limits. Empty: REMOTE_ADDR is the client, and X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # ours: kernel first, then domain apps in dependency order
    "marketplace.core",
    "suppliers",
    "contracts",
    "agencies",
    "orders",
    "marketplace.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.core.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "marketplace.core.mfa.MfaEnrolmentMiddleware",
    "marketplace.core.middleware.RefuseUnstorableInputMiddleware",
    "marketplace.core.context.RequestContextMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

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
                "csp.context_processors.nonce",
                "marketplace.core.context_processors.navigation",
                "orders.context_processors.cart",
            ],
        },
    }
]

# --- Database: PostgreSQL only. `make demo`/`make test` export DATABASE_URL for the embedded server.
DATABASE_URL = env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/marketplace")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A streaming replica of the primary, for reads that tolerate a little lag (catalog search, item pages, reports):
# see marketplace/core/db.py and the architecture document ("Beyond one PostgreSQL").
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))
READ_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["marketplace.core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker, cache (sessions stay in the database), rate limits.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "mkt"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-run is redelivered; tasks are idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down: the outbox keeps the work and the sweep re-sends it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "max_retries": 0}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 30.0},
    # contracts: expire ended contracts and send 90/60/30-day notices (idempotent; hourly is plenty)
    "contracts-expiry-sweep": {"task": "contracts.expiry_sweep", "schedule": 3600.0},
    # catalog imports whose worker died: mark them failed so they can be retried
    "catalog-import-reap": {"task": "contracts.import_reap", "schedule": 60.0},
    # catalog files kept from refused upload forms: delete those nobody came back for within a day
    "catalog-kept-upload-sweep": {"task": "contracts.kept_upload_sweep", "schedule": 3600.0},
    # overdue invoices: remind the supplier and agency finance (at most once per invoice per day; idempotent)
    "invoices-overdue-remind": {"task": "orders.invoices_overdue_remind", "schedule": crontab(hour=14, minute=0)},
    # suppliers: warn 30 days before insurance / certifications expire, suspend on lapsed insurance (idempotent)
    "suppliers-expiry-sweep": {"task": "suppliers.expiry_sweep", "schedule": crontab(hour=10, minute=0)},
}
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "10"))

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth: e-mail login, mandatory verification, TOTP MFA, Redis-backed rate limits.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"
ACCOUNT_ADAPTER = "marketplace.core.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Co-op Marketplace] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Co-op Marketplace"
# Organizations' MFA policy (Organization.mfa_required_roles): a signed-in member holding a required role and no
# authenticator is sent to enrol before any other page (marketplace.core.mfa). Off only in the test settings, where
# most tests sign in admins and approvers without an authenticator; the policy's own tests turn it on.
MFA_ENFORCED = env_bool("MFA_ENFORCED", True)
# Signup through an invitation link: the e-mail address is fixed to the invited one (and counts as verified).
ACCOUNT_FORMS = {"signup": "marketplace.core.forms.InvitationAwareSignupForm"}

# Called (dotted paths, keyword arguments organization, user, actor) inside the transaction that deactivates a member
# or takes roles away, so domain apps hand over the work the member can no longer do without the kernel importing them.
MEMBER_DEACTIVATED_HOOKS = ["orders.approvals.services.handover.approvals_hand_over"]

# --- E-mail (sent by the Celery worker, never in the request).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Co-op Marketplace <no-reply@coop-marketplace.test>")

# --- Stripe (used from the ordering issue on; read here so production can insist on it).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "sk_test_local")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "pk_test_local")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "whsec_local")
STRIPE_API_BASE = env("STRIPE_API_BASE", "")  # e.g. http://127.0.0.1:8420 for localstripe
# Stripe.js (card form) and how long a Stripe call may take; a webhook older than the tolerance is refused.
STRIPE_JS_URL = env("STRIPE_JS_URL", "https://js.stripe.com/v3/")
STRIPE_TIMEOUT_SECONDS = float(env("STRIPE_TIMEOUT_SECONDS", "10"))
STRIPE_MAX_NETWORK_RETRIES = int(env("STRIPE_MAX_NETWORK_RETRIES", "2"))
STRIPE_WEBHOOK_TOLERANCE_SECONDS = int(env("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "300"))

# --- Ordering. Split-purchase guard: orders to one supplier within this many days are summed against the
# approval thresholds (several small orders must not dodge an approval a single order would need).
SPLIT_PURCHASE_WINDOW_DAYS = int(env("SPLIT_PURCHASE_WINDOW_DAYS", "14"))
# The public address of the site, for links in e-mails (approval links) sent by the worker, outside any request.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Co-op Marketplace API",
    "DESCRIPTION": "Cooperative contracts, catalogs and orders for member agencies. "
    'Errors are JSON `{"error": {"code", "message", "fields"}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.core.api.schema.document_unstorable_input_refusal",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "contracts.models.DocumentKind",
        "ImportStatusEnum": "contracts.models.ImportStatus",
        "PictureStatusEnum": "contracts.catalog.api.serializers.PICTURE_STATUS_CHOICES",
        "PriceChangeStatusEnum": "contracts.models.PriceChangeStatus",
        "ContractStatusEnum": "contracts.models.ContractStatus",
        "ItemStatusEnum": "contracts.models.ItemStatus",
        "CoopMembershipStatusEnum": "marketplace.core.models.CoopMembershipStatus",
        "RoleEnum": "marketplace.core.roles.Role",
        "JoinApplicationStatusEnum": "agencies.models.ApplicationStatus",
        "POStatusEnum": "orders.purchase_orders.models.POStatus",
        "ReleasedPOStatusEnum": "orders.purchase_orders.lists.selectors.RELEASED_STATUS_CHOICES",
        "FulfilmentEnum": "orders.purchase_orders.models.Fulfilment",
        "LineCancellationStatusEnum": "orders.purchase_orders.desk.models.CancellationStatus",
        "InvoiceStatusEnum": "orders.billing.models.InvoiceStatus",
        "PaymentStatusEnum": "orders.billing.models.PaymentStatus",
        "PaymentMethodEnum": "orders.billing.models.PaymentMethod",
        "OnAccountMethodEnum": "orders.billing.accounts.api.serializers.ON_ACCOUNT_CHOICES",
        "NotificationKindEnum": "marketplace.core.notification_kinds.NotificationKind",
        "RefundStatusEnum": "orders.billing.models.RefundStatus",
        "OrganizationKindEnum": "marketplace.core.roles.OrgKind",
        "SupplierDocumentKindEnum": "suppliers.vetting.models.DocumentKind",
        "SupplierDocumentStatusEnum": "suppliers.vetting.models.DocumentStatus",
        "VettingStatusEnum": "suppliers.models.VettingStatus",
        "ContractStateEnum": "contracts.models.ContractState",
    },
}

# --- Static files: USWDS comes from npm (node_modules, never committed) and is collected here.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
USWDS_DIST = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"
if USWDS_DIST.exists():
    STATICFILES_DIRS.append(("uswds", USWDS_DIST))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Compliance documents (PDF only, checked by content). Production may point STORAGES["default"] at an
# S3-compatible backend; the code only uses Django's default storage.
CONTRACT_DOCUMENT_MAX_BYTES = int(env("CONTRACT_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers. CSP: no inline script anywhere; nonces for the few tags that need them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored in UTC; shown in each organization's own time zone
USE_I18N = True
USE_TZ = True
# English only; this catalog rewrites django-allauth's title-case words ("Sign In") in our sentence case.
LOCALE_PATHS = [BASE_DIR / "locale"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools log every font subset at INFO; a PDF that fails still raises.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
