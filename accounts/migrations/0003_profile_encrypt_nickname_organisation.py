"""The nickname and the organisation are stored encrypted, like the phone."""

from django.db import migrations

import privacy.fields


def copy_into(source: str, target: str):
    def copy(apps, schema_editor):
        Profile = apps.get_model("accounts", "Profile")
        for profile in Profile.objects.all():
            for name in ("nickname", "organisation"):
                setattr(profile, f"{name}{target}", getattr(profile, f"{name}{source}"))
            profile.save(update_fields=[f"nickname{target}", f"organisation{target}"])

    return copy


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_encrypt_mfa_secrets")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="nickname_sealed",
            field=privacy.fields.EncryptedTextField(blank=True, max_length=60, verbose_name="nome o nome di fantasia"),
        ),
        migrations.AddField(
            model_name="profile",
            name="organisation_sealed",
            field=privacy.fields.EncryptedTextField(blank=True, max_length=120, verbose_name="servizio o ente"),
        ),
        migrations.RunPython(copy_into("", "_sealed"), migrations.RunPython.noop),
        migrations.RemoveField(model_name="profile", name="nickname"),
        migrations.RemoveField(model_name="profile", name="organisation"),
        migrations.RenameField(model_name="profile", old_name="nickname_sealed", new_name="nickname"),
        migrations.RenameField(model_name="profile", old_name="organisation_sealed", new_name="organisation"),
    ]
