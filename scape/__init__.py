"""SCAPE: cross-border public-order platform."""
