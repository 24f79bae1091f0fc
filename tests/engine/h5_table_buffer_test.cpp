// Snapshot buffers copy columns as raw elements and keep their capacity.

#include "flywheel/engine/h5/table_buffer.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "flywheel/engine/ids.hpp"

namespace flywheel::h5 {
namespace {

// Typed ids of the two widths the model uses.
enum class ByteId : std::uint8_t {};
enum class WideId : std::uint32_t {};

Layout layout() {
  Layout l;
  l.axes.push_back({"platform", "", "", std::vector<std::string>{"a", "b"}});
  l.tables.push_back({"t",
                      "",
                      {{"id", "1", "", Element::u32, ""},
                       {"owner", "1", "", Element::u8, ""},
                       {"score", "1", "", Element::f32, "platform"}}});
  return l;
}

TEST(H5TableBuffer, ElementTypesFollowValueTypes) {
  static_assert(element_of<std::uint8_t>() == Element::u8);
  static_assert(element_of<ByteId>() == Element::u8);
  static_assert(element_of<WideId>() == Element::u32);
  static_assert(element_of<Tick>() == Element::u32);
  static_assert(element_of<std::int64_t>() == Element::i64);
  static_assert(element_of<float>() == Element::f32);
  static_assert(element_of<double>() == Element::f64);
  SUCCEED();
}

TEST(H5TableBuffer, AppendsRowsColumnByColumn) {
  const Layout l = layout();
  TableBuffer b(l.tables[0], l);
  const std::vector<WideId> ids{WideId{7}, WideId{9}};
  const std::vector<ByteId> owners{ByteId{0}, ByteId{0xFF}};
  const std::vector<float> scores{0.5f, 1.5f, 2.5f, 3.5f};
  b.append(0, std::span<const WideId>(ids));
  b.append(1, std::span<const ByteId>(owners));
  b.append(2, std::span<const float>(scores));
  EXPECT_EQ(b.columns(), 3u);
  EXPECT_EQ(b.rows(), 2u);
  std::uint32_t second = 0;
  std::memcpy(&second, static_cast<const std::byte*>(b.data(0)) + sizeof(std::uint32_t), sizeof second);
  EXPECT_EQ(second, 9u);
  b.clear();
  EXPECT_EQ(b.rows(), 0u);
}

TEST(H5TableBufferDeathTest, AppendingTheWrongTypeIsABug) {
  const Layout l = layout();
  TableBuffer b(l.tables[0], l);
  const std::vector<double> wrong{1.0};
  EXPECT_DEATH(b.append(0, std::span<const double>(wrong)), "assertion");
}

TEST(H5TableBufferDeathTest, RaggedColumnsAreABug) {
  const Layout l = layout();
  TableBuffer b(l.tables[0], l);
  const std::vector<std::uint32_t> ids{1, 2};
  b.append(0, std::span<const std::uint32_t>(ids));
  EXPECT_DEATH(static_cast<void>(b.rows()), "assertion");
}

}  // namespace
}  // namespace flywheel::h5
