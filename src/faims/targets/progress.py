"""Where a quantitative task stands: the one computation pages, the KPI engine and bulletins share.

A task is on track when the share of its quantity done by the end of a month is at least the share
of the year gone by then (month / 12): 9 months in, 75% should be done.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATE_PLACES = Decimal("0.0001")


def _rate(numerator, denominator) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class TaskStatus:
    quantity: Decimal
    month: int | None          # the month the figures are as of (None: nothing reported yet)
    actual: Decimal            # cumulative done by the end of `month`
    completion: Decimal        # actual / quantity, a fraction (may exceed 1)
    time_progress: Decimal     # month / 12
    remaining: Decimal         # quantity − actual, never below zero
    gap: Decimal               # completion − time_progress (negative: behind schedule)
    on_track: bool | None      # None when nothing is reported yet


def task_status(quantity, progress, month: int | None = None) -> TaskStatus:
    """The status of a task of `quantity` from its progress rows (objects or (month, cumulative) pairs).

    month: the month to judge at (the KPI engine passes its period); the latest month reported up
    to it supplies the actual. Without a month, the latest month reported is used.
    """
    quantity = Decimal(quantity)
    pairs = sorted(
        (row if isinstance(row, tuple) else (row.month, row.cumulative)) for row in progress
    )
    if month is not None:
        pairs = [pair for pair in pairs if pair[0] <= month]
    if month is None and not pairs:
        zero = Decimal(0)
        return TaskStatus(quantity, None, zero, zero, zero, quantity, zero, None)
    as_of = month if month is not None else pairs[-1][0]
    actual = Decimal(pairs[-1][1]) if pairs else Decimal(0)
    completion = _rate(actual, quantity)
    time_progress = _rate(as_of, 12)
    return TaskStatus(
        quantity=quantity, month=as_of, actual=actual, completion=completion, time_progress=time_progress,
        remaining=max(quantity - actual, Decimal(0)), gap=completion - time_progress,
        on_track=completion >= time_progress,
    )


def status_of(task, month: int | None = None) -> TaskStatus:
    """task_status of a QuantitativeTask from its progress rows (prefetch `progress` for lists)."""
    return task_status(task.quantity, task.progress.all(), month)
