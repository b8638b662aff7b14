import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from faims.core.models import ChangeLog
from faims.core.permissions import ADD, VIEW, can
from faims.core.testing import VISIBLE_PROJECTS
from faims.problems import services
from faims.problems.choices import Source, VisitKind
from faims.problems.models import Problem, Visit, VisitPhoto

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20
PROBLEM = {"category": "land", "title": "码头岸线审批慢", "description": "岸线使用审批尚未批复。"}


def visit_by(world, key, project, day=dt.date(2022, 5, 10), **extra):
    return services.record_visit(
        acting_user=world.users[key], date=day, projects=[world.projects[project]], findings="现场施工正常。", **extra
    )


@pytest.fixture
def visits(world):
    leader = visit_by(world, "leader", "xinwu")
    commissioner = visit_by(
        world,
        "commissioner",
        "jiangyin",
        problems=[{"project": world.projects["jiangyin"], **PROBLEM}],
        photos=[("现场.png", PNG)],
    )
    other = services.record_visit(
        acting_user=world.users["admin"],
        date=dt.date(2022, 8, 1),
        projects=[world.projects["jiangyin"]],
        findings="港区调研。",
        person=world.projects["jiangyin"].leader,
        kind=VisitKind.LEADER,
    )
    return {"leader": leader, "commissioner": commissioner, "other": other}


def test_a_commissioner_records_its_visit_with_a_problem_and_a_photo(world, visits):
    visit = visits["commissioner"]
    assert visit.kind == VisitKind.COMMISSIONER and visit.person == world.commissioner
    problem = Problem.objects.get(visit=visit)
    assert problem.source == Source.VISIT and problem.raised_by == world.users["commissioner"]
    assert visit.photos.get().content_type == "image/png"
    assert ChangeLog.objects.filter(object_id=str(visit.pk), content_type__model="visit").exists()


def test_a_leader_records_its_own_kind_and_may_raise_problems(world):
    visit = visit_by(world, "leader", "xinwu", problems=[{"project": world.projects["xinwu"], **PROBLEM}])
    assert visit.kind == VisitKind.LEADER and visit.person == world.leader
    assert visit.problems.get().source == Source.VISIT


def test_refusals(world):
    with pytest.raises(ValidationError) as exc:
        visit_by(world, "commissioner", "xinwu")  # not a project it serves
    assert "projects" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        visit_by(world, "commissioner", "jiangyin", day=dt.date.today() + dt.timedelta(days=2))
    assert "date" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:  # a problem on a project the visit did not cover
        services.record_visit(
            acting_user=world.users["admin"],
            date=dt.date(2022, 1, 5),
            projects=[world.projects["jiangyin"]],
            findings="x",
            person=world.commissioner,
            kind=VisitKind.COMMISSIONER,
            problems=[{"project": world.projects["xinwu"], **PROBLEM}],
        )
    assert "project" in exc.value.error_dict
    with pytest.raises(ValidationError):
        visit_by(world, "commissioner", "jiangyin", photos=[("x.pdf", b"%PDF-1.4\n" + b"0" * 20)])
    for key in ("xinwu", "department", "unit", "supervisor"):
        with pytest.raises(PermissionDenied):
            visit_by(world, key, "xinwu")
    with pytest.raises(ValidationError) as exc:
        services.record_visit(
            acting_user=world.users["admin"],
            date=dt.date(2022, 1, 5),
            projects=[world.projects["xinwu"]],
            findings="x",
            person=world.commissioner,
            kind=VisitKind.LEADER,
        )
    assert "person" in exc.value.error_dict
    assert not Visit.objects.exists() and not Problem.objects.exists()


@pytest.mark.parametrize(
    "role, seen",
    [
        ("admin", {"leader", "commissioner", "other"}),
        ("supervisor", {"leader", "commissioner", "other"}),
        ("xinwu", {"leader"}),
        ("jiangyin", {"commissioner", "other"}),
        ("leader", {"leader"}),
        ("commissioner", {"commissioner"}),
        ("department", set()),
        ("unit", set()),
    ],
)
def test_scope(world, visits, role, seen):
    user = world.users[role]
    assert set(Visit.objects.restrict(user, VIEW)) == {visits[key] for key in seen}
    photos = VisitPhoto.objects.restrict(user, VIEW)
    assert photos.exists() == ("commissioner" in seen)
    assert can(user, Visit, ADD) == (role in {"admin", "leader", "commissioner"})


def test_compliance(world, visits):
    visit_by(world, "leader", "xinwu", day=dt.date(2022, 6, 30))
    q2 = {row.person.name: row for row in services.visit_compliance(VisitKind.LEADER, 2022, 2)}
    assert q2["张市长"].done == 2 and q2["张市长"].compliant and q2["张市长"].projects == 1
    assert q2["李市长"].done == 0 and not q2["李市长"].compliant
    q3 = {row.person.name: row for row in services.visit_compliance(VisitKind.LEADER, 2022, 3)}
    assert q3["李市长"].compliant and not q3["张市长"].compliant
    may = services.visit_compliance(VisitKind.COMMISSIONER, 2022, 5)
    assert [(r.person, r.done, r.compliant) for r in may] == [(world.commissioner, 1, True)]
    june = services.visit_compliance(VisitKind.COMMISSIONER, 2022, 6)
    assert [(r.done, r.compliant) for r in june] == [(0, False)]
    # Scoped: a leader sees only itself.
    mine = services.visit_compliance(VisitKind.LEADER, 2022, 2, user=world.users["leader"])
    assert [r.person for r in mine] == [world.leader]
    assert services.period_dates("quarter", 2022, 4) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    assert services.period_dates("month", 2022, 2) == (dt.date(2022, 2, 1), dt.date(2022, 2, 28))


