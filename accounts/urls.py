from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.home, name="home"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.my_data_export, name="my_data_export"),
    path("my-data/erase/", views.my_data_erase, name="my_data_erase"),
]
