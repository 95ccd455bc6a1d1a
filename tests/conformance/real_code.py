"""Real code: torch's own ``nn.functional`` and ``nn.modules`` files, scripted by torch.

The second mode of the conformance runner: instead of the corpus, the
installed torch's ``torch/nn/functional.py`` (every top-level function) and
``torch/nn/modules/{activation,linear,conv,pooling,normalization}.py``
(every ``nn.Module`` subclass, instantiated with the arguments in
:data:`CONSTRUCTORS`). Run ``python -m tests.conformance.real_code`` to
regenerate ``expected/real_code/torch-<version>/*.json`` (needs torch), or
with ``--check`` to compare a live run with the committed files.

The file paths and module names come from the installed torch package,
found without importing it, so the runner's side needs no torch either --
only torch's source files, which are what pyjit reads.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.metadata
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from pyjit_core.frontend.pyworld import default_torch_root

from .corpus_roots import repo_relative
from .torch_side import (
    EXPECTED_DIR,
    GraphCollector,
    Redactor,
    _error_facts,
    demangle,
    dump,
    graph_facts,
)

#: stem -> module name; the file is the module's source in the installed torch.
REAL_MODULES = {
    "functional": "torch.nn.functional",
    "activation": "torch.nn.modules.activation",
    "linear": "torch.nn.modules.linear",
    "conv": "torch.nn.modules.conv",
    "pooling": "torch.nn.modules.pooling",
    "normalization": "torch.nn.modules.normalization",
    # the rest of nn/modules that holds modules torch scripts
    "adaptive": "torch.nn.modules.adaptive",
    "batchnorm": "torch.nn.modules.batchnorm",
    "channelshuffle": "torch.nn.modules.channelshuffle",
    "container": "torch.nn.modules.container",
    "distance": "torch.nn.modules.distance",
    "dropout": "torch.nn.modules.dropout",
    "flatten": "torch.nn.modules.flatten",
    "fold": "torch.nn.modules.fold",
    "instancenorm": "torch.nn.modules.instancenorm",
    "loss": "torch.nn.modules.loss",
    "padding": "torch.nn.modules.padding",
    "pixelshuffle": "torch.nn.modules.pixelshuffle",
    "rnn": "torch.nn.modules.rnn",
    "sparse": "torch.nn.modules.sparse",
    "transformer": "torch.nn.modules.transformer",
    "upsampling": "torch.nn.modules.upsampling",
}

#: The files the corpus runner's ``--real-code`` mode scores with the instances
#: appended (its thresholds were set on these); ``as_opened.py`` reads them all.
RUNNER_MODULES = ("functional", "activation", "linear", "conv", "pooling", "normalization")

#: Constructor arguments per class (args, kwargs): small and realistic. A
#: class not listed is built with no arguments; one that cannot be built is
#: recorded under "not_instantiated" with the reason.
CONSTRUCTORS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    # activation
    "Threshold": ((0.1, 20.0), {}),
    "MultiheadAttention": ((8, 2), {}),
    "Softmin": ((), {"dim": 1}),
    "Softmax": ((), {"dim": 1}),
    "LogSoftmax": ((), {"dim": 1}),
    # linear
    "Linear": ((4, 3), {}),
    "NonDynamicallyQuantizableLinear": ((4, 3), {}),
    "Bilinear": ((3, 4, 5), {}),
    "LazyLinear": ((3,), {}),
    # conv
    "_ConvNd": ((2, 4, (3, 3), (1, 1), (0, 0), (1, 1), False, (0, 0), 1, True, "zeros"), {}),
    "Conv1d": ((2, 4, 3), {}),
    "Conv2d": ((2, 4, 3), {"padding": 1}),
    "Conv3d": ((2, 4, 3), {}),
    "_ConvTransposeNd": ((2, 4, (3, 3), (1, 1), (0, 0), (1, 1), True, (0, 0), 1, True, "zeros"), {}),
    "ConvTranspose1d": ((2, 4, 3), {}),
    "ConvTranspose2d": ((2, 4, 3), {"stride": 2}),
    "ConvTranspose3d": ((2, 4, 3), {}),
    "LazyConv1d": ((4, 3), {}),
    "LazyConv2d": ((4, 3), {}),
    "LazyConv3d": ((4, 3), {}),
    "LazyConvTranspose1d": ((4, 3), {}),
    "LazyConvTranspose2d": ((4, 3), {}),
    "LazyConvTranspose3d": ((4, 3), {}),
    # pooling
    "_MaxPoolNd": ((2,), {}),
    "MaxPool1d": ((2,), {}),
    "MaxPool2d": ((2,), {"stride": 2}),
    "MaxPool3d": ((2,), {}),
    "MaxUnpool1d": ((2,), {}),
    "MaxUnpool2d": ((2,), {}),
    "MaxUnpool3d": ((2,), {}),
    "AvgPool1d": ((2,), {}),
    "AvgPool2d": ((2,), {}),
    "AvgPool3d": ((2,), {}),
    "FractionalMaxPool2d": ((3,), {"output_size": 2}),
    "FractionalMaxPool3d": ((3,), {"output_size": 2}),
    "_LPPoolNd": ((2.0, 2), {}),
    "LPPool1d": ((2.0, 2), {}),
    "LPPool2d": ((2.0, 2), {}),
    "LPPool3d": ((2.0, 2), {}),
    "_AdaptiveMaxPoolNd": ((2,), {}),
    "AdaptiveMaxPool1d": ((2,), {}),
    "AdaptiveMaxPool2d": ((2,), {}),
    "AdaptiveMaxPool3d": ((2,), {}),
    "_AdaptiveAvgPoolNd": ((2,), {}),
    "AdaptiveAvgPool1d": ((2,), {}),
    "AdaptiveAvgPool2d": ((2,), {}),
    "AdaptiveAvgPool3d": ((2,), {}),
    # normalization
    "LocalResponseNorm": ((2,), {}),
    "CrossMapLRN2d": ((2,), {}),
    "LayerNorm": ((4,), {}),
    "GroupNorm": ((2, 4), {}),
    "RMSNorm": ((4,), {}),
    # adaptive
    "AdaptiveLogSoftmaxWithLoss": ((8, 10, [4]), {}),
    # batchnorm
    "_NormBase": ((4,), {}),
    "_BatchNorm": ((4,), {}),
    "BatchNorm1d": ((4,), {}),
    "BatchNorm2d": ((4,), {}),
    "BatchNorm3d": ((4,), {}),
    "SyncBatchNorm": ((4,), {}),
    # channelshuffle
    "ChannelShuffle": ((2,), {}),
    # flatten
    "Unflatten": ((1, (2, 2)), {}),
    # fold
    "Fold": (((4, 5), (2, 2)), {}),
    "Unfold": (((2, 2),), {}),
    # instancenorm
    "_InstanceNorm": ((4,), {}),
    "InstanceNorm1d": ((4,), {}),
    "InstanceNorm2d": ((4,), {}),
    "InstanceNorm3d": ((4,), {}),
    # loss
    "LinearCrossEntropyLoss": ((4, 3), {}),
    # padding
    "_ConstantPadNd": ((0.5,), {}),
    "CircularPad1d": ((1,), {}),
    "CircularPad2d": ((1,), {}),
    "CircularPad3d": ((1,), {}),
    "ConstantPad1d": ((1, 0.5), {}),
    "ConstantPad2d": ((1, 0.5), {}),
    "ConstantPad3d": ((1, 0.5), {}),
    "ReflectionPad1d": ((1,), {}),
    "ReflectionPad2d": ((1,), {}),
    "ReflectionPad3d": ((1,), {}),
    "ReplicationPad1d": ((1,), {}),
    "ReplicationPad2d": ((1,), {}),
    "ReplicationPad3d": ((1,), {}),
    "ZeroPad1d": ((1,), {}),
    "ZeroPad2d": ((1,), {}),
    "ZeroPad3d": ((1,), {}),
    # pixelshuffle
    "PixelShuffle": ((2,), {}),
    "PixelUnshuffle": ((2,), {}),
    # rnn
    "RNNBase": (("LSTM", 4, 8), {}),
    "RNN": ((4, 8), {}),
    "LSTM": ((4, 8), {}),
    "GRU": ((4, 8), {}),
    "RNNCellBase": ((4, 8, True, 4), {}),
    "RNNCell": ((4, 8), {}),
    "LSTMCell": ((4, 8), {}),
    "GRUCell": ((4, 8), {}),
    # sparse
    "Embedding": ((10, 3), {}),
    "EmbeddingBag": ((10, 3), {}),
    # transformer (TransformerEncoder/Decoder take a layer instance: not instantiated)
    "Transformer": ((), {"d_model": 8, "nhead": 2, "num_encoder_layers": 1, "num_decoder_layers": 1,
                         "dim_feedforward": 16}),
    "TransformerEncoderLayer": ((8, 2, 16), {}),
    "TransformerDecoderLayer": ((8, 2, 16), {}),
    # upsampling
    "Upsample": ((), {"scale_factor": 2.0}),
    "UpsamplingNearest2d": ((), {"scale_factor": 2.0}),
    "UpsamplingBilinear2d": ((), {"scale_factor": 2.0}),
}


def installed_torch() -> tuple[Path, str] | None:
    """(the torch package directory, its version), without importing torch."""
    root = default_torch_root()
    if root is None:
        return None
    return Path(root).resolve(), importlib.metadata.version("torch")


def real_file(torch_dir: Path, module_name: str) -> Path:
    return torch_dir.joinpath(*module_name.split(".")[1:]).with_suffix(".py")


def expected_dir(version: str) -> Path:
    return EXPECTED_DIR / "real_code" / f"torch-{version}"


def static_roots(source: str, modules: bool) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of each top-level function, or class (last definition wins)."""
    wanted = ast.ClassDef if modules else (ast.FunctionDef, ast.AsyncFunctionDef)
    found: dict[str, tuple[str, int, int]] = {}
    for stmt in ast.parse(source).body:
        if isinstance(stmt, wanted):
            found[stmt.name] = (stmt.name, stmt.lineno, stmt.end_lineno or stmt.lineno)
    return list(found.values())


