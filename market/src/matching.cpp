#include "flywheel/market/matching.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "flywheel/agents/auction.hpp"
#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/logit.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/agents/review_rules.hpp"
#include "flywheel/agents/taste.hpp"
#include "flywheel/engine/philox_pair.hpp"
#include "flywheel/engine/random.hpp"
#include "flywheel/market/ranking.hpp"

namespace flywheel::market {
namespace {

constexpr std::size_t max_list = 64;   // market.consideration_set's bound
constexpr std::size_t max_pool = 256;  // platforms.ranker.candidates' bound
// List regret costs a second ranking, so it is measured on a fixed panel:
// the customers whose id is a multiple of this.
constexpr std::uint32_t regret_panel = 8;

// x + sign for a count: sign is +1 or -1.
template <class Count>
void count(Count& x, int sign) noexcept {
  x = sign > 0 ? x + 1 : x - 1;
}

// The price-dependent part of a sale, which a return undoes: sign +1 books
// the sale, -1 refunds it (the unit goes back to stock, the customer gets the
// price back, a 3P seller gets the platform's fee back).
void book_price(Shard& shard, std::uint32_t o, const PlatformTerms& terms, double level, int sign) {
  auto& offers = shard.state.offers;
  auto& sellers = shard.state.sellers;
  auto& tally = shard.state.tally[index(offers.platform[o])];
  const std::uint32_t s = offers.seller[o];
  const double price = offers.price[o];
  count(offers.stock[o], -sign);
  count(offers.units_today[o], sign);
  count(offers.units_since_review[o], sign);
  count(tally.orders, sign);
  tally.gmv += sign * price;
  tally.price_index_sum += sign * price / level;
  if (sellers.owner[s] != no_platform) {
    count(tally.units_1p, sign);
    tally.first_party_sales += sign * price;
    const double margin = sign * (price - sellers.unit_cost[s] - terms.fulfilment_unit_cost);
    offers.profit_since_review[o] += static_cast<float>(margin);
    tally.profit_1p += margin;
    return;
  }
  const double fee = terms.take_rate * price;
  count(tally.units_3p, sign);
  tally.value_3p += sign * price;
  tally.fee_revenue += sign * fee;
  sellers.cash[s] += sign * (price - fee);
  const double margin = sign * (price - fee - sellers.unit_cost[s]);
  offers.profit_since_review[o] += static_cast<float>(margin);
  tally.profit_3p += margin;
}

// Books one unit sold: stock, the seller's money, the platform's tally, and
// the delivery, which a return does not undo. Returns what the customer
// paid: the price, plus shipping unless a member.
double book_sale(Shard& shard, std::uint32_t o, const PlatformTerms& terms, const TickContext& ctx, bool member,
                 double level) {
  auto& offers = shard.state.offers;
  auto& sellers = shard.state.sellers;
  auto& tally = shard.state.tally[index(offers.platform[o])];
  const std::uint32_t s = offers.seller[o];
  const bool fulfilled = platform_fulfils(shard, o);
  book_price(shard, o, terms, level, +1);
  if (offers.stock[o] == 0) offers.sold_out_since_review[o] = 1;
  const double shipping_paid = fulfilled && !member ? terms.shipping_fee : 0.0;
  if (fulfilled) {
    ++tally.units_fulfilled;
    tally.member_orders += member ? 1u : 0u;
    tally.shipping_revenue += shipping_paid;
  }
  if (sellers.owner[s] != no_platform) return offers.price[o] + shipping_paid;
  double shipping = ctx.sellers->self_ship_cost * level;
  if (fulfilled) {
    shipping = terms.fulfilment_fee;
    tally.fulfilment_fee_revenue += terms.fulfilment_fee;
  }
  sellers.cash[s] -= shipping;
  offers.profit_since_review[o] -= static_cast<float>(shipping);
  tally.profit_3p -= shipping;
  return offers.price[o] + shipping_paid;
}

// A noise in (-1, 1), triangular: the sum of a 32-bit draw's two halves.
inline float triangular(std::uint32_t bits) noexcept {
  return static_cast<float>((bits & 0xFFFFu) + (bits >> 16) + 1u) * (1.0f / 65536.0f) - 1.0f;
}

// The draws of one shopper's look down its list: how deep it looks (word 0
// of block 0) and its impression of each examined offer's fit (the words
// after), from (seed, tick, customer, examine, block), blocks fetched as needed.
class Examination {
 public:
  Examination(std::uint64_t seed, Tick tick, std::uint32_t customer)
      : seed_(seed), tick_(tick), customer_(customer), words_(block(0)) {}

