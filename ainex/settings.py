"""
AiNex settings: one module, configured by environment variables.

Local defaults are safe for a laptop (SQLite, DEBUG off, local-memory cache);
production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL
and DJANGO_HTTPS=1. README.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

# The fallback starts with "django-insecure-" so that `check --deploy` flags a
# production start that forgot to set a real key.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-key-never-use-in-production"
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "community.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # For its clearsessions command; the sessions are members.Session.
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that runserver serves static files as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "simple_history",
    "axes",
    "pagecache",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Installed always; a provider is offered only when its keys are set
    # (SOCIALACCOUNT_PROVIDERS below).
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "community",
    "guide",
    "members",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "community.middleware.SecurityHeadersMiddleware",
    # Before anything reads a request body (CSRF, sessions, views).
    "community.middleware.RejectOversizedBodyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "community.middleware.RejectBadAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Serves cached public pages: what is above applies to them, what is below
    # does not run for them (see pagecache/pages.py).
    "pagecache.pages.CachedPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the user with the session row (members/auth.py).
    "members.auth.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Per account, from every address (community/lockout.py); before axes.
    "community.lockout.AccountLoginCapMiddleware",
    # Last, as django-axes asks: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ainex.urls"
WSGI_APPLICATION = "ainex.wsgi.application"

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
                "community.context_processors.site_origin",
                "members.context_processors.signed_in",
                "pagecache.context_processors.fragments",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each server process keeps its connection between requests, and checks it
    # before the first query of each request (without a round trip: see
    # database/postgresql/base.py): a connection that died (the server
    # restarted) is replaced there, instead of failing a request. While the
    # server is down, a request fails at once (refused) or after
    # connect_timeout, with the 503 page; it is back on the next request.
    DATABASES["default"]["ENGINE"] = "database.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": 2,  # libpq's least
        # manage.py sets 0 (none): migrations and seeding may take minutes.
        "options": "-c statement_timeout={}".format(
            int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "10000"))
        ),
    }
else:
    # A short busy timeout keeps a second process from failing at once while
    # another one writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Tests on a file, not in memory: the browser tests' live server answers
    # several requests at once (the admin's previews), and every thread would
    # share the one connection of an in-memory database (Django's docs warn).
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / "db.sqlite3-test"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Each process's pages and kept markup (a post's article, its share
        # data): Django's 300 would hold the pages of about a hundred posts.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Markup a template does not keep (pagecache.context_processors.UNKEPT).
    "unkept": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Each process's kept search results (community/listing.py), apart from the
    # pages: every query is an address of its own, and a stream of new ones must
    # not push the posts' pages out. A page of results is 20 to 40 kB.
    "searches": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "searches",
        "OPTIONS": {"MAX_ENTRIES": 250},
    },
}
if REDIS_URL:
    CACHES = {
        # Shared by every server process; Django's RedisCache, going on without
        # Redis while it is down (pagecache/backends.py).
        "default": {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ainex"),
        },
        # Each process's own copy of cached pages, in front of Redis.
        "local_pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "local-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "unkept": CACHES["unkept"],
        "searches": CACHES["searches"],
    }

# Seconds a public page stays cached; any content save invalidates it sooner.
# 0 turns page caching off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Seconds a rendered fragment shared by every reader (a post's article) stays
# cached, keyed by the content version like the pages; 0 turns it off. It is
# what signed-in members, who never get cached pages, are served from.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600"))

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's (members sign in with their e-mail address), taking
    # the user read with the session row (members/auth.py).
    "members.auth.ModelBackend",
    "members.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Behind a proxy, axes reads the client address from the header the proxy sets.
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IP_HEADERS", "REMOTE_ADDR")
# A client can send its own X-Forwarded-For, and a proxy appends to it: the
# address to trust is counted from the right, past the proxies that append
# after ours (0 with one proxy). The leftmost one would let an attacker pick a
# new address for every try and never be locked out.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
# Failed logins to one account from all addresses together before each further
# try must wait (community/lockout.py): 30 s, doubling, at most 15 minutes.
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
LOGIN_ACCOUNT_DELAY = 30
LOGIN_ACCOUNT_MAX_DELAY = 15 * 60
# Members sign in with an e-mail address, editors with a user name: a lockout
# is per whichever the form sent.
AXES_USERNAME_CALLABLE = "members.accounts.login_name"

# --- Members' accounts (django-allauth) ---------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupDetailsForm"
# allauth's forms with the site's honeypot field.
ACCOUNT_FORMS = {
    "login": "members.accounts.LoginForm",
    "reset_password": "members.accounts.ResetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AiNex] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/members/me/"
LOGIN_URL = "/accounts/login/"
# allauth's limits (per client address, e-mail address or account) live in
# the default cache, shared through Redis when REDIS_URL is set. Its defaults
# stand, except that sign-ups are also limited per hour.
ACCOUNT_RATE_LIMITS = {"signup": "20/m/ip,60/h/ip"}
# Social login: a provider is switched on by its client id and secret, e.g.
# AINEX_KAKAO_CLIENT_ID and AINEX_KAKAO_SECRET (README, "Members").
SOCIAL_LOGIN_PROVIDERS = ("kakao", "naver", "github", "google")
SOCIALACCOUNT_PROVIDERS = {
    provider: {
        "APPS": [
            {
                "client_id": os.environ[f"AINEX_{provider.upper()}_CLIENT_ID"],
                "secret": os.environ.get(f"AINEX_{provider.upper()}_SECRET", ""),
            }
        ]
    }
    for provider in SOCIAL_LOGIN_PROVIDERS
    if os.environ.get(f"AINEX_{provider.upper()}_CLIENT_ID")
}
# Ask providers for the e-mail address (GitHub lists it, verified or not, only so).
SOCIALACCOUNT_QUERY_EMAIL = True
# A provider's account never signs in to an existing account by its e-mail
# address alone, and the login starts with a POST (no login by a crafted link).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# --- Members' contributions ------------------------------------------------------
# Approved questions and answers after which a member's next ones publish
# without review.
MEMBER_TRUST_AFTER = int(os.environ.get("MEMBER_TRUST_AFTER", "3"))
# Per member and hour, counted in the default cache so every server process
# shares the count.
MEMBER_HOURLY_LIMITS = {
    "question": 10,
    "answer": 30,
    "report": 20,
    "preview": 600,
    "rename": 10,
}

# --- E-mail -----------------------------------------------------------------
# The console locally; SMTP as soon as EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "AiNex <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "ko-kr"
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Pictures editors put in posts (community/images.py). Any storage backend
    # (django-storages' S3 one, say) by naming it; MEDIA_URL then says where it
    # serves from, and the CSP below lets pages show images from there.
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# About a 6000 by 4000 photo; the pixels are decoded, so this bounds memory too.
IMAGE_UPLOAD_MAX_PIXELS = 25_000_000
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Korean for what the admin's libraries leave in English (django-simple-history's
# pages, the date widgets' time zone note and shortcut labels).
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Markdown ---------------------------------------------------------------
# The admin's live preview renders with the very function that renders
# published HTML, so editors see what readers will see.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "community.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
# Where the editor's drag-and-drop sends a picture (community/editor_views.py).
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"

# --- Security headers -----------------------------------------------------
# No inline script anywhere: every script is a static file, so script-src
# needs neither 'unsafe-inline' nor a per-response nonce, and cached pages
# stay valid.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([MEDIA_URL] if "://" in MEDIA_URL else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by community.middleware.SecurityHeadersMiddleware, since Django has no
# setting for them. The site uses none of these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, each row naming its user: one query for both.
SESSION_ENGINE = "members.sessions"

# HTTPS-only production: HSTS, secure cookies and a redirect to HTTPS. The
# proxy in front terminates TLS and says so in X-Forwarded-Proto.
HTTPS_ONLY = env_flag("DJANGO_HTTPS")
if HTTPS_ONLY:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The load balancer's health check speaks plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {
        "once_a_minute": {"()": "community.logs.RateLimitedWarning", "seconds": 60},
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs every login attempt at INFO; warnings are what operators need.
        "axes": {"level": "WARNING"},
        # A wrong Host header is a scanner or a misconfigured proxy, not an error.
        "django.security.DisallowedHost": {"filters": ["once_a_minute"]},
    },
}

# --- Site -----------------------------------------------------------------
SITE_NAME = "AiNex"
# Where the site is, for links in e-mails that no request is there to build.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COMMUNITY_PAGE_SIZE = 20
