"""Generic views every model's pages are made of; each starts from `restrict(user, action)`."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from . import services
from .audit import history_for
from .exports import export_table
from .forms import DeleteForm
from .permissions import ADD, CHANGE, DELETE, VIEW, can


def url_name(model, suffix: str = "") -> str:
    opts = model._meta
    return f"{opts.app_label}:{opts.model_name}{suffix}"


class ObjectListView(View):
    model = None
    filterset_class = None
    table_class = None
    template_name = "generic/object_list.html"
    per_page = 50

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, VIEW)

    def get(self, request):
        if not can(request.user, self.model, VIEW):
            raise Http404
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        table = self.table_class(queryset, request=request)
        title = str(self.model._meta.verbose_name_plural)
        if request.GET.get("export") == "xlsx" and filterset.is_valid():
            RequestConfig(request, paginate=False).configure(table)
            return export_table(request, table, title=title, row_count=queryset.count())
        RequestConfig(request, paginate={"per_page": self.per_page}).configure(table)
        return render(request, self.template_name, {
            "model": self.model, "title": title, "filterset": filterset, "table": table,
            "can_add": can(request.user, self.model, ADD), "add_url": self.add_url(),
            "export_query": _export_query(request),
        })

    def add_url(self):
        try:
            return reverse(url_name(self.model, "_add"))
        except Exception:
            return None


def _export_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return query.urlencode()


class ObjectView(View):
    model = None
    template_name = "generic/object.html"

    def get_object(self, pk, action=VIEW):
        return get_object_or_404(self.model.objects.restrict(self.request.user, action), pk=pk)

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, {
            "object": obj, "model": self.model, "title": str(obj),
            "history": history_for(obj)[:200],
            "can_change": can(request.user, self.model, CHANGE),
            "can_delete": can(request.user, self.model, DELETE),
            "edit_url": reverse(url_name(self.model, "_edit"), args=[obj.pk]),
            "delete_url": reverse(url_name(self.model, "_delete"), args=[obj.pk]),
            "list_url": reverse(url_name(self.model, "_list")),
            **self.get_extra_context(obj),
        })


class ObjectEditView(View):
    """Create (no pk) or edit an object through the model's service function."""

    model = None
    form_class = None
    template_name = "generic/object_edit.html"
    # The service that writes; app views point it at their own service functions.
    save_service = staticmethod(services.save_object)

    def get_object(self, pk):
        if pk is None:
            if not can(self.request.user, self.model, ADD):
                raise PermissionDenied
            return self.model()
        return get_object_or_404(self.model.objects.restrict(self.request.user, CHANGE), pk=pk)

    def service_kwargs(self, form) -> dict:
        """Further keyword arguments of the save service taken from the form (a user's new password)."""
        return {}

    def get_initial(self):
        return {key: value for key, value in self.request.GET.items() if key in self.form_class.base_fields}

    def render_form(self, form, obj):
        return render(self.request, self.template_name, {
            "form": form, "object": obj, "model": self.model,
            "title": _("修改：%(obj)s") % {"obj": obj} if obj.pk else _("新增%(model)s") % {
                "model": self.model._meta.verbose_name},
            "cancel_url": _safe_next(self.request) or (
                obj.get_absolute_url() if obj.pk else reverse(url_name(self.model, "_list"))),
            "next": _safe_next(self.request) or "",
        })

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(instance=obj, initial=self.get_initial() if pk is None else None, user=request.user)
        return self.render_form(form, obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = self.save_service(
                    form.instance, acting_user=request.user, reason=form.cleaned_data.get("change_reason", ""),
                    m2m=form.many_to_many(), **self.service_kwargs(form),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("您无权保存此对象：它超出了您的管辖范围。"))
            else:
                messages.success(request, _("已保存：%(obj)s") % {"obj": saved})
                return redirect(_safe_next(request) or saved.get_absolute_url())
        return self.render_form(form, obj)


def _safe_next(request) -> str | None:
    """The page to return to after saving (a project page after adding its plan), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectDeleteView(View):
    model = None
    template_name = "generic/object_delete.html"
    delete_service = staticmethod(services.delete_object)

    def get_object(self, pk):
        return get_object_or_404(self.model.objects.restrict(self.request.user, DELETE), pk=pk)

    def render_form(self, form, obj):
        return render(self.request, self.template_name, {
            "form": form, "object": obj, "model": self.model, "title": _("删除：%(obj)s") % {"obj": obj},
            "cancel_url": obj.get_absolute_url(),
        })

    def get(self, request, pk):
        return self.render_form(DeleteForm(), self.get_object(pk))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = DeleteForm(request.POST)
        if form.is_valid():
            label = str(obj)
            try:
                self.delete_service(obj, acting_user=request.user, reason=form.cleaned_data["change_reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已删除：%(obj)s") % {"obj": label})
                return redirect(url_name(self.model, "_list"))
        return self.render_form(form, obj)


def object_urls(model, *, list_view, view, edit_view, delete_view, prefix: str):
    """The five URLs of a model: list, add, detail, edit, delete (names app:model_list …)."""
    name = model._meta.model_name
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", view.as_view(), name=name),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]

