from django.urls import path

from following import views

app_name = "following"
urlpatterns = [
    path("follow/<slug:slug>/", views.follow, name="follow"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("mine/<str:token>/", views.manage, name="manage"),
    # The List-Unsubscribe address: POST leaves at once (RFC 8058), GET asks first.
    path("leave/<str:token>/", views.leave, name="leave"),
]
