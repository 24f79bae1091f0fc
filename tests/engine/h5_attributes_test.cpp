// Attributes round-trip; fixed-length text is rewritten in place, even in SWMR mode.

#include "flywheel/engine/h5/attributes.hpp"

#include <gtest/gtest.h>

#include "flywheel/engine/h5/file.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

TEST(H5Attributes, RoundTripTextAndNumbers) {
  const testing::TempFile tmp;
  File file = File::create(tmp.path());
  const hid_t root = file.id();
  write_attribute(root, "text", std::string("line one\nline two: ü"));
  write_attribute(root, "signed", std::int64_t{-7});
  write_attribute(root, "unsigned", std::uint64_t{18'000'000'000'000'000'000ull});
  write_attribute(root, "real", 0.25);
  EXPECT_EQ(read_text(root, "text"), "line one\nline two: ü");
  EXPECT_EQ(read_integer(root, "signed"), -7);
  EXPECT_TRUE(has_attribute(root, "unsigned"));
  EXPECT_TRUE(has_attribute(root, "real"));
  EXPECT_FALSE(has_attribute(root, "absent"));
  EXPECT_THROW(read_text(root, "signed"), Error);
  EXPECT_THROW(read_text(root, "absent"), Error);
}

TEST(H5Attributes, FixedTextIsRewrittenInPlaceWhileSwmrWriting) {
  const testing::TempFile tmp;
  File file = File::create(tmp.path());
  create_fixed_text(file.id(), "status", 16, "running");
  EXPECT_EQ(read_text(file.id(), "status"), "running");
  file.flush();
  file.start_swmr_write();
  rewrite_fixed_text(file.id(), "status", "interrupted");
  EXPECT_EQ(read_text(file.id(), "status"), "interrupted");
  rewrite_fixed_text(file.id(), "status", "complete");
  file.close();
  const File reader = File::open_read(tmp.path());
  EXPECT_EQ(read_text(reader.id(), "status"), "complete");
}

TEST(H5Attributes, FixedTextThatDoesNotFitIsABug) {
  const testing::TempFile tmp;
  const File file = File::create(tmp.path());
  EXPECT_THROW(create_fixed_text(file.id(), "status", 4, "too long"), InternalError);
  create_fixed_text(file.id(), "status", 8, "ok");
  EXPECT_THROW(rewrite_fixed_text(file.id(), "status", "much too long"), InternalError);
  write_attribute(file.id(), "variable", std::string("x"));
  EXPECT_THROW(rewrite_fixed_text(file.id(), "variable", "y"), InternalError);
}

}  // namespace
}  // namespace flywheel::h5
