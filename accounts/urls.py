from django.urls import path

from accounts import subject_views, views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.home, name="home"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.my_data_export, name="my_data_export"),
    path("my-data/export/readable/", views.my_data_export_readable, name="my_data_export_readable"),
    path("my-data/erase/", views.my_data_erase, name="my_data_erase"),
    # People known only by e-mail (a request, a follower): a signed link to that address.
    path("my-data/by-email/", subject_views.subject_request, name="subject_request"),
    path("my-data/by-email/<str:action>/<str:token>/", subject_views.subject_act, name="subject_act"),
]
