from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("richiesta/", views.request_form, name="request"),
    path("richiesta/inviata/", views.request_sent, name="sent"),
    path("richiesta/link/<str:token>/", views.request_manage, name="manage"),
]
