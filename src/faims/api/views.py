"""Personal API tokens (API and page), and the API's index."""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from .models import ApiToken
from .tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": str(_("未找到：接口地址不存在。"))}, status=404)


class TokenSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_label", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "state"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label=_("名称"))
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=DEFAULT_DAYS, label=_("有效天数"))


class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """接口令牌：the caller's own tokens. The key is returned once, on creation; DELETE revokes."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return ApiToken.objects.restrict(self.request.user)

    def field_labels(self):
        return {"name": str(_("名称")), "days": str(_("有效天数"))}

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: inline_serializer("NewToken", {"token": TokenSerializer(), "key": serializers.CharField()})},
    )
    def create(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = create_token(user=request.user, **data.validated_data)
        return Response({"token": TokenSerializer(token).data, "key": key}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        revoke_token(self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class TokenPageView(View):
    """The signed-in user's tokens: create one (its key shown once), revoke one."""

    def _render(self, request, form, key=None, status=200):
        return render(
            request,
            "api/tokens.html",
            {
                "title": _("接口令牌"),
                "form": form,
                "key": key,
                "tokens": ApiToken.objects.restrict(request.user),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, TokenForm())

    def post(self, request):
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=request.POST.get("revoke"))
            revoke_token(token, user=request.user)
            messages.success(request, _("已撤销：%(token)s") % {"token": token})
            return redirect("api_tokens")
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        from django.core.exceptions import ValidationError

        try:
            _token, key = create_token(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
            return self._render(request, form, status=400)
        return self._render(request, TokenForm(), key=key)
