from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .permissions import ADD, VIEW, can


def _menu():
    """(label, url name, model[, action]) of the main menu; an entry shows when the user may take the
    action (view unless named) on the model."""
    from faims.alerts.models import ProjectWarning
    from faims.assessment.models import AssessmentScheme
    from faims.bulletins.models import Bulletin
    from faims.core.models import AuditEvent, ChangeLog
    from faims.org.models import Department, Organisation, Person, Region, User
    from faims.problems.models import Meeting, Problem, Visit
    from faims.projects.models import AnnualPlan, Library, Membership, NodePlan, Project
    from faims.reporting.models import MonthlyReport, ReportingPeriod
    from faims.targets.models import QuantitativeTask, Target

    return [
        (_("项目管理"), [
            (_("全市总览"), "dashboard:overview", Project),
            (_("项目库总览"), "projects:project_list", Project),
            (_("项目库"), "projects:library_list", Library),
            (_("入库记录"), "projects:membership_list", Membership),
            (_("年度计划"), "projects:annualplan_list", AnnualPlan),
            (_("节点计划"), "projects:nodeplan_list", NodePlan),
            (_("逐项逐月节点计划"), "projects:node_monthly", NodePlan),
            (_("目标任务"), "targets:target_list", Target),
            (_("量化任务"), "targets:quantitativetask_list", QuantitativeTask),
            (_("项目预警"), "alerts:projectwarning_list", ProjectWarning),
            (_("问题清单"), "problems:problem_list", Problem),
            (_("走访记录"), "problems:visit_list", Visit),
            (_("记录走访"), "problems:visit_add", Visit, ADD),
            (_("走访履职情况"), "problems:visit_compliance", Visit),
            (_("会议"), "problems:meeting_list", Meeting),
            (_("通报"), "bulletins:bulletin_list", Bulletin),
            (_("考核"), "assessment:ranking", AssessmentScheme),
            (_("导入项目清单"), "imports:project_import", Project, ADD),
        ]),
        (_("月度报送"), [
            (_("我的待报项目"), "reporting:my_due", MonthlyReport, ADD),
            (_("填报月度报送"), "reporting:monthlyreport_add", MonthlyReport, ADD),
            (_("导入进度表"), "imports:report_import", MonthlyReport, ADD),
            (_("下载报送模板"), "imports:report_template", MonthlyReport, ADD),
            (_("月度报送"), "reporting:monthlyreport_list", MonthlyReport),
            (_("导出进展情况表"), "imports:progress_export", Project),
            (_("报送期"), "reporting:reportingperiod_list", ReportingPeriod),
            (_("校验规则"), "reporting:rules", ReportingPeriod),
        ]),
        (_("基础数据"), [
            (_("地区"), "org:region_list", Region),
            (_("部门"), "org:department_list", Department),
            (_("项目单位"), "org:organisation_list", Organisation),
            (_("人员"), "org:person_list", Person),
            (_("用户"), "org:user_list", User),
            (_("指标口径"), "metrics:definitions", Project),
            (_("变更记录"), "core:changelog_list", ChangeLog),
            (_("审计事件"), "core:auditevent_list", AuditEvent),
        ]),
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"faims_site_name": settings.FAIMS_SITE_NAME}
    menu = []
    for group, entries in _menu():
        items = []
        for label, name, model, *action in entries:
            if can(user, model, action[0] if action else VIEW):
                try:
                    items.append((label, reverse(name)))
                except NoReverseMatch:  # an app whose pages are not built yet has no URL
                    continue
        if items:
            menu.append((group, items))
    return {"faims_site_name": settings.FAIMS_SITE_NAME, "main_menu": menu, "inbox_unread": _unread_count(user)}


def _unread_count(user):
    """The navbar badge: one COUNT, and only on pages that show it (not on exports or partials)."""
    from faims.core.models import Notification

    return SimpleLazyObject(lambda: Notification.objects.restrict(user, VIEW).filter(read_at__isnull=True).count())
