"""
Per-member hourly limits on what members send (MEMBER_HOURLY_LIMITS).

Counted in the default cache, which is Redis when REDIS_URL is set, so every
server process adds to one count. The window is the clock hour: a member may
send up to twice the limit across an hour's turn, which is enough to stop a
flood and costs one cache round trip.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def spend(user, action):
    """Count one `action` ("question", "answer", "report", "preview") by `user`;
    False once the hour's limit is used up."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"member-limit:{action}:{user.pk}:{window}"
    # add() then incr(): both atomic in Redis, so two processes never lose a count.
    cache.add(key, 0, WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, WINDOW_SECONDS + 60)
        count = 1
    if count is None:
        # Redis is down (pagecache/backends.py has logged it): nothing can be
        # counted, so the member is let through rather than answered with an
        # error. What they send still waits for the editors' review.
        return True
    return count <= settings.MEMBER_HOURLY_LIMITS[action]
