"""pygls' protocol, held to the LSP lifecycle, and answering every request it can.

On top of pygls' :class:`LanguageServerProtocol`:

* the position encoding: UTF-8 when the client offers it, else UTF-16;
* the lifecycle, as the specification words it: before ``initialize`` a
  request gets error -32002 (ServerNotInitialized) -- ``shutdown`` too, and
  ``initialize`` still works afterwards -- and a notification is dropped;
  after ``shutdown`` a request gets InvalidRequest; ``exit`` ends the
  process with code 0 after ``shutdown`` and 1 without (:attr:`exit_code`);
* a request whose params do not fit its method (null, wrong types, a
  position that is negative or ≥ 2³¹) gets InvalidParams -- pygls, which
  meets the problem while decoding the message, would log it and answer nothing;
* ``initialize`` answered early (:mod:`.handshake`): pygls' own answer is
  compared with the one sent and dropped.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCRequest
from pygls.protocol.language_server import lsp_method

logger = logging.getLogger(__name__)

_ANSWERED = object()   # a message answered while it was decoded: nothing more to do


class PyjitProtocol(LanguageServerProtocol):
    #: Set when :mod:`.handshake` answered ``initialize`` before pygls was imported.
    answered_early: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_received = False
        #: How ``exit`` ends the process (None until it came).
        self.exit_code: int | None = None

    @property
    def shut_down(self) -> bool:
        return self._shutdown

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        self.initialize_received = True
        general = params.capabilities.general
        if general is not None and general.position_encodings is not None:
            offered = general.position_encodings
            utf8 = types.PositionEncodingKind.Utf8
            general.position_encodings = [utf8] if utf8 in offered else []
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any):
        self.exit_code = 0 if self._shutdown else 1
        return (yield from super().lsp_exit(*args))

    # --- messages ----------------------------------------------------------------------------

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as e:
            if not (isinstance(data, dict) and "id" in data and isinstance(data.get("method"), str)):
                raise   # a notification or a response: nothing to answer
            method = data["method"]
            error = JsonRpcInvalidParams(f"invalid params for {method}") if isinstance(e, JsonRpcInvalidParams) else e
            logger.warning("answered %s (id %r) with an error: %s", method, data["id"], error.message)
            self._send_response(data["id"], error=error.to_response_error())
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is _ANSWERED:
            return
        method = getattr(message, "method", None)
        if method is None or method == types.EXIT:
            return super().handle_message(message)   # responses to our requests, and exit, always count
        request = isinstance(message, RPCRequest)
        if not self.initialize_received and method != types.INITIALIZE:
            if request:
                self._refuse(message, JsonRpcServerNotInitialized("the server is not initialized yet"))
            else:
                logger.warning("dropped %s: the server is not initialized yet", method)
            return
        if self._shutdown or (method == types.INITIALIZE and self._workspace is not None):
            if request:
                why = "the server is shutting down" if self._shutdown else "initialize was received already"
                self._refuse(message, JsonRpcInvalidRequest(why))
            return
        super().handle_message(message)

    def _refuse(self, message: Any, error: JsonRpcException) -> None:
        logger.warning("answered %s (id %r) with an error: %s", message.method, message.id, error.message)
        self._send_response(message.id, error=error.to_response_error())

    def _send_response(self, msg_id, result=None, error=None):
        early = self.answered_early
        if early is None or msg_id != early.request_id:
            return super()._send_response(msg_id, result, error)
        # The client has its answer already; this one only checks that it was the same.
        self.answered_early = None
        ours = None if error is not None else json.loads(json.dumps(result, default=self._serialize_message))
        if ours != early.result:
            logger.warning("initialize was answered early with %s; pygls answers %s",
                           json.dumps(early.result), json.dumps(ours) if error is None else error)
