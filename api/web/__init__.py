"""The service's own pages (Jinja2 + htmx, every asset served by the app, no build step).

``api.web.app.install_web(app, settings)`` adds them to the FastAPI app: the cookie session and
CSRF (``sessions``), the security headers (``security``), the page routes (``pages``), and the
static files under ``/static``. Pages call the same domain functions as the API routes; nothing
here decides a rule or a transition of its own. This package imports no submodule on purpose:
``api.routers.verify`` renders its landing page with ``api.web.templating``, and the page routes
import ``api.routers.verify`` back.
"""
