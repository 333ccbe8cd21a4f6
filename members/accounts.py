"""How members' accounts meet the rest of the site's sign-in machinery."""


def login_name(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the name a login attempt was for.

    Editors sign in to the admin with a user name, members with their e-mail
    address; axes counts failures per that name and client address.
    """
    sent = credentials if credentials is not None else getattr(request, "POST", {})
    return sent.get("username") or sent.get("email") or sent.get("login")
