#pragma once
// Customers' parameters: traits are drawn per customer around these levels.

#include <cstdint>

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct CustomerParams {
  std::uint32_t count = 1'000'000;
  double initially_active = 0.02;
  double shopping_rate = 0.08;
  double shopping_rate_spread = 0.5;
  double price_sensitivity = 2.5;
  double price_sensitivity_spread = 0.3;
  double delivery_sensitivity = 0.15;
  double delivery_sensitivity_spread = 0.5;
  std::uint32_t favourite_categories = 3;
  double favourite_share = 0.7;
  double quality_weight = 1.0;
  double taste_weight = 4.0;
  double taste_spread = 0.15;
  double fit_noise = 0.15;
  double attention = 0.7;
  double return_cost = 0.5;
  double outside_utility = -1.0;
  double need_spread = 0.0;
  double sponsored_discount = 0.2;
  double experience_noise = 0.5;
  double satisfaction_memory = 0.2;
  double initial_satisfaction = 0.0;
  double failed_search_experience = -1.0;
  double choice_sharpness = 1.5;
  double inertia = 1.0;
  double member_loyalty = 1.0;
  std::uint32_t contacts = 6;
  double referral_probability = 0.08;
  double referral_threshold = 0.3;
  double referral_activation = 0.35;
  double word_of_mouth_weight = 0.5;
  double awareness_rate = 0.00002;
  double initial_conversion = 0.5;
  double conversion_memory = 0.1;
  double spend_memory = 0.2;
  double membership_leave_ratio = 0.8;
  double intensity_response = 0.25;
  double intensity_reference = 0.0;
  double max_intensity = 3.0;
  double lapse_satisfaction = -0.9;
  std::uint32_t lapse_days = 365;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("count", count, "Number of customers (active or not yet active)", between(1u, 400'000'000u));
    v.field("initially_active", initially_active, "Share of customers active at tick 0", between(0.0, 1.0));
    v.field("shopping_rate", shopping_rate, "Median shopping trips per day of an active customer", between(0.0, 1.0));
    v.field("shopping_rate_spread", shopping_rate_spread, "Log-normal sigma of shopping rates across customers",
            between(0.0, 3.0));
    v.field("price_sensitivity", price_sensitivity,
            "Median utility lost per unit of log price relative to the category's level", between(0.0, 50.0));
    v.field("price_sensitivity_spread", price_sensitivity_spread, "Log-normal sigma of price sensitivity",
            between(0.0, 3.0));
    v.field("delivery_sensitivity", delivery_sensitivity, "Median utility lost per day of delivery",
            between(0.0, 10.0));
    v.field("delivery_sensitivity_spread", delivery_sensitivity_spread, "Log-normal sigma of delivery sensitivity",
            between(0.0, 3.0));
    v.field("favourite_categories", favourite_categories, "Favourite categories per customer", between(1u, 4u));
    v.field("favourite_share", favourite_share, "Share of trips to a favourite category (the rest follow popularity)",
            between(0.0, 1.0));
    v.field("quality_weight", quality_weight,
            "Utility per unit of quality: of its true quality once bought, of the displayed rating's promise before",
            between(0.0, 10.0));
    v.field("taste_weight", taste_weight, "Utility lost per unit of distance between taste and variant (0..0.5)",
            between(0.0, 50.0));
    v.field("taste_spread", taste_spread,
            "How far a customer's taste in a category strays from its own style (0: the same variant in every "
            "category; 1: unrelated across categories)",
            between(0.0, 1.0));
    v.field("fit_noise", fit_noise,
            "Largest error in a shopper's impression of an offer's fit before buying (triangular, in units of variant "
            "distance)",
            between(0.0, 0.5));
    v.field("attention", attention,
            "Chance a shopper goes on from one position of a list to the next (a cascade: position i, from 0, is "
            "examined with probability attention^i)",
            between(0.0, 1.0));
    v.field("return_cost", return_cost,
            "Hassle of returning a purchase, in utility: a buyer returns one whose realised experience is worse than a "
            "failed search less this",
            between(0.0, 20.0));
    v.field("outside_utility", outside_utility, "Utility of not buying (the outside option)", between(-20.0, 20.0));
    v.field("need_spread", need_spread,
            "Sigma of a trip's own shift of the outside option: how much less some trips need to buy (browsing) "
            "than others",
            between(0.0, 20.0));
    v.field("sponsored_discount", sponsored_discount,
            "What a shopper takes off the utility it expects of an offer in a sponsored position: it knows the "
            "position was paid for",
            between(-100.0, 100.0));
    v.field("experience_noise", experience_noise, "Sigma of the surprise in a purchase's realised utility",
            between(0.0, 10.0));
    v.field("satisfaction_memory", satisfaction_memory, "Weight of the latest experience in remembered satisfaction",
            between(0.0, 1.0));
    v.field("initial_satisfaction", initial_satisfaction, "Satisfaction with a platform a customer has just heard of",
            between(-10.0, 10.0));
    v.field("failed_search_experience", failed_search_experience, "Experience of a trip that ends without a purchase",
            between(-20.0, 0.0));
    v.field("choice_sharpness", choice_sharpness, "How strongly platform choice follows remembered satisfaction",
            between(0.0, 50.0));
    v.field("inertia", inertia, "Utility bonus of the platform used last (habit)", between(0.0, 20.0));
    v.field("member_loyalty", member_loyalty, "Utility bonus of the platform a customer is a member of",
            between(0.0, 20.0));
    v.field("contacts", contacts, "Social contacts per customer (derived by hashing, not stored)", between(1u, 64u));
    v.field("referral_probability", referral_probability, "Chance a satisfied buyer tells a contact about the platform",
            between(0.0, 1.0));
    v.field("referral_threshold", referral_threshold, "Experience above which a buyer is satisfied enough to refer",
            between(-20.0, 20.0));
    v.field("referral_activation", referral_activation, "Chance a referred inactive customer starts shopping",
            between(0.0, 1.0));
    v.field("word_of_mouth_weight", word_of_mouth_weight,
            "Weight of a friend's experience, relative to one's own, in remembered satisfaction", between(0.0, 1.0));
    v.field("awareness_rate", awareness_rate, "Daily chance an inactive customer starts shopping on its own",
            between(0.0, 1.0));
    v.field("initial_conversion", initial_conversion,
            "Conversion rate (orders per trip) a customer assumes before its first trip", between(0.0, 1.0));
    v.field("conversion_memory", conversion_memory, "Weight of the latest trip in a customer's own conversion rate",
            between(0.0, 1.0));
    v.field("spend_memory", spend_memory,
            "Weight of the latest order in a customer's average spend per order (its first order sets it)",
            between(0.0, 1.0));
    v.field("membership_leave_ratio", membership_leave_ratio,
            "A member leaves when its yearly benefit falls below this share of the fee", between(0.0, 1.0));
    v.field("intensity_response", intensity_response,
            "Log of shopping intensity (trips a day over the customer's base rate) per unit of its best remembered "
            "satisfaction above intensity_reference (0: demand does not respond)",
            between(0.0, 10.0));
    v.field("intensity_reference", intensity_reference,
            "Remembered satisfaction at which a customer shops at its base rate", between(-20.0, 20.0));
    v.field("max_intensity", max_intensity, "Highest shopping intensity, as a multiple of the base rate",
            between(1.0, 100.0));
    v.field("lapse_satisfaction", lapse_satisfaction,
            "A customer whose remembered satisfaction with every open platform it knows is below this after a trip "
            "lapses (stops shopping until an ad, a referral or its own awareness wins it back)",
            between(-100.0, 20.0));
    v.field("lapse_days", lapse_days, "A customer who has not shopped for this many days lapses", between(1u, 30'000u));
  }
};

}  // namespace flywheel::agents
