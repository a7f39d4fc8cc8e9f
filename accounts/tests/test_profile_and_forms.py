"""Profiles refuse bad input; refusals are logged; hostile input to the account forms."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile
from privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_profile_refuses_a_bad_phone_in_italian(client, participant):
    client.force_login(participant)
    response = client.post("/it/accounts/profile/", {"nickname": "Lupo", "phone": "chiamami'; DROP TABLE"})
    assert response.status_code == 200
    assert "numero di telefono valido" in response.content.decode()
    assert not Profile.objects.filter(user=participant, phone__isnull=False).exclude(phone="").exists()


def test_profile_saves_nickname_and_logs_the_change(client, participant):
    client.force_login(participant)
    response = client.post("/it/accounts/profile/", {"nickname": "Lupo", "phone": "+39 333 1234567"})
    assert response.status_code == 302
    assert Profile.objects.get(user=participant).phone == "+39 333 1234567"
    assert AuditEvent.objects.filter(action=AuditAction.CHANGED, subject=participant).exists()


def test_a_refused_page_is_logged(client, facilitator_a):
    client.force_login(facilitator_a)
    assert client.get("/it/admin/network/association/").status_code == 302  # the admin is for site administrators
    assert client.get("/it/workspace/people/").status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.AUTHORIZATION_FAILED, actor=facilitator_a).exists()


def test_error_pages_speak_the_visitors_language(client, facilitator_a):
    client.force_login(facilitator_a)
    english = client.get("/en/workspace/people/").content.decode()
    assert '<html lang="en">' in english and "Accesso non consentito" not in english
    assert client.get("/en/groups/nothing-here/").status_code == 404
    assert "Page not found" in client.get("/en/groups/nothing-here/").content.decode()


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.one_of(st.text(max_size=300), st.sampled_from(["' OR 1=1 --", "\x00", "a" * 5000, "<script>x</script>"]))


@FUZZ
@given(login=TEXT, password=TEXT)
def test_login_form_never_fails_on_hostile_input(client, login, password):
    from django.core.cache import cache

    cache.clear()
    response = client.post("/it/accounts/login/", {"login": login, "password": password})
    assert response.status_code in (200, 302, 429)


@FUZZ
@given(email=TEXT, password=TEXT)
def test_signup_form_never_fails_on_hostile_input(client, email, password):
    from django.core.cache import cache

    cache.clear()
    response = client.post("/it/accounts/signup/", {"email": email, "password1": password, "password2": password})
    assert response.status_code in (200, 302, 429)


@FUZZ
@given(nickname=TEXT, phone=TEXT)
def test_profile_form_never_fails_on_hostile_input(client, participant, nickname, phone):
    client.force_login(participant)
    response = client.post("/it/accounts/profile/", {"nickname": nickname, "phone": phone})
    assert response.status_code in (200, 302)


def test_a_person_sees_their_own_address_in_clear_on_the_email_page(client, participant):
    client.force_login(participant)
    body = client.get("/it/accounts/email/").content.decode()
    assert "lupo.solitario@example.org" in body
    assert "sealed.cerchio.invalid</label>" not in body


def test_adding_an_address_stores_it_sealed(client, participant):
    from allauth.account.models import EmailAddress

    from privacy.sealing import pseudo_for

    client.force_login(participant)
    response = client.post("/it/accounts/email/", {"action_add": "", "email": "secondo@example.org"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=participant, email=pseudo_for("secondo@example.org")).exists()
    assert not EmailAddress.objects.filter(email="secondo@example.org").exists()


# Arabic-Indic, full-width, Persian and Devanagari digits: str.isdigit() is true for all of them.
NON_ASCII_DIGITS = [
    "٠١٢٣٤٥٦٧٨٩",
    "０３３３１２３４５６７",
    "۰۳۳۳۱۲۳۴۵۶۷",
    "३३३१२३४५६७",
    "+39 ３３３ 1234567",
    "33312345６",
]


@pytest.mark.parametrize("phone", [*NON_ASCII_DIGITS, "++39 333 1234567", "39+333 1234567", "+ ", "12345"])
def test_the_phone_refuses_anything_but_ascii_digits_spaces_and_one_leading_plus(phone):
    from accounts.forms import ProfileForm

    form = ProfileForm(data={"nickname": "", "phone": phone})
    assert not form.is_valid() and "phone" in form.errors


@pytest.mark.parametrize("phone", ["+39 333 1234567", "0612345678", "333 12 34 567", "+41791234567"])
def test_the_phone_accepts_ordinary_numbers(phone):
    from accounts.forms import ProfileForm

    assert ProfileForm(data={"nickname": "", "phone": phone}).is_valid()


@settings(max_examples=200, deadline=None)
@given(phone=st.text(alphabet=st.characters(categories=["Nd"]), min_size=6, max_size=15))
def test_a_phone_of_decimal_digits_is_accepted_only_when_all_are_ascii(phone):
    from accounts.forms import ProfileForm

    valid = ProfileForm(data={"nickname": "", "phone": phone}).is_valid()
    assert valid == all(character in "0123456789" for character in phone)


def test_the_nickname_and_organisation_are_not_in_clear_in_the_database(participant):
    from privacy.tests.test_privacy import all_text_in_database

    Profile.objects.create(user=participant, nickname="Lupastro Ventoso", organisation="SerD di Cremona")
    dump = all_text_in_database()
    assert "Lupastro Ventoso" not in dump and "SerD di Cremona" not in dump
    profile = Profile.objects.get(user=participant)
    assert (profile.nickname, profile.organisation) == ("Lupastro Ventoso", "SerD di Cremona")


def test_a_nickname_longer_than_sixty_characters_is_refused(client, participant):
    client.force_login(participant)
    response = client.post("/it/accounts/profile/", {"nickname": "L" * 61, "phone": ""})
    assert response.status_code == 200
    assert not Profile.objects.filter(user=participant).exclude(nickname="").exists()
