#include "flywheel/market/shopping.hpp"

#include <bit>
#include <cmath>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "flywheel/agents/customer_rules.hpp"
#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::market {
namespace {

using agents::Customers;

std::uint16_t day_of(const TickContext& ctx) noexcept { return static_cast<std::uint16_t>(ctx.tick); }

// What a customer expects of the best platform it knows that is still open.
float best_open_satisfaction(const Customers& customers, std::size_t c, const TickContext& ctx) {
  return agents::best_satisfaction(customers.satisfaction_row(c),
                                   customers.known_platforms[c] & open_platforms(ctx.terms));
}

// Sets a shopping customer's trips a day from its own expectations: its base
// rate times its intensity (the base rate with loops.demand_response off).
// Returns the intensity.
double set_shopping_rate(Customers& customers, std::size_t c, const TickContext& ctx) {
  if (!ctx.loops->demand_response) return 1.0;
  const auto& cp = *ctx.customers;
  const auto id = static_cast<std::uint32_t>(customers.first() + c);
  const double intensity = agents::shopping_intensity(
      best_open_satisfaction(customers, c, ctx), {cp.intensity_response, cp.intensity_reference, cp.max_intensity});
  customers.shopping_rate[c] =
      static_cast<float>(std::min(1.0, agents::base_shopping_rate(cp, ctx.seed, id) * intensity));
  return intensity;
}

// A customer who has never shopped, or has lapsed, starts shopping on p. A
// lapsed one comes back expecting at least what a newcomer expects of p.
void start_shopping(Customers& customers, std::size_t c, std::size_t p, std::span<agents::PlatformTally> tally,
                    const TickContext& ctx) {
  const auto initial = static_cast<float>(ctx.customers->initial_satisfaction);
  customers.learn_of(c, p, initial);
  if (customers.active[c] == Customers::lapsed) {
    customers.satisfaction(c, p) = std::max(customers.satisfaction(c, p), initial);
    ++tally[p].won_back;
  }
  customers.active[c] = Customers::shopping;
  customers.last_platform[c] = make_id<PlatformId>(p);
  customers.last_trip[c] = day_of(ctx);
  ++tally[p].active_delta;
  set_shopping_rate(customers, c, ctx);
}

// A shopping customer gives up: it no longer counts as its last platform's
// shopper, and ends any membership.
void lapse(Customers& customers, std::size_t c, std::span<agents::PlatformTally> tally) {
  customers.active[c] = Customers::lapsed;
  const std::size_t last = index(customers.last_platform[c]);
  --tally[last].active_delta;
  ++tally[last].lapses;
  if (customers.member_of[c] == no_platform) return;
  --tally[index(customers.member_of[c])].member_delta;
  customers.member_of[c] = no_platform;
}

// The chance an inactive customer starts shopping today, a little over, so
// that draws above it can skip discovered_platform() safely.
double discovery_bound(const TickContext& ctx) {
  double chance = ctx.customers->awareness_rate;
  for (const auto& t : ctx.terms) chance += t.ad_reach * t.ad_response;
  return chance * (1.0 + 1e-9) + 1e-12;
}

// Which platform, if any, makes an inactive customer start shopping today
// (`platforms`: none): its own discovery (any platform alike) or an
// advertisement it saw.
struct Discovery {
  std::size_t platform;
  bool by_ad;
};
Discovery discovered_platform(double u, const TickContext& ctx, std::size_t platforms) {
  const double own = ctx.customers->awareness_rate;
  if (u < own) {  // any open platform alike
    const auto open = static_cast<double>(std::popcount(open_platforms(ctx.terms)));
    return {nth_open_platform(ctx.terms, static_cast<std::size_t>(u / own * open)), false};
  }
  double x = u - own;
  for (std::size_t p = 0; p < platforms; ++p) {
    const double reach = ctx.terms[p].ad_reach * ctx.terms[p].ad_response;
    if (x < reach) return {p, true};
    x -= reach;
  }
  return {platforms, false};
}

// After a trip: a customer whose best platform now disappoints lapses;
// otherwise its trips a day follow its expectations. Returns its intensity
// (0 once lapsed).
double respond_to_trip(Customers& customers, std::size_t c, std::span<agents::PlatformTally> tally,
                       const TickContext& ctx) {
  if (!ctx.loops->demand_response) return 1.0;
  const auto& cp = *ctx.customers;
  if (agents::lapses_after_trip(best_open_satisfaction(customers, c, ctx), {cp.lapse_satisfaction, cp.lapse_days})) {
    lapse(customers, c, tally);
    return 0.0;
  }
  return set_shopping_rate(customers, c, ctx);
}

}  // namespace

