// Golden-file comparison shared by the stage runners. With UPDATE_GOLDENS=1 the expected
// file is rewritten (or removed when the actual output is empty) instead of compared.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tusk::testing {

std::string read_file(const std::filesystem::path& path);
// Compares `actual` with the golden file; an absent golden means "expect empty output".
void expect_golden(const std::filesystem::path& golden, const std::string& actual);
// Every input under tests/golden/<stage>/ with the given extension, relative to the source dir,
// sorted. Directories holding a pack.yaml count as inputs too when `dirs` is set.
std::vector<std::string> golden_inputs(const std::string& stage, const std::string& ext, bool dirs = false);
// Runs tests from the source root so that paths in rendered output are repository-relative.
void enter_source_dir();

}  // namespace tusk::testing
