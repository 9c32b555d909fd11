// Weights written in listing text ("1.2kg", "500 g", "3 lbs", "1,5 kg", "3斤", "500克"),
// read from the original text so that spans are evidence offsets. The accepted forms and the
// ones deliberately rejected ("5G phone", "10 gallons") are listed in docs/records.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace tusk::stdlib {

struct Weight {
  double kg = 0;
  std::size_t begin = 0;  // byte span [begin, end) of number and unit in the text
  std::size_t end = 0;
};

// The first weight in the text, scanning left to right.
std::optional<Weight> first_weight(std::string_view text);
// Every weight in the text, in order, non-overlapping.
std::vector<Weight> all_weights(std::string_view text);

}  // namespace tusk::stdlib
