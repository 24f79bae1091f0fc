// Files: created in the latest format, failures name the path and the reason,
// and a file a SWMR writer holds open can be read alongside.

#include "flywheel/engine/h5/file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "flywheel/engine/h5/attributes.hpp"
#include "h5_temp_file.hpp"

namespace flywheel::h5 {
namespace {

TEST(H5File, CreatesInTheLatestFormat) {
  const testing::TempFile tmp;
  File file = File::create(tmp.path());
  const PropertyHandle fapl(H5Fget_access_plist(file.id()));
  H5F_libver_t low{}, high{};
  ASSERT_GE(H5Pget_libver_bounds(fapl.get(), &low, &high), 0);
  EXPECT_EQ(low, H5F_LIBVER_LATEST);
  file.close();
  EXPECT_EQ(file.id(), H5I_INVALID_HID);
}

TEST(H5File, CreateInAMissingDirectorySaysWhy) {
  try {
    File::create("/nonexistent-directory/out.h5");
    FAIL() << "expected h5::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot create the output file '/nonexistent-directory/out.h5': No such file or directory");
  }
}

TEST(H5File, OpeningSomethingElseSaysWhy) {
  const testing::TempFile tmp(".txt");
  std::ofstream(tmp.path()) << "not HDF5\n";
  try {
    File::open_read(tmp.path());
    FAIL() << "expected h5::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open '" + tmp.path() + "' as an HDF5 file"), std::string::npos)
        << e.what();
  }
}

TEST(H5File, ReadersOpenAFileWhileItsSwmrWriterHoldsIt) {
  const testing::TempFile tmp;
  File writer = File::create(tmp.path());
  write_attribute(writer.id(), "answer", std::int64_t{42});
  writer.flush();
  writer.start_swmr_write();
  const File reader = File::open_read(tmp.path());
  EXPECT_EQ(read_integer(reader.id(), "answer"), 42);
}

}  // namespace
}  // namespace flywheel::h5
