// PLACEHOLDER until the checker lands: the checked representation of a pack.
#pragma once
namespace tusk::compiler {
struct CheckedPack;
}
