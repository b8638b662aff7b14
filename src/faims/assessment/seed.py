"""The 2022 schemes of Wuxi's programme (policy (二十六), 附件三(二)): what the data migration stores.

Each indicator: (kpi key, weight, method, goal source, goal); each measure: (kind, label, condition, N or X).
The weights of a scheme sum to 100.
"""
from decimal import Decimal as D

YEAR = 2022
REWARD_TOP = ("reward", "优先推荐先进激励、要素指标倾斜", "top", D(3))
EXPLAIN_BOTTOM = ("penalty", "书面说明情况、相应扣分", "bottom", D(2))
RECOVER = ("penalty", "相关要素指标予以收回", "below", D(60))
POSTPONE = ("penalty", "土地出让予以暂缓", "below", D(60))

SCHEMES = [
    {
        "name": "2022年度各地区重大项目建设考核", "kind": "annual", "subject": "region",
        "notes": "年终由市重大办对各地区目标任务和“五率”完成情况进行考核（附件三（二））。",
        "indicators": [
            ("target_completion_rate", D(30), "higher", "fixed", D(1)),
            ("completion_rate", D(10), "higher", "fixed", D(1)),
            ("new_start_rate", D(15), "higher", "target", D(1)),
            ("filing_rate", D(5), "higher", "fixed", D(1)),
            ("filed_start_rate", D(5), "higher", "fixed", D("0.9")),
            ("started_investment_rate", D(5), "higher", "fixed", D(1)),
            ("production_rate", D(5), "higher", "fixed", D("0.9")),
            ("capacity_rate", D(5), "higher", "fixed", D("0.8")),
            ("problem_closure_rate", D(10), "higher", "fixed", D("0.9")),
            ("on_time_report_rate", D(5), "higher", "fixed", D(1)),
            ("stats_entry_rate", D(5), "higher", "fixed", D(1)),
        ],
        "flags": [REWARD_TOP, EXPLAIN_BOTTOM, RECOVER, POSTPONE],
    },
    {
        "name": "2022年度市有关部门重大项目服务保障考核", "kind": "annual", "subject": "department",
        "notes": "年终考核各责任部门的问题办理和所牵头项目的开工情况。",
        "indicators": [
            ("problem_closure_rate", D(35), "higher", "fixed", D("0.95")),
            ("problem_feedback_rate", D(25), "higher", "fixed", D("0.95")),
            ("problem_overdue_count", D(20), "lower", "fixed", D(2)),
            ("new_start_rate", D(20), "higher", "fixed", D(1)),
        ],
        "flags": [("reward", "优先推荐先进激励", "top", D(3)), EXPLAIN_BOTTOM],
    },
    {
        "name": "2022年各地区重大项目季度督查", "kind": "quarterly", "subject": "region",
        "notes": "每季度由市委市政府督查室对开工、投资完成和问题办理情况进行督查（（二十六））。",
        "indicators": [
            ("new_start_rate", D(30), "higher", "target", D("0.75")),
            ("completion_rate", D(30), "higher", "time_progress", None),
            ("problem_closure_rate", D(20), "higher", "fixed", D("0.8")),
            ("on_time_report_rate", D(10), "higher", "fixed", D(1)),
            ("stats_entry_rate", D(10), "higher", "fixed", D(1)),
        ],
        "flags": [("reward", "通报表扬", "top", D(3)), ("penalty", "通报批评、书面说明情况", "bottom", D(2))],
    },
    {
        "name": "2022年市有关部门问题办理季度督查", "kind": "quarterly", "subject": "department",
        "notes": "每季度督查各责任部门交办问题的反馈和办结情况。",
        "indicators": [
            ("problem_closure_rate", D(40), "higher", "fixed", D("0.8")),
            ("problem_feedback_rate", D(40), "higher", "fixed", D("0.9")),
            ("problem_overdue_count", D(20), "lower", "fixed", D(2)),
        ],
        "flags": [("reward", "通报表扬", "top", D(3)), ("penalty", "通报批评、限期整改", "bottom", D(2))],
    },
]


def seed(scheme_model, indicator_model, flag_model) -> None:
    """Store the schemes (skipping any already there), with the models given (a migration's historical ones)."""
    for spec in SCHEMES:
        scheme, created = scheme_model.objects.get_or_create(
            kind=spec["kind"], subject=spec["subject"], year=YEAR,
            defaults={"name": spec["name"], "notes": spec["notes"], "active": True})
        if not created:
            continue
        for order, (key, weight, method, source, goal) in enumerate(spec["indicators"], 1):
            indicator_model.objects.create(scheme=scheme, kpi_key=key, weight=weight, method=method,
                                           goal_source=source, goal=goal, sort_order=order)
        for order, (kind, label, condition, threshold) in enumerate(spec["flags"], 1):
            flag_model.objects.create(scheme=scheme, kind=kind, label=label, condition=condition,
                                      threshold=threshold, sort_order=order)
