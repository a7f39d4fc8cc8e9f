import secrets

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # Usernames are internal only; deriving them from the e-mail would copy it in clear.
        user.username = f"u-{secrets.token_hex(8)}"

    def is_open_for_signup(self, request):
        return True
