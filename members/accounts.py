"""How members' accounts meet the rest of the site's sign-in machinery."""

from allauth.account import forms as allauth_forms

from members.forms import HoneypotForm


def login_name(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the name a login attempt was for.

    Editors sign in to the admin with a user name, members with their e-mail
    address; axes counts failures per that name and client address.
    """
    sent = credentials if credentials is not None else getattr(request, "POST", {})
    return sent.get("username") or sent.get("email") or sent.get("login")


# A module apart from members.forms: allauth's forms import that one
# (ACCOUNT_SIGNUP_FORM_CLASS) while they load.
class LoginForm(HoneypotForm, allauth_forms.LoginForm):
    """allauth's login form, with the honeypot (ACCOUNT_FORMS)."""


class ResetPasswordForm(HoneypotForm, allauth_forms.ResetPasswordForm):
    """allauth's password reset request, with the honeypot (ACCOUNT_FORMS)."""
