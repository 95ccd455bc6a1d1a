"""What travels between the language server and its analysis worker.

Both ends are this package (see :mod:`.wire`), so these are plain frozen
dataclasses, pickled. This module imports only the standard library and
:mod:`pyjit_core`: the worker never imports pygls or lsprotocol.

* :class:`Job` -- one analysis: a document's text at one version. The one job type.
* :class:`Result` -- what one analysis found, named by the job's handle. The one result type.
* :class:`AnalysisKey` -- an analysis' identity: equal keys give equal answers, so the
  worker hands back the earlier result instead of analysing again.
* :class:`EarlyDiagnostics` -- a document's diagnostics from the result cache, ahead of its first analysis.
* :class:`EditorSettings` -- what the editor said about settings, forwarded as said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:   # not imported for the handshake, before pygls (unpickling a result imports them)
    from pyjit_core.diagnostics import Diagnostic
    from pyjit_core.settings import FileContext, SettingsResolver


@dataclass(frozen=True)
class Job:
    """One analysis of one document version.

    ``handle`` names the result in the worker (negative: asked for ahead of the
    server, at start-up). ``previous`` is the handle of the document's last
    result: the functions an edit did not touch keep their graphs, and when
    nothing the analysis reads changed, that result is the answer.
    """

    handle: int
    uri: str
    path: str
    version: int | None
    text: str
    previous: int | None = None


@dataclass(frozen=True)
class AnalysisKey:
    """Everything an analysis' answer depends on: its file, its text, the file's
    settings and environment, and the revision of every module it read."""

    path: str
    text: tuple[int, int]                    # (len, hash) of the analysed text
    context: FileContext
    modules: tuple[tuple[str, int], ...]     # (path, revision) of each module read


@dataclass(frozen=True)
class Result:
    """What one analysis found; the analysis itself stays in the worker under ``handle``."""

    handle: int
    uri: str
    path: str
    version: int | None
    key: AnalysisKey
    diagnostics: tuple[Diagnostic, ...]      # the file's, as an editor shows them
    deps: frozenset[str]                     # paths of every other module the analysis read
    has_roots: bool
    seconds: float                           # spent analysing (0 when an earlier result answered)
    resident_mb: float | None = field(default=None, compare=False)   # the worker's, afterwards


@dataclass(frozen=True)
class EarlyDiagnostics:
    """A document's diagnostics from the result cache, sent as its first analysis begins
    (see :mod:`pyjit_core.result_cache`): shown at once if the editor's settings then
    still give ``context``; the analysis' own :class:`Result` follows."""

    handle: int
    uri: str
    path: str
    version: int | None
    diagnostics: tuple[Diagnostic, ...]
    # The settings and environment the lookup used (a FileContext), pickled: unpickling it
    # imports pyjit_core's settings (~40 ms), which the handshake needs only when settings changed.
    packed_context: bytes

    @staticmethod
    def of(handle: int, uri: str, path: str, version: int | None, diagnostics: tuple[Diagnostic, ...],
           context: FileContext) -> EarlyDiagnostics:
        import pickle

        return EarlyDiagnostics(handle, uri, path, version, diagnostics, pickle.dumps(context))

    @property
    def context(self) -> FileContext:
        import pickle

        return pickle.loads(self.packed_context)


@dataclass(frozen=True)
class EditorSettings:
    """Everything the editor said about settings, as it said it (JSON values).

    The worker's :class:`pyjit_core.settings.SettingsResolver` reads it; the
    server only forwards it, and sends it again to a worker that replaces
    one that stopped.
    """

    initialize: dict[str, Any]                        # initialize params: folders, root, initializationOptions
    folders: tuple[str, ...] | None = None            # the workspace folders since (None: as initialize said)
    unscoped: Any = None                              # unscoped workspace/configuration, or didChangeConfiguration
    scoped: tuple[tuple[str, Any], ...] = ()          # (folder path, its workspace/configuration answer)

    def resolver(self, **kwargs: Any) -> SettingsResolver:
        """The settings resolver these settings make (the worker's, and the server's check of
        :class:`EarlyDiagnostics`)."""
        from pyjit_core.settings import SettingsResolver

        resolver = SettingsResolver.from_initialize(self.initialize, **kwargs)
        if self.folders is not None:
            resolver.set_folders(self.folders)
        if self.unscoped is not None:
            resolver.set_folder_settings(None, self.unscoped)
        for folder, raw in self.scoped:
            resolver.set_folder_settings(folder, raw)
        return resolver

    @staticmethod
    def of_initialize(params: Any) -> EditorSettings:
        """The parts of ``initialize``'s JSON params that settings come from."""
        params = params if isinstance(params, dict) else {}
        return EditorSettings({k: params[k] for k in ("workspaceFolders", "rootUri", "rootPath",
                                                       "initializationOptions") if k in params})
