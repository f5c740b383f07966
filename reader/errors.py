"""The one exception type that reaches the user as a one-line message.

Anything raised as :class:`UserError` is printed as ``reader: <message>`` with
a non-zero exit and no traceback; the message names the file or key at fault
and the reason.  Everything else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """A problem with the user's input or files, explained in one line."""
