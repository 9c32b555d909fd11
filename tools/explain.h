// The explain trace shared by `tusk explain` and the failure reports of `tusk test`: the value
// of every sub-expression of a condition, and hits highlighted in the original text.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/inspect.h"
#include "compiler/interp/interpreter.h"
#include "compiler/plan/evaluator.h"
#include "tusk/pack.h"

namespace tusk::tools {

// "true"/"false" for conditions, "no value" for NaN, "320 USD" for money.
std::string value_text(const compiler::plan::Plan& plan, compiler::plan::NodeId id,
                       const compiler::plan::Value& v);

// Appends the tree of `node` as "label  = value" lines, two spaces of indent per level,
// starting at `depth`. Levels deeper than `max_depth` (when >= 0) are cut with "...".
void append_tree(std::string& out, const runtime::Pipeline& s, const compiler::interp::Interpreter& interp,
                 compiler::plan::NodeId node, int depth, int max_depth = -1);

// The original text with every hit of `field` bracketed: "old [white plastic] bangle".
std::string highlight(std::string_view text, const std::vector<runtime::Hit>& hits, stdlib::FieldId field);

// One line per hit: `title [4, 17) "white plastic"  lexicon code_words  term "white plastic"`.
std::string hit_line(const runtime::Pipeline& s, const runtime::Hit& h);

// The whole `tusk explain` report for one listing (one JSON object): normalized text, hits,
// every rule's condition tree, the score sum, the decide branch and the verdict. `readable` is
// false (and the report says why) when the listing cannot be read.
std::string explain_listing(const std::shared_ptr<const Pack>& pack, std::string_view json, bool& readable);

}  // namespace tusk::tools
