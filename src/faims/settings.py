"""Settings of FAIMS. Everything that differs between machines comes from the environment."""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("FAIMS_HOME", BASE_DIR.parent.parent))
VAR_DIR = PROJECT_DIR / "var"

DEBUG = os.environ.get("FAIMS_DEBUG", "0") == "1"
# The development key is only good on a developer's machine; production sets FAIMS_SECRET_KEY.
SECRET_KEY = os.environ.get("FAIMS_SECRET_KEY") or "faims-development-only-not-a-secret"
ALLOWED_HOSTS = [h for h in os.environ.get("FAIMS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FAIMS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "faims.core",
    "faims.org",
    "faims.projects",
    "faims.targets",
    "faims.reporting",
    "faims.imports",
    "faims.metrics",
    "faims.dashboard",
    "faims.alerts",
    "faims.problems",
    "faims.bulletins",
    "faims.assessment",
    "faims.opendata",
    "faims.api",
    "faims.demo",
    "django_q",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "faims.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "faims.core.middleware.RequestIdMiddleware",
    "faims.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "faims.urls"
WSGI_APPLICATION = "faims.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "faims.core.context_processors.navigation",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'faims.sqlite3'}",
        conn_max_age=int(os.environ.get("FAIMS_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Sessions live in the database so that several application servers can share them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "faims_cache"}}
AXES_FAILURE_LIMIT = int(os.environ.get("FAIMS_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("FAIMS_MEDIA_ROOT", VAR_DIR / "media"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = os.environ.get("FAIMS_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FAIMS_LOG_LEVEL", "WARNING")},
}

# Uploads: photos and PDFs of reports, Excel sheets. Larger files are refused with a clear message.
FAIMS_MAX_UPLOAD_MB = int(os.environ.get("FAIMS_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = FAIMS_MAX_UPLOAD_MB * 1024 * 1024 + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email is sent only where an SMTP server is configured; the in-app inbox always works.
EMAIL_HOST = os.environ.get("FAIMS_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("FAIMS_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FAIMS_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FAIMS_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FAIMS_SMTP_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FAIMS_MAIL_FROM", "faims@localhost")
# Where users reach FAIMS (https://faims.example.gov.cn), so that links in emails are whole addresses.
FAIMS_SITE_URL = os.environ.get("FAIMS_SITE_URL", "")
# Open data (OC4IDS): the publisher's registered project identifier prefix ("oc4ids-" and six characters,
# assigned by the standard's helpdesk) and the license of the published package.
FAIMS_OC4IDS_PREFIX = os.environ.get("FAIMS_OC4IDS_PREFIX", "oc4ids-wuxi00")
FAIMS_OC4IDS_LICENSE = os.environ.get("FAIMS_OC4IDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/")

# Jobs and schedules: django-q2 with the database as its broker (no Redis needed).
Q_CLUSTER = {
    "name": "faims",
    "orm": "default",
    "workers": int(os.environ.get("FAIMS_JOB_WORKERS", "1")),
    "timeout": 600,
    "retry": 900,
    "catch_up": False,
    "label": "后台任务",
}

FAIMS_DEMO_PASSWORD_ENV = "FAIMS_DEMO_PASSWORD"
FAIMS_SITE_NAME = _("固定资产投资管理信息系统")

# The REST API (/api/): a signed-in session or a personal token; the UI's FilterSets, pages of 50 (page_size up to
# 500), ordering by any field; error bodies {"detail", "errors"} naming the fields.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "faims.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "faims.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "faims.api.errors.handle",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FAIMS API",
    "DESCRIPTION": "固定资产投资管理信息系统的数据接口：与页面相同的权限范围、校验和变更日志。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Each choice set under its own name (several models have a `status` or a `kind` of different sets).
    "ENUM_NAME_OVERRIDES": {
        "WarningLevelEnum": "faims.alerts.choices.WarningLevel",
        "SchemeKindEnum": "faims.assessment.choices.SchemeKind",
        "SubjectEnum": "faims.assessment.choices.Subject",
        "MethodEnum": "faims.assessment.choices.Method",
        "GoalSourceEnum": "faims.assessment.choices.GoalSource",
        "FlagKindEnum": "faims.assessment.choices.FlagKind",
        "FlagConditionEnum": "faims.assessment.choices.FlagCondition",
        "BulletinKindEnum": "faims.bulletins.choices.BulletinKind",
        "BulletinFormatEnum": "faims.bulletins.choices.BulletinFormat",
        "BuildStatusEnum": "faims.bulletins.choices.BuildStatus",
        "ChangeActionEnum": "faims.core.choices.ChangeAction",
        "AuditKindEnum": "faims.core.choices.AuditKind",
        "RoleEnum": "faims.org.choices.Role",
        "RegionLevelEnum": "faims.org.choices.RegionLevel",
        "DepartmentKindEnum": "faims.org.choices.DepartmentKind",
        "SourceEnum": "faims.problems.choices.Source",
        "ProblemCategoryEnum": "faims.problems.choices.ProblemCategory",
        "ProblemStatusEnum": "faims.problems.choices.ProblemStatus",
        "RatingEnum": "faims.problems.choices.Rating",
        "ActionKindEnum": "faims.problems.choices.ActionKind",
        "VisitKindEnum": "faims.problems.choices.VisitKind",
        "MeetingKindEnum": "faims.problems.choices.MeetingKind",
        "DecisionStatusEnum": "faims.problems.choices.DecisionStatus",
        "CategoryEnum": "faims.projects.choices.Category",
        "NatureEnum": "faims.projects.choices.Nature",
        "InvestmentTypeEnum": "faims.projects.choices.InvestmentType",
        "ApprovalModeEnum": "faims.projects.choices.ApprovalMode",
        "LifecycleStatusEnum": "faims.projects.choices.LifecycleStatus",
        "LibraryLevelEnum": "faims.projects.choices.LibraryLevel",
        "LibraryKindEnum": "faims.projects.choices.LibraryKind",
        "MembershipStatusEnum": "faims.projects.choices.MembershipStatus",
        "StartKindEnum": "faims.projects.choices.StartKind",
        "PersonRoleEnum": "faims.projects.choices.PersonRole",
        "TierEnum": "faims.projects.choices.Tier",
        "NodeKindEnum": "faims.projects.choices.NodeKind",
        "NodeChangeReasonEnum": "faims.projects.choices.NodeChangeReason",
        "ReportStatusEnum": "faims.reporting.choices.ReportStatus",
        "StartStatusEnum": "faims.reporting.choices.StartStatus",
        "StatsStatusEnum": "faims.reporting.choices.StatsStatus",
        "ProductionStatusEnum": "faims.reporting.choices.ProductionStatus",
        "RuleLevelEnum": "faims.reporting.choices.RuleLevel",
        "TargetScopeEnum": "faims.targets.choices.TargetScope",
        "TargetPeriodEnum": "faims.targets.choices.TargetPeriod",
        "TargetUnitEnum": "faims.targets.choices.TargetUnit",
        "TaskUnitEnum": "faims.targets.choices.TaskUnit",
    },
}
