"""A problem's whole life through the browser, each step by its own role, and the leader's printable briefing pack.

Raised by the project unit, assigned (交办) by the region officer, answered (反馈) by the lead
department (another department gets a 404), escalated by the daily job onto a meeting's agenda,
confirmed (销号) by the raiser; an answer after closure is refused, naming the steps still possible.
"""

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from faims.core.testing import PASSWORD, make_user
from faims.org.choices import Role
from faims.problems import services
from faims.problems.choices import ProblemStatus
from faims.problems.models import EscalationLevel, Problem

from .conftest import log_in

pytestmark = pytest.mark.browser

PROJECT = "新吴区集成电路项目"
TITLE = "用地指标未落实"
# Display names, so that the timeline shows who acted (not only the usernames).
NAMES = {"unit": "周建设", "xinwu": "陈区发改", "department": "刘规划"}


def status_of(page):
    return page.get_by_test_id("problem-status")


def open_step(page, step):
    """Unfolds a step's <details> on the problem page and returns its form."""
    page.locator(f"details[data-step={step}] > summary").click()
    form = page.get_by_test_id(f"form-{step}")
    expect(form).to_be_visible()
    return form


def test_a_problem_from_raising_to_closure(world, new_page):
    for key, name in NAMES.items():
        user = world.users[key]
        user.full_name = name
        user.save(update_fields=["full_name"])
    make_user("transport", Role.DEPARTMENT_OFFICER, department=world.other_department)
    unit, officer, department, transport, admin = (new_page() for _ in range(5))
    for page, username in (
        (unit, "unit"),
        (officer, "xinwu"),
        (department, "department"),
        (transport, "transport"),
        (admin, "admin"),
    ):
        log_in(page, username, PASSWORD)
    project = world.projects["xinwu"]

    # 1. The project unit raises the problem on its project from the raise page.
    unit.goto(f"/problems/add/?project={project.pk}")
    assert unit.locator("select[name=project]").input_value() == str(project.pk)
    unit.select_option("select[name=category]", "land")
    unit.fill("input[name=title]", TITLE)
    unit.fill("textarea[name=description]", "二期厂房用地指标尚未下达，影响开工。")
    with unit.expect_navigation():
        unit.get_by_test_id("raise-submit").click()
    assert re.search(r"/problems/\d+/$", unit.url), unit.url
    problem_url = urlsplit(unit.url).path
    expect(status_of(unit)).to_have_text("待交办")
    expect(unit.get_by_test_id("problem-fields")).to_contain_text("用地")
    expect(unit.get_by_test_id("problem-fields")).to_contain_text(NAMES["unit"])
    expect(unit.get_by_test_id("timeline")).to_contain_text(NAMES["unit"])
    expect(unit.get_by_test_id("timeline")).to_contain_text("提出")
    # The raiser cannot assign its own problem.
    expect(unit.get_by_test_id("form-assign")).to_have_count(0)
    problem = Problem.objects.get(title=TITLE)

    # 2. The region officer assigns it to the lead department with a deadline ahead.
    deadline = timezone.localdate() + dt.timedelta(days=10)
    officer.goto(problem_url)
    form = open_step(officer, "assign")
    assert form.locator("select[name=assign-lead_department]").input_value() == str(world.department.pk)
    form.locator("input[name=assign-deadline]").fill(deadline.isoformat())
    form.locator("textarea[name=assign-note]").fill("请市自然资源规划局牵头协调用地指标。")
    with officer.expect_navigation():
        officer.get_by_test_id("submit-assign").click()
    expect(status_of(officer)).to_have_text("已交办")
    expect(officer.get_by_test_id("problem-fields")).to_contain_text(world.department.name)
    expect(officer.get_by_test_id("problem-fields")).to_contain_text(deadline.isoformat())
    assign_entry = officer.get_by_test_id("timeline").locator("li", has_text="交办")
    expect(assign_entry).to_contain_text(NAMES["xinwu"])
    expect(assign_entry).to_contain_text("请市自然资源规划局牵头协调用地指标。")

    # 3. The lead department's officer finds it in its list; another department's officer does not.
    department.goto("/problems/")
    with department.expect_navigation():
        department.get_by_role("link", name=TITLE).click()
    assert department.url.endswith(problem_url)
    transport.goto("/problems/")
    expect(transport.get_by_role("link", name=TITLE)).to_have_count(0)
    response = transport.goto(problem_url)
    assert response.status == 404
    # The department answers.
    form = open_step(department, "answer")
    form.locator("textarea[name=answer-note]").fill("已列入下批次用地计划，预计下月下达。")
    with department.expect_navigation():
        department.get_by_test_id("submit-answer").click()
    expect(status_of(department)).to_have_text("已反馈")
    answer_entry = department.get_by_test_id("timeline").locator("li", has_text="已列入下批次用地计划")
    expect(answer_entry).to_contain_text(NAMES["department"])
    expect(answer_entry).to_contain_text("反馈")

    # 4. The deadline passes unanswered to the raiser's satisfaction: the daily job escalates it.
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("escalate_problems", stdout=out)
    assert "已升级 1 个问题" in out.getvalue()
    level = EscalationLevel.objects.get(order=1)
    officer.reload()
    expect(officer.get_by_test_id("problem-level")).to_have_text(f"已升级至第1级：{level.name}")
    expect(officer.get_by_test_id("problem-overdue")).to_be_visible()
    expect(officer.get_by_test_id("timeline").locator("li", has_text="升级")).to_contain_text("系统")
    # The city admin records the level's meeting; its agenda lists the problem.
    admin.goto("/problems/meetings/add/")
    admin.select_option("select[name=kind]", "coordination")
    admin.fill("input[name=date]", timezone.localdate().isoformat())
    admin.fill("input[name=title]", "市重大项目双专班专题会议")
    admin.select_option("select[name=chair]", str(world.leader.pk))
    admin.select_option("select[name=level]", str(level.pk))
    with admin.expect_navigation():
        admin.get_by_test_id("meeting-submit").click()
    assert re.search(r"/problems/meetings/\d+/$", admin.url), admin.url
    expect(admin.get_by_test_id("meeting-fields")).to_contain_text(level.name)
    agenda = admin.get_by_test_id("agenda-problems")
    expect(agenda).to_contain_text(TITLE)
    expect(agenda).to_contain_text(PROJECT)

    # The department's page, still open, offers the answer form (the unit will close the problem first).
    department.reload()
    expect(department.get_by_test_id("form-answer")).to_have_count(1)

    # 5. The raiser confirms with a rating: 已销号.
    unit.reload()
    open_step(unit, "confirm")
    unit.check("input[name=confirm-rating][value=satisfied]")
    with unit.expect_navigation():
        unit.get_by_test_id("submit-confirm").click()
    expect(status_of(unit)).to_have_text("已销号")
    expect(unit.get_by_test_id("problem-fields")).to_contain_text("满意")
    expect(unit.get_by_test_id("timeline").locator("li", has_text="确认销号")).to_contain_text(NAMES["unit"])
    expect(unit.get_by_test_id("step-forms")).to_have_count(0)
    # A closed problem leaves the agenda.
    admin.reload()
    expect(admin.get_by_test_id("agenda-problems")).not_to_contain_text(TITLE)

    # An answer from the stale page is refused, naming what may be done now.
    form = open_step(department, "answer")
    form.locator("textarea[name=answer-note]").fill("补充：指标已下达。")
    with department.expect_navigation() as navigation:
        department.get_by_test_id("submit-answer").click()
    assert navigation.value.status == 400
    refused = department.get_by_test_id("refused")
    expect(refused).to_contain_text("当前状态不能执行“反馈”")
    expect(refused).to_contain_text("当前状态为“已销号”，可执行的操作：无")
    expect(status_of(department)).to_have_text("已销号")
    # Reloaded, the page no longer offers the answer form.
    department.goto(problem_url)
    expect(department.get_by_test_id("form-answer")).to_have_count(0)
    expect(department.get_by_test_id("allowed-steps")).to_have_text("当前状态为“已销号”，可执行的操作：无")
    # The service refuses in the same words.
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.rating == "satisfied"
    with pytest.raises(ValidationError) as refusal:
        services.answer_problem(problem, acting_user=world.users["department"], note="再次反馈")
    assert refusal.value.messages == ["当前状态不能执行“反馈”；当前状态为“已销号”，可执行的操作：无"]


def test_the_leader_briefing_pack_prints_on_a4(world, page):
    leader = world.leader
    log_in(page, "admin", PASSWORD)
    response = page.goto(f"/problems/leaders/{leader.pk}/briefing/")
    assert response.status == 200
    expect(page.get_by_test_id("briefing")).to_contain_text(leader.name)
    projects = page.get_by_test_id("briefing-projects")
    expect(projects).to_contain_text(PROJECT)
    expect(projects).not_to_contain_text("江阴市港口项目")  # another leader's project
    expect(page.locator("nav.navbar")).to_be_visible()

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 3, f"the briefing pack prints on {pages} A4 pages"

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.get_by_test_id("briefing-projects")).to_be_visible()
