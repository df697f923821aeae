"""WSGI entry point: `gunicorn wsgi:app`."""

from service import create_app
from service.config import ConfigError

try:
    app = create_app()
except ConfigError as error:  # a setting the operator gave: one line that names it, not a traceback
    raise SystemExit(f"Configuration error, the service did not start: {error}") from None