  /// Positions examined out of n (agents::cascade_depth).
  [[nodiscard]] std::uint32_t depth(std::uint32_t n, double log_attention) const noexcept {
    return agents::cascade_depth(n, log_attention, random::open01(words_[0]));
  }
  /// The impression's error at position i, in (-1, 1).
  float fit_error(std::uint32_t i) noexcept {
    const std::uint32_t word = i + 1;
    if (word / 4 != fetched_) words_ = block(fetched_ = word / 4);
    return triangular(words_[word % 4]);
  }

 private:
  [[nodiscard]] random::Philox::ctr_type block(std::uint32_t b) const {
    return random::block(seed_, tick_, customer_, agents::purpose(agents::Purpose::examine), b);
  }
  std::uint64_t seed_;
  Tick tick_;
  std::uint32_t customer_;
  std::uint32_t fetched_ = 0;
  random::Philox::ctr_type words_;
};

// Sponsored positions in one shopper's list: the auction's winners among the
// pool's rows, on their bids and their relevance to this shopper (its
// personal scores, as the ranker predicts them, exp(score - best)), go first;
// the organic list follows without them, up to k rows. Returns how many
// positions are sponsored; `n` becomes the list's new length and
// `click_price[i]` what sponsored position i costs its seller per click.
std::uint32_t sponsor_list(const CandidatePool& pool, std::span<const float> personal, std::uint32_t slots,
                           double reserve, std::uint32_t k, std::span<std::uint8_t> list, std::uint32_t& n,
                           std::span<float> relevance, std::span<float> click_price) {
  // Relevance: the ranker's logit weight of each row for this shopper (0 for
  // rows it cannot list, whose score is -inf), scaled by the best row's.
  const float top = agents::max_of(personal, -std::numeric_limits<float>::infinity());
  agents::exp_shifted(personal, top, relevance.first(pool.size));
  std::array<agents::SponsoredWin, agents::max_sponsored_slots> wins{};
  const std::uint32_t won = agents::sponsored_auction({pool.bid.data(), pool.size}, relevance.first(pool.size),
                                                      std::min(slots, k), reserve, wins);
  if (won == 0) return 0;
  std::array<std::uint8_t, max_list> organic{};
  std::copy_n(list.begin(), n, organic.begin());
  const std::uint32_t organic_n = n;
  for (std::uint32_t i = 0; i < won; ++i) {
    list[i] = static_cast<std::uint8_t>(wins[i].bidder);
    click_price[i] = static_cast<float>(wins[i].price_per_click);
  }
  n = won;
  for (std::uint32_t i = 0; i < organic_n && n < k; ++i)
    if (std::none_of(wins.begin(), wins.begin() + won, [&](const auto& w) { return w.bidder == organic[i]; }))
      list[n++] = organic[i];
  return won;
}

// A listed visit's consumer surplus in utility: the logit inclusive value of
// the examined offers over the trip's outside option (Small and Rosen), plus
// the expected gap between the utility each offer will give and the one the
// shopper chose on (it chooses on what it perceives; welfare counts what it
// gets). `weight` holds the logit weights of `perceived` shifted by their
// largest utility, `outside` the outside option's.
float surplus_of_visit(std::span<const float> perceived, std::span<const float> truth, std::span<const float> weight,
                       float outside, float outside_utility) noexcept {
  float total = outside;
  float gap = 0.0f;
  for (std::size_t i = 0; i < perceived.size(); ++i) {
    total += weight[i];
    gap += weight[i] * (truth[i] - perceived[i]);
  }
  const float top = agents::max_of(perceived, outside_utility);
  return top - outside_utility + std::log(total) + gap / total;
}

// The expected inclusive value of a list (true utilities `utility` of pool
// rows, best first as shown) to a shopper who examines its first d rows with
// the cascade's probabilities: what the list is worth before the shopper's
// own noise, in utility.
float expected_inclusive_value(std::span<const float> utility, std::span<const std::uint8_t> list, std::uint32_t n,
                               float outside, float attention) noexcept {
  float sum = std::exp(outside);
  float reach = 1.0f;  // P(the shopper examines position i)
  float value = 0.0f;
  for (std::uint32_t i = 0; i < n; ++i) {
    sum += std::exp(utility[list[i]]);
    const float stop_here = i + 1 < n ? reach * (1.0f - attention) : reach;  // P(it examines exactly i + 1)
    value += stop_here * std::log(sum);
    reach *= attention;
  }
  return value;
}

}  // namespace

void match_intents(Shard& shard, std::span<Intent> intents, const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const auto& reviews = *ctx.reviews;
  const std::uint32_t k = ctx.consideration_set;
  const double most_write = agents::most_write_probability(reviews);
  // The choice is made in float: utilities are O(1) and their noise far
  // larger than float's rounding, and expf costs a third of exp.
  const auto taste_weight = static_cast<float>(cp.taste_weight);
  const auto fit_noise = static_cast<float>(cp.fit_noise);
  const auto outside_utility = static_cast<float>(cp.outside_utility);
  const auto need_spread = static_cast<float>(cp.need_spread);
  const auto return_below = static_cast<float>(cp.failed_search_experience - cp.return_cost);
  const double log_attention = cp.attention >= 1.0 ? 0.0 : std::log(std::max(cp.attention, 1e-300));
  const auto attention = static_cast<float>(cp.attention);
  const bool ranker_learns = ctx.loops->data;
  const random::PhiloxPair philox_pair(random::key(ctx.seed));
  std::array<float, max_pool> scores{};
  std::array<float, max_pool> truth{};
  std::array<std::uint8_t, max_list> list{};
  std::array<std::uint8_t, max_list> oracle{};
  std::array<float, max_list> utility{};
  std::array<float, max_list> weight{};
  std::array<float, max_pool> relevance{};
  std::array<float, agents::max_sponsored_slots> click_price{};
  const auto sponsored_discount = static_cast<float>(cp.sponsored_discount);

  // Group by group, each group's intents in canonical order: a group's offers
  // are touched by its own shoppers only, and its pool is built once, while hot.
  auto& start = shard.group_visits;
  std::fill(start.begin(), start.end(), 0u);
  const auto group_of = [&](const Intent& i) {
    return shard.group(ctx.categories->local_index(i.category), index(i.platform));
  };
  for (const Intent& i : intents) ++start[group_of(i) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  shard.visit_order.resize(intents.size());
  for (std::uint32_t i = 0; i < intents.size(); ++i) shard.visit_order[start[group_of(intents[i])]++] = i;
  // Now start[g] is where group g + 1 begins.

  const auto shard_index = static_cast<std::uint32_t>(index(shard.id()));
  CandidatePool& pool = shard.pool;
  for (std::size_t g = 0; g + 1 < start.size(); ++g) {
    const std::uint32_t first = g == 0 ? 0 : start[g - 1];
    if (first == start[g]) continue;
    const std::size_t p = g % shard.platforms();
    const std::uint32_t category =
        ctx.categories->global(shard_index, static_cast<std::uint32_t>(g / shard.platforms()));
    const double level = ctx.categories->price_level(category);
    const PlatformTerms& terms = ctx.terms[p];
    auto& tally = shard.state.tally[p];
    build_pool(shard, g, category, p, ctx, pool, shard.candidates);
    const std::uint32_t slots = sponsored_slots(terms, ctx.loops->sponsored);

    for (std::uint32_t v = first; v < start[g]; ++v) {
      Intent& intent = intents[shard.visit_order[v]];
      ++tally.visits;
      intent.outcome = Outcome::no_purchase;
      intent.paid = 0.0f;
      intent.experience = static_cast<float>(cp.failed_search_experience);

      // The ranker's list for this shopper, from what the platform knows of it.
      agents::TasteProfile profile(intent.taste_profile);
      const auto doubt = static_cast<float>(profile.doubt(terms.ranker_taste_doubt));
      const auto estimate = static_cast<float>(profile.style());
      std::uint32_t n = personal_list(pool, estimate, doubt, taste_weight, k, scores, list);
      const std::span<const float> personal{doubt >= 0.5f ? pool.score.data() : scores.data(), pool.size};
      const std::uint32_t sponsored =
          slots > 0 && n > 0 ? sponsor_list(pool, personal, slots, terms.ad_reserve, k, list, n, relevance, click_price)
                             : 0;
      if (n == 0) {
        ++tally.failed_searches;
        continue;
      }
      ++tally.listed_visits;
      for (std::uint32_t i = 0; i < n; ++i) tally.ranker_abs_error += pool.error[list[i]];
      tally.ranked_offers += n;

      // Two Philox blocks, side by side: the shopper's taste in the category,
      // and this visit's usual draws (the pick, two noises, the review's coin).
      const auto entity = static_cast<std::uint32_t>(index(intent.customer));
      const std::uint32_t choose = agents::purpose(agents::Purpose::choose);
      const auto [taste_draw, draws] =
          philox_pair(agents::taste_counter(entity, intent.category), random::counter(ctx.tick, entity, choose));
      const auto taste =
          static_cast<float>(agents::taste_in(intent.style, cp.taste_spread, agents::taste_draw(taste_draw)));
      tally.taste_error_sum += profile.purchases() > 0 ? agents::circular_distance(estimate, taste) : 0.25f;

      // The shopper looks down the list and judges what it sees: price,
      // delivery, the rating's promise and its impression of the fit.
      const int m = intent.member;
      const float price_sens = intent.price_sensitivity;
      const float delivery_sens = intent.delivery_sensitivity;
      // Pool row r's utility to this shopper, from a quality term and a misfit:
      // what it sees before buying, or the truth.
      const auto utility_of = [&](std::uint32_t r, float quality, float misfit) {
        return quality - price_sens * pool.log_price[m][r] - delivery_sens * pool.days[m][r] - taste_weight * misfit;
      };
      const auto true_misfit = [&](std::uint32_t r) { return agents::circular_distance(taste, pool.variant[r]); };
      Examination look(ctx.seed, ctx.tick, entity);
      const std::uint32_t examined = look.depth(n, log_attention);
      for (std::uint32_t i = 0; i < examined; ++i) {
        const std::uint32_t r = list[i];
        utility[i] = utility_of(r, pool.promise[r], std::max(0.0f, true_misfit(r) + fit_noise * look.fit_error(i)));
        if (i < sponsored) utility[i] -= sponsored_discount;  // it knows the position was paid for
      }
      // Each sponsored position the shopper examined is a click its seller pays for.
      for (std::uint32_t i = 0; i < std::min(examined, sponsored); ++i) {
        const std::uint32_t o = pool.offer[list[i]];
        shard.state.sellers.cash[shard.state.offers.seller[o]] -= click_price[i];
        shard.state.offers.ad_spend_since_review[o] += click_price[i];
        tally.ad_revenue += click_price[i];
        tally.profit_3p -= click_price[i];
        ++tally.sponsored_clicks;
      }
      // The experience's noise, and this trip's need: how far its outside option is from the usual one.
      const auto noise = random::normal_pair(draws[1], draws[2]);
      const float trip_outside = outside_utility + need_spread * noise.y;
      const float outside =
          agents::logit_weights<float>({utility.data(), examined}, trip_outside, {weight.data(), examined});
      const std::size_t pick =
          agents::pick_by_weight<float>({weight.data(), examined}, outside, random::unit(draws[0]));
      // In money: utility has -price_sens x ln(paid / level), so a unit of it is worth level / price_sens at the
      // category's usual price.
      if (price_sens > 0.0f) {
        for (std::uint32_t i = 0; i < examined; ++i)
          truth[i] = utility_of(list[i], pool.quality[list[i]], true_misfit(list[i]));
        tally.consumer_surplus += level / price_sens *
                                  surplus_of_visit({utility.data(), examined}, {truth.data(), examined},
                                                   {weight.data(), examined}, outside, trip_outside);
      }

      // The regret panel: what the list lost against the oracle's, by true utility.
      if (entity % regret_panel == 0) {
        for (std::uint32_t j = 0; j < pool.size; ++j)
          truth[j] = pool.score[j] == -std::numeric_limits<float>::infinity()
                         ? -std::numeric_limits<float>::infinity()
                         : utility_of(j, pool.quality[j], true_misfit(j));
        const std::uint32_t best = top_k({truth.data(), pool.size}, k, oracle);
        tally.regret_sum += expected_inclusive_value(truth, oracle, best, outside_utility, attention) -
                            expected_inclusive_value(truth, list, n, outside_utility, attention);
        ++tally.regret_visits;
      }
      if (pick == examined) {
        ++tally.failed_searches;
        continue;
      }
      if (pick < sponsored) ++tally.sponsored_sales;

      // The purchase reveals the truth: quality and fit as they are.
      const std::uint32_t r = list[pick];
      const std::uint32_t o = pool.offer[r];
      const std::uint8_t sold_out_before = shard.state.offers.sold_out_since_review[o];
      const double paid = book_sale(shard, o, terms, ctx, m != 0, level);
      const float realised = utility_of(r, pool.quality[r], true_misfit(r)) +
                             static_cast<float>(cp.experience_noise) * noise.x - outside_utility;
      tally.experience_sum += realised;
      tally.position_sum += pick + 1;
      const bool returned = realised < return_below;
      if (returned) {
        book_price(shard, o, terms, level, -1);
        shard.state.offers.sold_out_since_review[o] = sold_out_before;  // the unit is back: no stock-out happened
        ++tally.returns;
        intent.outcome = Outcome::returned;
        intent.paid = static_cast<float>(paid - shard.state.offers.price[o]);  // any shipping fee stays paid
        intent.experience = return_below;
      } else {
        intent.outcome = Outcome::bought;
        intent.paid = static_cast<float>(paid);
        intent.experience = realised;
      }
      if (shard.state.offers.stock[o] == 0) pool.score[r] = -std::numeric_limits<float>::infinity();

      // What the platform learns: every sale's outcome signal (kept or sent
      // back, repeat buys), the buyer's taste from what it kept, and a review
      // if one is written (shown to shoppers whether or not the ranker learns).
      // The sale's own normals (a third Philox block): the signal's noise and
      // the buyer's opinion. Not the trip's: its need decided whether the
      // shopper bought, so buyers' need draws lean low, and a signal made
      // of one would read every sold offer as worse than it is.
      const double quality = shard.state.sellers.quality[shard.state.offers.seller[o]];
      const auto sale_draws = random::block(ctx.seed, ctx.tick, entity, choose, 1);
      const auto sale_noise = random::normal_pair(sale_draws[0], sale_draws[1]);
      if (ranker_learns) {
        const double signal = quality + sale_noise.y * terms.ranker_signal_sd;
        shard.state.offers.evidence_sum[o] += static_cast<float>(signal * terms.ranker_signal_precision);
        shard.state.offers.evidence_precision[o] += static_cast<float>(terms.ranker_signal_precision);
        if (!returned) intent.taste_profile = profile.learnt(pool.variant[r]).bits();
      }
      // The buyer's stars matter only when it might write (u below the most
      // any buyer writes with); it writes if u is below the chance for its
      // stars.
      const double u = random::unit(draws[3]);
      if (u < most_write) {
        const double opinion = quality + reviews.noise * sale_noise.x;
        const int stars = agents::stars_for(opinion, reviews.star_width);
        if (u < agents::write_probability(stars, reviews)) {
          shard.state.offers.rating_sum[o] += static_cast<float>(stars);
          shard.state.offers.rating_count[o] += 1.0f;
          ++tally.reviews_of(stars);
          if (ranker_learns) {
            const double mean =
                estimate_quality(shard.state.offers.evidence_sum[o], shard.state.offers.evidence_precision[o],
                                 quality_prior(shard, terms, o))
                    .mean;
            const agents::ReviewEvidence read = agents::review_evidence(stars, mean, reviews);
            shard.state.offers.evidence_sum[o] += static_cast<float>(terms.ranker_review_trust * read.sum);
            shard.state.offers.evidence_precision[o] += static_cast<float>(terms.ranker_review_trust * read.precision);
          }
        }
      }
    }
  }
}

}  // namespace flywheel::market