def run_real(stems: list[str] | None = None) -> dict[str, dict[str, Any]]:
    import warnings

    # torch's sources take another path when numpy is importable (functional.py's
    # `np` is a module, not None); the expectations are recorded without it.
    if "torch" not in sys.modules:
        sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    import torch

    warnings.filterwarnings("ignore")
    redact = Redactor(torch)
    all_modules = set(REAL_MODULES.values())
    out: dict[str, dict[str, Any]] = {}
    for stem, module_name in REAL_MODULES.items():
        if stems and stem not in stems:
            continue
        start = time.perf_counter()
        module = importlib.import_module(module_name)
        path = Path(module.__file__).resolve()  # type: ignore[arg-type]
        source = path.read_text(encoding="utf-8")
        is_modules = stem != "functional"
        collector = GraphCollector(torch, module_name, all_modules)
        roots: list[dict[str, Any]] = []
        not_instantiated: list[dict[str, str]] = []
        graphs: dict[str, dict[str, Any]] = {}
        for name, first, last in static_roots(source, is_modules):
            obj = getattr(module, name, None)
            if is_modules:
                if not (isinstance(obj, type) and issubclass(obj, torch.nn.Module)):
                    continue
                args, kwargs = CONSTRUCTORS.get(name, ((), {}))
                try:
                    target = obj(*args, **kwargs)
                except Exception as e:
                    not_instantiated.append({"name": name, "error": f"{type(e).__name__}: {e}"})
                    continue
                kind = "module"
            else:
                target = obj
                kind = "function"
            entry: dict[str, Any] = {"name": name, "kind": kind, "first_line": first, "last_line": last,
                                     "script_call_line": None}
            try:
                result = torch.jit.script(target)
            except Exception as e:
                entry.update(accepted=False, error=_error_facts(e, str(path), redact), graphs=[])
                roots.append(entry)
                continue
            keys = []
            for qn, graph in collector.collect(kind, target, result).items():
                key = demangle(qn)
                if key not in graphs:
                    graphs[key] = {"qualified_name": key, **graph_facts(graph, str(path), redact)}
                keys.append(key)
            entry.update(accepted=True, error=None, graphs=keys)
            roots.append(entry)
        out[stem] = {
            "format": 1,
            "torch_version": torch.__version__,
            "file": redact(str(path)),
            "module_name": module_name,
            "source_sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
            "constructors": {r["name"]: repr(CONSTRUCTORS[r["name"]]) for r in roots if r["name"] in CONSTRUCTORS},
            "roots": roots,
            "not_instantiated": not_instantiated,
            "graphs": dict(sorted(graphs.items())),
            "_seconds": round(time.perf_counter() - start, 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Record what torch.jit.script does with torch's own nn files.")
    p.add_argument("--check", action="store_true", help="compare a live run with the committed expectations")
    p.add_argument("stems", nargs="*", help=f"files (default: all): {', '.join(REAL_MODULES)}")
    args = p.parse_args(argv)
    unknown = [s for s in args.stems if s not in REAL_MODULES]
    if unknown:
        p.error(f"unknown: {unknown}")
    found = installed_torch()
    if found is None:
        print("torch is not installed", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run_real(args.stems or None)
    elapsed = time.perf_counter() - start
    target_dir = expected_dir(found[1])
    summary = ", ".join(
        f"{stem}: {sum(r['accepted'] for r in d['roots'])}/{len(d['roots'])} scripted"
        + (f", {len(d['not_instantiated'])} not instantiated" if d["not_instantiated"] else "")
        for stem, d in results.items())
    if args.check:
        stale = [stem for stem, d in results.items()
                 if not (target_dir / f"{stem}.json").is_file()
                 or (target_dir / f"{stem}.json").read_text(encoding="utf-8") != dump(d)]
        for stem in stale:
            print(f"differs from a live run: {repo_relative(target_dir / (stem + '.json'))}", file=sys.stderr)
        print(f"{summary}; torch side {elapsed:.1f}s")
        return 1 if stale else 0
    target_dir.mkdir(parents=True, exist_ok=True)
    for stem, d in results.items():
        (target_dir / f"{stem}.json").write_text(dump(d), encoding="utf-8")
        print(f"wrote {repo_relative(target_dir / (stem + '.json'))}")
    print(f"{summary}; torch side {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
