"""The WSGI application for a process manager (a province's deployment, docs/scale.md):

    gunicorn -w 8 -b 127.0.0.1:5000 core.wsgi:app

Each worker builds its own app (its own plugin manager and connection pool) from the same
environment as ``juzhu serve``; set ``JUZHU_SECRET_KEY``, ``JUZHU_AUDIT_KEY``,
``JUZHU_QR_KEY`` and ``JUZHU_PASSWORD_SALT`` so that every worker signs and seals alike
(``JUZHU_REQUIRE_KEYS=1`` refuses to start without them).
"""

from core.app import create_app

app = create_app()
