// Appendable datasets grow by rows, convert on write, and read back by row.

#include "flywheel/engine/h5/appendable.hpp"

#include <gtest/gtest.h>

#include <array>

#include "flywheel/engine/h5/file.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

std::array<hsize_t, 2> chunk_of(hid_t dataset) {
  const PropertyHandle dcpl(H5Dget_create_plist(dataset));
  std::array<hsize_t, 2> chunk{0, 0};
  H5Pget_chunk(dcpl.get(), 2, chunk.data());
  return chunk;
}

TEST(H5Appendable, TwoDimensionalRowsAppendAndReadBack) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  Appendable a(file.id(), "m", Element::i64, 3, {});
  const std::array<double, 6> first{1, 2, 3, 4, 5, 6};
  a.append(first.data(), H5T_NATIVE_DOUBLE, 2);
  const std::array<double, 3> second{7, 8, 9};
  a.append(second.data(), H5T_NATIVE_DOUBLE, 1);
  a.append(nullptr, H5T_NATIVE_DOUBLE, 0);
  EXPECT_EQ(a.rows(), 3u);
  EXPECT_EQ(row_count(a.id()), 3u);
  EXPECT_EQ(read_row(a.id(), 1), (std::vector<double>{4, 5, 6}));
  EXPECT_EQ(read_row(a.id(), 2), (std::vector<double>{7, 8, 9}));
  EXPECT_THROW(read_row(a.id(), 3), Error);
  const DatatypeHandle type(H5Dget_type(a.id()));
  EXPECT_GT(H5Tequal(type.get(), H5T_STD_I64LE), 0);
}

TEST(H5Appendable, OneDimensionalAndExtendWithoutWriting) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  Appendable a(file.id(), "v", Element::f32, 0, {});
  const std::array<float, 2> values{0.5f, 1.5f};
  a.append(values.data(), H5T_NATIVE_FLOAT, 2);
  EXPECT_EQ(read_row(a.id(), 1), std::vector<double>{1.5});
  Appendable placeholder(file.id(), "p", Element::f32, 0, {});
  placeholder.extend(1000);
  EXPECT_EQ(row_count(placeholder.id()), 1000u);
  EXPECT_EQ(H5Dget_storage_size(placeholder.id()), 0u);  // no chunk was ever allocated
}

TEST(H5Appendable, ChunksStayUnderTheChunkCache) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  const Appendable narrow(file.id(), "narrow", Element::f64, 3, {64, 4});
  EXPECT_EQ(chunk_of(narrow.id())[0], 64u);
  const Appendable wide(file.id(), "wide", Element::f64, 100'000, {64, 4});
  EXPECT_EQ(chunk_of(wide.id())[0], 1u);  // one row is 800 kB already
  const Appendable mid(file.id(), "mid", Element::f64, 4096, {64, 4});
  EXPECT_EQ(chunk_of(mid.id())[0], 32u);
}

TEST(H5Appendable, OpensExistingDatasetsAndSaysWhenAbsent) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  const Appendable a(file.id(), "here", Element::f64, 0, {});
  EXPECT_TRUE(exists(file.id(), "here"));
  EXPECT_FALSE(exists(file.id(), "absent"));
  EXPECT_TRUE(open_dataset(file.id(), "here").valid());
  EXPECT_THROW(open_dataset(file.id(), "absent"), Error);
}

}  // namespace
}  // namespace flywheel::h5
