from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from faims.assessment import services
from faims.assessment.models import AssessmentFlag, AssessmentIndicator, AssessmentScheme
from faims.assessment.seed import SCHEMES
from faims.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def test_seeded_2022_schemes_weigh_100():
    for spec in SCHEMES:
        scheme = AssessmentScheme.objects.get(kind=spec["kind"], subject=spec["subject"], year=2022)
        assert sum(i.weight for i in scheme.indicators.all()) == 100, scheme
        assert scheme.flags.exists()
    annual = AssessmentScheme.objects.get(kind="annual", subject="region", year=2022)
    keys = set(annual.indicators.values_list("kpi_key", flat=True))
    assert {"target_completion_rate", "filing_rate", "filed_start_rate", "started_investment_rate",
            "production_rate", "capacity_rate", "new_start_rate", "problem_closure_rate"} <= keys


def _errors(exc) -> dict:
    return {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}


def test_indicator_validation_names_the_field(world):
    admin = world.users["admin"]
    scheme = services.save_scheme(AssessmentScheme(name="测试", kind="annual", subject="region", year=2031),
                                  acting_user=admin)
    assert ChangeLog.objects.filter(object_id=scheme.pk).exists()
    cases = [
        ({"kpi_key": "no_such_kpi", "weight": Decimal(10), "goal": Decimal(1)}, "kpi_key", "不在指标口径中"),
        ({"kpi_key": "new_start_rate", "weight": Decimal(0), "goal": Decimal(1)}, "weight", "权重必须大于零"),
        ({"kpi_key": "new_start_rate", "weight": Decimal(10), "goal": None}, "goal", "必须填写目标值"),
        ({"kpi_key": "new_start_rate", "weight": Decimal(10), "goal": Decimal(1), "goal_source": "time_progress"},
         "goal_source", "时序进度"),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.save_indicator(AssessmentIndicator(scheme=scheme, **fields), acting_user=admin)
        assert message in _errors(exc)[field]
    services.save_indicator(AssessmentIndicator(scheme=scheme, kpi_key="new_start_rate", weight=Decimal(10),
                                                goal=Decimal(1)), acting_user=admin)
    with pytest.raises(ValidationError) as exc:
        services.save_indicator(AssessmentIndicator(scheme=scheme, kpi_key="new_start_rate", weight=Decimal(5),
                                                    goal=Decimal(1)), acting_user=admin)
    assert "不能重复" in _errors(exc)["kpi_key"]
    with pytest.raises(ValidationError) as exc:
        services.save_flag(AssessmentFlag(scheme=scheme, kind="reward", label="x", condition="top",
                                          threshold=Decimal("1.5")), acting_user=admin)
    assert "整数" in _errors(exc)["threshold"]
    with pytest.raises(ValidationError) as exc:
        services.save_scheme(AssessmentScheme(name="重复", kind="annual", subject="region", year=2031),
                             acting_user=admin)
    assert "已有同类型" in str(exc.value)


def test_only_the_city_admin_writes(world):
    scheme = AssessmentScheme.objects.get(kind="annual", subject="region", year=2022)
    indicator = scheme.indicators.first()
    indicator.weight = Decimal(1)
    with pytest.raises(PermissionDenied):
        services.save_indicator(indicator, acting_user=world.users["supervisor"])
