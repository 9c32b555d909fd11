#include "base/utc_time.h"

#include <gtest/gtest.h>

namespace tusk::base {
namespace {

TEST(UtcTime, PrintsRfc3339InUtc) {
  EXPECT_EQ(utc_seconds(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_seconds(1795305600), "2026-11-22T00:00:00Z");
  EXPECT_EQ(utc_seconds(951782399), "2000-02-28T23:59:59Z");
  EXPECT_EQ(utc_seconds(951868800), "2000-03-01T00:00:00Z");  // 2000 was a leap year
}

}  // namespace
}  // namespace tusk::base
