"""Versions of the KPI thresholds: the current version is the one with the highest number."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faims.core.permissions import ScopedQuerySet


class KpiDefinitionVersionQuerySet(ScopedQuerySet):
    def current(self):
        return self.order_by("-number").first()


class KpiDefinitionVersion(models.Model):
    number = models.PositiveIntegerField(_("版本号"), unique=True)
    thresholds = models.JSONField(_("阈值"), default=dict)
    note = models.CharField(_("调整原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调整人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = KpiDefinitionVersionQuerySet.as_manager()
    audit_exclude = ("created",)

    class Meta:
        verbose_name = _("指标口径版本")
        verbose_name_plural = pgettext_lazy("plural", "指标口径版本")
        ordering = ["-number"]

    def __str__(self):
        return _("第%(number)s版") % {"number": self.number}


FLAG = {"default": 0}


class FactPeriod(models.Model):
    """A period whose per-project facts are kept in `ProjectPeriodFact` (built by `faims refresh_metrics`, then
    kept current by every write through the services)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    built_at = models.DateTimeField(_("构建时间"))
    # The definition version (number) its `PeriodCell`s were summed under; none while they are not built.
    cube_version = models.PositiveIntegerField(_("汇总口径版本"), null=True, blank=True)

    class Meta:
        verbose_name = _("指标事实期间")
        verbose_name_plural = pgettext_lazy("plural", "指标事实期间")
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="fact_period_unique")]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class ProjectPeriodFact(models.Model):
    """One project's facts at the end of one period: what the KPIs count and sum, without the thresholds
    (those are applied when the KPIs are read, so that a new definition version needs no rebuild).

    Flags are 0/1 small integers so that a count is a plain SUM on both databases.
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    # The project's dimensions (copied, so that grouping by them reads this table alone).
    region_key = models.IntegerField()
    leader_key = models.IntegerField(null=True)
    category = models.CharField(max_length=20)
    total_investment = models.DecimalField(max_digits=16, decimal_places=2)
    # Its annual plan for the year, and its report for the period.
    plan = models.DecimalField(max_digits=16, decimal_places=2)
    start_kind = models.CharField(max_length=20)
    ytd_submitted = models.DecimalField(max_digits=16, decimal_places=2)
    ytd_accepted = models.DecimalField(max_digits=16, decimal_places=2)
    # The report that starts the forecast's run-rate window (`Period.run_rate_from`): its year to date, and whether
    # there is one.
    previous_ytd_submitted = models.DecimalField(max_digits=16, decimal_places=2)
    previous_ytd_accepted = models.DecimalField(max_digits=16, decimal_places=2)
    previous_submitted = models.SmallIntegerField(**FLAG)
    previous_accepted = models.SmallIntegerField(**FLAG)
    started = models.SmallIntegerField(**FLAG)
    in_statistics = models.SmallIntegerField(**FLAG)
    completed = models.SmallIntegerField(**FLAG)
    in_production = models.SmallIntegerField(**FLAG)
    signed = models.SmallIntegerField(**FLAG)
    signed_coded = models.SmallIntegerField(**FLAG)
    filed = models.SmallIntegerField(**FLAG)
    completed_in_year = models.SmallIntegerField(**FLAG)
    completed_producing = models.SmallIntegerField(**FLAG)
    producing_in_year = models.SmallIntegerField(**FLAG)
    producing_capacity = models.SmallIntegerField(**FLAG)
    due = models.SmallIntegerField(**FLAG)
    reported = models.SmallIntegerField(**FLAG)
    reported_late = models.SmallIntegerField(**FLAG)
    warning_red = models.SmallIntegerField(**FLAG)
    warning_yellow = models.SmallIntegerField(**FLAG)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "month", "project"], name="project_fact_unique")]
        indexes = [models.Index(fields=["project", "year", "month"], name="project_fact_project")]

    def __str__(self):
        return f"{self.project_id} · {self.year}-{self.month:02d}"


class PeriodCell(models.Model):
    """The KPIs' aggregates of one period over the projects of one region, category and investment tier.

    What the engine reads for every project at once (the city admin's and the supervisor's views): a few hundred
    cells summed instead of a row a project scanned. Kept by `metrics.cube` from the stored facts, incrementally,
    under the definition version `FactPeriod.cube_version` names. `submitted` and `accepted` map each aggregate
    of the engine to its value, with the reports counted as submitted or as accepted only.
    """

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    region_key = models.IntegerField()
    category = models.CharField(max_length=20)
    tier = models.CharField(max_length=20)
    submitted = models.JSONField(default=dict)
    accepted = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "month", "region_key", "category", "tier"],
                                               name="period_cell_unique")]

    def __str__(self):
        return f"{self.year}-{self.month:02d} {self.region_key} {self.category} {self.tier}"
