// Test-only bridge: exposes torch's own frontend passes, which torch._C does
// not bind, so pyjit's passes can be compared with them on the same IR text.
// Every function takes a torch._C.Graph and mutates it in place.
#include <torch/extension.h>
#include <pybind11/stl.h>
#include <torch/csrc/jit/frontend/canonicalize_modified_loop.h>
#include <torch/csrc/jit/frontend/convert_to_ssa.h>
#include <torch/csrc/jit/frontend/exit_transforms.h>
#include <torch/csrc/jit/frontend/inline_loop_condition.h>
#include <torch/csrc/jit/frontend/ir_emitter.h>
#include <torch/csrc/jit/passes/annotate_warns.h>
#include <torch/csrc/jit/passes/canonicalize.h>
#include <torch/csrc/jit/passes/inline_forked_closures.h>
#include <torch/csrc/jit/passes/lift_closures.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/normalize_ops.h>
#include <torch/csrc/jit/ir/irparser.h>

#include <algorithm>
#include <cctype>

using torch::jit::Graph;
using GraphPtr = std::shared_ptr<Graph>;

static bool isNumber(const std::string& n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(c); });
}

// torch._C.parse_ir names only graph and block inputs; this names every
// value written with a non-numeric name, in creation (= textual) order, as
// pyjit's parser does, so both sides start from identically named graphs.
static GraphPtr parseIRNamed(
    const std::string& text,
    std::unordered_map<std::string, torch::jit::Value*>& vmap) {
  auto g = std::make_shared<Graph>();
  torch::jit::parseIR(text, g.get(), vmap);
  std::vector<std::pair<std::string, torch::jit::Value*>> named;
  for (auto& kv : vmap) {
    if (!isNumber(kv.first)) {
      named.emplace_back(kv.first, kv.second);
    }
  }
  std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) {
    return a.second->unique() < b.second->unique();
  });
  for (auto& kv : named) {
    kv.second->setDebugName(kv.first);
  }
  return g;
}

static GraphPtr parseIRNamed(const std::string& text) {
  std::unordered_map<std::string, torch::jit::Value*> vmap;
  return parseIRNamed(text, vmap);
}

// Graph state that printed IR does not carry (value numbers of named values,
// the next value number, setDebugName's suffix counters) lives in private
// members; an explicit instantiation may name them.
template <typename Tag, typename Tag::type Member>
struct Expose {
  friend typename Tag::type get(Tag) {
    return Member;
  }
};
struct ValueUnique {
  using type = size_t torch::jit::Value::*;
  friend type get(ValueUnique);
};
struct NextUnique {
  using type = size_t torch::jit::Graph::*;
  friend type get(NextUnique);
};
struct NameBaseSuffix {
  using type = std::unordered_map<std::string, size_t> torch::jit::Graph::*;
  friend type get(NameBaseSuffix);
};
template struct Expose<ValueUnique, &torch::jit::Value::unique_>;
template struct Expose<NextUnique, &torch::jit::Graph::next_unique_>;
template struct Expose<NameBaseSuffix, &torch::jit::Graph::name_base_suffix_>;

static void setUniques(torch::jit::Block* b, const std::unordered_map<std::string, size_t>& uniques) {
  auto set = [&](torch::jit::Value* v) {
    if (v->hasDebugName()) {
      auto it = uniques.find(v->debugName());
      if (it != uniques.end()) {
        v->*get(ValueUnique()) = it->second;
      }
    }
  };
  for (auto v : b->inputs()) {
    set(v);
  }
  for (auto n : b->nodes()) {
    for (auto v : n->outputs()) {
      set(v);
    }
    for (auto sub : n->blocks()) {
      setUniques(sub, uniques);
    }
  }
}

// Parse and put the graph in a recorded state (see torch_pass_dump.py).
static GraphPtr parseIRWithState(
    const std::string& text,
    const std::unordered_map<std::string, size_t>& uniques,
    size_t next_unique,
    const std::unordered_map<std::string, size_t>& name_base_suffix) {
  std::unordered_map<std::string, torch::jit::Value*> vmap;
  auto g = parseIRNamed(text, vmap);
  // Numeric names are value numbers; named values get theirs from the record.
  for (auto& kv : vmap) {
    if (isNumber(kv.first)) {
      kv.second->*get(ValueUnique()) = std::stoul(kv.first);
    }
  }
  setUniques(g->block(), uniques);
  g.get()->*get(NextUnique()) = next_unique;
  g.get()->*get(NameBaseSuffix()) = name_base_suffix;
  return g;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("parse_ir", static_cast<GraphPtr (*)(const std::string&)>(&parseIRNamed));
  m.def("parse_ir_with_state", &parseIRWithState);
  m.def("convert_to_ssa", [](GraphPtr g) { torch::jit::ConvertToSSA(g); });
  m.def("inline_loop_condition", [](GraphPtr g) { torch::jit::InlineLoopCondition(g); });
  m.def("transform_exits", [](GraphPtr g) { torch::jit::TransformExits(g); });
  m.def("canonicalize_modified_loops", [](GraphPtr g) { torch::jit::CanonicalizeModifiedLoops(g); });
  m.def("normalize_ops", [](GraphPtr g) { torch::jit::NormalizeOps(g); });
  m.def("lower_simple_tuples", [](GraphPtr g) { torch::jit::LowerSimpleTuples(g); });
  m.def("canonicalize_outputs", [](GraphPtr g) { torch::jit::CanonicalizeOutputs(g); });
  m.def("annotate_warns", [](GraphPtr g) { torch::jit::AnnotateWarns(g); });
  m.def("lift_closures", [](GraphPtr g) { torch::jit::liftClosures(g); });
  m.def("inline_forked_closures", [](GraphPtr g) { torch::jit::inlineForkedClosures(g); });
  m.def("run_cleanup_passes", [](GraphPtr g) { torch::jit::runCleanupPasses(g); });
  // What to_ir's constructor runs after emitting a function body.
  m.def("run_frontend_passes", [](GraphPtr g) {
    torch::jit::ConvertToSSA(g);
    torch::jit::CanonicalizeModifiedLoops(g);
    torch::jit::NormalizeOps(g);
    torch::jit::runCleanupPasses(g);
  });
}
