"""`cart serve`: the carer's phone view, a small web app over the same database.

- ``app``: builds the Starlette application (middleware: Host check, session, security headers);
- ``routes``: the table of pages and forms, and what each one does;
- ``auth``: the one-time pairing link, sessions, CSRF tokens and the pairing rate limit;
- ``views``: plain data for the templates (the verdict, today's doses, the next milestone);
- ``server``: binds the socket and runs uvicorn quietly (no access log: URLs and forms hold
  health data).

Starlette, uvicorn and segno are imported only here, and this package only by `cart serve`,
so no other command pays for them.
"""
