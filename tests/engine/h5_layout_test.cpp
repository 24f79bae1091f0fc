// A layout's widths: one value per tick, or one per label of the axis.

#include "flywheel/engine/h5/layout.hpp"

#include <gtest/gtest.h>

#include "flywheel/engine/errors.hpp"

namespace flywheel::h5 {
namespace {

TEST(H5Layout, RowWidthSumsSeriesWidths) {
  Layout layout;
  layout.axes.push_back({"platform", "", "", std::vector<std::string>{"a", "b", "c"}});
  layout.axes.push_back({"category", "1", "", std::vector<std::int64_t>{0, 1}});
  layout.series.push_back({"x", "1", "", Element::f64, ""});
  layout.series.push_back({"y", "1", "", Element::i64, "platform"});
  layout.series.push_back({"z", "1", "", Element::f64, "category"});
  EXPECT_EQ(layout.width(layout.series[0]), 1u);
  EXPECT_EQ(layout.width(layout.series[1]), 3u);
  EXPECT_EQ(layout.row_width(), 6u);
  EXPECT_EQ(layout.axis("category").size(), 2u);
  EXPECT_THROW(static_cast<void>(layout.axis("nothing")), InternalError);
}

TEST(H5Layout, ElementSizes) {
  EXPECT_EQ(element_size(Element::u8), 1u);
  EXPECT_EQ(element_size(Element::u16), 2u);
  EXPECT_EQ(element_size(Element::u32), 4u);
  EXPECT_EQ(element_size(Element::i64), 8u);
  EXPECT_EQ(element_size(Element::f32), 4u);
  EXPECT_EQ(element_size(Element::f64), 8u);
}

}  // namespace
}  // namespace flywheel::h5
