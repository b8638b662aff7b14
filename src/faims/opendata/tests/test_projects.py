"""The 公开 flag on the project: its form field, its list filter, its rule, its change log."""
from django.test import RequestFactory
from django.urls import reverse

from faims.core.models import ChangeLog
from faims.projects.choices import Category, InvestmentType, LifecycleStatus
from faims.projects.filtersets import ProjectFilterSet
from faims.projects.forms import ProjectForm
from faims.projects.models import Project


def project_post(world, project, **changes):
    data = {
        "code": project.code, "name": project.name, "region": world.xinwu.pk, "unit": world.unit.pk,
        "category": Category.INDUSTRY, "nature": "new", "investment_type": InvestmentType.ENTERPRISE,
        "total_investment": "50000", "status": LifecycleStatus.PREPARATION,
        "departments": [world.department.pk], "leader": world.leader.pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def filtered(world, **params):
    request = RequestFactory().get("/projects/", params)
    request.user = world.users["admin"]
    filterset = ProjectFilterSet(request.GET, queryset=Project.objects.restrict(request.user), request=request)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


def test_the_flag_defaults_to_private(world):
    assert not Project.objects.filter(is_public=True).exists()
    field = Project._meta.get_field("is_public")
    assert str(field.verbose_name) == "公开" and "OC4IDS" in str(field.help_text)


def test_the_form_sets_the_flag_and_logs_the_change(admin_client, world):
    project = world.projects["xinwu"]
    assert "is_public" in ProjectForm(user=world.users["admin"]).fields
    page = admin_client.get(reverse("projects:project_edit", args=[project.pk])).content.decode()
    assert 'name="is_public"' in page
    response = admin_client.post(reverse("projects:project_edit", args=[project.pk]),
                                 project_post(world, project, is_public="on", change_reason="开放数据发布"))
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).is_public
    assert ChangeLog.objects.filter(reason="开放数据发布").exists()
    assert "公开" in admin_client.get(project.get_absolute_url()).content.decode()


def test_a_public_project_needs_a_code(admin_client, world):
    project = world.projects["xinwu"]
    response = admin_client.post(reverse("projects:project_edit", args=[project.pk]),
                                 project_post(world, project, code="", is_public="on"))
    assert response.status_code == 200
    assert "公开的项目须填写投资项目统一代码" in " ".join(response.context["form"].errors["is_public"])
    assert not Project.objects.get(pk=project.pk).is_public


def test_the_list_filter(admin_client, world):
    Project.objects.filter(pk=world.projects["jiangyin"].pk).update(is_public=True)
    assert filtered(world, is_public="true") == {"江阴市港口项目"}
    assert filtered(world, is_public="false") == {"新吴区集成电路项目"}
    response = admin_client.get(reverse("projects:project_list"), {"is_public": "true"})
    assert response.status_code == 200 and 'name="is_public"' in response.content.decode()
