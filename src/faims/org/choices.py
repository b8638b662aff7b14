from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市重大办管理员")
    REGION_OFFICER = "region_officer", _("地区经办人")
    DEPARTMENT_OFFICER = "department_officer", _("部门经办人")
    PROJECT_UNIT = "project_unit", _("项目单位")
    LEADER = "leader", _("挂钩市领导")
    COMMISSIONER = "commissioner", _("政府服务专员")
    SUPERVISOR = "supervisor", _("督查室")


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    COUNTY_CITY = "county_city", _("县级市")
    DISTRICT = "district", _("区")
    FUNCTIONAL = "functional", _("功能区")


class DepartmentKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合部门")
    INDUSTRY = "industry", _("行业主管部门")
    APPROVAL = "approval", _("审批服务部门")
    STATE_ENTERPRISE = "state_enterprise", _("市属国企")
    UTILITY = "utility", _("公用事业单位")
    GOVERNMENT = "government", _("地方政府")
    OTHER = "other", _("其他")
