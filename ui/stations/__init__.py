"""The main window's tabs; each is ``Tab(ctx, parent=None)`` taking a ``ui.context.UiContext``."""
