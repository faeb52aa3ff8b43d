"""What every tab receives: who is logged in, the station's settings, events and feedback."""

from __future__ import annotations

from dataclasses import dataclass

from app.kernel.actor import Actor
from ui.events import AppEvents
from ui.settings import Settings
from ui.widgets.feedback import Feedback


@dataclass
class UiContext:
    actor: Actor
    settings: Settings
    events: AppEvents
    feedback: Feedback
    db_url: str
