"""
A cap on failed logins per account, from all addresses together.

django-axes locks a user name at one address after AXES_FAILURE_LIMIT failures.
An attacker with many addresses would get that many tries at each. So past
LOGIN_ACCOUNT_FAILURE_LIMIT failures for one account within the cool-off
(AXES_COOLOFF_TIME), each further try must wait: LOGIN_ACCOUNT_DELAY seconds
after the last failure, doubled with every failure past the limit, up to
LOGIN_ACCOUNT_MAX_DELAY. A try made while it must wait is answered 429 before
the password is checked, and is not counted: it cannot make the wait longer, so
an attacker cannot keep an editor out for more than LOGIN_ACCOUNT_MAX_DELAY
after their last counted failure, and never for good.
"""

import math
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone


def seconds_to_wait(username) -> float:
    """How long a login to `username` must wait now, whatever the address; 0 if not."""
    now = timezone.now()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - get_cool_off())
    counted = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    past_limit = (counted["failures"] or 0) - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    if past_limit < 0:
        return 0
    delay = min(settings.LOGIN_ACCOUNT_DELAY * 2**past_limit, settings.LOGIN_ACCOUNT_MAX_DELAY)
    return max(0.0, (counted["last"] + timedelta(seconds=delay) - now).total_seconds())


class AccountLoginCapMiddleware:
    """Answers a login to an account that must wait with a 429, before it is tried."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            username = request.POST.get("username", "")
            wait = seconds_to_wait(username) if username else 0
            if wait:
                context = {"cooloff_timedelta": timedelta(minutes=math.ceil(wait / 60))}
                response = render(request, "lockout.html", context, status=429)
                response["Retry-After"] = str(math.ceil(wait))
                return response
        return self.get_response(request)