void customers_shop(std::size_t block, std::size_t outbox, std::size_t first, std::size_t last,
                    agents::Customers& customers, Router<Intent>& router, std::span<agents::PlatformTally> tally,
                    const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const std::size_t platforms = customers.platforms();
  const agents::PlatformPreference preference{cp.choice_sharpness, cp.inertia, cp.member_loyalty};
  const std::uint8_t open = open_platforms(ctx.terms);
  random::UniformSequence wake(ctx.seed, ctx.tick, static_cast<std::uint32_t>(block),
                               agents::purpose(agents::Purpose::wake));
  boost::random::uniform_01<double> uniform;
  const double discovery = discovery_bound(ctx);
  const bool demand_response = ctx.loops->demand_response;
  const agents::Lapse lapsing{cp.lapse_satisfaction, cp.lapse_days};
  const std::uint16_t today = day_of(ctx);

  for (std::size_t id_index = first; id_index < last; ++id_index) {
    const std::size_t c = id_index - customers.first();  // row
    const double u = wake.next();                        // one draw per customer, used or not: the stream stays aligned
    if (customers.active[c] != Customers::shopping) {
      if (u >= discovery) continue;
      const Discovery found = discovered_platform(u, ctx, platforms);
      if (found.platform == platforms) continue;
      start_shopping(customers, c, found.platform, tally, ctx);
      if (found.by_ad) ++tally[found.platform].ad_starts;
      continue;
    }
    if (u >= customers.shopping_rate[c]) {
      if (demand_response && agents::lapses_absent(today, customers.last_trip[c], lapsing)) lapse(customers, c, tally);
      continue;
    }

    const auto id = static_cast<std::uint32_t>(id_index);
    auto shop = random::stream(ctx.seed, ctx.tick, id, agents::purpose(agents::Purpose::shop));
    std::uint32_t category = 0;
    if (uniform(shop) < cp.favourite_share) {
      boost::random::uniform_int_distribution<std::uint32_t> which(0, cp.favourite_categories - 1);
      category = agents::favourite_category(ctx.seed, id, which(shop),
                                            [&](auto& urng) { return ctx.categories->sample(urng); });
    } else {
      category = ctx.categories->sample(shop);
    }
    if (customers.member_of[c] != no_platform && (open >> index(customers.member_of[c]) & 1u) == 0) {
      --tally[index(customers.member_of[c])].member_delta;  // a membership of a platform that has exited ends
      customers.member_of[c] = no_platform;
    }
    const PlatformId platform =
        agents::choose_platform(customers.satisfaction_row(c), customers.known_platforms[c] & open,
                                customers.last_platform[c], customers.member_of[c], preference, uniform(shop));
    if (platform == no_platform) continue;  // it knows no platform still open (it lapses after lapse_days)
    customers.last_trip[c] = today;
    const std::size_t p = index(platform);

    // Membership: join or leave by the customer's own spending.
    const PlatformTerms& terms = ctx.terms[p];
    if (terms.membership_offered) {
      const double value_of_a_day =
          customers.price_sensitivity[c] > 0.0f
              ? customers.delivery_sensitivity[c] / customers.price_sensitivity[c] * customers.spend_per_order[c]
              : 0.0;
      const bool member = customers.member_of[c] == platform;
      const bool wants =
          agents::wants_membership({365.0 * customers.shopping_rate[c] * customers.conversion[c], terms.shipping_fee,
                                    terms.member_days_saved, value_of_a_day, terms.membership_fee},
                                   member, cp.membership_leave_ratio);
      // A non-member weighs the offer only once it has come to know it: on a
      // trip with chance member_consideration (drawn only when it would join).
      const auto considers = [&] {
        const auto draw = random::block(ctx.seed, ctx.tick, id, agents::purpose(agents::Purpose::membership));
        return random::unit(draw[0]) < terms.member_consideration;
      };
      if (wants && !member && considers()) {
        if (customers.member_of[c] != no_platform) --tally[index(customers.member_of[c])].member_delta;
        customers.member_of[c] = platform;
        ++tally[p].member_delta;
      } else if (!wants && member) {
        customers.member_of[c] = no_platform;
        --tally[p].member_delta;
      }
    } else if (customers.member_of[c] == platform) {  // a membership no longer offered (a branch) ends
      customers.member_of[c] = no_platform;
      --tally[p].member_delta;
    }

    Intent intent{};
    intent.customer = make_id<CustomerId>(id_index);
    intent.category = category;
    intent.platform = platform;
    intent.member = customers.member_of[c] == platform ? 1 : 0;
    intent.outcome = Outcome::pending;
    intent.price_sensitivity = customers.price_sensitivity[c];
    intent.delivery_sensitivity = customers.delivery_sensitivity[c];
    intent.style = static_cast<float>(agents::style_of(ctx.seed, id));
    intent.taste_profile = customers.taste_profile(c, p);
    router.emit(outbox, ctx.categories->shard_of(category), intent);
  }
}

