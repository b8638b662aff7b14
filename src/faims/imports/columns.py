"""The columns FAIMS recognises in the sheets offices already use, by their common names and variants.

Header text is normalised first (whitespace removed, full-width brackets and dashes made half-width,
a unit such as "(亿元)" taken out), then matched whole against the patterns below, in order.
"""
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TEXT, MONEY, DATE, CHOICE, PERCENT, IGNORED = "text", "money", "date", "choice", "percent", "ignored"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    kind: str
    patterns: tuple[str, ...]

    def matches(self, text: str) -> re.Match | None:
        for pattern in self.patterns:
            match = re.fullmatch(pattern, text)
            if match:
                return match
        return None


YEAR = r"(?:(?P<year>\d{4})年(?:度)?)?"
SPECS = [
    ColumnSpec("seq", _("序号"), IGNORED, (r"序号", r"序", r"编号")),
    ColumnSpec("system_id", _("系统编号"), TEXT, (r"系统编号",)),
    # Reference columns of the template (last month's figures) are read by nobody.
    ColumnSpec("previous", _("上月数据"), IGNORED, (r"上月.*", r"上期.*")),
    ColumnSpec("code", _("项目代码"), TEXT, (
        r"(?:投资)?项目(?:统一)?代码", r"(?:投资项目)?统一(?:项目)?代码", r"项目(?:编码|赋码|备案码)", r"备案(?:代)?码",
    )),
    ColumnSpec("name", _("项目名称"), TEXT, (r"项目名称", r"名称", r"项目")),
    ColumnSpec("unit_code", _("统一社会信用代码"), TEXT, (r"(?:建设单位|项目单位)?(?:统一社会)?信用代码",)),
    ColumnSpec("unit", _("项目单位"), TEXT, (
        r"建设单位", r"项目单位", r"业主单位", r"实施单位", r"项目业主", r"项目法人(?:单位)?", r"建设主体", r"申报单位",
        r"(?:建设|项目)单位名称",
    )),
    ColumnSpec("start_kind", _("建设性质"), CHOICE, (
        r"建设性质", r"新建/?续建", r"新开工/?续建", r"新开工或续建", r"项目性质", r"(?:计划)?新开工/续建",
    )),
    ColumnSpec("total", _("总投资"), MONEY, (r"(?:项目|计划)?总投资(?:额|规模)?",)),
    ColumnSpec("plan", _("年度计划投资"), MONEY, (
        YEAR + r"(?:年度)?计划(?:完成)?投资(?:额)?", YEAR + r"年度计划", YEAR + r"(?:年度)?投资计划",
        r"本年(?:度)?计划(?:投资)?", r"年计划(?:投资)?", r"(?P<year2>\d{4})年计划",
    )),
    ColumnSpec("ytd", _("本年完成投资"), MONEY, (
        YEAR + r"1-(?P<month>\d{1,2})月(?:份)?(?:累计)?完成(?:投资)?(?:额)?",
        r"本年(?:度)?(?:累计)?完成(?:投资)?(?:额)?", r"年度累计完成(?:投资)?", r"今年以来(?:累计)?完成(?:投资)?",
        r"年初至今(?:累计)?完成(?:投资)?",
    )),
    ColumnSpec("month", _("本月完成投资"), MONEY, (
        r"(?:本|当)月完成(?:投资)?(?:额)?", r"(?P<month>\d{1,2})月(?:份)?(?:当月)?完成(?:投资)?(?:额)?",
    )),
    ColumnSpec("cumulative", _("累计完成投资"), MONEY, (
        r"(?:自开(?:始|工)(?:建设)?(?:以来)?|开工以来|建设以来|项目)?累计完成(?:投资)?(?:额)?",
        r"(?:自开(?:始|工)(?:建设)?(?:以来)?|开工以来|建设以来)完成(?:投资)?(?:额)?",
    )),
    ColumnSpec("start_date", _("开工时间"), DATE, (
        r"(?:实际)?开工(?:时间|日期)", r"开工(?:时间|日期)\(实际\)",
    )),
    ColumnSpec("planned_start", _("计划开工时间"), DATE, (r"(?:计划|预计)开工(?:时间|日期)",)),
    ColumnSpec("planned_completion", _("计划竣工时间"), DATE, (r"(?:计划|预计)竣工(?:时间|日期)",)),
    ColumnSpec("start_status", _("开工情况"), CHOICE, (r"开工情况", r"是否开工", r"开工状态")),
    ColumnSpec("stats_status", _("入库申报情况"), CHOICE, (
        r"(?:统计)?入库(?:申报)?(?:情况|状态)", r"纳统(?:情况|状态)", r"入统(?:情况|状态)", r"是否(?:入库|纳统)",
    )),
    ColumnSpec("stats_date", _("入库日期"), DATE, (r"入库(?:申报)?(?:日期|时间)", r"纳统(?:日期|时间)")),
    ColumnSpec("construction_status", _("建设状态"), CHOICE, (r"建设状态", r"项目状态", r"建设阶段")),
    ColumnSpec("production_status", _("投产情况"), CHOICE, (r"投产(?:情况|状态)", r"是否投产")),
    ColumnSpec("capacity", _("达产率"), PERCENT, (r"达产率", r"产能达效(?:率|情况)", r"达产情况")),
    ColumnSpec("progress", _("形象进度"), TEXT, (
        r"(?:工程|目前)?形象进度", r"(?:项目)?(?:进展|推进)情况", r"(?:工程|建设)进度", r"进展",
    )),
    ColumnSpec("problems", _("存在问题"), TEXT, (
        r"存在(?:的)?(?:主要)?(?:问题|困难)(?:(?:和|及|与)(?:问题|困难|建议))?", r"(?:需)?协调解决(?:的)?问题", r"问题",
        r"问题(?:和|及)困难",
    )),
    ColumnSpec("status_change_reason", _("状态变化说明"), TEXT, (r"状态变化(?:说明|原因)",)),
    ColumnSpec("department", _("责任单位"), TEXT, (
        r"责任(?:单位|部门)", r"牵头(?:单位|部门)", r"主管部门", r"责任处室",
    )),
    ColumnSpec("region", _("所在地区"), TEXT, (
        r"(?:所在|所属)?(?:地区|区域|板块|县区|辖区|区县)", r"市\(县\)区", r"属地", r"所在地",
    )),
    ColumnSpec("leader", _("挂钩领导"), TEXT, (r"挂钩(?:市)?领导", r"挂钩市领导")),
    ColumnSpec("scale", _("建设内容"), TEXT, (
        r"(?:主要)?建设(?:内容|规模)(?:(?:及|和|与)?(?:规模|内容))?", r"项目(?:建设)?内容(?:及规模)?",
    )),
    ColumnSpec("location", _("建设地点"), TEXT, (r"建设地(?:点|址)", r"项目(?:地址|地点)")),
    ColumnSpec("category", _("项目类别"), CHOICE, (r"项目(?:类别|类型|分类)", r"类别", r"项目领域")),
    ColumnSpec("investment_type", _("投资类型"), CHOICE, (r"投资(?:类型|主体类型|性质)",)),
    ColumnSpec("completion_rate", _("完成率"), IGNORED, (r"(?:年度计划)?完成率", r"(?:计划)?完成比例")),
    ColumnSpec("remarks", _("备注"), IGNORED, (r"备注", r"说明")),
]
BY_KEY = {spec.key: spec for spec in SPECS}

