"""Public notices in several languages, published as CAP 1.2 and an Atom feed."""
