from django.urls import path

from prongsai.plans import views

urlpatterns = [
    path("", views.organization_home, name="organization"),
    path("new-plan/", views.plan_create, name="plan_create"),
    path("new-plan/import/", views.plan_import, name="plan_import"),
    path("plans/<slug:plan>/", views.plan_detail, name="plan"),
    path("plans/<slug:plan>/r/<int:rev>/", views.plan_revision, name="plan_revision"),
    path("plans/<slug:plan>/history/", views.plan_history, name="plan_history"),
    path("plans/<slug:plan>/settings/", views.plan_settings, name="plan_settings"),
    path("plans/<slug:plan>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<slug:plan>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<slug:plan>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<slug:plan>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<slug:plan>/return/", views.plan_return, name="plan_return"),
    path("plans/<slug:plan>/revise/", views.plan_revise, name="plan_revise"),
    path("plans/<slug:plan>/part1/<slug:section>/", views.part1_edit, name="part1_edit"),
    path("plans/<slug:plan>/part1/entry/<int:entry_id>/", views.part1_entry_edit, name="part1_entry_edit"),
    path(
        "plans/<slug:plan>/part1/entry/<int:entry_id>/delete/",
        views.part1_entry_delete,
        name="part1_entry_delete",
    ),
    path(
        "plans/<slug:plan>/part1/entry/<int:entry_id>/move/", views.part1_entry_move, name="part1_entry_move"
    ),
    path("plans/<slug:plan>/items/new/", views.item_add, name="item_add"),
    path("plans/<slug:plan>/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("plans/<slug:plan>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("plans/<slug:plan>/items/<int:item_id>/move/", views.item_move, name="item_move"),
]
