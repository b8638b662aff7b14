"""Money and rates as offices write them: 万元 with thousands separators, 亿元 to one decimal."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

WAN_PER_YI = Decimal(10_000)


def format_wan(value) -> str:
    """13911787.00 → "13,911,787"; keeps the hundredths only where they are not zero."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def to_yi(value) -> Decimal | None:
    return None if value is None else (Decimal(value) / WAN_PER_YI).quantize(Decimal("0.1"), ROUND_HALF_UP)


def format_yi(value) -> str:
    """万元 → 亿元 to one decimal, rounded half up (13911787 → "1391.2")."""
    return "—" if value is None else f"{to_yi(value):,}"


def format_rate(value) -> str:
    """A fraction as a percent with one decimal, rounded half up; None is "—" (no value)."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        # Exact: the percent to one decimal of numerator / denominator, rounded half up.
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
