"""Reading themes as data (TOML); loaded by reader.layout.theme without importing Textual."""
