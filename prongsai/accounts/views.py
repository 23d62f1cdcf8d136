from __future__ import annotations

from django.contrib import auth
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from prongsai.accounts import throttle
from prongsai.organizations.models import Membership


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = Membership.objects.filter(user_id=request.user.pk).select_related("organization")
    if len(memberships) == 1:
        return redirect("organization", org=memberships[0].organization.slug)
    return render(request, "accounts/home.html", {"memberships": memberships})


class SignInForm(AuthenticationForm):
    def clean(self) -> dict[str, object]:
        username = self.cleaned_data.get("username") or ""
        if username and throttle.is_locked(username):
            raise ValidationError(
                _("เข้าสู่ระบบผิดหลายครั้งเกินไป บัญชีนี้ถูกระงับชั่วคราว โปรดลองใหม่ภายหลัง"), code="throttled"
            )
        try:
            return super().clean()
        except ValidationError:
            if username:
                throttle.record_failure(username)
            raise


@login_not_required
@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        throttle.clear_failures(user.get_username())
        auth.login(request, user)
        return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
@login_required
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("login")