def test_pages(world, visits, client_for):
    client = client_for("commissioner")
    listing = client.get(reverse("problems:visit_list")).content.decode()
    assert "现场施工正常" in listing
    page = client.get(visits["commissioner"].get_absolute_url())
    assert page.status_code == 200 and "码头岸线审批慢" in page.content.decode()
    photo = visits["commissioner"].photos.get()
    assert client.get(reverse("problems:visitphoto", args=[photo.pk])).status_code == 200
    assert client.get(visits["leader"].get_absolute_url()).status_code == 404
    compliance = client.get(reverse("problems:visit_compliance", args=["commissioner"]), {"year": 2022, "period": 5})
    assert compliance.status_code == 200 and "王专员" in compliance.content.decode()
    assert client.get(reverse("problems:visit_compliance")).status_code == 200
    assert client_for("unit").get(reverse("problems:visit_list")).status_code == 404
    assert client_for("unit").get(reverse("problems:visit_add")).status_code == 403


def test_the_form_records_a_visit_with_a_problem(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("commissioner")
    assert client.get(reverse("problems:visit_add")).status_code == 200
    project = world.projects["jiangyin"]
    data = {
        "date": "2022-07-05",
        "projects": [project.pk],
        "findings": "供电线路迁改滞后。",
        "problem_project": project.pk,
        "problem_title": "供电线路迁改",
    }
    response = client.post(reverse("problems:visit_add"), data)
    assert response.status_code == 200 and "请填写问题描述" in response.content.decode()
    data.update(
        problem_category="utilities",
        problem_description="需市供电公司协调。",
        photos=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG)],
    )
    response = client.post(reverse("problems:visit_add"), data)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == visit.get_absolute_url()
    assert visit.photos.count() == 2 and visit.problems.get().title == "供电线路迁改"


def test_admin_records_for_anyone(world, client_for):
    client = client_for("admin")
    response = client.post(
        reverse("problems:visit_add"),
        {
            "kind": "leader",
            "person": world.leader.pk,
            "date": "2022-03-01",
            "projects": [world.projects["xinwu"].pk],
            "findings": "调研。",
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get().person == world.leader


def test_export_equals_list(world, visits, client_for):
    client = client_for("jiangyin")
    export = client.get(reverse("problems:visit_list"), {"export": "xlsx", "q": "港区"})
    assert export.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    assert sheet.max_row - 1 == 1


def test_all_roles_list(world, visits, client_for):
    for role in VISIBLE_PROJECTS:
        response = client_for(role).get(reverse("problems:visit_list"))
        assert response.status_code == (200 if role not in {"department", "unit"} else 404)


def test_compliance_by_region_and_department(world, visits):
    rows = services.visit_compliance(VisitKind.LEADER, 2022, 2)
    by_region = {g.label: (g.people, g.compliant) for g in services.compliance_by(rows, "region")}
    assert by_region == {"新吴区": (1, 1), "江阴市": (1, 0)}
    by_department = services.compliance_by(rows, "department")
    assert [(g.people, g.compliant, g.rate) for g in by_department] == [(2, 1, Fraction(1, 2))]
    # A region officer's summary holds its own region only.
    mine = services.visit_compliance(VisitKind.LEADER, 2022, 2, user=world.users["xinwu"])
    assert [g.label for g in services.compliance_by(mine, "region")] == ["新吴区"]


def test_compliance_page_shows_the_summaries(world, visits, client_for):
    page = client_for("admin").get(reverse("problems:visit_compliance", args=["leader"]), {"year": 2022, "period": 2})
    text = page.content.decode()
    assert 'data-testid="compliance-by-region"' in text and "新吴区" in text and "50" in text


def test_more_problems_raised_from_the_visit_page(world, visits, client_for):
    client = client_for("commissioner")
    visit = visits["commissioner"]
    assert 'data-testid="raise-from-visit"' in client.get(visit.get_absolute_url()).content.decode()
    form = client.get(reverse("problems:problem_add"), {"visit": visit.pk}).content.decode()
    assert f'name="visit" value="{visit.pk}"' in form and 'name="source"' not in form
    response = client.post(
        reverse("problems:problem_add"),
        {
            "visit": visit.pk,
            "project": world.projects["jiangyin"].pk,
            "category": "funding",
            "title": "融资难",
            "description": "企业融资成本偏高。",
        },
    )
    problem = Problem.objects.get(title="融资难")
    assert response.status_code == 302 and problem.visit == visit and problem.source == Source.VISIT
    # Another's visit is not found.
    assert client.get(reverse("problems:problem_add"), {"visit": visits["other"].pk}).status_code == 404
    with pytest.raises(ValidationError):
        services.raise_problem(
            acting_user=world.users["commissioner"],
            project=world.projects["jiangyin"],
            visit=visits["other"],
            **PROBLEM,
        )
