// Each element type is little-endian in the file and native in memory, of the same size.

#include "flywheel/engine/h5/types.hpp"

#include <gtest/gtest.h>

namespace flywheel::h5 {
namespace {

TEST(H5Types, FileAndMemoryTypesAgreeInSize) {
  for (const Element e : {Element::u8, Element::u16, Element::u32, Element::i64, Element::f32, Element::f64}) {
    EXPECT_EQ(H5Tget_size(file_type(e)), element_size(e));
    EXPECT_EQ(H5Tget_size(memory_type(e)), element_size(e));
    EXPECT_EQ(H5Tget_order(file_type(e)), H5T_ORDER_LE);  // HDF5 calls even one-byte types little-endian
  }
  EXPECT_EQ(H5Tget_class(file_type(Element::f32)), H5T_FLOAT);
  EXPECT_EQ(H5Tget_sign(file_type(Element::u32)), H5T_SGN_NONE);
  EXPECT_EQ(H5Tget_sign(file_type(Element::i64)), H5T_SGN_2);
}

}  // namespace
}  // namespace flywheel::h5
