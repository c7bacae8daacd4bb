"""Tab keys: each panel lists its keys as :class:`PanelKey`; the app binds them all.

Every key is an app-level priority binding (see ``StrikeboardApp.BINDINGS``) named
``<pane>.<method>``; pressing it shows the pane's tab and calls ``method`` on its panel.
The footer, the help screen and the command palette are built from the same tuples.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PanelKey:
    """A key of one tab: bound by the app, offered in the palette and the help screen."""

    keys: str  # Textual key names, comma-separated
    method: str  # a panel method taking no argument
    description: str  # the footer's word
    title: str  # the palette's command
    help: str  # the palette's explanation (ends with the key in brackets)
    show: bool = True  # shown in the footer
    while_typing: bool = False  # also active while a text box has focus (function/ctrl keys only)
