from django.urls import path

from founding import views

app_name = "founding"
urlpatterns = [
    # Public: a group being started, with its first meeting, shareable as a link.
    path("<slug:slug>/", views.starting_soon, name="starting_soon"),
    path("<slug:slug>/first-meeting.ics", views.first_meeting_ics, name="first_meeting_ics"),
]
