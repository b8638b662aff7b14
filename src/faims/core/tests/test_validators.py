import pytest
from django.core.exceptions import ValidationError

from faims.core.formatting import format_rate, format_wan, format_yi
from faims.core.testing import credit_code
from faims.core.validators import project_code_region, validate_credit_code, validate_project_code


@pytest.mark.parametrize("code", ["2022-320214-39-01-123456", "2019-320281-48-01-000001"])
def test_valid_project_codes(code):
    validate_project_code(code)


@pytest.mark.parametrize("code", ["2022-32021-39-01-123456", "2022320214390112345", "1800-320214-39-01-123456",
                                  "2022-320214-39-01-12345a", ""])
def test_invalid_project_codes(code):
    with pytest.raises(ValidationError):
        validate_project_code(code)


def test_project_code_region_is_the_only_part_parsed():
    assert project_code_region("2022-320214-39-01-123456") == "320214"
    assert project_code_region("nonsense") is None


def test_credit_code_check_character():
    validate_credit_code("91350100M000100Y43")  # a published example of GB 32100-2015
    validate_credit_code(credit_code(7))
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError, match="18 位"):
        validate_credit_code("91350100M000100Y4")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100YO3")


def test_money_and_rates_are_written_as_offices_write_them():
    assert format_wan(13911787) == "13,911,787"
    assert format_wan("1234.50") == "1,234.50"
    assert format_yi(13911787) == "1,391.2"
    assert format_yi(973000) == "97.3"
    assert format_rate("0.4275") == "42.8%"
    assert format_rate(None) == "—"
