from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Account")

    def ready(self):
        from accounts import messages
        from notifications.kinds import register_kind

        register_kind(
            "privacy_link",
            template="privacy_link",
            build_context=messages.privacy_link_context,
            sample_context=messages.PRIVACY_LINK_SAMPLE,
        )
        register_kind(
            messages.ACCOUNT_MAIL,
            template="account_mail",
            build_context=messages.account_mail_context,
            sample_context={"sealed": ""},
            # Reset and confirmation links: once delivered, nothing of them stays behind.
            forget_when_sent=True,
        )
