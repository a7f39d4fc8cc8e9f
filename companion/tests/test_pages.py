"""The companion's pages: what the facilitator sees before, during and after, and bad input on the close."""

from datetime import timedelta

import pytest
from django.urls import reverse

from companion import services
from companion.models import Agreement, Attendance
from companion.services import AgreementItem
from network.models import Meeting

pytestmark = pytest.mark.django_db


def page(client, user, name, meeting, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs={"pk": meeting.pk}), **kwargs)


def close_data(**overrides):
    data = {
        "participants": "9",
        "newcomers": "1",
        "kind_0": "opens",
        "text_0": "Apre Giulia",
        "kind_1": "commitment",
        "text_1": "",
        "kind_2": "practical",
        "text_2": "",
        "next_date": "2027-07-27",
        "next_time": "20:30",
    }
    data.update(overrides)
    return data


def test_the_first_meeting_shows_the_guide_and_the_confidentiality_limits(client, frozen_now, group_a, facilitator_a):
    from companion.tests.conftest import meeting_weekly

    meeting_weekly(group_a, since_days=0)
    first = Meeting.objects.filter(group=group_a).order_by("starts_at").first()
    html = page(client, facilitator_a, "workspace:companion", first).content.decode()
    assert "Il primo incontro del gruppo" in html
    assert "Ringraziare" in html and "Dire lo scopo del gruppo" in html and "giro di presentazioni" in html
    assert "minore in pericolo" in html
    assert "Nessuna persona nuova annunciata." in html
    # During: the rules and the do / don't card, all 11 and 12 points.
    assert html.count("<li>", html.index("Chi facilita fa"), html.index("Chi facilita non fa")) == 11
    assert "essere assente dal gruppo" in html and "Riservatezza" in html


def test_a_later_meeting_recalls_the_agreements_of_the_last_one(client, last_a, next_a, facilitator_a):
    services.meeting_close(
        meeting=last_a,
        participants=7,
        newcomers=0,
        agreements=[AgreementItem("opens", "Apre Giulia"), AgreementItem("practical", "Portare le sedie")],
        by=facilitator_a,
    )
    html = page(client, facilitator_a, "workspace:companion", next_a).content.decode()
    assert "Il primo incontro del gruppo" not in html
    assert "Da ricordare aprendo" in html
    assert "Apre Giulia" in html and "Portare le sedie" in html
    assert "martedì 20 luglio" in html


def test_without_agreements_the_next_meeting_says_so(client, next_a, facilitator_a):
    html = page(client, facilitator_a, "workspace:companion", next_a).content.decode()
    assert "Nessun accordo dall'incontro precedente" in html


def test_the_newcomers_intake_announces_appear_by_first_name(client, next_a, facilitator_a, intake_operator):
    from intake import services as intake_services
    from intake.consent import CURRENT_CONSENT_VERSION

    for name in ("Anna", "Lupo"):
        request, _created = intake_services.request_submit(
            association=next_a.group.association,
            first_name=name,
            phone="333 123 4567",
            consent_version=CURRENT_CONSENT_VERSION,
        )
        intake_services.request_contact(request=request, by=intake_operator)
        intake_services.request_propose(request=request, group=next_a.group, by=intake_operator)
        intake_services.request_introduce(request=request, meeting=next_a, by=intake_operator)
    html = page(client, facilitator_a, "workspace:companion", next_a).content.decode()
    assert "Anna" in html and "Lupo" in html and "Nessuna persona nuova annunciata." not in html
    assert "333 123 4567" not in html  # the facilitator never sees a contact


def test_no_newcomer_announced_says_so(client, next_a, facilitator_a):
    html = page(client, facilitator_a, "workspace:companion", next_a).content.decode()
    assert "Nessuna persona nuova annunciata." in html


def test_the_after_part_waits_for_the_meeting(client, next_a, facilitator_a):
    html = page(client, facilitator_a, "workspace:companion", next_a).content.decode()
    assert "Alla fine dell'incontro qui registri" in html
    assert 'name="participants"' not in html


