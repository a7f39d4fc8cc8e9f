from django.urls import path

from workspace.views import (
    association,
    audit,
    companion,
    demand,
    figures,
    founding,
    groups,
    home,
    intake,
    meetings,
    people,
    reminders,
    themes,
)
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
    path("groups/<slug:slug>/reminders/", reminders.group_reminders, name="group_reminders"),
    path("groups/<slug:slug>/status/", association.group_status, name="group_status"),
    path("groups/<slug:slug>/history/", groups.group_history, name="group_history"),
    # Starting a group: the five ways, the agreements, the promotion counts, the follow-up.
    path("new-groups/", founding.founding_board, name="founding_board"),
    path("new-groups/start/", founding.founding_start, name="founding_start"),
    path("new-groups/follow-up/", founding.founding_settings, name="founding_settings"),
    path("groups/<slug:slug>/founding/", founding.founding_path, name="founding_path"),
    path("groups/<slug:slug>/founding/steps/<slug:step>/", founding.founding_step, name="founding_step"),
    path("groups/<slug:slug>/founding/invitations/", founding.founding_invitations, name="founding_invitations"),
    path("groups/<slug:slug>/agreements/", founding.group_agreements, name="group_agreements"),
    path("groups/<slug:slug>/first-meeting-guide/", founding.founding_guide, name="founding_guide"),
    path(
        "groups/<slug:slug>/milestones/<slug:kind>/<int:number>/done/",
        founding.milestone_done,
        name="milestone_done",
    ),
    # One meeting.
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/restore/", meetings.meeting_restore, name="meeting_restore"),
    path("meetings/<int:pk>/move/", meetings.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/venue/", meetings.meeting_venue, name="meeting_venue"),
    # The facilitator's companion: before, during and after one meeting; their private reflection.
    path("meetings/<int:pk>/companion/", companion.companion, name="companion"),
    path("meetings/<int:pk>/companion/close/", companion.companion_close, name="companion_close"),
    path("meetings/<int:pk>/reflection/", companion.reflection, name="reflection"),
    path("reflections/", companion.reflection_summary, name="reflections"),
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
    path("themes/", themes.theme_list, name="themes"),
    path("themes/<slug:slug>/", themes.theme_edit, name="theme_edit"),
    path("history/", association.history, name="history"),
    path("public-pages/", association.association_public, name="association_public"),
    path("figures/", figures.figures, name="figures"),
    path("figures/attendance.csv", figures.figures_export, name="figures_export"),
    path("audit/", audit.audit_log, name="audit"),
    # Intake: the association's queue, one request, a referrer's form and list.
    path("intake/", intake.intake_queue, name="intake_queue"),
    path("intake/<int:pk>/", intake.intake_request_detail, name="intake_request"),
    path("intake/messages/<int:pk>/retry/", intake.intake_message_retry, name="intake_message_retry"),
    path("intake/refer/", intake.intake_refer, name="intake_refer"),
    path("intake/referred/", intake.intake_referred, name="intake_referred"),
    # Unmet demand, groups started on request, and the association's intake figures.
    path("demand/", demand.demand_board, name="demand"),
    path("demand/<int:pk>/start/", demand.demand_start, name="demand_start"),
    path("intake/settings/", demand.intake_settings, name="intake_settings"),
    path("figures/intake/", demand.intake_figures, name="intake_figures"),
    path("figures/intake/csv/", demand.intake_figures_csv, name="intake_figures_csv"),
    # A group's printable documents (founding): the pact, the guide, the promotion kit.
    path("groups/<slug:slug>/documents/pact.pdf", pact_pdf, name="founding_pact_pdf"),
    path("groups/<slug:slug>/documents/first-meeting-guide.pdf", guide_pdf, name="founding_guide_pdf"),
    path("groups/<slug:slug>/documents/poster.pdf", poster_pdf, name="founding_poster_pdf"),
    path("groups/<slug:slug>/documents/flyer.pdf", flyer_pdf, name="founding_flyer_pdf"),
    path("groups/<slug:slug>/documents/letter.pdf", letter_pdf, name="founding_letter_pdf"),
    # Accepting an invitation: the one workspace page for someone who has no account yet.
    path("join/<str:token>/", people.invitation_accept, name="join"),
]
