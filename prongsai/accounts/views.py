from __future__ import annotations

from django.contrib import auth
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from prongsai.accounts import throttle
from prongsai.accounts.forms import SignInForm
from prongsai.complaints import keys as complaint_keys
from prongsai.organizations.models import Membership


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = Membership.objects.filter(user_id=request.user.pk).select_related("organization")
    if len(memberships) == 1:
        return redirect("organization", org=memberships[0].organization.slug)
    return render(request, "accounts/home.html", {"memberships": memberships})


def _sign_in(request: HttpRequest, default_next: str, not_allowed: bool = False) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if form.attempt is not None:
            throttle.succeeded(form.attempt)
        auth.login(request, user)
        # A complaint handler's private key, unlocked with the password while we have it (session only).
        unlocked = complaint_keys.unlock_at_sign_in(request, user, form.cleaned_data["password"])
        signed_in = redirect(next_url or default_next)
        throttle.remember_device(signed_in, user.get_username())
        complaint_keys.set_cookie(signed_in, unlocked)
        return signed_in
    context = {"form": form, "next": next_url, "not_allowed": not_allowed}
    response = render(request, "accounts/login.html", context, status=429 if form.throttled else 200)
    if form.attempt is not None and form.throttled:
        response["Retry-After"] = str(form.attempt.wait_seconds)
    return response


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    return _sign_in(request, default_next=reverse("home"))


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: the same form and throttle as every other sign-in, then on to the admin."""
    if request.method == "GET" and request.user.is_active and request.user.is_staff:
        return redirect("admin:index")
    # Signed in, but not staff: the admin sent them here; say why instead of showing a bare form.
    not_allowed = request.user.is_authenticated
    return _sign_in(request, default_next=reverse("admin:index"), not_allowed=not_allowed)


@require_POST
@login_required
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    signed_out = redirect("login")
    complaint_keys.forget(signed_out)
    return signed_out
