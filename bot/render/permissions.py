"""Permissions as Discord's settings name them: `manage_guild` is "Manage Server"."""
from __future__ import annotations

# discord.py attribute -> the name in Discord's role and channel settings, where the two differ
# from the attribute written in title case.
UI_NAMES = {
    "manage_guild": "Manage Server",
    "view_channel": "View Channels",
    "read_messages": "View Channels",
    "manage_channels": "Manage Channels",
    "manage_roles": "Manage Roles",
    "manage_messages": "Manage Messages",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
    "view_guild_insights": "View Server Insights",
    "administrator": "Administrator",
    "use_application_commands": "Use Application Commands",
}


def permission_name(attribute: str) -> str:
    return UI_NAMES.get(attribute, attribute.replace("_", " ").title())


def permission_names(attributes: list[str] | tuple[str, ...]) -> str:
    """`["manage_guild"]` -> "Manage Server"; several are joined with commas and "and"."""
    names = [permission_name(a) for a in attributes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
