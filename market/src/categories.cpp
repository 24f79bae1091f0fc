#include "flywheel/market/categories.hpp"

#include <boost/random/lognormal_distribution.hpp>
#include <cmath>
#include <numeric>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::market {
namespace {

std::vector<double> zipf_shares(std::uint32_t n, double exponent) {
  std::vector<double> w(n);
  for (std::uint32_t c = 0; c < n; ++c) w[c] = std::pow(static_cast<double>(c) + 1.0, -exponent);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x /= total;
  return w;
}

boost::random::discrete_distribution<std::uint32_t, double> popularity(const MarketParams& params) {
  const std::vector<double> shares = zipf_shares(params.categories, params.popularity_exponent);
  return boost::random::discrete_distribution<std::uint32_t, double>(shares.begin(), shares.end());
}

}  // namespace

Categories::Categories(const MarketParams& params, std::uint64_t seed)
    : shards_(params.shards), price_level_(params.categories), by_popularity_(popularity(params)) {
  boost::random::lognormal_distribution<double> level(std::log(params.price_level), params.price_level_spread);
  for (std::uint32_t c = 0; c < params.categories; ++c) {
    // Its own purpose: under initial_state, category c drew the very words
    // that decide whether customer c starts active (Market::populate).
    auto urng = random::stream(seed, random::static_tick, c, agents::purpose(agents::Purpose::category_traits));
    price_level_[c] = params.price_level_spread > 0 ? level(urng) : params.price_level;
  }
}

}  // namespace flywheel::market
