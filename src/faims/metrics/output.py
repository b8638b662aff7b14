"""Results as JSON, as text and as a workbook; rounding happens here and nowhere earlier."""
import io
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook

from faims.core.formatting import format_rate, format_wan

from .registry import REGISTRY


def as_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def json_value(value):
    """Money as a number of 万元, rates as fractions (floats), None as null."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def display(key: str, value) -> str:
    """A value as users read it: 万元 with separators, rates in percent to one decimal, points for gaps."""
    if value is None:
        return "—"
    unit = REGISTRY[key].unit
    if unit == "rate":
        return format_rate(as_decimal(value))
    if unit == "points":
        return format_rate(as_decimal(value)).rstrip("%")
    if unit == "wanyuan":
        return format_wan(value)
    return str(value)


def to_json(result) -> dict:
    def row(values):
        return {key: json_value(values[key]) for key in result.keys}

    if result.by is None:
        return {"version": result.version.number, "period": result.period.label, **row(result.total.values)}
    return {
        "version": result.version.number, "period": result.period.label, "by": result.by,
        "groups": [{"key": json_value(r.key), "label": r.label, **row(r.values)} for r in result.rows],
        "total": row(result.total.values),
    }


def _rows(result):
    return [*result.rows, result.total] if result.by else [result.total]


def to_table(result) -> str:
    header = ["指标", *(row.label for row in _rows(result))]
    lines = [header]
    for key in result.keys:
        lines.append([str(REGISTRY[key].label), *(display(key, row.values[key]) for row in _rows(result))])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    title = f"{result.period.year}年{result.period.month}月  指标口径第{result.version.number}版"
    body = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines]
    return "\n".join([title, *body])


def to_xlsx(result) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{result.period.label}"
    sheet.append([f"{result.period.year}年{result.period.month}月 指标（口径第{result.version.number}版）"])
    sheet.append(["指标", "单位", *(row.label for row in _rows(result))])
    for key in result.keys:
        definition = REGISTRY[key]
        cells = []
        for row in _rows(result):
            value = json_value(row.values[key])
            cells.append(value)
        sheet.append([str(definition.label), str(definition.unit_label), *cells])
        if definition.unit in ("rate", "points"):
            for cell in sheet[sheet.max_row][2:]:
                cell.number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
