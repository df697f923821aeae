"""Document renderers: generated files (model card, FHIR mapping, contract) are made from the same
tables the service runs on, by `make docs`, and tests hold them fresh. Not shipped in the image."""
