#include "flywheel/agents/customers.hpp"

#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

namespace flywheel::agents {
namespace {

// Log-normal with the given median: exp(N(log(median), sigma)).
float draw_lognormal(random::Stream& urng, double median, double sigma) {
  if (median <= 0.0) return 0.0f;
  if (sigma <= 0.0) return static_cast<float>(median);
  boost::random::lognormal_distribution<double> d(std::log(median), sigma);
  return static_cast<float>(d(urng));
}

random::Stream trait_stream(std::uint64_t seed, std::uint32_t customer) {
  return random::stream(seed, random::static_tick, customer, purpose(Purpose::customer_traits));
}

// The first trait drawn from a customer's trait stream.
float draw_base_shopping_rate(random::Stream& urng, const CustomerParams& params) {
  return std::min(1.0f, draw_lognormal(urng, params.shopping_rate, params.shopping_rate_spread));
}

}  // namespace

float base_shopping_rate(const CustomerParams& params, std::uint64_t seed, std::uint32_t customer) {
  auto urng = trait_stream(seed, customer);
  return draw_base_shopping_rate(urng, params);
}

Customers::Customers(const CustomerParams& params, std::size_t platforms, std::uint64_t seed, Execution execution)
    : Customers(params, platforms, seed, execution, 0, params.count) {}

Customers::Customers(const CustomerParams& params, std::size_t platforms, std::uint64_t seed, Execution execution,
                     std::size_t first, std::size_t count)
    : first_(first), platforms_(platforms) {
  for_each_column(*this, [&](auto& column, const auto& initial, const ColumnInfo& info) {
    column.assign(info.per_platform ? count * platforms : count, initial);
  });
  std::fill(conversion.begin(), conversion.end(), static_cast<float>(params.initial_conversion));
  constexpr std::size_t block = 16384;
  const std::size_t n = count;
  for_each_unit(execution, (n + block - 1) / block, [&](std::size_t b) {
    for (std::size_t c = b * block; c < std::min(n, (b + 1) * block); ++c) {
      auto urng = trait_stream(seed, static_cast<std::uint32_t>(first + c));
      shopping_rate[c] = draw_base_shopping_rate(urng, params);
      price_sensitivity[c] = draw_lognormal(urng, params.price_sensitivity, params.price_sensitivity_spread);
      delivery_sensitivity[c] = draw_lognormal(urng, params.delivery_sensitivity, params.delivery_sensitivity_spread);
    }
  });
}

std::uint32_t contact(std::uint64_t seed, std::uint32_t customer, std::uint32_t k, std::uint32_t n) noexcept {
  const auto bits = random::block(seed, random::static_tick, customer, purpose(Purpose::contacts), k / 4);
  std::uint32_t other = static_cast<std::uint32_t>((static_cast<std::uint64_t>(bits[k % 4]) * n) >> 32);
  if (other == customer) other = (other + 1) % n;  // nobody is their own contact
  return other;
}

}  // namespace flywheel::agents
