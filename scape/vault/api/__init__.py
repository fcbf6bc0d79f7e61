"""The vault's part of the v1 API."""
