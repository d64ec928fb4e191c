"""The command methods, one mixin per family, combined into Commands."""

from .hashes import HashCommands
from .keys import KeyCommands
from .lists import ListCommands
from .server import ServerCommands
from .sets import SetCommands
from .streams import StreamCommands
from .strings import BitFieldOperation, StringCommands
from .zsets import SortedSetCommands


class Commands(
    StringCommands,
    KeyCommands,
    HashCommands,
    ListCommands,
    SetCommands,
    SortedSetCommands,
    StreamCommands,
    ServerCommands,
):
    """Every command method. Subclasses provide execute_command."""


__all__ = ["Commands", "BitFieldOperation"]