# The columns each import reads; other recognised columns are shown as "不导入".
PROJECT_KEYS = frozenset({
    "code", "name", "unit", "unit_code", "start_kind", "total", "plan", "start_date", "planned_start",
    "planned_completion", "department", "region", "leader", "scale", "location", "category", "investment_type",
})
REPORT_KEYS = frozenset({
    "system_id", "code", "name", "ytd", "month", "cumulative", "start_date", "start_status", "stats_status",
    "stats_date", "construction_status", "production_status", "capacity", "progress", "problems",
    "status_change_reason",
})

_WIDTH = str.maketrans({
    "（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")", "：": ":", "／": "/", "，": ",",
    "－": "-", "—": "-", "–": "-", "~": "-", "～": "-", "〜": "-", "、": "/",
})
_UNIT_RE = re.compile(r"\((?:单位:?)?(万元|亿元|元|%)\)")
_UNIT_SUFFIX_RE = re.compile(r"(?<=投资)(?:\(?(万元|亿元)\)?)$")


def normalise(text) -> tuple[str, str | None]:
    """(header text without spaces, brackets made half-width and its unit taken out; the unit or None)."""
    text = re.sub(r"\s+", "", str(text or "")).translate(_WIDTH)
    text = re.sub(r"(\d)至(\d)", r"\1-\2", text)
    unit = None
    match = _UNIT_RE.search(text) or _UNIT_SUFFIX_RE.search(text)
    if match:
        unit = match.group(1)
        text = (text[: match.start()] + text[match.end():])
    # 1-3月 is written 1~3月, 1至3月, 1—3月 …; the translation above made them all 1-3月.
    text = re.sub(r"-+", "-", text)
    return text.strip("*:"), unit


def recognise(text: str):
    """(spec, regex match) of the first column spec matching the normalised header text, or (None, None)."""
    for spec in SPECS:
        match = spec.matches(text)
        if match:
            return spec, match
    return None, None
