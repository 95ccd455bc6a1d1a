// Test-only LD_PRELOAD library: records, for every function torch compiles,
// the IR its emitter produced (on entry to ConvertToSSA) and the IR after the
// frontend passes (on exit from AnnotateWarns, the last of them), keyed by
// the Graph's address. pyjit runs its passes on the first and must print the
// second. Enabled by PYJIT_PASS_DUMP=<file>; the file gets one JSON object
// per line.
//
// The printed IR does not carry all the state later names depend on: the
// value numbers of named values, the graph's next value number and its
// per-name suffix counters (Value::setDebugName's ``x.N`` bookkeeping). They
// are private members of Graph, read here with the standard explicit-
// instantiation idiom (an explicit instantiation may name private members).
#include <torch/csrc/jit/ir/ir.h>

#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

template <typename Tag, typename Tag::type Member>
struct Expose {
  friend typename Tag::type get(Tag) {
    return Member;
  }
};
struct NextUnique {
  using type = size_t torch::jit::Graph::*;
  friend type get(NextUnique);
};
struct NameBaseSuffix {
  using type = std::unordered_map<std::string, size_t> torch::jit::Graph::*;
  friend type get(NameBaseSuffix);
};
template struct Expose<NextUnique, &torch::jit::Graph::next_unique_>;
template struct Expose<NameBaseSuffix, &torch::jit::Graph::name_base_suffix_>;

std::string jsonString(const std::string& s) {
  std::ostringstream out;
  out << '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\t': out << "\\t"; break;
      case '\r': out << "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out << buf;
        } else {
          out << c;
        }
    }
  }
  out << '"';
  return out.str();
}

void collectUniques(const torch::jit::Block* b, std::ostringstream& out, bool& first) {
  auto add = [&](const torch::jit::Value* v) {
    if (!v->hasDebugName()) {
      return;
    }
    out << (first ? "" : ", ") << jsonString(v->debugName()) << ": " << v->unique();
    first = false;
  };
  for (auto v : b->inputs()) {
    add(v);
  }
  for (auto n : b->nodes()) {
    for (auto v : n->outputs()) {
      add(v);
    }
    for (auto sub : n->blocks()) {
      collectUniques(sub, out, first);
    }
  }
}

void record(const char* stage, torch::jit::Graph* g) {
  const char* path = std::getenv("PYJIT_PASS_DUMP");
  if (!path) {
    return;
  }
  FILE* f = std::fopen(path, "a");
  if (!f) {
    return;
  }
  std::ostringstream uniques;
  bool first = true;
  collectUniques(g->block(), uniques, first);
  std::ostringstream suffixes;
  first = true;
  for (const auto& kv : g->*get(NameBaseSuffix())) {
    suffixes << (first ? "" : ", ") << jsonString(kv.first) << ": " << kv.second;
    first = false;
  }
  std::fprintf(f,
               "{\"stage\": \"%s\", \"graph\": \"%p\", \"next_unique\": %zu, \"uniques\": {%s}, "
               "\"name_base_suffix\": {%s}, \"text\": %s}\n",
               stage, static_cast<const void*>(g), g->*get(NextUnique()), uniques.str().c_str(),
               suffixes.str().c_str(), jsonString(g->toString(true)).c_str());
  std::fclose(f);
}

} // namespace

namespace torch {
namespace jit {

void ConvertToSSA(std::shared_ptr<Graph>& graph) {
  using Fn = void (*)(std::shared_ptr<Graph>&);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "_ZN5torch3jit12ConvertToSSAERSt10shared_ptrINS0_5GraphEE"));
  record("pre", graph.get());
  real(graph);
}

void AnnotateWarns(const std::shared_ptr<Graph>& graph) {
  using Fn = void (*)(const std::shared_ptr<Graph>&);
  static Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "_ZN5torch3jit13AnnotateWarnsERKSt10shared_ptrINS0_5GraphEE"));
  real(graph);
  record("post", graph.get());
}

} // namespace jit
} // namespace torch
