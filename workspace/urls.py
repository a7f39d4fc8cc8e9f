from django.urls import path

from workspace.views import association, audit, groups, home, meetings, people
from workspace.views.founding_documents import flyer_pdf, guide_pdf, letter_pdf, pact_pdf, poster_pdf

app_name = "workspace"
urlpatterns = [
    path("", home.home, name="home"),
    # Groups: the facilitator's own, or the association's for a coordinator.
    path("groups/", association.group_list, name="groups"),
    path("groups/new/", association.group_new, name="group_new"),
    path("groups/<slug:slug>/", groups.group_detail, name="group"),
    path("groups/<slug:slug>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<slug:slug>/rhythm/", groups.group_rhythm, name="group_rhythm"),
    path("groups/<slug:slug>/pause/", groups.group_pause, name="group_pause"),
    path("groups/<slug:slug>/pauses/<int:pk>/remove/", groups.pause_remove, name="pause_remove"),
    path("groups/<slug:slug>/status/", association.group_status, name="group_status"),
    path("groups/<slug:slug>/history/", groups.group_history, name="group_history"),
    # One meeting.
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/restore/", meetings.meeting_restore, name="meeting_restore"),
    path("meetings/<int:pk>/move/", meetings.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/venue/", meetings.meeting_venue, name="meeting_venue"),
    # The association: the network's meetings, venues, people and history.
    path("meetings/", association.network_meetings, name="meetings"),
    path("venues/", association.venue_list, name="venues"),
    path("venues/new/", association.venue_new, name="venue_new"),
    path("venues/<int:pk>/", association.venue_edit, name="venue_edit"),
    path("people/", people.people, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/invitations/<int:pk>/withdraw/", people.invitation_withdraw, name="invitation_withdraw"),
    path("people/messages/<int:pk>/retry/", people.message_retry, name="message_retry"),
    path("people/roles/<str:kind>/<int:pk>/end/", people.role_end, name="role_end"),
    path("history/", association.history, name="history"),
    path("audit/", audit.audit_log, name="audit"),
    # A group's printable documents (founding): the pact, the guide, the promotion kit.
    path("groups/<slug:slug>/documents/pact.pdf", pact_pdf, name="founding_pact_pdf"),
    path("groups/<slug:slug>/documents/first-meeting-guide.pdf", guide_pdf, name="founding_guide_pdf"),
    path("groups/<slug:slug>/documents/poster.pdf", poster_pdf, name="founding_poster_pdf"),
    path("groups/<slug:slug>/documents/flyer.pdf", flyer_pdf, name="founding_flyer_pdf"),
    path("groups/<slug:slug>/documents/letter.pdf", letter_pdf, name="founding_letter_pdf"),
    # Accepting an invitation: the one workspace page for someone who has no account yet.
    path("join/<str:token>/", people.invitation_accept, name="join"),
]
