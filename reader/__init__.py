"""reader: listen to and navigate Chinese articles with the keyboard alone.

The package is layered one way: ``reader.text``, ``reader.speech`` and
``reader.library`` never import Textual, so each works from the command line and
from tests on its own; ``reader.ui`` builds the terminal app on top of them.
"""

__version__ = "0.1.0"
