"""Account pages in plain words: devices named, the export readable, one vocabulary for signing in."""

import polib
import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings

from accounts.devices import device_name
from accounts.models import Profile
from accounts.vocabulary import ALLAUTH_MESSAGES
from conftest import PASSWORD
from privacy.models import AuditAction, AuditEvent

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"
)
MAC_FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0"
LINUX_CHROMIUM = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36"
)


@pytest.mark.parametrize(
    "agent,italian,english",
    [
        (ANDROID_CHROME, "Chrome su Android", "Chrome on Android"),
        (IPHONE_SAFARI, "Safari su iPhone", "Safari on iPhone"),
        (WINDOWS_EDGE, "Edge su Windows", "Edge on Windows"),
        (MAC_FIREFOX, "Firefox su Mac", "Firefox on Mac"),
        (LINUX_CHROMIUM, "Chrome su Linux", "Chrome on Linux"),
        ("curl/8.5.0", "Browser sconosciuto", "Unknown browser"),
        ("", "Browser sconosciuto", "Unknown browser"),
        ("Mozilla/5.0 (Linux; Android 14)", "Un browser su Android", "A browser on Android"),
    ],
)
def test_devices_are_named_in_words(agent, italian, english):
    from django.utils import translation

    with translation.override("it"):
        assert device_name(agent) == italian
    with translation.override("en"):
        assert device_name(agent) == english


@pytest.mark.django_db
def test_the_sessions_page_names_devices_and_shows_no_raw_browser_string(client, participant):
    client.force_login(participant)
    body = client.get("/it/accounts/sessions/", HTTP_USER_AGENT=ANDROID_CHROME).content.decode()
    assert UserSession.objects.filter(user=participant, user_agent=ANDROID_CHROME).exists()
    assert "Chrome su Android" in body
    assert "AppleWebKit" not in body
    assert "Dispositivi collegati" in body and "Sessioni" not in body
    english = client.get("/en/accounts/sessions/", HTTP_USER_AGENT=ANDROID_CHROME).content.decode()
    assert "Chrome on Android" in english and "Signed-in devices" in english


@pytest.mark.django_db
def test_the_readable_export_uses_human_labels_and_is_audited(client, participant):
    Profile.objects.create(user=participant, nickname="Lupastro Ventoso")
    client.force_login(participant)
    response = client.get("/it/accounts/my-data/export/readable/")
    assert response.status_code == 302 and "reauthenticate" in response.url
    client.post(response.url, {"password": PASSWORD})
    body = client.get("/it/accounts/my-data/export/readable/").content.decode()
    assert "Lupastro Ventoso" in body
    assert "Ruoli nei gruppi" in body and "Gruppo A" in body and "partecipante" in body
    assert "accounts.profile" not in body and "group__name" not in body
    assert 'href="/it/accounts/my-data/export/"' in body  # the JSON next to it
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, subject=participant).exists()
    english = client.get("/en/accounts/my-data/export/readable/").content.decode()
    assert "participant" in english


@pytest.mark.parametrize("language", ["it", "en"])
def test_allauths_clashing_words_are_replaced_by_cerchios_vocabulary(language):
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid: entry.msgstr for entry in catalogue if entry.msgstr}
    for message in ALLAUTH_MESSAGES:
        assert translated.get(message), message
    if language == "it":
        assert translated["Two-Factor Authentication"] == "Verifica in due passaggi"
        assert translated["Sessions"] == "Dispositivi collegati"
        assert translated["Sign Out"] == "Esci"
    else:
        assert translated["Two-Factor Authentication"] == "Two-step verification"
        assert translated["Sign In"] == "Sign in"
    # English has no Title Case left: only the first word (or a name) is capitalised.
    if language == "en":
        for message in ALLAUTH_MESSAGES:
            if "." in translated[message]:
                continue  # sentences: a capital after a full stop is right
            words = translated[message].split()
            assert not any(word[:1].isupper() for word in words[1:] if word not in {"I", "Calendar"}), message


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/it/accounts/login/", "/en/accounts/login/", "/it/accounts/signup/"])
def test_sign_in_pages_use_the_vocabulary(client, url):
    body = client.get(url).content.decode()
    assert "Sign In" not in body and "Disconnetti" not in body and "Registrazione" not in body


@pytest.mark.django_db
def test_the_second_factor_page_uses_the_vocabulary(client, participant):
    client.force_login(participant)
    body = client.get("/it/accounts/2fa/").content.decode()
    assert "Autenticazione a Due Fattori" not in body
    assert "Verifica in due passaggi" in body
    english = client.get("/en/accounts/2fa/").content.decode()
    assert "Two-Factor Authentication" not in english and "Two-step verification" in english
