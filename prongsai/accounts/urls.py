from django.urls import path

from prongsai.accounts import views

urlpatterns = [
    path("home/", views.home, name="home"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
]
