#pragma once
// What every kernel of a tick reads and nobody writes during it.

#include <cstdint>
#include <span>

#include "flywheel/agents/customer_params.hpp"
#include "flywheel/agents/ids.hpp"
#include "flywheel/agents/loops.hpp"
#include "flywheel/agents/platform_params.hpp"
#include "flywheel/agents/review_params.hpp"
#include "flywheel/agents/seller_params.hpp"
#include "flywheel/market/categories.hpp"
#include "flywheel/market/platform_terms.hpp"

namespace flywheel::market {

struct TickContext {
  std::uint64_t seed;
  Tick tick;
  const Categories* categories;
  const agents::CustomerParams* customers;
  const agents::SellerParams* sellers;
  const agents::ReviewParams* reviews;
  std::span<const agents::PlatformParams> platforms;  // their parameters; their levers are in `terms`
  std::span<const PlatformTerms> terms;
  std::uint32_t consideration_set;
  double signal_memory;
  const agents::Loops* loops;  // read once per kernel call, not per agent
};

}  // namespace flywheel::market
