"""Reading .xlsx (python-calamine) and .csv sheets as offices lay them out.

The header row may sit under title rows and a "单位：万元" row, and may span two rows with merged
cells (投资情况 over 总投资 / 2022年计划投资 …). `read_table` finds it, recognises the columns and hands
back the data rows with their Excel row numbers; blank rows and 合计/小计 rows are skipped.
Problems of the whole file raise SheetError with a message the uploader can act on.
"""
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .columns import IGNORED, ColumnSpec, normalise, recognise

HEADER_SEARCH_ROWS = 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
TOTAL_RE = re.compile(r"^(?:.{0,8}(?:合计|小计|总计)(?:\(.*\))?|合\s*计|小\s*计|总\s*计)$")
UNIT_RE = re.compile(r"(?:金额)?单位[:：]?\s*(万元|亿元|元)")


NO_HEADER = gettext_lazy("在前 %(n)s 行中没有找到表头：表头须包含“项目名称”或“项目代码”等列名。")


class SheetError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Column:
    index: int
    header: str
    spec: ColumnSpec
    unit: str | None = None
    year: int | None = None
    month: int | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass
class SheetRow:
    number: int
    cells: list


@dataclass
class Table:
    file_kind: str
    sheet_name: str
    header_first: int
    header_last: int
    columns: dict = field(default_factory=dict)
    unrecognised: list = field(default_factory=list)
    duplicated: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    skipped_totals: list = field(default_factory=list)
    sheet_unit: str | None = None
    # (Excel row, column index) → whether the formula has a cached value.
    formulas: dict = field(default_factory=dict)

    def value(self, row: SheetRow, key: str):
        column = self.columns.get(key)
        if column is None or column.index >= len(row.cells):
            return None
        return row.cells[column.index]


