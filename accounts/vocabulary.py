"""One vocabulary for signing in, the second factor and sessions, in Italian and English.

django-allauth's own catalogues say "Autenticazione a Due Fattori", "Disconnetti",
"Sessioni" and, in English, Title Case ("Sign In", "Two-Factor Authentication").
Listing its message ids here puts them in Cerchio's catalogues (locale/, which Django
reads before allauth's), where they get Cerchio's words:

  sign in: accedi / sign in · sign out: esci / sign out · sign up: crea un account / create an account
  second factor: verifica in due passaggi / two-step verification
  sessions: dispositivi collegati / signed-in devices

`test_vocabulary.py` checks that every one of them is translated in both languages.
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Up Closed"),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Authenticator App"),
    gettext_noop("Activate Authenticator App"),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Security Keys"),
    gettext_noop("Sessions"),
    gettext_noop("Sign Out Other Sessions"),
    gettext_noop("Change Password"),
    gettext_noop("Set Password"),
    gettext_noop("Password Reset"),
    gettext_noop("Confirm Access"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email Address"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Account Inactive"),
    gettext_noop("Trust this Browser?"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Sign in with a passkey"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Started At"),
    gettext_noop("Last seen at"),
    gettext_noop("Current"),
]
