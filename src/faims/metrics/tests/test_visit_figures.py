"""Visit compliance as KPIs, by hand: 张市长 (新吴's project) and 李市长 (江阴's port) are the linked leaders;
王专员 serves 江阴's port."""
import datetime as dt
from fractions import Fraction

from faims.metrics.engine import evaluate
from faims.problems.choices import VisitKind
from faims.problems.models import Visit
from faims.projects.models import Project

KEYS = ["leader_visit_compliance_rate", "commissioner_visit_compliance_rate"]


def visit(world, person, kind, day, project):
    made = Visit.objects.create(kind=kind, person=person, date=day, findings="现场查看",
                                created_by=world.users["admin"])
    made.projects.set([project])


def test_visit_compliance_by_hand(world):
    # 张市长 visited in May (Q2): compliant for June; 李市长 only in March (Q1): not in Q2.
    visit(world, world.leader, VisitKind.LEADER, dt.date(2022, 5, 12), world.projects["xinwu"])
    other = world.projects["jiangyin"].leader
    visit(world, other, VisitKind.LEADER, dt.date(2022, 3, 3), world.projects["jiangyin"])
    # 王专员 visited in June.
    visit(world, world.commissioner, VisitKind.COMMISSIONER, dt.date(2022, 6, 20), world.projects["jiangyin"])
    result = evaluate(Project.objects.all(), 2022, 6, keys=KEYS, by="region")
    assert result.total.values == {"leader_visit_compliance_rate": Fraction(1, 2),
                                   "commissioner_visit_compliance_rate": Fraction(1)}
    rows = {row.label: row.values for row in result.rows}
    assert rows["新吴区"] == {"leader_visit_compliance_rate": Fraction(1), "commissioner_visit_compliance_rate": None}
    assert rows["江阴市"] == {"leader_visit_compliance_rate": Fraction(0),
                           "commissioner_visit_compliance_rate": Fraction(1)}
    # In March: 李市长 has visited in Q1, 张市长 not yet; 王专员 made no visit in March.
    march = evaluate(Project.objects.all(), 2022, 3, keys=KEYS).total.values
    assert march == {"leader_visit_compliance_rate": Fraction(1, 2), "commissioner_visit_compliance_rate": Fraction(0)}
    # By leader: each leader's own projects.
    leaders = evaluate(Project.objects.all(), 2022, 6, keys=KEYS[:1], by="leader")
    assert {row.label: row.values[KEYS[0]] for row in leaders.rows} == {"张市长": Fraction(1), "李市长": Fraction(0)}


def test_the_month_s_leader_visits_counted_once_each(world):
    """A visit to both projects counts once in the total and once in each region; earlier months do not count."""
    both = Visit.objects.create(kind=VisitKind.LEADER, person=world.leader, date=dt.date(2022, 6, 2),
                                findings="现场查看", created_by=world.users["admin"])
    both.projects.set([world.projects["xinwu"], world.projects["jiangyin"]])
    other = world.projects["jiangyin"].leader
    visit(world, other, VisitKind.LEADER, dt.date(2022, 6, 28), world.projects["jiangyin"])
    visit(world, other, VisitKind.LEADER, dt.date(2022, 5, 28), world.projects["jiangyin"])
    visit(world, world.commissioner, VisitKind.COMMISSIONER, dt.date(2022, 6, 20), world.projects["jiangyin"])
    keys = ["leader_visit_count", "leader_visitor_count"]
    result = evaluate(Project.objects.all(), 2022, 6, keys=keys, by="region")
    assert result.total.values == {"leader_visit_count": 2, "leader_visitor_count": 2}
    rows = {row.label: row.values for row in result.rows}
    assert rows["新吴区"] == {"leader_visit_count": 1, "leader_visitor_count": 1}
    assert rows["江阴市"] == {"leader_visit_count": 2, "leader_visitor_count": 2}
    xinwu = Project.objects.filter(region=world.xinwu)
    assert evaluate(xinwu, 2022, 6, keys=keys).total.values == {"leader_visit_count": 1, "leader_visitor_count": 1}
    assert evaluate(Project.objects.all(), 2022, 5, keys=keys).total.values == {
        "leader_visit_count": 1, "leader_visitor_count": 1}
