"""The service exactly as wsgi.py serves it, with one probe: every response the Flask app
itself produced carries `X-Via-Flask`, so a live test can tell which ones the fast lane gave."""

from wsgi import app

_flask = app.wsgi_app.wsgi_app  # the Envelope wraps the Flask app; the probe sits between


def _via_flask(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Via-Flask", "1")], exc_info)

    return _flask(environ, start)


app.wsgi_app.wsgi_app = _via_flask
