"""Articles, their file format, importers and the user's library (no Textual here)."""
