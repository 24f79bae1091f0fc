#include "flywheel/engine/h5/types.hpp"

namespace flywheel::h5 {

hid_t file_type(Element element) noexcept {
  switch (element) {
    case Element::u8:
      return H5T_STD_U8LE;
    case Element::i8:
      return H5T_STD_I8LE;
    case Element::u16:
      return H5T_STD_U16LE;
    case Element::u32:
      return H5T_STD_U32LE;
    case Element::i64:
      return H5T_STD_I64LE;
    case Element::f32:
      return H5T_IEEE_F32LE;
    case Element::f64:
      return H5T_IEEE_F64LE;
  }
  return H5I_INVALID_HID;
}

hid_t memory_type(Element element) noexcept {
  switch (element) {
    case Element::u8:
      return H5T_NATIVE_UINT8;
    case Element::i8:
      return H5T_NATIVE_INT8;
    case Element::u16:
      return H5T_NATIVE_UINT16;
    case Element::u32:
      return H5T_NATIVE_UINT32;
    case Element::i64:
      return H5T_NATIVE_INT64;
    case Element::f32:
      return H5T_NATIVE_FLOAT;
    case Element::f64:
      return H5T_NATIVE_DOUBLE;
  }
  return H5I_INVALID_HID;
}

}  // namespace flywheel::h5
