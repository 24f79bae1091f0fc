// Whole 1-D arrays: what is written reads back exactly, and a dataset of
// another type, shape or length is refused before a buffer is sized from it.

#include "flywheel/engine/h5/array.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/ids.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

// Typed ids of the two widths the model uses.
enum class ByteId : std::uint8_t {};

template <class T>
void round_trip(hid_t group, const std::string& name, std::vector<T> values) {
  write_array(group, name, std::span<const T>(values));
  EXPECT_EQ(read_exact<T>(group, name, values.size()), values) << name;
  EXPECT_EQ(read_array<T>(group, name, values.size() + 5), values) << name;
}

TEST(H5Array, EveryElementTypeReadsBackExactly) {
  const testing::TempFile tmp;
  File file = File::create(tmp.path());
  const GroupHandle g = create_group(file.id(), "g", false);
  round_trip<std::uint8_t>(g.get(), "u8", {0, 1, 255});
  round_trip<std::int8_t>(g.get(), "i8", {-128, 0, 127});
  round_trip<std::uint16_t>(g.get(), "u16", {0, 7, std::numeric_limits<std::uint16_t>::max()});
  round_trip<std::uint32_t>(g.get(), "u32", {0, 7, std::numeric_limits<std::uint32_t>::max()});
  round_trip<std::int64_t>(g.get(), "i64", {std::numeric_limits<std::int64_t>::min(), -1, 3});
  round_trip<std::uint64_t>(g.get(), "u64", {std::numeric_limits<std::uint64_t>::max(), 0});
  round_trip<float>(g.get(), "f32", {0.1f, -3.5f, std::numeric_limits<float>::denorm_min()});
  round_trip<double>(g.get(), "f64", {0.1 + 0.2, -0.0, std::numeric_limits<double>::max()});
  round_trip<ByteId>(g.get(), "ids", {ByteId{0}, ByteId{0xFF}});
  round_trip<double>(g.get(), "empty", {});
  file.close();
}

TEST(H5Array, AnotherTypeShapeOrLengthIsRefused) {
  const testing::TempFile tmp;
  File file = File::create(tmp.path());
  const hid_t root = file.id();
  const std::vector<std::uint32_t> values{1, 2, 3};
  write_array(root, "a", std::span<const std::uint32_t>(values));
  EXPECT_THROW(read_exact<std::int32_t>(root, "a", 3), Error) << "another sign";
  EXPECT_THROW(read_exact<std::uint64_t>(root, "a", 3), Error) << "another size";
  EXPECT_THROW(read_exact<float>(root, "a", 3), Error) << "another class";
  EXPECT_THROW(read_exact<std::uint32_t>(root, "a", 4), Error) << "shorter than expected";
  EXPECT_THROW(read_array<std::uint32_t>(root, "a", 2), Error) << "longer than allowed";
  EXPECT_THROW(read_exact<std::uint32_t>(root, "missing", 3), Error);
  EXPECT_THROW(open_group(root, "missing"), Error);
  file.close();
}

}  // namespace
}  // namespace flywheel::h5
