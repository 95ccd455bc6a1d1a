"""The pygls side of the server: the protocol with the editor.

* :mod:`.app` -- the server instance and which handler answers which method;
* :mod:`.features` -- the handlers (short: take the params apart, ask the server);
* :mod:`.language_server` -- the server's state and the work behind each feature;
* :mod:`.lifecycle` -- pygls' protocol held to the LSP lifecycle;
* :mod:`.handshake` and :mod:`.framing` -- ``initialize`` answered before pygls
  is imported, and every message framed so that a malformed one deafens nothing;
* :mod:`.configuration` -- what the editor says about settings, forwarded;
* :mod:`.progress` -- ``window/workDoneProgress`` for long analyses;
* :mod:`.convert` -- core ↔ lsprotocol (the only place positions change units).
"""
