"""Operations: the gunicorn worker, logs and metrics."""
