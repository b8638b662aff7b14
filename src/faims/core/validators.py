"""Validators of the identifiers a government office uses."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROJECT_CODE_RE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def validate_project_code(value: str) -> None:
    """投资项目统一代码: YYYY-RRRRRR-NN-NN-NNNNNN, with a plausible year."""
    match = PROJECT_CODE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("投资项目统一代码格式应为 YYYY-RRRRRR-NN-NN-NNNNNN，例如 2022-320214-39-01-123456。"),
            code="project_code",
        )
    year = int(match.group(1))
    if not 1990 <= year <= 2100:
        raise ValidationError(_("投资项目统一代码的年份 %(year)s 不合理。"), code="project_code", params={"year": year})


def project_code_region(value: str) -> str | None:
    """The GB/T 2260 region part of a project code, the only part FAIMS parses."""
    match = PROJECT_CODE_RE.match(value or "")
    return match.group(2) if match else None


def credit_code_check_char(body: str) -> str:
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    value = value or ""
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        raise ValidationError(
            _("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）。"), code="credit_code"
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="credit_code")


def validate_non_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("金额不能为负数。"), code="negative")
