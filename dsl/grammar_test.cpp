#include <gtest/gtest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/grammar.h"

namespace tusk::dsl {
namespace {

// PEGTL's static analysis finds rules that can loop without consuming input (e.g. star of a
// rule that may match empty) and left recursion; both would hang or overflow at run time.
TEST(Grammar, AnalyzeFindsNoIssues) { EXPECT_EQ(tao::pegtl::analyze<grammar::file>(1), 0u); }

}  // namespace
}  // namespace tusk::dsl
