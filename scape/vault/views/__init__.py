"""The vault's pages: evidence and cases (items), playing and downloading (media),
redacted copies (redaction) and the upload page (upload)."""
