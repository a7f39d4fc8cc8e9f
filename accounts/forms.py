import logging
import re

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthMFAAuthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.models import Profile
from privacy.sealing import pseudo_for

logger = logging.getLogger(__name__)

# One optional leading +, then ASCII digits and spaces (6 to 15 digits, counted in clean_phone).
PHONE = re.compile(r"\+?[0-9 ]+")


class LoginForm(AllauthLoginForm):
    def clean_login(self) -> str:
        # Accounts are found by the sealed form of the address, never the address itself.
        login = super().clean_login()
        return pseudo_for(login) if "@" in login else login


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        # Two sign-ups for one address at once: the database keeps the first account, and the
        # other person is answered as for an address that already has one (a message on the
        # page and an e-mail), which tells nobody else whether the address is registered.
        try:
            with transaction.atomic():
                if self.account_already_exists:
                    # Hash the password all the same: a sign-up for a registered address takes as long.
                    make_password(self.cleaned_data.get("password1"))
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True
            return super().try_save(request)


class ResetPasswordForm(AllauthResetPasswordForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if not throttle.reset_allowed(context.request, email):
            raise get_account_adapter().validation_error("too_many_login_attempts")
        return email

    def save(self, request, **kwargs) -> str:
        email = self.cleaned_data["email"]
        if not throttle.reset_mail_allowed(request, email):
            logger.info("Password reset: the limit of e-mails to one address was reached; nothing sent")
            return email
        return super().save(request, **kwargs)


class MFAAuthenticateForm(AllauthMFAAuthenticateForm):
    """The second step of signing in, limited per (account, client).

    allauth counts wrong codes per account, so someone who knows a password could keep its
    owner out of the second step; here only the client that fails is slowed down.
    """

    def clean_code(self) -> str:
        request = context.request
        if not throttle.second_factor_allowed(request, self.user):
            raise get_account_adapter().validation_error("too_many_login_attempts")
        code = self.cleaned_data["code"]
        main = None
        # Security keys cannot check typed codes; failures are reported once, on the TOTP if any.
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(type=Authenticator.Type.WEBAUTHN):
            if main is None or authenticator.type == Authenticator.Type.TOTP:
                main = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                return code
        throttle.second_factor_failed(request, self.user)
        if main is not None:
            self._emit_authentication_failed(main)
        raise get_mfa_adapter().validation_error("incorrect_code")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["nickname", "phone"]
        widgets = {
            "nickname": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "nickname": _("Basta un nome di fantasia: nel gruppo ci si presenta solo con il nome."),
            "phone": _("Facoltativo. È conservato cifrato e visto solo dall'associazione."),
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        # ASCII digits only: str.isdigit() also accepts Arabic-Indic, full-width and other digits.
        if phone and (not PHONE.fullmatch(phone) or not 6 <= sum(c.isdigit() for c in phone) <= 15):
            raise forms.ValidationError(_("Scrivi un numero di telefono valido, solo cifre e spazi."))
        return phone


class EraseAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Per confermare scrivi CANCELLA"),
        max_length=20,
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().upper()
        if value not in {"CANCELLA", "DELETE"}:
            raise forms.ValidationError(_("Scrivi CANCELLA per confermare."))
        return value
