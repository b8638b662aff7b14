from pathlib import Path

import pytest

from faims.org.choices import RegionLevel
from faims.org.models import Region

DATA = Path(__file__).parent / "data"


@pytest.fixture
def liangxi(world):
    return Region.objects.create(code="320213", name="梁溪区", level=RegionLevel.DISTRICT, parent=world.city)


@pytest.fixture
def sample():
    """The bytes of a sample sheet in tests/data."""
    return lambda name: (DATA / name).read_bytes()
