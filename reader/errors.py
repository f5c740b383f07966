"""The one exception type that reaches the user as a one-line message.

Anything raised as :class:`UserError` is printed as ``reader: <message>`` with
a non-zero exit and no traceback; the message names the file or key at fault
and the reason.  Everything else is a bug and keeps its traceback.

The message is English.  An optional ``code`` and ``details`` say the same
thing as data, so the command line can say it in the interface language
(:func:`reader.commands.strings.error_line`) without parsing English text.
"""


class UserError(Exception):
    """A problem with the user's input or files, explained in one line."""

    def __init__(self, *args: object, code: str = "", **details: object) -> None:
        super().__init__(*args)
        self.code = code
        self.details = details
