from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from prongsai.organizations.access import get_access


def organization_home(request: HttpRequest, org: str) -> HttpResponse:
    access = get_access(request.user, org)
    return render(request, "plans/organization.html", {"access": access})
