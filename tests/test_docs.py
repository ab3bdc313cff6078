"""The documentation says what the program does: settings, CLI commands, the Slack manifest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from slack_bolt.async_app import AsyncApp

import bots.slack.app as slack_app
from bots.cli import build_app
from bots.clikit import FIRST_COMMANDS
from bots.settings import Settings
from core.i18n import t

ROOT = Path(__file__).resolve().parent.parent
ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)
TABLE_NAME = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.MULTILINE)
TABLE_COMMAND = re.compile(r"^\| (`helpdesk .*?) \|", re.MULTILINE)
"""The first cell of a row of the CLI table (a `\\|` in it is no cell's end)."""


def section(title: str) -> str:
    """The README's `## title` section, up to the next `## ` heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end != -1 else None]


SETTINGS = [name.upper() for name in Settings.model_fields]


def test_every_setting_is_in_env_example_in_order_and_nothing_else() -> None:
    """.env.example lists every Settings field, in the same order, and no variable that is
    not one (a name there that no setting reads would be silently ignored)."""
    documented = ENV_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8"))
    assert documented == SETTINGS


def test_readme_configuration_table_names_every_setting_and_nothing_else() -> None:
    """The README's configuration table has one row per setting, in .env.example's order,
    and no row for a variable the program does not read."""
    rows = TABLE_NAME.findall(section("Configuration"))
    assert rows == SETTINGS


def commands(group: Any, path: str = "helpdesk") -> list[str]:
    """Every command the CLI runs, by its full name (`helpdesk user add`)."""
    found = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer's own click: no click.Group)
            found += commands(command, f"{path} {name}")
        else:
            found.append(f"{path} {name}")
    return found


def test_readme_cli_table_has_every_command_and_no_other() -> None:
    """Each command of `helpdesk --help` (and each subcommand) has a row in the README's CLI
    table, and each row names a command that exists."""
    existing = set(commands(typer.main.get_command(build_app())))
    named: set[str] = set()
    order: list[str] = []
    for cell in TABLE_COMMAND.findall(section("CLI")):
        for part in re.findall(r"`([^`]+)`", cell):  # `user list …` / `user train EMAIL`
            words = part.removeprefix("helpdesk ").split()
            name = " ".join(w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w))
            named.add(f"helpdesk {name}")
            order += [words[0]] if words[0] not in order else []
    assert order == list(FIRST_COMMANDS), "the table's order is `helpdesk --help`'s"
    named = {n if n in existing else n.rsplit(" ", 1)[0] for n in named}
    assert existing - named == set(), "commands missing from README's CLI table"
    assert named - existing == set(), "README's CLI table names commands that do not exist"


class RecordingApp(AsyncApp):
    """bolt's AsyncApp that notes what the help desk registers on it."""

    registered: dict[str, list[Any]] = {}

    def _note(self, kind: str, what: Any) -> None:
        RecordingApp.registered.setdefault(kind, []).append(what)

    def command(self, command: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("command", command)
        return super().command(command, *args, **kwargs)

    def event(self, event: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("event", event)
        return super().event(event, *args, **kwargs)

    def action(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("action", constraints)
        return super().action(constraints, *args, **kwargs)

    def view(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("view", constraints)
        return super().view(constraints, *args, **kwargs)

    def options(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self._note("options", constraints)
        return super().options(constraints, *args, **kwargs)


MESSAGE_EVENTS = {"message.channels", "message.groups", "message.im"}
"""The subscriptions the `message` listener serves: replies in a card's thread in the triage
and development channels (public or private) and the bot's DMs."""


def test_slack_manifest_declares_every_command_and_event_the_app_registers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """slack-manifest.yml, pasted as the README says, subscribes to every event and declares
    every slash command the app listens to (and none it ignores), and points the
    interactivity and select-options URLs at the route when the app has buttons, forms and
    searched selects."""
    RecordingApp.registered = {}
    monkeypatch.setattr(slack_app, "AsyncApp", RecordingApp)
    settings = Settings(slack_bot_token="xoxb-test", slack_signing_secret="secret",
                        slack_api_url="http://127.0.0.1:9/api/")
    slack_app.build_app(settings, desk=object())  # type: ignore[arg-type]
    got = RecordingApp.registered
    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared == set(got["command"])
    wanted = set()
    for event in got["event"]:
        wanted |= MESSAGE_EVENTS if event == "message" else {event}
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == wanted
    interactivity = manifest["settings"]["interactivity"]
    assert interactivity["is_enabled"] is bool(got.get("action") or got.get("view"))
    assert bool(interactivity.get("message_menu_options_url")) is bool(got.get("options"))
    if "app_home_opened" in got["event"]:
        assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [manifest["settings"]["event_subscriptions"]["request_url"],
             interactivity["request_url"], interactivity["message_menu_options_url"]]
    assert all(url.endswith(slack_app.EVENTS_PATH) for url in urls)


def test_slack_manifest_usage_hint_names_every_ticket_subcommand() -> None:
    """`/ticket`'s hint in Slack's composer lists what `/ticket ajuda` lists."""
    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    (ticket,) = manifest["features"]["slash_commands"]
    listed = set(re.findall(r"`/ticket (\w+)", t("slack.cmd.help", "pt_BR")))
    hint = set(re.findall(r"\w+", ticket["usage_hint"]))
    assert listed - hint == set()


def test_readme_slack_section_names_what_the_manifest_declares() -> None:
    """Whoever sets the Slack app up by hand reads in the README every slash command, event
    and scope the manifest declares, and no scope it does not ask for."""
    manifest = yaml.safe_load((ROOT / "slack-manifest.yml").read_text(encoding="utf-8"))
    text = section("Connecting a Slack app")
    declared = [c["command"] for c in manifest["features"]["slash_commands"]]
    declared += manifest["settings"]["event_subscriptions"]["bot_events"]
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert [name for name in [*declared, *scopes] if f"`{name}`" not in text] == []
    named_scopes = set(re.findall(r"`([a-z]+(?:\.[a-z]+)*:[a-z]+)`", text))
    # connections:write is the app-level token's (Socket Mode), not the bot's
    assert named_scopes - {"connections:write"} == {s for s in scopes if ":" in s}


def test_readme_and_env_example_give_each_settings_default() -> None:
    """A default changed in bots/settings.py is changed in the README's table and in
    .env.example too: copying .env.example as it is changes nothing."""
    rows = dict(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|", section("Configuration"),
                           re.MULTILINE))
    env = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$",
                          (ROOT / ".env.example").read_text(encoding="utf-8"), re.MULTILINE))
    wrong = []
    for name, field in Settings.model_fields.items():
        default, shown, copied = field.default, rows[name.upper()].strip(), env[name.upper()]
        if default is None:  # unset: said in words ("—", "(empty)", what DB_WORKERS picks)
            ok = copied == "" and not shown.startswith("`None`")
        else:
            ok = shown == f"`{default}`" and copied == str(default)
        wrong += [] if ok else [(name.upper(), default, shown, copied)]
    assert wrong == []
