#pragma once
// What a seller's stock mechanisms can observe and move (see mechanism.hpp).

#include <array>
#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct StockPolicy {
  enum class Metric : std::uint8_t { stock_cover_days, stock_units };
  enum class Lever : std::uint8_t { stock_cover_days, stock_units };
  static constexpr std::uint32_t max_delay = 0;  // a seller sees only its stock today

  static constexpr std::array<config::Choice<Metric>, 2> metric_choices{
      {{"stock_cover_days", Metric::stock_cover_days}, {"stock_units", Metric::stock_units}}};
  static constexpr std::array<config::Choice<Lever>, 2> lever_choices{
      {{"stock_cover_days", Lever::stock_cover_days}, {"stock_units", Lever::stock_units}}};
};

}  // namespace flywheel::agents
