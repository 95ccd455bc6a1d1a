"""Every rule pyjit reports: the only place codes exist.

Codes are ``PJ`` plus three digits, grouped by hundreds:

====  ===========================================
0xx   Python syntax and source problems
1xx   constructs TorchScript does not support
2xx   names, types and calls (what ``torch.jit.script`` rejects)
3xx   IR invariants (``Graph::lint``, ``PythonOp::lint_python``)
4xx   calls into Python (``prim::PythonOp``) and export
5xx   casting values into TorchScript (``as_module`` / ``as_object``)
9xx   pyjit itself (suppressions, internal errors)
====  ===========================================

A code is never reused; a retired rule stays here with ``retired=True``.
``docs/diagnostics.md`` is generated from this table
(``python -m pyjit_core.diagnostics.docs``) and a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Severity

DOCS_URL = "https://github.com/pyjit/pyjit/blob/main/docs/diagnostics.md"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str              # kebab-case, stable
    severity: Severity     # default; users may override per code
    summary: str           # one line
    explanation: str       # markdown: what it means, why, what to do
    retired: bool = False

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


def _rules(*rules: Rule) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    names: set[str] = set()
    for rule in rules:
        assert rule.code not in table, f"duplicate code {rule.code}"
        assert rule.name not in names, f"duplicate rule name {rule.name}"
        table[rule.code] = rule
        names.add(rule.name)
    return table


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFORMATION

CATALOG: dict[str, Rule] = _rules(
    # --- 0xx: source -------------------------------------------------------------
    Rule("PJ001", "syntax-error", E,
         "The file is not valid Python.",
         "pyjit reads source with Python's own parser; a file that does not parse "
         "cannot be compiled by `torch.jit.script` either. Fix the syntax error first."),
    # --- 3xx: IR invariants ----------------------------------------------------------
    Rule("PJ301", "use-before-definition", E,
         "A value is used before the node that defines it.",
         "Every input of a node must be defined earlier in the same block or in an "
         "enclosing block (torch: `Graph::lint`, \"not in scope\"). A graph that breaks "
         "this cannot run."),
    Rule("PJ302", "value-used-outside-its-block", E,
         "A value defined inside a nested block is used outside that block.",
         "Values defined in a `prim::If` or `prim::Loop` block are only visible inside "
         "it; to use them after the node, return them as block outputs and use the "
         "node's outputs (torch: `Graph::lint`, \"not in scope\")."),
    Rule("PJ303", "inconsistent-use-list", E,
         "A value's use list disagrees with the inputs of its users.",
         "Each `Use(user, offset)` of a value must point back at `user.inputs[offset]`, "
         "and every input must be recorded as a use (torch: `Node::lint`)."),
    Rule("PJ304", "duplicate-value-name", E,
         "Two values in one graph have the same debug name.",
         "Value names (`%x.1`) are unique per graph; `Value::setDebugName` renames the "
         "older owner, so duplicates mean the graph was built by hand incorrectly."),
    Rule("PJ305", "duplicate-value-number", E,
         "Two values in one graph have the same unique number, or a number not below the graph's counter.",
         "torch: `Graph::lint` checks `seen_uniques` and `next_unique_`."),
    Rule("PJ306", "node-ownership", E,
         "A node, value or block is not owned where it is listed.",
         "A node listed in a block must name that block as its owner and belong to the "
         "graph; each output must name its node and offset; each block input must come "
         "from the block's `prim::Param` node (torch: `Graph::lint`)."),
    Rule("PJ307", "misplaced-param-or-return", E,
         "A `prim::Param` or `prim::Return` node appears in a block's node list.",
         "Block inputs and outputs are carried by the block's own param and return "
         "nodes, never by nodes in the list (torch: `Graph::lint`)."),
    Rule("PJ308", "bad-node-arity", E,
         "A node has inputs or outputs its kind forbids.",
         "`prim::Constant` and `prim::Param` take no inputs; `prim::Return` has no "
         "outputs (torch: `Node::lint`)."),
    Rule("PJ310", "python-op-bad-cconv", E,
         "A PythonOp's calling convention has a character other than 'c' or 'd'.",
         "`cconv` has one character per argument: `c` takes the next scalar argument, "
         "`d` the next tensor input (torch: `PythonOp::lint_python`)."),
    Rule("PJ311", "python-op-missing-pyobj", E,
         "A PythonOp has no Python callable.",
         "A `prim::PythonOp` calls its `pyobj`; without one there is nothing to call "
         "(torch: `PythonOp::lint_python`)."),
    Rule("PJ312", "python-op-scalar-count", E,
         "A PythonOp's scalar arguments do not match the 'c' characters of its calling convention.",
         "The number of `c` in `cconv` must equal the number of scalar arguments the "
         "node holds (torch: `PythonOp::lint_python`)."),
    Rule("PJ313", "python-op-input-count", E,
         "A PythonOp's inputs do not match the 'd' characters of its calling convention.",
         "The number of `d` in `cconv` must equal the number of the node's inputs "
         "(torch: `PythonOp::lint_python`)."),
    # --- 9xx: pyjit itself ----------------------------------------------------------
    Rule("PJ900", "internal-error", E,
         "pyjit failed while analysing this code.",
         "This is a bug in pyjit, not in your code. The message names the exception; "
         "the rest of the file is still analysed. Please report it with the snippet."),
)


def rule(code: str) -> Rule:
    try:
        return CATALOG[code]
    except KeyError:
        raise KeyError(f"unknown diagnostic code {code!r}") from None
