"""The Textual app: screens, widgets, keymap and styles."""
