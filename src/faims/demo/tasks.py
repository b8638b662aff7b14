"""The 2022 policy's quantitative tasks and their monthly progress to September (the demo's as-of date).

Called from programme.load_programme after the targets. Each task's progress follows a smooth curve
to the share done by the end of September given here, so that the ledger shows tasks ahead of the
time of year (75%) and some behind it.
"""
from decimal import ROUND_HALF_UP, Decimal

from faims.targets.choices import TaskUnit
from faims.targets.models import QuantitativeTask, TaskProgress

from .reference import AS_OF, YEAR

# (policy clause, task, quantity, unit, owner department key of reference.DEPARTMENTS, done by September)
TASKS = [
    ("（十一）", "棚户区改造", 13900, TaskUnit.SET, "zjj", "0.81"),
    ("（十一）", "老旧小区改造（小区）", 150, TaskUnit.PIECE, "zjj", "0.68"),
    ("（十一）", "老旧小区改造（面积）", 700, TaskUnit.SQM_WAN, "zjj", "0.71"),
    ("（十一）", "建设筹集保障性租赁住房", 20000, TaskUnit.SET, "zjj", "0.86"),
    ("（十一）", "背街小巷品质改造", 36, TaskUnit.STRIP, "cgj", "0.78"),
    ("（十一）", "新建、新增停车泊位", 15000, TaskUnit.PIECE, "cgj", "0.83"),
    ("（十一）", "新接入智慧停车泊位信息联网", 200000, TaskUnit.PIECE, "cgj", "0.64"),
    ("（十一）", "新改建城市公共厕所", 100, TaskUnit.SEAT, "cgj", "0.77"),
    ("（十一）", "新改建农村公共厕所", 280, TaskUnit.SEAT, "cgj", "0.59"),
    ("（十一）", "打造“席地而坐”示范路段", 20, TaskUnit.PIECE, "szyl", "0.80"),
    ("（十二）", "美丽示范河湖建设", 816, TaskUnit.STRIP, "slj", "0.79"),
    ("（十二）", "太湖生态清淤二轮二期", 150, TaskUnit.CUBIC_WAN, "slj", "0.72"),
    ("（十五）", "新建、改建幼儿园及中小学校", 18, TaskUnit.SCHOOL, "jyj", "0.61"),
    ("（十五）", "新增省、市优质幼儿园", 15, TaskUnit.SCHOOL, "jyj", "0.80"),
    ("（十八）", "打造智能网联道路", 1000, TaskUnit.KM, "gxj", "0.76"),
]
# Units counted in whole things; the others (万平方米, 万立方米, 公里) keep one decimal.
WHOLE = {TaskUnit.SET, TaskUnit.PIECE, TaskUnit.STRIP, TaskUnit.SEAT, TaskUnit.SCHOOL}


def cumulative(quantity: int, done_by_september: Decimal, month: int, unit) -> Decimal:
    """Slow in the first months, as works start after the Spring Festival: share × (month / 9)^1.3."""
    value = Decimal(quantity) * done_by_september * Decimal((month / AS_OF.month) ** 1.3)
    return value.quantize(Decimal("1") if unit in WHOLE else Decimal("0.1"), ROUND_HALF_UP)


def load_tasks(departments: dict, counts) -> None:
    """Create the year's tasks with their progress January to September; adds to `counts` by model."""
    tasks = [
        QuantitativeTask(year=YEAR, clause=clause, name=name, quantity=Decimal(quantity), unit=unit,
                         owner=departments[owner], description=f"2022年政策任务{clause}")
        for clause, name, quantity, unit, owner, _share in TASKS
    ]
    for task in tasks:
        task.full_clean(validate_unique=False, validate_constraints=False)
    tasks = QuantitativeTask.objects.bulk_create(tasks)
    progress = [
        TaskProgress(task=task, month=month, cumulative=cumulative(quantity, Decimal(share), month, unit))
        for task, (_clause, _name, quantity, unit, _owner, share) in zip(tasks, TASKS, strict=True)
        for month in range(1, AS_OF.month + 1)
    ]
    TaskProgress.objects.bulk_create(progress)
    counts[QuantitativeTask._meta.model_name] += len(tasks)
    counts[TaskProgress._meta.model_name] += len(progress)
