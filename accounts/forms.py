import re

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from privacy.sealing import pseudo_for

# One optional leading +, then ASCII digits and spaces (6 to 15 digits, counted in clean_phone).
PHONE = re.compile(r"\+?[0-9 ]+")


class LoginForm(AllauthLoginForm):
    def clean_login(self) -> str:
        # Accounts are found by the sealed form of the address, never the address itself.
        login = super().clean_login()
        return pseudo_for(login) if "@" in login else login


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
