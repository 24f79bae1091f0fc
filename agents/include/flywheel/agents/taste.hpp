#pragma once
// Tastes over a category's variants (points on a unit circle), and what a
// platform's ranker learns of them. A customer has a style, a point on the
// circle; its taste in a category is its style moved by up to taste_spread / 2
// either way (taste_spread 1: unrelated across categories). The ranker sees
// neither: for each customer it keeps an estimate of the style, learnt from
// the variants the customer bought on that platform (a TasteProfile).

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace flywheel::agents {

/// x wrapped into [0, 1).
template <class Real>
Real wrap_circle(Real x) noexcept {
  return x - std::floor(x);
}

/// The signed shortest step from `from` to `to` on the unit circle, in [-0.5, 0.5).
template <class Real>
Real circular_step(Real from, Real to) noexcept {
  const Real d = to - from;
  return d - std::floor(d + Real(0.5));
}

/// A customer's taste in a category: its style moved by spread x (u - 1/2),
/// u uniform in (0, 1) and fixed for (customer, category).
inline double taste_in(double style, double spread, double u) noexcept {
  return wrap_circle(style + spread * (u - 0.5));
}

/// A ranker's profile of one customer, packed in 16 bits: its estimate of the
/// customer's style in 1/1024ths of the circle (10 bits) and the purchases it
/// rests on (6 bits, at most 63; beyond, each purchase moves it by 1/64, a
/// running mean that keeps following).
class TasteProfile {
 public:
  static constexpr std::uint32_t max_purchases = 63;

  TasteProfile() = default;
  explicit TasteProfile(std::uint16_t bits) noexcept : bits_(bits) {}

  [[nodiscard]] std::uint16_t bits() const noexcept { return bits_; }
  [[nodiscard]] std::uint32_t purchases() const noexcept { return bits_ & max_purchases; }
  /// The estimated style: the centre of its 1/1024th of the circle.
  [[nodiscard]] double style() const noexcept { return ((bits_ >> 6) + 0.5) / 1024.0; }
  /// The ranker's doubt about the estimate, in variant distance: doubt /
  /// sqrt(n) after n purchases, 0.5 (it knows nothing) before the first.
  [[nodiscard]] double doubt(double doubt_after_one) const noexcept {
    const double n = purchases();
    return n > 0.0 ? std::min(0.5, doubt_after_one / std::sqrt(n)) : 0.5;
  }
  /// The profile after a purchase of `variant`: the estimate moves 1 / (n + 1)
  /// of the way towards it along the circle, n counting the purchases before.
  [[nodiscard]] TasteProfile learnt(double variant) const noexcept;

 private:
  std::uint16_t bits_ = 0;
};

inline TasteProfile TasteProfile::learnt(double variant) const noexcept {
  const std::uint32_t n = purchases();
  const double moved = wrap_circle(style() + circular_step(style(), variant) / (n + 1.0));
  const auto bin = static_cast<std::uint32_t>(moved * 1024.0) & 1023u;
  const std::uint32_t count = n < max_purchases ? n + 1 : max_purchases;
  return TasteProfile(static_cast<std::uint16_t>(bin << 6 | count));
}

}  // namespace flywheel::agents
