"""HTTPS behind a reverse proxy: trust forwarded headers only when told to; secure cookies."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .http import FeedSessions


class SessionInterface(FeedSessions):
    """Flask's signed-cookie session whose cookie is `Secure` whenever it travels over https
    (and which feed routes never open)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        # The proxy's X-Forwarded-For/-Proto/-Host/-Port: client addresses for the rate limit,
        # https links and cookies. Without proxies in front, these headers are anyone's to forge.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
