"""Turning cell values into amounts, dates, choices and text; a bad value raises CellError in Chinese."""
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from faims.core.formatting import format_wan

# What offices write in a cell that has nothing to say.
BLANK_MARKS = {"", "-", "--", "—", "——", "－", "/", "／", "\\", "无", "暂无", "N/A", "n/a"}
EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!"}
UNIT_FACTOR = {None: Decimal(1), "万元": Decimal(1), "亿元": Decimal(10_000), "元": Decimal("0.0001")}
CENT = Decimal("0.01")
EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMBER_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元)?$")
_DATE_RES = [
    re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_RE = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?(?:份)?$")


class CellError(ValueError):
    pass


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in BLANK_MARKS)


def _check_error(value) -> None:
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError(_("单元格是错误值 %(value)s，请修正公式或改填数值。") % {"value": value.strip()})


def to_text(value) -> str:
    if value is None:
        return ""
    _check_error(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return re.sub(r"[ \t\u3000]+", " ", str(value)).strip()


def to_money(value, unit: str | None) -> Decimal | None:
    """An amount in 万元, exact: 37.5695 亿元 is 375,695 万元; rounded to the hundredth (one yuan)."""
    if is_blank(value):
        return None
    _check_error(value)
    factor = UNIT_FACTOR.get(unit, Decimal(1))
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(_("应填写金额（数字），不是“%(value)s”。") % {"value": to_text(value)})
    if isinstance(value, int | float):
        # repr() gives the shortest decimal that is the float; no binary noise enters the amount.
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        match = _NUMBER_RE.match(text)
        if not match:
            raise CellError(_("应填写金额（数字），不是“%(value)s”。") % {"value": str(value).strip()[:40]})
        number = Decimal(match.group(1))
        if match.group(2):
            factor = UNIT_FACTOR[{"万": "万元", "亿": "亿元"}.get(match.group(2), match.group(2))]
    amount = (number * factor).quantize(CENT, ROUND_HALF_UP)
    if amount < 0:
        raise CellError(_("金额不能为负数（%(value)s万元）。") % {"value": format_wan(amount)})
    return amount


def to_percent(value) -> Decimal | None:
    if is_blank(value):
        return None
    _check_error(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(repr(float(value)))
    else:
        text = str(value).strip().rstrip("%％").strip()
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(_("应填写百分数（0–100），不是“%(value)s”。") % {"value": str(value)[:40]}) from exc
    if not 0 <= number <= 100:
        raise CellError(_("百分数应在 0 至 100 之间，不是 %(value)s。") % {"value": number})
    return number.quantize(Decimal("0.1"), ROUND_HALF_UP)


def to_date(value) -> dt.date | None:
    """2022年3月5日, 2022-03-05, 2022/3/5, 20220305, an Excel date or date serial; 2022年3月 is the 1st."""
    if is_blank(value):
        return None
    _check_error(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("应填写日期（如 2022-03-05），不是“%(value)s”。") % {"value": to_text(value)})
    text = str(value).strip()
    try:
        for pattern in _DATE_RES:
            match = pattern.match(text)
            if match:
                return dt.date(*(int(g) for g in match.groups()))
        match = _MONTH_RE.match(text)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise CellError(_("日期“%(value)s”不存在，请核对。") % {"value": text[:40]}) from exc
    raise CellError(_("无法识别的日期“%(value)s”，请写作 2022-03-05 或 2022年3月5日。") % {"value": text[:40]})


def to_choice(value, mapping: dict, label: str):
    """The stored value of a choice written as its label or a common variant; CellError lists the choices."""
    if is_blank(value):
        return None
    text = re.sub(r"\s+", "", to_text(value))
    if text in mapping:
        return mapping[text]
    for word, stored in sorted(mapping.items(), key=lambda item: -len(item[0])):
        if len(word) > 1 and (text.startswith(word) or word in text):
            return stored
    allowed = "、".join(dict.fromkeys(k for k in mapping if not k.isascii()))
    raise CellError(_("“%(value)s”不是有效的%(label)s，可填：%(allowed)s。") % {
        "value": text[:40], "label": label, "allowed": allowed})
