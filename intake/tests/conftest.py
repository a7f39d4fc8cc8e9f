import pytest

from intake import services
from intake.consent import CURRENT_CONSENT_VERSION
from network.tests.factories import ThemeFactory


@pytest.fixture
def theme(db):
    return ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief")


@pytest.fixture
def submit(association_x):
    """Make a request through the service, as the public form does."""

    def make(**overrides):
        fields = {
            "association": association_x,
            "first_name": "Lucia",
            "email": "lucia@example.org",
            "phone": "",
            "town": "Trento",
            "consent_version": CURRENT_CONSENT_VERSION,
        }
        fields.update(overrides)
        request, _created = services.request_submit(**fields)
        return request

    return make
