"""Large commits run in the job worker while the batch page polls their progress; small ones stay synchronous."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import OrmQ

from faims.core.models import ChangeLog
from faims.imports import plans, services, tasks
from faims.imports.models import BatchStatus, ImportBatch
from faims.projects.models import Project

from .conftest import DATA

SAMPLE = "progress-2022-03-wanyuan.xlsx"


@pytest.fixture
def uploaded(client_for, liangxi):
    """The admin's client and the previewed 30-row project list."""
    client = client_for("admin")
    file = SimpleUploadedFile(SAMPLE, (DATA / SAMPLE).read_bytes())
    client.post(reverse("imports:project_import"), {"file": file, "year": 2022, "region": liangxi.pk,
                                                     "category": "industry", "investment_type": "enterprise"})
    return client, ImportBatch.objects.get()


def test_a_large_commit_is_queued_and_the_page_polls_its_progress(uploaded, liangxi, monkeypatch):
    client, batch = uploaded
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 10)
    monkeypatch.setattr(Conf, "SYNC", False)
    response = client.post(batch.get_absolute_url(), {"warning_note": ""}, HTTP_X_REQUEST_ID="ignored")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED and batch.progress_total == 30
    assert OrmQ.objects.count() == 1
    assert not Project.objects.filter(region=liangxi).exists()
    page = client.get(response.url).content.decode()
    assert "已转入后台导入" in page and 'data-testid="batch-progress"' in page
    assert reverse("imports:batch_progress", args=[batch.pk]) in page and 'hx-trigger="every 1s"' in page
    assert 'data-testid="commit-form"' not in page
    again = client.post(batch.get_absolute_url(), {"warning_note": ""}, follow=True).content.decode()
    assert "该文件正在导入" in again

    poll = client.get(reverse("imports:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert "已写入 0 / 30 行" in poll.content.decode() and "HX-Refresh" not in poll

    assert tasks.commit_batch(batch.pk, "", "request-1") == {
        "new": 30, "updated": 0, "unchanged": 0, "skipped": 0, "invalid": 0}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.progress == 30
    assert Project.objects.filter(region=liangxi).count() == 30
    assert set(ChangeLog.objects.filter(object_repr__startswith="梁溪区").values_list("request_id", flat=True)) == {
        "request-1"}
    poll = client.get(reverse("imports:batch_progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert tasks.commit_batch(batch.pk, "", "request-2") == {}


def test_with_a_synchronous_worker_the_large_commit_is_done_when_the_page_returns(uploaded, liangxi, monkeypatch):
    client, batch = uploaded
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 10)
    monkeypatch.setattr(Conf, "SYNC", True)
    page = client.post(batch.get_absolute_url(), {"warning_note": ""}, follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert "已导入：新增 30 行，修改 0 行。" in page and 'data-testid="batch-progress"' not in page
    assert Project.objects.filter(region=liangxi).count() == 30


def test_a_small_commit_stays_synchronous(uploaded, liangxi, monkeypatch):
    client, batch = uploaded
    monkeypatch.setattr(Conf, "SYNC", False)
    client.post(batch.get_absolute_url(), {"warning_note": ""})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and not OrmQ.objects.exists()


def test_a_failing_background_commit_leaves_the_batch_failed_and_nothing_saved(uploaded, liangxi, monkeypatch):
    client, batch = uploaded
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 10)
    monkeypatch.setattr(Conf, "SYNC", False)
    client.post(batch.get_absolute_url(), {"warning_note": ""})

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        tasks.commit_batch(batch.pk, "", "")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "系统错误" in batch.summary["errors"][0]["message"]
    assert not Project.objects.filter(region=liangxi).exists()
    assert "系统错误" in client.get(batch.get_absolute_url()).content.decode()


def test_progress_inside_the_commit_goes_through_a_connection_of_its_own(uploaded, monkeypatch):
    """So that other requests see the figures before the commit's transaction ends (on PostgreSQL a second
    connection reads 10, 20, 30 of 30 rows as the chunks are written); SQLite, one writer at a time, waits."""
    _client, batch = uploaded
    copies = []
    original = connection.copy

    def copy(*args, **kwargs):
        copies.append(original(*args, **kwargs))
        return copies[-1]

    monkeypatch.setattr(connection, "copy", copy)
    monkeypatch.setattr(plans, "COMMIT_CHUNK", 10)
    plan = services.commit(batch, acting_user=batch.user, progress=services.progress_recorder(batch))
    assert plan.ok
    assert len(copies) == (0 if connection.vendor == "sqlite" else 3)
    batch.refresh_from_db()
    assert (batch.progress, batch.progress_total) == (30, 30)