def read_table(content: bytes, file_name: str) -> Table:
    limit = settings.FAIMS_MAX_UPLOAD_MB
    if len(content) > limit * 1024 * 1024:
        raise SheetError(_("文件大小 %(size).1f MB，超过上限 %(limit)s MB，请拆分后分批上传。") % {
            "size": len(content) / 1024 / 1024, "limit": limit})
    if not content:
        raise SheetError(_("文件是空的。"))
    name = (file_name or "").lower()
    if content.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise SheetError(_("文件设置了打开密码，无法读取。请在 Excel 中取消密码"
                               "（文件→信息→保护工作簿）后重新上传。"))
        raise SheetError(_("这是旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中“另存为” .xlsx 格式后重新上传。"))
    if name.endswith(".xls"):
        raise SheetError(_("不支持 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后重新上传。"))
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    if name.endswith(".xlsx"):
        raise SheetError(_("文件已损坏或不是有效的 .xlsx 文件，请用 Excel 打开检查后重新保存。"))
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return _read_csv(content)
    raise SheetError(_("无法识别的文件格式，请上传 .xlsx 或 .csv 文件。"))


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets = [
            (meta.name, workbook.get_sheet_by_name(meta.name))
            for meta in workbook.sheets_metadata
            if meta.visible == python_calamine.SheetVisibleEnum.Visible
            and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        grids = [(name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [])
                 for name, sheet in sheets]
    except python_calamine.PasswordError as exc:
        raise SheetError(_("文件设置了打开密码，无法读取。请取消密码后重新上传。")) from exc
    except Exception as exc:  # calamine reports corrupt archives and XML in several exception types
        raise SheetError(_("文件已损坏或不是有效的 .xlsx 文件，请用 Excel 打开检查后重新保存。")) from exc
    for sheet_name, grid, merges in grids:
        table = _find_table(grid, merges, file_kind="xlsx", sheet_name=sheet_name)
        if table is not None:
            table.formulas = _formulas(content, sheet_name)
            return table
    raise SheetError(NO_HEADER % {"n": HEADER_SEARCH_ROWS})


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SheetError(_("无法识别 CSV 文件的文字编码，请以 UTF-8 或 GB18030（GBK）编码保存。")) from exc


def _read_csv(content: bytes) -> Table:
    try:
        text = _decode(content)
    except UnicodeDecodeError as exc:
        raise SheetError(_("CSV 文件含有无法识别的字符，请以 UTF-8 编码重新保存。")) from exc
    if "\x00" in text:
        raise SheetError(_("文件已损坏或不是文本格式的 CSV 文件。"))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";"], key=first_line.count)
    grid = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    table = _find_table(grid, [], file_kind="csv", sheet_name="")
    if table is None:
        raise SheetError(NO_HEADER % {"n": HEADER_SEARCH_ROWS})
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_grid(grid, merges):
    """The top rows as text, every cell of a merged range holding the range's text."""
    top = [[_text(v) for v in row] for row in grid[:HEADER_SEARCH_ROWS + 1]]
    for (r1, c1), (r2, c2) in merges:
        if r1 >= len(top):
            continue
        value = top[r1][c1] if c1 < len(top[r1]) else ""
        for r in range(r1, min(r2, len(top) - 1) + 1):
            row = top[r]
            if len(row) <= c2:
                row.extend([""] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                row[c] = value
    return top


def _recognised(texts) -> dict:
    found = {}
    for index, text in enumerate(texts):
        spec, _match = recognise(normalise(text)[0]) if text else (None, None)
        if spec is not None:
            found[index] = spec
    return found


def _is_header(found: dict) -> bool:
    keys = {spec.key for spec in found.values()}
    return bool(keys & {"name", "code"}) and len(keys) >= 2


def _find_table(grid, merges, *, file_kind, sheet_name) -> Table | None:
    top = _header_grid(grid, merges)
    for r, texts in enumerate(top[:HEADER_SEARCH_ROWS]):
        found = _recognised(texts)
        if not _is_header(found):
            continue
        lower = top[r + 1] if r + 1 < len(top) else []
        lower_found = _recognised(lower)
        raw_next = grid[r + 1] if r + 1 < len(grid) else []
        two_rows = any(
            index >= len(texts) or texts[index] != lower[index] for index in lower_found
        ) and not any(isinstance(v, int | float) and not isinstance(v, bool) for v in raw_next)
        table = Table(file_kind=file_kind, sheet_name=sheet_name, header_first=r + 1,
                      header_last=r + 2 if two_rows else r + 1)
        table.sheet_unit = _sheet_unit(top[:r])
        width = max(len(texts), len(lower) if two_rows else 0)
        for index in range(width):
            upper_text = texts[index] if index < len(texts) else ""
            lower_text = lower[index] if two_rows and index < len(lower) else ""
            _add_column(table, index, upper_text, lower_text)
        for number, row in enumerate(grid[table.header_last:], start=table.header_last + 1):
            if not any(_text(v) for v in row):
                continue
            first = next((_text(v) for v in row if _text(v)), "")
            if TOTAL_RE.match(re.sub(r"\s+", "", first).translate({0xFF08: "(", 0xFF09: ")"})):
                table.skipped_totals.append(number)
                continue
            table.rows.append(SheetRow(number, list(row)))
        return table
    return None


def _sheet_unit(rows) -> str | None:
    for texts in rows:
        for text in texts:
            match = UNIT_RE.search(text.replace(" ", ""))
            if match:
                return match.group(1)
    return None


def _add_column(table: Table, index: int, upper: str, lower: str) -> None:
    """Recognise one column from its header cell(s): the lower row, both rows joined, or the upper row."""
    candidates = [lower, upper + lower, upper] if lower and lower != upper else [upper]
    shown = f"{upper}/{lower}" if lower and lower != upper and upper else (lower or upper)
    if not shown:
        return
    for text in candidates:
        if not text:
            continue
        base, unit = normalise(text)
        spec, match = recognise(base)
        if spec is None:
            continue
        # A unit named on the group cell above (投资情况（亿元）) holds for the columns below it.
        unit = unit or (normalise(upper)[1] if upper else None)
        groups = match.groupdict()
        year = groups.get("year") or groups.get("year2")
        column = Column(index=index, header=shown, spec=spec, unit=unit,
                        year=int(year) if year else None,
                        month=int(groups["month"]) if groups.get("month") else None)
        if spec.kind != IGNORED and spec.key in table.columns:
            table.duplicated.append(column)
        elif spec.kind != IGNORED:
            table.columns[spec.key] = column
        return
    table.unrecognised.append((column_letter(index), shown))


_SHEET_RE = re.compile(r"<(?:\w+:)?sheet\b[^>]*?>")
_ATTR_RE = re.compile(r'([\w:]+)="([^"]*)"')
_CELL_RE = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_RE = re.compile(r"([A-Z]+)(\d+)")


def _formulas(content: bytes, sheet_name: str) -> dict:
    """Cells of the sheet holding a formula, and whether Excel stored its computed value."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8")
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            rel_id = None
            for tag in _SHEET_RE.findall(workbook):
                attrs = dict(_ATTR_RE.findall(tag))
                if attrs.get("name") == sheet_name.replace("&", "&amp;"):
                    rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
            target = None
            for tag in re.findall(r"<Relationship\b[^>]*?>", rels):
                attrs = dict(_ATTR_RE.findall(tag))
                if attrs.get("Id") == rel_id:
                    target = attrs.get("Target", "")
            if not target:
                return {}
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            xml = archive.read(path).decode("utf-8")
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return {}
    if "<f" not in xml and ":f" not in xml:
        return {}
    found = {}
    for match in _CELL_RE.finditer(xml):
        body = match.group(2) or ""
        if not re.search(r"<(?:\w+:)?f\b", body):
            continue
        ref = dict(_ATTR_RE.findall(match.group(1))).get("r", "")
        ref_match = _REF_RE.fullmatch(ref)
        if not ref_match:
            continue
        letters, row = ref_match.groups()
        index = 0
        for char in letters:
            index = index * 26 + ord(char) - 64
        has_value = bool(re.search(r"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>", body))
        found[(int(row), index - 1)] = has_value
    return found
