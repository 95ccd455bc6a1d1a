"""Every rule pyjit reports: the only place codes exist.

Codes are ``PJ`` plus three digits, grouped by hundreds:

====  ===========================================
0xx   Python syntax and source problems
1xx   constructs TorchScript does not support
2xx   names, types and calls (what ``torch.jit.script`` rejects)
3xx   IR invariants (``Graph::lint``, ``PythonOp::lint_python``)
4xx   calls into Python (``prim::PythonOp``) and export
5xx   casting values into TorchScript (``as_module`` / ``as_object``)
6xx   export readiness: what ``torch.export`` does with the code (opt-in: ``select`` ``PJ6``)
9xx   pyjit itself (suppressions, internal errors)
====  ===========================================

A code is never reused; a retired rule stays here with ``retired=True``.
``docs/diagnostics.md`` is generated from this table
(``python -m pyjit_core.diagnostics.docs``) and a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from .severity import Severity

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


# One letter each, so that the table below reads as a column of severities.
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFORMATION  # noqa: E741

OPT_IN = ("Opt-in: reported only when `select` names the family (`pyjit check --select PJ6`, "
          "`select = [\"PJ\", \"PJ6\"]`). ")


CATALOG: dict[str, Rule] = _rules(
    # --- 0xx: source -------------------------------------------------------------
    Rule("PJ001", "syntax-error", E,
         "The file is not valid Python.",
         "pyjit reads source with Python's own parser; a file that does not parse "
         "cannot be compiled by `torch.jit.script` either. Fix the syntax error first."),
    # --- 1xx: unsupported constructs -------------------------------------------------------
    Rule("PJ101", "unsupported-syntax", E,
         "A Python construct TorchScript does not support.",
         "torch's frontend rejects these before compiling anything: `try`, `with` (outside script "
         "classes), `lambda`, `global`, `nonlocal`, `yield`, `async`, nested `def`, `class` inside a "
         "function, `import` inside a function, set literals and comprehensions. The message is torch's "
         "(`try blocks aren't supported`). Move the code into a `@torch.jit.ignore` function or rewrite it."),
    Rule("PJ102", "unsupported-form", E,
         "A supported construct used in a form TorchScript rejects.",
         "For example `*args`/`**kwargs` or keyword-only arguments with defaults (`Compiled functions "
         "can't take variable number of arguments or use keyword-only arguments with defaults`), "
         "`else` on loops, `**` dict expansion, f-string conversions and format specs, comprehension "
         "`if` clauses or several generators."),
    Rule("PJ103", "instance-annotation-outside-init", E,
         "A type annotation on `self.x` outside `__init__`.",
         "TorchScript infers attribute types in `__init__`; annotate attributes there."),
    Rule("PJ104", "unsupported-in-context", E,
         "A statement TorchScript cannot compile in this position.",
         "For example `break`/`continue` inside a loop that TorchScript unrolls (over a `ModuleList` or "
         "a tuple), slice deletion, or slice assignment to a list."),
    # --- 2xx: names, types and calls ----------------------------------------------------------
    Rule("PJ200", "compile-error", E,
         "torch.jit.script rejects this code.",
         "A compile error torch reports that has no more specific code; the message is torch's."),
    Rule("PJ201", "undefined-name", E,
         "A name is not defined where it is used.",
         "torch: `undefined value x`. Local variables must be assigned before use on every path; globals "
         "must be functions, classes, modules or constants TorchScript understands."),
    Rule("PJ202", "not-defined-in-branch", E,
         "A variable is used after an `if` that defines it in only one branch.",
         "torch: `x is not defined in the false branch`. TorchScript requires a variable used after an "
         "`if` to be defined on every path; the related location shows the use."),
    Rule("PJ210", "no-such-attribute", E,
         "A value has no attribute or method of that name.",
         "torch: `'int' object has no attribute or method 'sum'`. Check the value's TorchScript type "
         "(hover it); for classes and modules, attributes must be assigned in `__init__`."),
    Rule("PJ211", "unknown-type", E,
         "An annotation names a type TorchScript does not know.",
         "torch: `Unknown type name 'X'`. Annotations must be TorchScript types: Tensor, int, float, bool, "
         "str, List/Dict/Tuple/Optional/Union of them, script classes, NamedTuples, Enums, interfaces."),
    Rule("PJ212", "unevaluable-default", E,
         "A parameter default TorchScript cannot take.",
         "TorchScript stores parameter defaults as constants of the parameter's type: a mutable default "
         "(a list or a dict), or one whose value does not have the parameter's type, is rejected, in "
         "torch's words. (A default pyjit cannot compute without running code -- a call to your own "
         "function -- is not this error: pyjit says so with PJ901 and leaves the function alone.)"),
    Rule("PJ213", "python-value-as-value", E,
         "A Python object is used as a TorchScript value.",
         "torch: `python value of type 'float' cannot be used as a value. Perhaps it is a closed over "
         "global variable?` Globals are not captured by value; pass them as arguments, make them "
         "module constants (`__constants__`/`Final`), or read them through their module (`mod.EPS`)."),
    Rule("PJ214", "unsupported-python-builtin", E,
         "A Python builtin TorchScript has no counterpart for.",
         "torch: `Python builtin <built-in function open> is currently not supported in Torchscript`. "
         "Only the builtins TorchScript implements (len, range, min, max, print, ...) can be used."),
    Rule("PJ220", "variable-type-mismatch", E,
         "A variable is assigned a value of another type.",
         "torch: `Variable 'x' previously had type int but is now being assigned to a value of type "
         "str`. TorchScript variables keep one type; use a new name or annotate with a Union/Optional."),
    Rule("PJ221", "return-type-mismatch", E,
         "A return value does not match the function's return type.",
         "torch: `Return value was annotated as having type ... but is actually of type ...`, or "
         "`Previous return statement returned a value of type ...`."),
    Rule("PJ222", "branch-type-mismatch", E,
         "Values of different types meet where one type is needed.",
         "torch: `Type mismatch: x is set to type int in the true branch and type str in the false "
         "branch`, mixed list or dict literals, or a conditional expression whose branches disagree."),
    Rule("PJ223", "bad-index", E,
         "An indexing operation TorchScript cannot compile.",
         "For example a tuple index out of range, a non-constant index into a heterogeneous tuple, or "
         "indexing a tensor with an unsupported type."),
    Rule("PJ230", "not-a-condition", E,
         "A condition is not a bool and cannot be converted to one.",
         "torch: `Could not cast value of type ... to bool`."),
    Rule("PJ240", "invalid-call-arguments", E,
         "No overload of the called operator or function accepts these arguments.",
         "torch: `Arguments for call are not valid.` The message lists each overload and why it does "
         "not match (types, missing or unexpected arguments)."),
    Rule("PJ241", "unknown-builtin", E,
         "An operator that does not exist.",
         "torch: `Unknown builtin op: aten::foo.` with similarly named operators as suggestions."),
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
    # --- 4xx: calls into Python and export -------------------------------------------------
    Rule("PJ401", "python-call-arity", E,
         "A call into Python passes more or fewer arguments than the Python function takes.",
         "A `prim::PythonOp` passes the Python side exactly the arguments of its calling convention "
         "(`cconv`: torch builds it from the positional arguments only). When that count does not fit the "
         "Python signature -- `MyFn.forward` minus `ctx` for `MyFn.apply(...)`, or the `@torch.jit.ignore` "
         "function itself -- torch compiles the call, but running it raises Python's `TypeError` "
         "(`MyFn.forward() missing 1 required positional argument: 'k'`, `... takes 3 positional arguments "
         "but 4 were given`). Pass the arguments `forward` declares, positionally."),
    Rule("PJ402", "python-call-tensor-for-scalar", W,
         "A call into Python passes a Tensor where the Python side annotates a scalar.",
         "`MyFn.apply(...)` is compiled with an all-Tensor vararg schema, so TorchScript does not check "
         "its arguments against `forward`'s annotations: a Tensor reaches a parameter annotated `int`, "
         "`float`, `bool` or `str`. Python does not enforce annotations, so this may run, but the "
         "Python code then computes with a Tensor it did not expect. Convert with `int(t)`/`float(t)` "
         "in TorchScript, or fix the annotation."),
    Rule("PJ403", "unresolved-python-call", W,
         "pyjit cannot find the Python callable behind a call into Python.",
         "pyjit modelled this call as a `prim::PythonOp` but cannot see the source of what it calls "
         "(a third-party function, a value computed at import time). It cannot check the calling "
         "convention, and torch may treat the callee differently: an ordinary Python function is "
         "compiled (and may be rejected), only `@torch.jit.ignore` functions and autograd "
         "`Function.apply` become calls into Python."),
    Rule("PJ410", "python-call-blocks-export", W,
         "A call into Python is reachable from code the file saves or exports.",
         "`torch.jit.save`, `ScriptModule.save` and `_save_for_lite_interpreter` serialise TorchScript "
         "graphs; a `prim::PythonOp` (a call to a `@torch.jit.ignore` function or to an autograd "
         "`Function.apply`) cannot be serialised, and saving fails with torch's `Could not export Python "
         "function call 'helper'. Remove calls to Python functions before export.` "
         "`torch.jit.freeze` alone succeeds; saving its result fails the same way. Mark an ignored "
         "function `@torch.jit.unused` (the call then raises if it is ever run), or rewrite it in "
         "TorchScript."),
    # --- 5xx: casting into TorchScript ------------------------------------------------------
    Rule("PJ501", "not-a-script-module", E,
         "A value that is not a ScriptModule is passed where torch needs one.",
         "`torch.jit.freeze` and `torch.jit.optimize_for_inference` accept only a `ScriptModule` (torch: "
         "`Freezing expects a ScriptModule as input. Please use torch.jit.script or torch.jit.trace to "
         "script your 'nn.Module'.`); `torch.jit.save` calls the value's `save` method, which an eager "
         "`nn.Module` does not have (`AttributeError: 'Model' object has no attribute 'save'`). "
         "Script or trace the module first: `torch.jit.script(Model())`."),
    Rule("PJ502", "not-a-torchscript-object", E,
         "A Python object is passed where TorchScript needs an interface value.",
         "A scripted function's interface-typed parameter accepts a ScriptModule, a script object "
         "(`torch.jit.script(obj)`, `torch.classes...`), or an instance of a class TorchScript has "
         "compiled. torch casts the argument with `as_module`/`as_object` and otherwise looks the "
         "object's class up among compiled classes; an instance of a plain class fails with `Assigning "
         "the object ... to an interface fails because the value is not a TorchScript compatible type, "
         "did you forget toturn it into a user defined TorchScript class?`. Script the value, or make "
         "its class a script class (`@torch.jit.script`)."),
    Rule("PJ503", "object-missing-class-attribute", E,
         "A plain object passed as a script class lacks one of the class's attributes.",
         "When a scripted function's parameter is a script class and the argument is neither a "
         "ScriptModule nor a script object, torch builds a new object of that class by copying each "
         "attribute from the Python object; one that is missing fails with `Tried to cast object to "
         "type __torch__.P but object was missing attribute a`. Pass an instance of the script class, "
         "or give the object every attribute the class has."),
    # --- 6xx: export readiness (opt-in through select) ------------------------------------------
    Rule("PJ601", "export-data-dependent-branch", W,
         "Control flow on a value read from a tensor: `torch.export` cannot trace it.",
         OPT_IN + "`if`, `while`, a conditional expression or `range()` whose condition comes from tensor data "
         "(`if x.sum() > 0`, `if t.item() > 0.5`, `if nonzero(x).size(0) > 1`, `if sizes[0] > 1` after "
         "`tolist()`). The default mode (`strict=False`) fails there with `GuardOnDataDependentSymNode: "
         "Could not guard on data-dependent expression ...`; strict mode fails with `Data-dependent "
         "branching` or the same guard error. Write `torch.cond(pred, true_fn, false_fn, operands)` for a real "
         "branch, `torch.where` to pick between two results, or `torch._check(...)` where a bound is all the "
         "code needs. See docs/migration.md."),
    Rule("PJ602", "export-tensor-to-python-scalar", W,
         "`float()`, `int()` or `bool()` of a tensor (or `int()` of `t.item()`): the default mode of "
         "`torch.export` fails there.",
         OPT_IN + "The default mode (`strict=False`) turns the tensor's data into a Python number and fails: "
         "`Could not guard on data-dependent expression` (`float`, `bool`) or `Could not extract specialized "
         "integer from data-dependent expression` (`int`). Strict mode keeps the value symbolic and accepts "
         "it, unless it then decides control flow (the message says where). Keep the value a tensor, or use "
         "`t.item()` without the conversion, bounded by `torch._check`."),
    Rule("PJ603", "export-data-dependent-length", W,
         "`len()` of a tensor whose size depends on its data (`nonzero`, a boolean mask, `unique`).",
         OPT_IN + "The number of rows of `nonzero(x)`, `x[mask]` or `unique(x)` is an unbacked symbol; `len()` "
         "needs a Python int and the default mode fails: `Could not extract specialized integer from "
         "data-dependent expression`. `t.size(0)` stays symbolic: use it (and `torch._check` the bounds the "
         "code needs). Data-dependent shapes by themselves export (measured: `nonzero`, `x[x > 0]`, `unique`, "
         "`zeros(nonzero(x).size(0), 2)`), so they are not reported."),
    Rule("PJ610", "export-script-module-root", W,
         "A `torch.jit.ScriptModule` subclass: `torch.export` refuses to export it.",
         OPT_IN + "torch: `Exporting a ScriptModule is not supported. Maybe try converting your ScriptModule to "
         "an ExportedProgram using TS2EPConverter(mod, args, kwargs).convert() instead.` in both modes. "
         "Derive from `torch.nn.Module` and drop `@torch.jit.script_method`."),
    Rule("PJ611", "export-scripted-submodule", W,
         "A submodule made with `torch.jit.script(...)`: neither export mode accepts it.",
         OPT_IN + "The default mode calls the scripted submodule's `forward` with one argument too many "
         "(`TypeError: forward() takes 2 positional arguments but 3 were given`, at the call); strict mode "
         "says `torch.jit.script/freeze modules unsupported`. Assign the plain `nn.Module`."),
    Rule("PJ612", "export-loaded-submodule", W,
         "A submodule loaded with `torch.jit.load`: the default mode fails when it has parameters, strict "
         "mode always.",
         OPT_IN + "Default mode: `SpecViolationError: State dict entry for parameter ... is not an instance of "
         "torch.nn.Parameter` (a loaded module without parameters exports); strict: `torch.jit.script/freeze "
         "modules unsupported`. Build the Python module and load its weights with `load_state_dict`, or move "
         "the saved artefact itself to `torch.export.save`/`torch.export.load`."),
    Rule("PJ613", "export-traced-or-frozen-submodule", I,
         "A submodule made with `torch.jit.trace` or `torch.jit.freeze`: only strict mode rejects it.",
         OPT_IN + "The default mode runs it (measured); strict mode fails (`Attempted to inline function marked as "
         "skipped`, `torch.jit.script/freeze modules unsupported`). Assign the plain module."),
    Rule("PJ620", "export-strict-only-construct", I,
         "A TorchScript API the default mode of `torch.export` accepts and strict mode rejects.",
         OPT_IN + "`torch.jit.fork`/`wait`, `torch.jit.isinstance` and `torch.jit.script()`/`trace()` called in "
         "exported code run as Python in the default mode; strict mode fails with `Attempted to call function "
         "marked as skipped`. Call the function directly, use `isinstance`."),
    Rule("PJ621", "export-is-scripting", I,
         "`torch.jit.is_scripting()`: False while `torch.export` traces.",
         OPT_IN + "Both export modes accept it, and take the branch eager code takes. "
         "`torch.compiler.is_compiling()` is True while exporting (and under `torch.compile`), False in "
         "eager code and under `torch.jit.script` (measured with torch 2.13). The fix replaces one with the "
         "other; it is unsafe because code that is still scripted then takes the other branch."),
    Rule("PJ622", "export-jit-annotate", I,
         "`x = torch.jit.annotate(T, v)`: an annotation says the same.",
         OPT_IN + "`torch.jit.annotate` returns its value in Python; both export modes accept it. "
         "`x: T = v` means the same to TorchScript and to Python; the fix (safe) writes it."),
    Rule("PJ623", "export-script-decorated-helper", I,
         "`@torch.jit.script` on a helper only compiled code calls.",
         OPT_IN + "Scripted callers compile the helper anyway, and `torch.export` runs its Python body; the "
         "decorator only runs the deprecated TorchScript compiler when the module is imported. The fix removes "
         "it (unsafe: a module that imports the helper then calls the Python function). Not offered when "
         "`__all__` lists the helper or plain Python code of the file uses it."),
    Rule("PJ630", "export-time-side-effect", I,
         "A Python side effect in exported code: it runs once, while exporting.",
         OPT_IN + "`print`, logging and changes to module-level objects (in `@torch.jit.ignore` helpers) run "
         "while `torch.export` traces (both modes accept them), and not in the exported program. Keep them "
         "out of the model if the program relies on them."),
    Rule("PJ640", "export-shape-specialisation", I,
         "Control flow on an input's size: export keeps the branch the example input takes.",
         OPT_IN + "`if x.size(0) == 4:` exports (both modes), specialised to the example input; exported with "
         "`dynamic_shapes` marking that dimension `Dim`, it fails (`Constraints violated`). `torch._check` the "
         "sizes the code supports, or branch with `torch.cond`."),
    Rule("PJ650", "export-jit-save", I,
         "`torch.jit.save(torch.jit.script(m), path)`: the torch.export way saves an ExportedProgram.",
         OPT_IN + "The fix writes `torch.export.save(torch.export.export(m, example_inputs), path)` and a "
         "marked placeholder line `example_inputs = ...  # TODO(pyjit): ...` to fill in. Unsafe: the file "
         "becomes an ExportedProgram (`torch.export.load`), which `torch.jit.load` cannot read."),
    # --- 9xx: pyjit itself ----------------------------------------------------------
    Rule("PJ901", "not-yet-supported", W,
         "pyjit cannot analyse this construct yet.",
         "torch may accept this code; pyjit does not model it yet, so it says nothing about the code "
         "that depends on it. This is a gap in pyjit, not an error in your code."),
    Rule("PJ902", "unused-suppression", W,
         "A `# pyjit: ignore[...]` comment that silences nothing.",
         "The comment names a code that is not reported on its line (any more), a code that does not "
         "exist, or a code that the configuration does not enable. Remove the code from the comment, "
         "or the comment. Only the form `# pyjit: ignore[PJ123, PJ456]` at the end of a line is "
         "recognised."),
    Rule("PJ903", "representative-instance-fails", I,
         "A module fails to compile as pyjit built it, with values it invented or a branch it guessed.",
         "`torch.jit.script` compiles an *instance*. When no `torch.jit.script(...)` call, builder function "
         "or parent module in the workspace constructs this class, pyjit builds a representative instance "
         "from the constructor's defaults and values it invents from the annotations (`int` 1, `float` 1.0, "
         "`bool` False, `Optional` None). When the construction does run, but past a condition pyjit "
         "cannot evaluate (`if img_size is None:` on a value read from a configuration pyjit cannot "
         "follow), pyjit takes one branch and names the condition in the message. Either way the instance "
         "may not be the one torch sees; it does not compile, and the message says what torch reports for "
         "it. The failure may depend on what pyjit invented, so it is not reported as an error: construct "
         "the module somewhere with values pyjit can follow (a builder function callable without "
         "arguments, or `torch.jit.script(Model(...))` in a test) to have it checked as you build it."),
    Rule("PJ904", "custom-operator-guessed", W,
         "Code after a custom operator whose schema pyjit cannot read does not compile with pyjit's guess.",
         "A library's operators (`torch.ops.torchvision.roi_align`) are known to torch once the library is "
         "loaded, often from C++. pyjit loads nothing: it reads the schemas a library declares in Python "
         "(`torch.library.define`, `Library.define`, `@torch.library.custom_op`). For an operator declared "
         "nowhere it can read, the node takes the arguments as written and pyjit guesses that it returns a "
         "Tensor (one per name a tuple assignment binds). This function does not compile with that guess; "
         "the message says what pyjit found. Torch, which knows the real schema, may accept it, so this is "
         "a warning, never an error. Declaring the operator in Python lets pyjit check the calls."),
    Rule("PJ905", "analysis-budget-spent", I,
         "The file's analysis stopped when its time budget ran out; some roots were not analysed.",
         "One file's analysis may spend `analysis-budget` seconds on its roots (the language server's default "
         "is 10 s; `pyjit check` has no limit unless you set one). Past it, pyjit finishes the root it is "
         "compiling and stops: the diagnostics, hovers and graphs of the roots analysed are kept, and nothing "
         "at all is reported for the roots named in the message -- no error, no warning, no unused "
         "suppression. In the editor, a root whose graph the previous analysis kept is still analysed (it "
         "costs next to nothing), and each later analysis of the file goes further. Raise `analysis-budget`, "
         "or set it to 0 for no limit, to analyse the whole file at once."),
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
