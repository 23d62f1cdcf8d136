from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def login(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def logout(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")
