"""The protocol between Amparo servers: signed envelopes, replay protection, pull and push of
a sharing group's changes. Imports nothing from Django; the specification is
docs/federation.md."""
