#include "flywheel/agents/customer_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace flywheel::agents {

PlatformId choose_platform(std::span<const float> satisfaction, std::uint8_t known, PlatformId last,
                           PlatformId member_of, const PlatformPreference& pref, double u) {
  std::array<double, 8> score{};
  double top = -1e300;
  for (std::size_t p = 0; p < satisfaction.size(); ++p) {
    if ((known >> p & 1u) == 0) continue;
    score[p] = pref.sharpness * satisfaction[p] + (make_id<PlatformId>(p) == last ? pref.inertia : 0.0) +
               (make_id<PlatformId>(p) == member_of ? pref.member_loyalty : 0.0);
    top = std::max(top, score[p]);
  }
  if (known == 0) return no_platform;
  double total = 0.0;
  for (std::size_t p = 0; p < satisfaction.size(); ++p) {
    score[p] = (known >> p & 1u) != 0 ? std::exp(score[p] - top) : 0.0;
    total += score[p];
  }
  double x = u * total;
  std::size_t chosen = 0;
  for (std::size_t p = 0; p < satisfaction.size(); ++p) {
    if (score[p] <= 0.0) continue;
    chosen = p;
    if (x < score[p]) break;
    x -= score[p];
  }
  return make_id<PlatformId>(chosen);
}

double offer_utility(const OfferView& offer, const Tastes& t) noexcept {
  return t.quality_weight * offer.quality - t.price_sensitivity * std::log(offer.price_paid / offer.price_level) -
         t.delivery_sensitivity * offer.delivery_days - t.taste_weight * offer.variant_distance;
}

float updated_satisfaction(float satisfaction, double experience, double memory) noexcept {
  return static_cast<float>(satisfaction + memory * (experience - satisfaction));
}

float best_satisfaction(std::span<const float> satisfaction, std::uint8_t known) noexcept {
  float best = -std::numeric_limits<float>::infinity();
  for (std::size_t p = 0; p < satisfaction.size(); ++p)
    if ((known >> p & 1u) != 0) best = std::max(best, satisfaction[p]);
  return best;
}

double shopping_intensity(double best_satisfaction, const DemandResponse& d) noexcept {
  return std::min(d.max_intensity, std::exp(d.response * (best_satisfaction - d.reference)));
}

bool wants_membership(const MembershipView& v, bool is_member, double leave_ratio) noexcept {
  const double benefit = v.yearly_orders * (v.shipping_fee + v.days_saved * v.value_of_a_day);
  return is_member ? benefit >= leave_ratio * v.yearly_fee : benefit > v.yearly_fee;
}

}  // namespace flywheel::agents
