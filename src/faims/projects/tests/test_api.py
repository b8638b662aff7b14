"""Projects through the API: the UI's scope, filters, validation and change log."""

from decimal import Decimal

from faims.core.models import ChangeLog
from faims.projects.models import Project


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_lists_are_scoped_filtered_ordered_and_paged(world, api_for):
    admin = api_for("admin")
    assert {row["name"] for row in _results(admin.get("/api/projects/"))} == {"新吴区集成电路项目", "江阴市港口项目"}
    filtered = _results(admin.get("/api/projects/", {"region": world.jiangyin.pk}))
    assert [row["name"] for row in filtered] == ["江阴市港口项目"]
    searched = _results(admin.get("/api/projects/", {"q": "集成电路"}))
    assert [row["code"] for row in searched] == ["2022-320214-39-01-000001"]
    ordered = _results(admin.get("/api/projects/", {"ordering": "-total_investment"}))
    assert [row["name"] for row in ordered][0] == "江阴市港口项目"
    page = admin.get("/api/projects/", {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    xinwu = api_for("xinwu")
    assert [row["name"] for row in _results(xinwu.get("/api/projects/"))] == ["新吴区集成电路项目"]
    assert xinwu.get(f"/api/projects/{world.projects['jiangyin'].pk}/").status_code == 404


def test_create_validates_like_the_form_and_names_the_field(world, api_for):
    admin = api_for("admin")
    response = admin.post("/api/projects/", {"name": "", "total_investment": "很多"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {"name", "region", "total_investment"} <= set(body["errors"])
    assert "：" in body["detail"]
    assert not Project.objects.filter(name="").exists()
    unknown = admin.post("/api/projects/", {"name": "X", "colour": "red"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"colour": ["未知字段。"]}
    not_an_object = admin.post("/api/projects/", ["x"], format="json")
    assert not_an_object.status_code == 400


def test_create_patch_and_delete_are_in_the_change_log(world, api_for):
    admin = api_for("admin")
    body = {
        "name": "新吴区新能源项目",
        "region": world.xinwu.pk,
        "category": "industry",
        "investment_type": "enterprise",
        "total_investment": "80000",
        "status": "preparation",
        "departments": [world.department.pk],
    }
    created = admin.post("/api/projects/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["departments"] == [world.department.pk]
    patched = admin.patch(f"/api/projects/{pk}/", {"total_investment": "90000", "change_reason": "核定"}, format="json")
    assert patched.status_code == 200, patched.content
    assert Project.objects.get(pk=pk).total_investment == Decimal("90000")
    assert Project.objects.get(pk=pk).departments.count() == 1
    log = ChangeLog.objects.filter(object_id=pk, content_type__model="project")
    assert log.count() == 2 and log.filter(reason="核定").exists()
    assert admin.delete(f"/api/projects/{pk}/").status_code == 204
    assert not Project.objects.filter(pk=pk).exists()


def test_a_region_officer_cannot_write_outside_its_region(world, api_for):
    xinwu = api_for("xinwu")
    jiangyin_project = world.projects["jiangyin"]
    assert xinwu.patch(f"/api/projects/{jiangyin_project.pk}/", {"name": "改名"}, format="json").status_code == 404
    assert xinwu.delete(f"/api/projects/{jiangyin_project.pk}/").status_code == 404
    assert Project.objects.get(pk=jiangyin_project.pk).name == "江阴市港口项目"
    unit = api_for("department")
    assert unit.post("/api/libraries/", {"name": "X", "year": 2022}, format="json").status_code == 403


def test_bulk_is_all_or_nothing_with_an_error_per_item(world, api_for):
    admin = api_for("admin")
    good = {"name": "批量项目一", "region": world.xinwu.pk, "category": "industry", "investment_type": "enterprise",
            "total_investment": "1000", "status": "preparation"}
    response = admin.post("/api/projects/bulk/", {"items": [good, {**good, "region": 999999}, "x"]}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"1", "2"} and "region" in errors["1"]
    assert not Project.objects.filter(name="批量项目一").exists()
    # By code: the existing project is updated, the new one created.
    update = {"code": "2022-320214-39-01-000001", "total_investment": "60000"}
    response = admin.post("/api/projects/bulk/", {"items": [good, update]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1 and response.json()["updated"] == 1
    assert world.projects["xinwu"].__class__.objects.get(pk=world.projects["xinwu"].pk).total_investment == 60000
    assert admin.post("/api/projects/bulk/", {"items": []}, format="json").status_code == 400


def test_an_oversized_body_is_refused(world, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_for("admin").post("/api/projects/", {"name": "x" * 5000}, format="json")
    assert response.status_code == 413 and "请求体过大" in response.json()["detail"]


def test_the_schema_and_the_docs_are_served_offline(client):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/projects/" in paths and "/api/projects/bulk/" in paths
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "//cdn" not in docs and "unpkg" not in docs


def test_bulk_items_with_ids_of_the_wrong_type_are_refused_by_item(world, api_for):
    admin = api_for("admin")
    items = [{"id": [1], "name": "x"}, {"id": True, "name": "y"}, {"id": {"a": 1}}, {"code": ["x"], "name": ""}]
    response = admin.post("/api/projects/bulk/", {"items": items}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"0", "1", "2", "3"} and errors["0"] == {"id": ["id 应为整数。"]}
    assert Project.objects.get(pk=world.projects["xinwu"].pk).name == "新吴区集成电路项目"
