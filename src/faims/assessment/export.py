"""The ranking table of an assessment as an Excel workbook: the table, then every indicator's explanation."""
import io

import xlsxwriter
from django.utils.translation import gettext as _

from .choices import Subject


def ranking_header(assessment) -> list[str]:
    subject = Subject(assessment.scheme.subject).label
    return [_("排名"), str(subject), _("总分"),
            *[f"{i.label}（{i.weight.normalize():f}）" for i in assessment.indicators], _("奖惩")]


def ranking_rows(assessment) -> list[list]:
    rows = []
    for s in assessment.subjects:
        rows.append([s.rank or "—", s.label, s.total if s.total is not None else "—",
                     *[(score.points if score.applicable else _("不涉及")) for score in s.scores],
                     "；".join(f"{f.label}（{f.reason}）" for f in s.flags)])
    return rows


def assessment_xlsx(assessment) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    sheets = [
        (_("考核排名"), ranking_header(assessment), ranking_rows(assessment)),
        (_("得分说明"), [str(Subject(assessment.scheme.subject).label), _("指标"), _("实际"), _("目标"), _("得分"),
                     _("权重"), _("说明")],
         [[s.label, score.label, score.value_text, score.goal_label,
           score.points if score.applicable else _("不涉及"), score.weight, score.explanation]
          for s in assessment.subjects for score in s.scores]),
    ]
    for title, header, rows in sheets:
        sheet = workbook.add_worksheet(title)
        sheet.write(0, 0, f"{assessment.scheme.name} · {assessment.period_label}", head)
        for c, text in enumerate(header):
            sheet.write(1, c, text, head)
            sheet.set_column(c, c, 14)
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row):
                if hasattr(value, "as_tuple") or isinstance(value, int | float):
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, str(value))
        sheet.freeze_panes(2, 2)
    workbook.close()
    return buffer.getvalue()
