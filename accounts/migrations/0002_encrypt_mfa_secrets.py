"""Second-factor secrets were stored in clear by allauth.mfa: encrypt those already there."""

from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from privacy.keys import encrypt_if_clear, mfa_data_transform

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = mfa_data_transform(authenticator.data, encrypt_if_clear)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def decrypt_secrets(apps, schema_editor):
    from privacy import crypto
    from privacy.keys import mfa_data_transform

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = mfa_data_transform(authenticator.data, crypto.decrypt)
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
