"""``pyjit-lsp`` / ``python -m pyjit_server``: serve LSP on stdio (default) or TCP."""

from __future__ import annotations

import os
import sys

# (The current directory was taken off sys.path when ``-m`` imported the package: see __init__.py.)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The worker's start-up and the first analysis are what the first diagnostics
    # wait for: start it before anything else, even argparse (bad arguments
    # end this process, and the worker with it).
    worker = _start_worker(argv)

    import argparse
    import logging

    from . import __version__

    parser = argparse.ArgumentParser(prog="pyjit-lsp",
                                     description="The pyjit language server (TorchScript in the editor).")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="serve on stdin/stdout (the default)")
    transport.add_argument("--tcp", action="store_true", help="serve on a TCP socket")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument("--log-file", help="write the server log here instead of stderr")
    parser.add_argument("--log-level", default="info", choices=["error", "warning", "info", "debug"],
                        help="until the client's logLevel setting arrives (default info)")
    parser.add_argument("--version", action="version", version=f"pyjit-lsp {__version__}")
    args = parser.parse_args(argv)

    handler: logging.Handler = (logging.FileHandler(args.log_file) if args.log_file
                                else logging.StreamHandler(sys.stderr))
    logging.basicConfig(level=args.log_level.upper(), handlers=[handler],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.log_level != "debug":   # pygls logs every registration and the whole initialize request at info
        for chatty in ("pygls.feature_manager", "pygls.protocol"):
            logging.getLogger(chatty).setLevel(logging.WARNING)

    handshake = None
    if not args.tcp:
        from .protocol.framing import FdReader
        from .protocol.handshake import Handshake

        # Until pygls reads, the stdin thread (sending documents to the worker) and the
        # import of pygls share the GIL: switch often, so the documents do not wait.
        sys.setswitchinterval(0.0005)
        handshake = Handshake(FdReader(sys.stdin.fileno()), sys.stdout.buffer, worker, name="pyjit",
                              version=__version__,
                              answer_early=os.environ.get("PYJIT_LSP_EARLY_INITIALIZE", "1") != "0")
        stdin = handshake.start()

    import gc

    from .protocol.app import log_to_client, server

    # On stdio, stderr keeps only warnings and errors: clients read it as errors.
    log_to_client(stderr_level=logging.NOTSET if args.tcp else logging.WARNING)

    # What is imported so far lives as long as the process: keep collections off it.
    gc.freeze()
    try:
        if handshake is None:
            server.start_tcp(args.host, args.port)
        else:
            server.protocol.answered_early = handshake.answer
            handshake.hand_over()
            server.shown_ahead = handshake.shown
            sys.setswitchinterval(0.005)
            server.start_io(stdin=stdin)
    finally:
        # Also when the client vanished without shutdown: the worker leaves, and
        # whatever still waits for it is told so (nothing may block the exit).
        worker.stop()
    code = server.protocol.exit_code
    return code if code is not None else (0 if server.protocol.shut_down else 1)


def _start_worker(argv: list[str]):
    """The analysis worker, started now (it loads the analyses while this
    process imports pygls); None when the command only prints and exits."""
    if any(flag in argv for flag in ("-h", "--help", "--version")):
        return None
    from .worker.client import configure_worker

    worker = configure_worker(log_level=_flag(argv, "--log-level", "info").upper(), log_file=_flag(argv, "--log-file"),
                       fork=True)
    worker.start()
    return worker


def _flag(argv: list[str], name: str, default: str | None = None) -> str | None:
    """``--name value`` or ``--name=value`` (argparse checks them properly later)."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


if __name__ == "__main__":
    sys.exit(main())
