"""A bulletin generated from the page is written by the job worker while its page shows the progress."""

import io

import pytest
from django.urls import reverse
from django_q.conf import Conf
from docx import Document

from faims.bulletins import content, services, tasks
from faims.bulletins.choices import BuildStatus
from faims.bulletins.models import BulletinBuild
from faims.core.models import AuditEvent

REQUEST = {"kind": "monthly", "year": 2022, "month": 6, "format": "docx"}


def test_the_sections_report_their_progress(june):
    steps = []
    bulletin = content.monthly(june.users["admin"], 2022, 6, progress=lambda *step: steps.append(step))
    assert steps[0] == (0, 8, "总体情况")
    assert [done for done, _total, _step in steps] == list(range(9))
    assert steps[-1] == (8, 8, "生成文件")
    assert bulletin.paragraphs[0][0] == "一、总体情况"


def test_a_queued_build_shows_its_progress_until_the_worker_has_written_it(june, client_for, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)
    client = client_for("admin")
    response = client.post(reverse("bulletins:build_start"), REQUEST)
    build = BulletinBuild.objects.get()
    assert response.status_code == 302 and response["Location"] == build.get_absolute_url()
    assert build.status == BuildStatus.QUEUED
    page = client.get(build.get_absolute_url()).content.decode()
    assert "等待生成" in page and 'hx-trigger="every 1s"' in page and "build-download" not in page
    # The worker writes it, storing every step on the way: when the file is rendered, the page reads the last step.
    seen = {}
    render = services.render

    def watch(document, file_format):
        seen.update(BulletinBuild.objects.values("status", "progress", "progress_total", "step").get(pk=build.pk))
        return render(document, file_format)

    monkeypatch.setattr(services, "render", watch)
    assert tasks.build_bulletin(build.pk) == BuildStatus.DONE
    assert seen == {"status": "running", "progress": 8, "progress_total": 9, "step": "生成文件"}
    build.refresh_from_db()
    assert build.progress == build.progress_total == 9 and build.title.startswith("关于2022年1–6月")
    poll = client.get(reverse("bulletins:build_progress", args=[build.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true" and "已生成" in poll.content.decode()
    file = client.get(reverse("bulletins:build_file", args=[build.pk]))
    assert Document(io.BytesIO(file.content)).paragraphs[0].text == build.title
    assert AuditEvent.objects.filter(kind="export", detail__what="bulletin").count() == 1
    # A second run of the task writes nothing again.
    assert tasks.build_bulletin(build.pk) == BuildStatus.DONE


def test_the_progress_page_names_the_running_step(june, client_for):
    build = BulletinBuild.objects.create(
        user=june.users["admin"],
        year=2022,
        month=6,
        file_format="docx",
        status=BuildStatus.RUNNING,
        progress=4,
        progress_total=9,
        step="各地区推进情况",
    )
    page = client_for("admin").get(reverse("bulletins:build_progress", args=[build.pk])).content.decode()
    assert "正在生成：各地区推进情况（第 4 / 9 步）" in page and 'aria-valuenow="4"' in page


def test_with_a_synchronous_worker_the_file_is_ready_when_the_page_returns(june, client_for, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)
    client = client_for("xinwu")
    page = client.post(reverse("bulletins:build_start"), {**REQUEST, "format": "xlsx"}, follow=True).content.decode()
    build = BulletinBuild.objects.get()
    assert build.status == BuildStatus.DONE and "build-download" in page
    assert build.title == "关于2022年1–6月新吴区重大项目推进情况的通报"
    # Another user, even the city admin, does not see it.
    assert client_for("admin").get(build.get_absolute_url()).status_code == 404
    assert client_for("admin").get(reverse("bulletins:build_file", args=[build.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "quarterly", "month": 5}, "季度督查报告的月份须为 3、6、9 或 12 月。"),
        ({"month": 13}, "月份"),
        ({"format": "doc"}, "格式"),
        ({"kind": "weekly"}, "类型"),
    ],
)
def test_a_bad_request_names_the_field_and_queues_nothing(june, client_for, data, message):
    response = client_for("admin").post(reverse("bulletins:build_start"), {**REQUEST, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BulletinBuild.objects.exists()


def test_a_region_outside_the_scope_is_refused_before_queueing(june, client_for):
    response = client_for("xinwu").post(reverse("bulletins:build_start"), {**REQUEST, "region": june.jiangyin.pk})
    assert response.status_code == 403 and "您无权生成该地区的通报" in response.content.decode()
    assert client_for("department").post(reverse("bulletins:build_start"), REQUEST).status_code == 404
    assert not BulletinBuild.objects.exists()


def test_a_failing_build_says_why(june, monkeypatch):
    build = BulletinBuild.objects.create(user=june.users["admin"], year=2022, month=6, file_format="docx")

    def refuse(*args, **kwargs):
        raise ValueError("无法生成")

    monkeypatch.setattr(services, "generate", refuse)
    assert tasks.build_bulletin(build.pk) == BuildStatus.FAILED
    build.refresh_from_db()
    assert build.error == "无法生成" and build.finished_at is not None
