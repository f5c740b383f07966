"""Command-line sub-commands; each module registers its own (see reader.cli)."""
