#pragma once
// What a 3P seller's advertising mechanisms can observe and move (see
// mechanism.hpp): its bid for sponsored positions, against what its clicks
// cost it per unit of sales.

#include <array>
#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct BidPolicy {
  enum class Metric : std::uint8_t {
    ad_cost_of_sales,  // its clicks' cost since its last price review over its sales there (ACoS)
  };
  enum class Lever : std::uint8_t { bid };
  static constexpr std::uint32_t max_delay = 0;  // a seller sees only its own books today

  static constexpr std::array<config::Choice<Metric>, 1> metric_choices{
      {{"ad_cost_of_sales", Metric::ad_cost_of_sales}}};
  static constexpr std::array<config::Choice<Lever>, 1> lever_choices{{{"bid", Lever::bid}}};
};

}  // namespace flywheel::agents
