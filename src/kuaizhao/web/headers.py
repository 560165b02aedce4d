"""Security headers on every answer: a strict Content-Security-Policy, Permissions-Policy.

Pages are built without inline script or style, and every asset is the site's own, so one strict
policy holds for all of them: nothing is loaded from another origin (a reader's visit is never
reported to a publisher, and an archived image is shown from the archive or not at all). A view
that sets its own policy keeps it (the sandboxed raw capture). The admin is operators' only and
Django's templates set a few style attributes: there style-src also allows them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; "
       "frame-src 'self'")
ADMIN_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = ADMIN_CSP if request.path.startswith("/admin/") else CSP
        response.setdefault("Permissions-Policy", PERMISSIONS)
        return response
