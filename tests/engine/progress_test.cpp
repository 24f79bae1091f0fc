// The progress bar's line fits the terminal it is drawn on.

#include "flywheel/engine/progress.hpp"

#include <gtest/gtest.h>

namespace flywheel {
namespace {

TEST(ProgressLine, NeverReachesTheTerminalsWidth) {
  for (const std::size_t columns : {20U, 40U, 60U, 80U, 200U}) {
    const std::string line = progress_line(1234, 36500, 987.6, 3725.0, columns);
    EXPECT_LT(line.size(), columns) << columns;
  }
}

TEST(ProgressLine, ShowsTheBarWhereItFitsAndTheFiguresFirstWhereItDoesNot) {
  const std::string wide = progress_line(50, 100, 10.0, 5.0, 120);
  EXPECT_EQ(wide.rfind("[===============>", 0), 0U) << wide;  // half of a 30-character bar
  EXPECT_NE(wide.find("tick 50/100  10.0 ticks/s  0:00:05 left"), std::string::npos) << wide;
  const std::string narrow = progress_line(50, 100, 10.0, 5.0, 40);
  EXPECT_EQ(narrow.find('['), std::string::npos) << narrow;
  EXPECT_EQ(narrow.rfind(" tick 50/100", 0), 0U) << narrow;
}

}  // namespace
}  // namespace flywheel
