// Handles close their ids exactly once, and failed calls become h5::Error.

#include "flywheel/engine/h5/handle.hpp"

#include <gtest/gtest.h>

namespace flywheel::h5 {
namespace {

bool is_open(hid_t id) { return H5Iis_valid(id) > 0; }

TEST(H5Handle, ClosesItsIdWhenDestroyed) {
  hid_t id = H5I_INVALID_HID;
  {
    const DataspaceHandle space(H5Screate(H5S_SCALAR));
    id = space.get();
    EXPECT_TRUE(is_open(id));
  }
  EXPECT_FALSE(is_open(id));
}

TEST(H5Handle, MoveTransfersOwnership) {
  DataspaceHandle a(H5Screate(H5S_SCALAR));
  const hid_t id = a.get();
  DataspaceHandle b(std::move(a));
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(b.get(), id);
  DataspaceHandle c;
  c = std::move(b);
  EXPECT_EQ(c.get(), id);
  EXPECT_TRUE(is_open(id));
  c.reset();
  EXPECT_FALSE(is_open(id));
}

TEST(H5Handle, MoveAssignmentClosesWhatItHeld) {
  DataspaceHandle a(H5Screate(H5S_SCALAR));
  DataspaceHandle b(H5Screate(H5S_SCALAR));
  const hid_t old = a.get();
  a = std::move(b);
  EXPECT_FALSE(is_open(old));
  EXPECT_TRUE(a.valid());
}

TEST(H5Handle, ReleaseHandsTheIdToTheCaller) {
  DataspaceHandle a(H5Screate(H5S_SCALAR));
  const hid_t id = a.release();
  EXPECT_FALSE(a.valid());
  EXPECT_TRUE(is_open(id));
  EXPECT_GE(H5Sclose(id), 0);
}

TEST(H5Handle, FailedCallsThrowWithHdf5sMessage) {
  silence_errors();
  try {
    check_id(H5Dopen2(H5I_INVALID_HID, "nothing", H5P_DEFAULT), "opening nothing");
    FAIL() << "expected h5::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("opening nothing: "), std::string::npos) << e.what();
  }
  EXPECT_THROW(check(-1, "a failure"), Error);
  EXPECT_NO_THROW(check(0, "a success"));
}

}  // namespace
}  // namespace flywheel::h5
