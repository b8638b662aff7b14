"""Building small sheets for the tests."""
import io

from openpyxl import Workbook

from faims.imports import services


def xlsx(rows, title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(user, content, *, kind="reports", name="sheet.xlsx", year=2022, month=6, **options):
    batch = services.create_batch(acting_user=user, kind=kind, file_name=name, content=content, year=year,
                                  month=month if kind == "reports" else None, options=options)
    return batch, services.preview(batch)


def commit(user, content, **kwargs):
    batch, _preview = upload(user, content, **kwargs)
    return batch, services.commit(batch, acting_user=user, warning_note=kwargs.get("note", ""))
