from django.urls import path

from api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("themes", views.themes, name="themes"),
    path("groups", views.groups, name="groups"),
    path("groups/<str:slug>", views.group_detail, name="group"),
]