void apply_experiences(std::span<const Intent> intents, agents::Customers& customers, std::vector<Referral>& referrals,
                       std::span<agents::PlatformTally> tally, std::size_t population, const TickContext& ctx) {
  const auto& cp = *ctx.customers;
  const auto n = static_cast<std::uint32_t>(population);
  const bool word_of_mouth = ctx.loops->word_of_mouth;
  for (const Intent& intent : intents) {
    const auto id = static_cast<std::uint32_t>(index(intent.customer));
    const std::size_t c = id - customers.first();  // row
    const std::size_t p = index(intent.platform);
    const bool bought = intent.outcome == Outcome::bought;
    customers.taste_profile(c, p) = intent.taste_profile;  // what the platform learnt of the shopper, if anything
    customers.satisfaction(c, p) =
        agents::updated_satisfaction(customers.satisfaction(c, p), intent.experience, cp.satisfaction_memory);
    customers.conversion[c] = static_cast<float>((1.0 - cp.conversion_memory) * customers.conversion[c] +
                                                 cp.conversion_memory * (bought ? 1.0 : 0.0));
    if (bought) {
      customers.spend_per_order[c] = customers.spend_per_order[c] > 0.0f
                                         ? static_cast<float>(1.0 - cp.spend_memory) * customers.spend_per_order[c] +
                                               static_cast<float>(cp.spend_memory) * intent.paid
                                         : intent.paid;
      if (customers.last_platform[c] != intent.platform) {
        if (customers.last_platform[c] != no_platform) --tally[index(customers.last_platform[c])].active_delta;
        ++tally[p].active_delta;
        customers.last_platform[c] = intent.platform;
      }
    }
    tally[p].intensity_sum += static_cast<std::uint64_t>(
        std::lround(respond_to_trip(customers, c, tally, ctx) * agents::PlatformTally::intensity_unit));
    if (!bought || !word_of_mouth || intent.experience <= cp.referral_threshold) continue;
    const auto bits = random::block(ctx.seed, ctx.tick, id, agents::purpose(agents::Purpose::referral));
    if (random::open01(bits[0]) >= cp.referral_probability) continue;
    const std::uint32_t k = bits[1] % cp.contacts;
    referrals.push_back({agents::contact(ctx.seed, id, k, n), id, intent.experience, intent.platform});
    ++tally[p].referrals;
  }
}

void take_up_referral(const Referral& r, agents::Customers& customers, std::span<agents::PlatformTally> tally,
                      const TickContext& ctx) {
  const std::size_t c = r.contact - customers.first();  // row
  const std::size_t p = index(r.platform);
  const auto& cp = *ctx.customers;
  if (customers.active[c] == Customers::shopping) {
    customers.learn_of(c, p, static_cast<float>(cp.initial_satisfaction));
    customers.satisfaction(c, p) = agents::updated_satisfaction(customers.satisfaction(c, p), r.experience,
                                                                cp.satisfaction_memory * cp.word_of_mouth_weight);
    return;
  }
  // One draw per referral (the referrer is the event), not per contact and day.
  const auto bits =
      random::block(ctx.seed, ctx.tick, r.contact, agents::purpose(agents::Purpose::referral_take_up), r.referrer);
  if (random::open01(bits[0]) < ctx.customers->referral_activation) start_shopping(customers, c, p, tally, ctx);
}

}  // namespace flywheel::market
