"""What the editor says about settings, forwarded to the worker as it was said.

There is one reader of settings: the worker's
:class:`pyjit_core.settings.SettingsResolver` (layers, pyproject.toml,
search paths, environment; see there). The server keeps what the editor
said -- the ``initialize`` params, each ``workspace/configuration``
answer, ``didChangeConfiguration``, the workspace folders -- as one
:class:`pyjit_server.worker.messages.EditorSettings` and sends it whole
whenever it changes (and to every new worker). The worker reports the
problems it finds; the server shows each once.

The server reads one setting for itself, ``logLevel``, with the core's
parser: the level its own log is written at.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any

from pyjit_core.config import Config
from pyjit_core.settings import SECTION, parse_editor_settings

from ..worker.messages import EditorSettings

_LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}


class EditorConfiguration:
    """The editor's settings as said, and the server's log level from them."""

    def __init__(self) -> None:
        self.said = EditorSettings({})

    def initialize(self, params: dict[str, Any]) -> EditorSettings:
        """``params``: the ``initialize`` params as JSON."""
        self.said = EditorSettings.of_initialize(params)
        return self.said

    def answered(self, unscoped: Any, scoped: Iterable[tuple[str, Any]]) -> EditorSettings:
        """The ``workspace/configuration`` answers: without a scope, and per folder path."""
        self.said = dataclasses.replace(self.said, unscoped=unscoped, scoped=tuple(scoped))
        return self.said

    def changed(self, settings: Any) -> EditorSettings:
        """``didChangeConfiguration`` from a client that cannot be asked (its ``settings``)."""
        if isinstance(settings, dict) and SECTION in settings:
            settings = settings[SECTION]
        self.said = dataclasses.replace(self.said, unscoped=settings)
        return self.said

    def folders(self, paths: Iterable[str]) -> EditorSettings:
        self.said = dataclasses.replace(self.said, folders=tuple(paths))
        return self.said

    @property
    def log_level(self) -> int:
        """The editor's ``logLevel`` (problems are the worker's to report)."""
        config, _ = parse_editor_settings(self.said.initialize.get("initializationOptions"))
        if self.said.unscoped is not None:
            config, _ = parse_editor_settings(self.said.unscoped, base=config)
        return _LOG_LEVELS.get(config.log_level, _LOG_LEVELS[Config().log_level])


def apply_log_level(level: int) -> None:
    """pyjit logs at ``level``; pygls' own chatter only at debug."""
    logging.getLogger().setLevel(level)
    for chatty in ("pygls.feature_manager", "pygls.protocol"):
        logging.getLogger(chatty).setLevel(level if level <= logging.DEBUG else max(level, logging.WARNING))
