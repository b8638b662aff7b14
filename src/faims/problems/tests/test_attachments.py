import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from faims.problems import services
from faims.problems.choices import ActionKind, Rating
from faims.problems.models import ProblemAttachment

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


def test_photo_and_pdf_are_kept_by_their_content(world, problems):
    problem = problems["xinwu"]
    photo = services.add_attachment(
        problem,
        acting_user=world.users["department"],
        name="C:\\现场\\photo.png",
        content=PNG,
        content_type="text/plain",
    )
    assert photo.name == "photo.png" and photo.content_type == "image/png" and photo.size == len(PNG)
    services.add_attachment(problem, acting_user=world.users["xinwu"], name="批复.pdf", content=PDF)
    assert problem.actions.filter(kind=ActionKind.ATTACH).count() == 2


@pytest.mark.parametrize(
    "name, content", [("a.png", b""), ("a.exe", b"MZ" * 40), ("a.png", b"MZ" * 40), ("a.exe", PNG)]
)
def test_other_files_are_refused(world, problems, name, content):
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(problems["xinwu"], acting_user=world.users["admin"], name=name, content=content)
    assert "content" in exc.value.message_dict
    assert not ProblemAttachment.objects.exists()


def test_size_limit(world, problems, settings):
    settings.FAIMS_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="超过 1 MB"):
        services.add_attachment(
            problems["xinwu"], acting_user=world.users["admin"], name="big.pdf", content=PDF + b"x" * 1024 * 1024
        )


def test_no_attachment_after_closure_and_files_follow_scope(world, problems, client_for):
    problem = problems["xinwu"]
    attachment = services.add_attachment(problem, acting_user=world.users["admin"], name="a.png", content=PNG)
    services.answer_problem(problem, acting_user=world.users["department"], note="完成")
    services.confirm_problem(problem, acting_user=world.users["admin"], rating=Rating.SATISFIED)
    with pytest.raises(ValidationError, match="可执行的操作：无"):
        services.add_attachment(problem, acting_user=world.users["admin"], name="b.png", content=PNG)
    url = reverse("problems:problemattachment", args=[attachment.pk])
    response = client_for("department").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client_for("jiangyin").get(url).status_code == 404
