"""The organisation through the API: regions, departments, project units, people and users.

The same forms, services and scope as the org pages: reference data is read by every signed-in user and written by
the city admin; users exist for the city admin alone (anyone else is answered 404, as on the pages), are written
through `save_user` (passwords validated and hashed, never returned) and cannot be written in bulk, because each
change of a user's role or scope is a permission change with its own audit event.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from faims.api.bodies import form_fields
from faims.api.resources import ResourceViewSet, model_serializer
from faims.core.choices import AuditKind
from faims.core.models import AuditEvent
from faims.core.permissions import VIEW

from . import services
from .filtersets import DepartmentFilterSet, OrganisationFilterSet, PersonFilterSet, RegionFilterSet, UserFilterSet
from .forms import DepartmentForm, OrganisationForm, PersonForm, RegionForm, UserForm
from .models import Department, Organisation, Person, Region, User


class RegionViewSet(ResourceViewSet):
    """地区：the city, its districts and their zones."""

    model, form_class, filterset_class = Region, RegionForm, RegionFilterSet
    serializer_class = model_serializer(Region, form_fields(RegionForm))
    save_service = staticmethod(services.save_region)
    delete_service = staticmethod(services.delete_region)
    natural_key = "code"


class DepartmentViewSet(ResourceViewSet):
    """部门：the responsible departments."""

    model, form_class, filterset_class = Department, DepartmentForm, DepartmentFilterSet
    serializer_class = model_serializer(Department, form_fields(DepartmentForm))
    save_service = staticmethod(services.save_department)
    delete_service = staticmethod(services.delete_department)


class OrganisationViewSet(ResourceViewSet):
    """项目单位：enterprises and agencies building projects. Bulk items name a unit by `credit_code`."""

    model, form_class, filterset_class = Organisation, OrganisationForm, OrganisationFilterSet
    serializer_class = model_serializer(Organisation, form_fields(OrganisationForm), read_only=("is_synthetic",))
    save_service = staticmethod(services.save_organisation)
    delete_service = staticmethod(services.delete_organisation)
    natural_key = "credit_code"


class PersonViewSet(ResourceViewSet):
    """人员：linked city leaders, commissioners and contacts."""

    model, form_class, filterset_class = Person, PersonForm, PersonFilterSet
    serializer_class = model_serializer(Person, form_fields(PersonForm))
    save_service = staticmethod(services.save_person)
    delete_service = staticmethod(services.delete_person)


UserSerializer = model_serializer(
    User,
    [name for name in form_fields(UserForm) if name != "password"],
    read_only=("last_login", "date_joined"),
)


class PermissionEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    time = serializers.DateTimeField()
    user_name = serializers.CharField()
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)
    password_set = serializers.BooleanField()
    reason = serializers.CharField()


class UserViewSet(ResourceViewSet):
    """用户：the accounts that sign in (the city admin only). `password` is write-only: required on creation,
    left out to keep the current one; it is validated like on the page and never returned."""

    model, form_class, filterset_class = User, UserForm, UserFilterSet
    serializer_class = UserSerializer
    delete_service = staticmethod(services.delete_user)
    select_related = ("region", "department", "organisation", "person")
    # Every user change may be a permission change with its own audit event: one at a time, through save_user.
    bulk = None

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except exceptions.PermissionDenied as exc:
            # As on the pages, a role that may not read users is not told that they exist.
            raise exceptions.NotFound() from exc

    @property
    def ordering_fields(self):
        return [name for name in super().ordering_fields if name != "password"]

    def _form(self, data, instance, *, partial: bool):
        form = super()._form(data, instance, partial=partial)
        # A partial update starts from the stored values, and the stored password is a hash: never a new password.
        form.data["password"] = (data.get("password") or "") if isinstance(data, dict) else ""
        self._bound_form = form
        return form

    def save_service(self, user, **kwargs):
        password = self._bound_form.cleaned_data.get("password") or None
        return services.save_user(user, password=password, **kwargs)

    @extend_schema(summary="权限变更记录", responses={200: PermissionEventSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="permission-events", filter_backends=[], pagination_class=None)
    def permission_events(self, request, pk=None):
        user = self.get_object()
        events = AuditEvent.objects.restrict(request.user, VIEW).filter(
            kind=AuditKind.PERMISSION_CHANGE, detail__account_id=user.pk
        )[:50]
        return Response(
            [
                {
                    "id": event.pk,
                    "time": event.time,
                    "user_name": event.user_name,
                    "before": event.detail.get("before"),
                    "after": event.detail.get("after"),
                    "password_set": bool(event.detail.get("password_set")),
                    "reason": event.detail.get("reason") or "",
                }
                for event in events
            ]
        )


ROUTES = [
    ("regions", RegionViewSet),
    ("departments", DepartmentViewSet),
    ("organisations", OrganisationViewSet),
    ("people", PersonViewSet),
    ("users", UserViewSet),
]
