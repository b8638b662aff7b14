"""What an import would do: every row's change (field before → after) and every error by row and column.

A plan is built in memory from the sheet and a handful of bulk queries (no query per row); the
commit re-builds it from the stored file and, only when it has no error, applies its rows through
the services' batch functions (`save_reports`, `save_projects` …) in one transaction. Each row
also keeps `apply`, the same change through the one-object services (`save_report` …): the
reference the batch path is tested against.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faims.core.formatting import format_wan
from faims.core.services import BatchError

from . import values
from .columns import BY_KEY, CHOICE, DATE, MONEY, PERCENT
from .sheets import Column, SheetRow, Table

NEW, UPDATED, UNCHANGED, SKIPPED, INVALID = "new", "updated", "unchanged", "skipped", "invalid"
STATUS_LABELS = {
    NEW: gettext_lazy("新增"), UPDATED: gettext_lazy("修改"), UNCHANGED: gettext_lazy("无变化"),
    SKIPPED: gettext_lazy("跳过"), INVALID: gettext_lazy("有错误"),
}
# The batch keeps this many rows of the preview; the counts always cover every row.
SUMMARY_ROWS = 2000
# Rows per call of the batch services at commit time: bounds memory and statement sizes, and is
# the step in which a long commit reports its progress.
COMMIT_CHUNK = 1000


@dataclass
class Issue:
    message: str
    row: int | None = None
    column: str = ""
    header: str = ""

    @property
    def where(self) -> str:
        parts = []
        if self.row:
            parts.append(_("第%(row)s行") % {"row": self.row})
        if self.column:
            parts.append(f"{self.column}列（{self.header}）" if self.header else f"{self.column}列")
        return " ".join(parts)

    def __str__(self):
        return f"{self.where}：{self.message}" if self.where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message,
                "where": self.where}


@dataclass
class RowPlan:
    row: int
    name: str
    code: str = ""
    status: str = UNCHANGED
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    apply: object = None
    # What the batch commit writes for this row (the planner's own structure); None: nothing.
    target: object = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def change(self, label, before, after) -> None:
        self.changes.append((str(label), display(before), display(after)))

    def as_dict(self) -> dict:
        return {"row": self.row, "name": self.name, "code": self.code, "status": self.status,
                "status_label": self.status_label, "changes": self.changes, "notes": self.notes}


def display(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return f"{format_wan(value)}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    return str(value)


class Plan:
    def __init__(self, kind: str, file_name: str):
        self.kind = kind
        self.file_name = file_name
        self.rows: list[RowPlan] = []
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.notices: list[str] = []
        self.columns: list[dict] = []
        self.sheet = ""
        # The planner's batch commit: apply_rows(rows, warning_note=, progress=) → [(row number, error)].
        self.apply_rows = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict:
        counts = {status: 0 for status in STATUS_LABELS}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def changed(self) -> int:
        counts = self.counts()
        return counts[NEW] + counts[UPDATED]

    def error(self, message, row: int | None = None, column: Column | None = None) -> None:
        self.errors.append(Issue(str(message), row, column.letter if column else "", column.header if column else ""))

    def warning(self, message, row: int | None = None, column: Column | None = None) -> None:
        self.warnings.append(Issue(str(message), row, column.letter if column else "",
                                   column.header if column else ""))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "file_name": self.file_name, "sheet": self.sheet, "counts": self.counts(),
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
            "notices": self.notices, "columns": self.columns,
            "rows": [r.as_dict() for r in self.rows[:SUMMARY_ROWS]], "row_total": len(self.rows),
        }

    def as_text(self) -> str:
        """The preview as the command line prints it: the same content as the web page."""
        counts = self.counts()
        lines = [_("文件：%(file)s%(sheet)s") % {
            "file": self.file_name, "sheet": f"（工作表“{self.sheet}”）" if self.sheet else ""}]
        if self.columns:
            lines.append(_("识别的列：") + "；".join(
                f"{c['letter']}列“{c['header']}”→{c['label']}" for c in self.columns))
        lines.extend(self.notices)
        lines.append("，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items()))
        for row in self.rows:
            if row.status in (NEW, UPDATED, SKIPPED) or row.notes:
                head = f"  {_('第%(row)s行') % {'row': row.row}} [{row.status_label}] {row.name}"
                lines.append(head + (f"（{row.code}）" if row.code else ""))
                lines.extend(f"      {label}：{before} → {after}" for label, before, after in row.changes)
                lines.extend(f"      {note}" for note in row.notes)
        if self.warnings:
            lines.append(_("预警 %(n)s 条：") % {"n": len(self.warnings)})
            lines.extend(f"  {w}" for w in self.warnings)
        if self.errors:
            lines.append(_("错误 %(n)s 条（未导入任何数据）：") % {"n": len(self.errors)})
            lines.extend(f"  {e}" for e in self.errors)
        elif not self.changed:
            lines.append(_("无变化：表中数据与系统中一致。"))
        return "\n".join(lines)


def apply_in_chunks(rows, write, progress=None) -> list:
    """Commit the rows that change something through `write(chunk)`, chunk by chunk.

    `write` raises core.services.BatchError keyed by positions in the chunk; every chunk is
    written even after a failing one, so that the result names every failing row, as
    (row number, error) pairs. progress(done, total) follows each chunk.
    """
    todo = [row for row in rows if row.target is not None]
    failures = []
    for start in range(0, len(todo), COMMIT_CHUNK):
        part = todo[start:start + COMMIT_CHUNK]
        try:
            write(part)
        except BatchError as exc:
            failures += [(part[i].row, error) for i, error in exc.errors.items()]
        if progress is not None:
            progress(start + len(part), len(todo))
    return failures


class Planner:
    """Reading one row's cells as typed values, collecting each bad cell as an error of its own."""

    keys: frozenset = frozenset()

    def __init__(self, table: Table, plan: Plan):
        self.table = table
        self.plan = plan
        self.row_errors = 0
        plan.sheet = table.sheet_name
        for key, column in table.columns.items():
            plan.columns.append({"letter": column.letter, "header": column.header, "label": str(column.spec.label),
                                 "used": key in self.keys})
        for column in table.duplicated:
            if column.key in self.keys:
                first = table.columns[column.key]
                plan.error(_("与 %(first)s列“%(header)s”重复，都被识别为“%(label)s”；请删除或改名其中一列。") % {
                    "first": first.letter, "header": first.header, "label": column.spec.label}, None, column)
        ignored = [f"{c['letter']}列“{c['header']}”" for c in plan.columns if not c["used"]]
        ignored += [f"{letter}列“{header}”" for letter, header in table.unrecognised]
        if ignored:
            plan.notices.append(_("以下列不导入：%(cols)s。") % {"cols": "、".join(ignored)})
        if table.skipped_totals:
            plan.notices.append(_("已跳过合计/小计行：第%(rows)s行。") % {
                "rows": "、".join(str(n) for n in table.skipped_totals)})
        unit = table.sheet_unit
        if unit:
            plan.notices.append(_("金额单位：%(unit)s（表头上方注明）。") % {"unit": unit})

    def column(self, key) -> Column | None:
        return self.table.columns.get(key)

    def has(self, key) -> bool:
        return key in self.table.columns

    def read(self, row: SheetRow, key: str, mapping: dict | None = None, errors: list | None = None):
        """The typed value of the row's cell in column `key` (None when blank or absent)."""
        column = self.table.columns.get(key)
        if column is None or column.index >= len(row.cells):
            return None
        raw = row.cells[column.index]
        formula = self.table.formulas.get((row.number, column.index))
        ref = f"{column.letter}{row.number}"
        if formula is not None:
            message = (_("单元格 %(ref)s 是公式，请复制后“选择性粘贴→数值”再上传。") if formula
                       else _("单元格 %(ref)s 是公式且没有计算结果，请在 Excel 中重新计算并粘贴为数值后再上传。"))
            self._cell_error(row, column, message % {"ref": ref}, errors)
            return None
        kind = column.spec.kind
        try:
            if kind == MONEY:
                return values.to_money(raw, column.unit or self.table.sheet_unit)
            if kind == DATE:
                return values.to_date(raw)
            if kind == PERCENT:
                return values.to_percent(raw)
            if kind == CHOICE and mapping is not None:
                return values.to_choice(raw, mapping, str(column.spec.label))
            text = values.to_text(raw)
            if not text:
                return None
            # "无" under 存在问题 says there is none; elsewhere a mark like "—" means the cell is empty.
            return text if key in ("progress", "problems") or not values.is_blank(text) else None
        except values.CellError as exc:
            self._cell_error(row, column, str(exc), errors)
            return None

    def _cell_error(self, row, column, message, errors) -> None:
        self.plan.error(message, row.number, column)
        if errors is not None:
            errors.append(message)

    def spec_label(self, key) -> str:
        return str(BY_KEY[key].label)
