import datetime as dt
import functools
import http.server
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from faims.projects.choices import LifecycleStatus, NodeKind
from faims.projects.models import NodePlan, Project
from faims.reporting.choices import ReportStatus
from faims.reporting.testing import make_report

SCHEMA_DIR = Path(__file__).parent / "data" / "oc4ids-0.9.5"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def validate():
    """validate(package) → the validator's findings that must be empty: schema errors, values outside closed
    codelists, conformance and additional checks. libcoveoc4ids reads the schema and codelists over HTTP, so
    the local copy is served on loopback."""
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SCHEMA_DIR)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = LibCoveOC4IDSConfig({"schema_host": base, "schema_codelists": {"0.9": f"{base}codelists/"}})

    def run(package: dict) -> dict:
        result = oc4ids_json_output(json_data=package, lib_cove_oc4ids_config=config)
        return {
            "validation_errors": result["validation_errors"],
            "additional_closed_codelist_values": result["additional_closed_codelist_values"],
            "conformance_checks": result["conformance_checks"],
            "additional_checks": result["additional_checks"],
        }

    yield run
    server.shutdown()
    server.server_close()


@pytest.fixture
def published(world):
    """The world with xinwu's project public (started, two nodes, accepted reports for May and June) and
    jiangyin's not."""
    xinwu = world.projects["xinwu"]
    Project.objects.filter(pk=xinwu.pk).update(
        is_public=True, status=LifecycleStatus.CONSTRUCTION, actual_start_date=dt.date(2022, 3, 1),
        planned_start_date=dt.date(2022, 2, 20),
        planned_completion_date=dt.date(2024, 12, 31), longitude=Decimal("120.351000"),
        latitude=Decimal("31.490000"), location="新吴区新华路5号", scale="12英寸集成电路生产线。",
    )
    NodePlan.objects.create(project=xinwu, kind=NodeKind.START, planned_date=dt.date(2022, 2, 20),
                            actual_date=dt.date(2022, 3, 1))
    NodePlan.objects.create(project=xinwu, kind=NodeKind.TOPPING_OUT, planned_date=dt.date(2023, 6, 30))
    NodePlan.objects.create(project=xinwu, kind=NodeKind.EIA, planned_date=dt.date(2021, 12, 1))
    make_report(xinwu, month=5, status=ReportStatus.ACCEPTED, ytd_investment=Decimal("5000"),
                progress_text="主体结构施工。")
    make_report(xinwu, month=6, status=ReportStatus.ACCEPTED, ytd_investment=Decimal("6000"),
                progress_text="主体结构完成60%。", problems_text="用地指标未落实", warning_note="内部说明")
    make_report(world.projects["jiangyin"], status=ReportStatus.ACCEPTED, ytd_investment=Decimal("3000"),
                progress_text="码头桩基施工。")
    world.projects["xinwu"].refresh_from_db()
    return world
