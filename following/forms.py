from django import forms
from django.utils.translation import gettext_lazy as _


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Il tuo indirizzo e-mail"),
        max_length=254,
        error_messages={
            "required": _("Scrivi l'indirizzo e-mail a cui ricevere i promemoria."),
            "invalid": _("Questo indirizzo e-mail non sembra completo: controlla la chiocciola e il dominio."),
        },
    )
