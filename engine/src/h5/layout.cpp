#include "flywheel/engine/h5/layout.hpp"

#include "flywheel/engine/errors.hpp"

namespace flywheel::h5 {

std::size_t element_size(Element element) noexcept {
  switch (element) {
    case Element::u8:
    case Element::i8:
      return 1;
    case Element::u16:
      return 2;
    case Element::u32:
      return 4;
    case Element::i64:
      return 8;
    case Element::f32:
      return 4;
    case Element::f64:
      return 8;
  }
  return 0;
}

std::size_t Axis::size() const {
  return std::visit([](const auto& v) { return v.size(); }, labels);
}

const Axis& Layout::axis(const std::string& name) const {
  for (const auto& a : axes)
    if (a.name == name) return a;
  throw InternalError("output layout: no axis named '" + name + "'");
}

std::size_t Layout::width(const Variable& variable) const {
  return variable.axis.empty() ? 1 : axis(variable.axis).size();
}

std::size_t Layout::row_width() const {
  std::size_t n = 0;
  for (const auto& s : series) n += width(s);
  return n;
}

}  // namespace flywheel::h5
