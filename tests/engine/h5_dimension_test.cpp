// Dimension scales as netCDF-4 writes them: coordinates, bare dimensions, attachments.

#include "flywheel/engine/h5/dimension.hpp"

#include <gtest/gtest.h>
#include <hdf5_hl.h>

#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

std::string scale_name(hid_t dataset) {
  std::string name(128, '\0');
  const ssize_t n = H5DSget_scale_name(dataset, name.data(), name.size());
  name.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return name;
}

TEST(H5Dimension, NameAxesRoundTripAsCoordinates) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  const Axis axis{"platform", "", "platform name", std::vector<std::string>{"alpha", "beta", "gamma"}};
  const DatasetHandle coordinate = write_axis(file.id(), axis);
  EXPECT_GT(H5DSis_scale(coordinate.get()), 0);
  EXPECT_EQ(scale_name(coordinate.get()), "platform");
  EXPECT_EQ(read_text(coordinate.get(), "long_name"), "platform name");
  EXPECT_FALSE(has_attribute(coordinate.get(), "units"));  // empty units are left out
  EXPECT_EQ(read_labels(file.id(), "platform"), (std::vector<std::string>{"alpha", "beta", "gamma"}));
}

TEST(H5Dimension, NumberAxesAndAttachment) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  const DatasetHandle category =
      write_axis(file.id(), {"category", "1", "category id", std::vector<std::int64_t>{0, 1, 2, 3}});
  EXPECT_EQ(read_row(category.get(), 3), std::vector<double>{3});
  Appendable tick(file.id(), "tick", Element::i64, 0, {});
  make_coordinate(tick.id(), "tick");
  const Appendable data(file.id(), "data", Element::f64, 4, {});
  attach(data.id(), tick.id(), 0, "tick");
  attach(data.id(), category.get(), 1, "category");
  EXPECT_GT(H5DSis_attached(data.id(), tick.id(), 0), 0);
  EXPECT_GT(H5DSis_attached(data.id(), category.get(), 1), 0);
  EXPECT_EQ(H5DSis_attached(data.id(), category.get(), 0), 0);
  // No DIMENSION_LABELS: netCDF readers would show them as an attribute of every variable.
  EXPECT_EQ(H5Aexists(data.id(), "DIMENSION_LABELS"), 0);
}

TEST(H5Dimension, BareDimensionsCarryNetcdfsMarker) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  const Appendable row(file.id(), "row", Element::f32, 0, {});
  make_bare_dimension(row.id());
  EXPECT_GT(H5DSis_scale(row.id()), 0);
  EXPECT_EQ(scale_name(row.id()).rfind("This is a netCDF dimension but not a netCDF variable.", 0), 0u);
}

}  // namespace
}  // namespace flywheel::h5