def test_closing_from_the_page_saves_and_returns_to_the_companion(client, last_a, next_a, facilitator_a):
    client.force_login(facilitator_a)
    response = client.post(reverse("workspace:companion_close", kwargs={"pk": last_a.pk}), close_data())
    assert response.status_code == 302
    assert response.url == reverse("workspace:companion", kwargs={"pk": last_a.pk})
    assert Attendance.objects.get(meeting=last_a).participants == 9
    assert Agreement.objects.get(meeting=last_a).text == "Apre Giulia"
    html = client.get(response.url).content.decode()
    assert "Registrato: 9 partecipanti, di cui 1 nuovi." in html
    assert "non scrivere ciò che le persone hanno raccontato" in html.lower()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"participants": "-3"}, "participants", "negativi"),
        ({"participants": "500"}, "participants", "Troppe persone"),
        ({"participants": "tanti"}, "participants", "numero intero"),
        ({"participants": "4", "newcomers": "6"}, "newcomers", "più dei partecipanti"),
        ({"text_0": "x" * 200}, "text_0", "140 caratteri"),
        ({"next_date": "2027-07-20"}, "next_date", "future"),
        ({"next_date": "2027-08-03"}, "next_date", "già un altro incontro"),
        ({"next_date": "domani"}, "next_date", "data"),
    ],
)
def test_bad_input_on_the_close_is_explained_and_what_was_typed_stays(
    client, last_a, next_a, facilitator_a, changes, field, words
):
    client.force_login(facilitator_a)
    data = close_data(text_1="Passare parola al centro diurno", **changes)
    response = client.post(reverse("workspace:companion_close", kwargs={"pk": last_a.pk}), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert words.lower() in " ".join(form.errors.get(field, [])).lower(), form.errors
    html = response.content.decode()
    assert 'value="Passare parola al centro diurno"' in html  # what was typed is kept
    assert not Attendance.objects.exists()


def test_a_close_on_a_meeting_not_yet_held_is_refused_with_a_reason(client, next_a, facilitator_a):
    client.force_login(facilitator_a)
    response = client.post(reverse("workspace:companion_close", kwargs={"pk": next_a.pk}), close_data())
    assert response.status_code == 200
    assert "non è ancora cominciato" in response.content.decode()


def test_the_home_asks_to_close_the_meeting_just_held(client, last_a, facilitator_a):
    client.force_login(facilitator_a)
    html = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:companion_close", kwargs={"pk": last_a.pk}) in html
    services.meeting_close(meeting=last_a, participants=5, newcomers=0, agreements=[], by=facilitator_a)
    html = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:companion_close", kwargs={"pk": last_a.pk}) not in html


def test_meeting_rows_link_to_the_companion_for_its_facilitators_only(client, next_a, facilitator_a, coordinator_x):
    link = reverse("workspace:companion", kwargs={"pk": next_a.pk})
    client.force_login(facilitator_a)
    assert link in client.get(reverse("workspace:group", kwargs={"slug": next_a.group.slug})).content.decode()
    client.force_login(coordinator_x)
    assert link not in client.get(reverse("workspace:group", kwargs={"slug": next_a.group.slug})).content.decode()


def test_the_reflection_summary_counts_the_authors_own_ticks_and_notes_on_request(client, meetings_a, facilitator_a):
    past = meetings_a[0]
    services.reflection_save(meeting=past[-1], went_well=["do7"], hard=["dont7"], note="Nota mia", by=facilitator_a)
    services.reflection_save(meeting=past[-2], went_well=["do7"], hard=[], by=facilitator_a)
    client.force_login(facilitator_a)
    response = client.get(reverse("workspace:reflections"))
    tallies = {tally.code: tally for tally in response.context["tallies"]}
    assert tallies["do7"].went_well == 2 and tallies["dont7"].hard == 1
    assert "Nota mia" not in response.content.decode()
    since = (past[-1].starts_at - timedelta(days=1)).date().isoformat()
    response = client.get(reverse("workspace:reflections"), {"since": since, "until": "2027-07-26", "notes": "on"})
    assert "Nota mia" in response.content.decode()
    assert len(response.context["reflections"]) == 1


def test_the_companion_speaks_english_to_an_english_facilitator(client, next_a, facilitator_a):
    client.force_login(facilitator_a)
    html = client.get(f"/en/workspace/meetings/{next_a.pk}/companion/").content.decode()
    assert "The facilitator does not" in html and "give advice" in html and "No newcomers announced." in html
    assert "Chi facilita non fa" not in html
