"""HTTP plumbing: the envelope around every request, the fast lane, bodies, security, problems,
request ids and the OpenAPI wiring. No clinical logic lives here."""
