"""
Django's PostgreSQL backend, with a health check that costs no round trip.

Each server process keeps its connection between requests and checks it before
the first query of a request (CONN_HEALTH_CHECKS), so that a connection the
server dropped (a restart, a terminated backend, a proxy that cut it) is
replaced there instead of failing the request. Django checks with `SELECT 1`,
a second round trip on every request that queries at all (166 µs a request in
one process, bench/README.md).

A connection that is idle between requests has nothing to read. A server that
ends it sends its error and closes the socket, so the socket turns readable:
asking the kernel whether it is (poll, no wait) tells a dropped connection
from a live one without asking the server. What it cannot see is a peer that
vanished without a word (a network cut with no reset); `SELECT 1` would not see
it either before the kernel's TCP timeouts (docs/reliability.md, "Not covered").
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        # Between requests a connection is idle; in error or unknown it cannot go on.
        if self.connection.info.transaction_status not in (
            pq.TransactionStatus.IDLE,
            pq.TransactionStatus.INTRANS,
        ):
            return False
        # Anything to read while idle is the server's goodbye (or, rarely, a
        # message nobody waits for: a reconnection is the only cost of treating
        # it as one).
        poller = select.poll()
        poller.register(self.connection.fileno(), select.POLLIN)
        return not poller.poll(0)
