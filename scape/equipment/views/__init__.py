"""Equipment pages, by subject: assets and custody, inventory files, flights and shifts."""
