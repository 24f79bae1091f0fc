#pragma once
// A platform's parameters: fees, fulfilment network, delivery, ranker,
// membership, first-party retail and policy.

#include <cstdint>
#include <string>
#include <vector>

#include "flywheel/agents/mechanism.hpp"
#include "flywheel/agents/platform_policy.hpp"
#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct RankerParams {
  double prior_sd = 1.0;
  std::uint32_t prior_window = 180;
  double signal_noise = 2.0;
  double exploration = 0.3;
  std::uint32_t candidates = 64;
  double taste_doubt = 0.5;
  double review_trust = 1.0;
  double first_party_boost = 0.0;
  double fulfilled_boost = 0.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("prior_sd", prior_sd,
            "Ranker's prior spread of offer quality about its prior mean (learnt from its offers; 0 before it has "
            "any evidence)",
            between(0.01, 100.0));
    v.field("prior_window", prior_window,
            "Days an offer's evidence counts, from its first day shown, towards the ranker's prior mean for new "
            "offers of its kind (1P or 3P): new offers are like recent ones, not like the survivors of years",
            between(1u, 100000u));
    v.field("signal_noise", signal_noise,
            "Sigma of the quality signal one sale gives the ranker (returns, repeat buys)", between(0.01, 1000.0));
    v.field("exploration", exploration, "Ranking bonus per unit of the ranker's uncertainty about an offer",
            between(0.0, 100.0));
    v.field("candidates", candidates,
            "Offers of a category the ranker scores for each shopper: its best by what suits a typical shopper",
            between(1u, 256u));
    v.field("taste_doubt", taste_doubt,
            "The ranker's doubt about a customer's style after one purchase, in variant distance, shrinking as "
            "1 / sqrt(purchases): it does not penalise offers that lie within its doubt of its estimate",
            between(0.0, 1.0));
    v.field("review_trust", review_trust,
            "Share of a review's precision the ranker credits it with, reading it as buyers review: rounded to whole "
            "stars, capped at 1 and 5, written more by the delighted and the disappointed (0: it ignores reviews)",
            between(0.0, 1.0));
    v.field("first_party_boost", first_party_boost,
            "Self-preferencing: what the ranker adds, in utility, to the score of the platform's own 1P offers (a "
            "lever)",
            between(-100.0, 100.0));
    v.field("fulfilled_boost", fulfilled_boost,
            "The buy-box question: what the ranker adds, in utility, to the score of every offer the platform "
            "delivers, its own 1P included (a lever)",
            between(-100.0, 100.0));
  }
};

struct FulfilmentParams {
  double fee = 2.0;
  double cost_per_unit = 2.5;
  double fixed_cost = 500.0;
  double cost_learning_exponent = 0.1;
  double cost_learning_scale = 100000.0;
  double base_delivery_days = 5.0;
  double min_delivery_days = 1.0;
  double initial_capital = 0.0;
  double capital_scale = 200000.0;
  double depreciation = 0.002;
  double delivery_investment = 0.0;
  double base_capacity = 1000.0;
  double capacity_per_capital = 0.05;
  double congestion = 1.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("fee", fee, "Fee per unit a 3P seller pays to use the platform's fulfilment", between(0.0, 1e6));
    v.field("cost_per_unit", cost_per_unit, "Platform's own variable cost per unit it fulfils, at the start",
            between(0.0, 1e6));
    v.field("fixed_cost", fixed_cost, "Fixed cost per day of the fulfilment network and software", between(0.0, 1e12));
    v.field("cost_learning_exponent", cost_learning_exponent,
            "Learning curve of fulfilment: unit cost falls as (1 + units / scale)^-exponent", between(0.0, 1.0));
    v.field("cost_learning_scale", cost_learning_scale, "Units fulfilled before the fulfilment cost starts to fall",
            between(1.0, 1e15));
    v.field("base_delivery_days", base_delivery_days, "Delivery days with no fulfilment capital", between(0.0, 60.0));
    v.field("min_delivery_days", min_delivery_days, "Delivery days that no investment can beat", between(0.0, 60.0));
    v.field("initial_capital", initial_capital, "Fulfilment capital at tick 0", between(0.0, 1e15));
    v.field("capital_scale", capital_scale, "Capital that closes 63% of the gap between base and minimum days",
            between(1.0, 1e15));
    v.field("depreciation", depreciation, "Share of fulfilment capital lost per day", between(0.0, 1.0));
    v.renamed("investment", "delivery_investment");  // one name, the lever's
    v.field("delivery_investment", delivery_investment,
            "Daily investment in fulfilment capital at tick 0 (the lever delivery_investment)", between(0.0, 1e12));
    v.field("base_capacity", base_capacity, "Units a day the network handles with no fulfilment capital",
            between(0.0, 1e15));
    v.field("capacity_per_capital", capacity_per_capital,
            "Units a day of handling capacity each unit of fulfilment capital adds", between(0.0, 1e6));
    v.field("congestion", congestion,
            "Delivery slows beyond capacity: days x (1 + congestion x (units / capacity - 1)) when units exceed it "
            "(0: capacity never binds)",
            between(0.0, 100.0));
    v.require(base_capacity > 0.0 || capacity_per_capital > 0.0 || congestion == 0.0, "congestion",
              "is not 0 while the network has no capacity (base_capacity and capacity_per_capital both 0)");
    v.require(min_delivery_days <= base_delivery_days, "min_delivery_days", "must not exceed base_delivery_days");
  }
};

struct MembershipParams {
  bool offered = true;
  double fee = 119.0;
  double days_saved = 1.0;
  double consideration_rate = 0.02;
  double cost_per_order = 1.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("offered", offered, "Whether the platform sells a paid membership");
    v.field("fee", fee, "Yearly membership fee (a lever), charged daily", between(0.0, 1e6));
    v.field("days_saved", days_saved, "Delivery days members save on orders the platform fulfils", between(0.0, 30.0));
    v.field("consideration_rate", consideration_rate,
            "Chance per trip that a customer who is not a member weighs the offer (it must come to know it first; 1: "
            "on every trip)",
            between(0.0, 1.0));
    v.field("cost_per_order", cost_per_order,
            "What the platform pays per member order it delivers for the faster delivery it promises (the shipping "
            "fee it waives is revenue forgone)",
            between(0.0, 1e6));
  }
};

struct FirstPartyParams {
  double category_share = 0.3;
  double markup = 1.3;
  double quality_mean = 0.0;
  double cost_ratio = 0.6;
  double learning_exponent = 0.1;
  double learning_scale = 1000.0;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("category_share", category_share, "Share of categories, most popular first, where it sells 1P",
            between(0.0, 1.0));
    v.field("markup", markup,
            "Most a 1P price may be over its unit cost, the margin policy (a lever): below it the retail arm reprices "
            "like a seller",
            between(0.0, 100.0));
    v.field("quality_mean", quality_mean, "True quality of its 1P offers", between(-10.0, 10.0));
    v.field("cost_ratio", cost_ratio, "1P unit cost as a share of the category's price level", between(0.01, 10.0));
    v.field("learning_exponent", learning_exponent,
            "Learning curve of its 1P retail: unit cost falls as (1 + cumulative units / scale)^-exponent",
            between(0.0, 1.0));
    v.field("learning_scale", learning_scale, "Units a 1P offer sells before its costs start to fall",
            between(1.0, 1e9));
  }
};

struct PolicyParams {
  double payout_share = 0.0;
  double max_take_rate = 0.95;
  std::uint32_t metric_window = 30;
  std::vector<Mechanism<PlatformPolicy>> mechanisms;

  template <class V>
  void visit(V& v) {
    v.field("payout_share", payout_share, "Share of positive operating profit paid out (a lever)",
            config::between(0.0, 1.0));
    v.field("max_take_rate", max_take_rate, "Highest take rate its mechanisms may set", config::between(0.0, 0.99));
    v.field("metric_window", metric_window,
            "Days of the trailing figures its mechanisms observe (operating margin, conversion, shares, ...; "
            "orders_growth compares two such windows)",
            config::between(1u, 365u));
    v.list("mechanisms", mechanisms, "Feedback rules that move the platform's levers");
  }
};

struct PlatformParams {
  std::string name = "platform";
  bool third_party = true;
  double take_rate = 0.15;
  double shipping_fee = 5.0;
  double marketing_spend = 0.0;
  double cost_per_impression = 0.02;
  double ad_response = 0.02;
  double ad_slots = 0.0;
  double ad_reserve = 0.1;
  double initial_cash = 100000.0;
  double credit_line = 1e7;
  std::uint32_t exit_after_days = 90;
  RankerParams ranker;
  FulfilmentParams fulfilment;
  MembershipParams membership;
  FirstPartyParams first_party;
  PolicyParams policy;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("name", name, "The platform's name (output coordinate)");
    v.field("third_party", third_party, "Whether it admits 3P sellers");
    v.field("take_rate", take_rate, "Fee on 3P sales, as a share of the price (a lever)", between(0.0, 0.99));
    v.field("shipping_fee", shipping_fee, "Shipping fee a non-member pays on an order the platform fulfils (a lever)",
            between(0.0, 1e6));
    v.field("marketing_spend", marketing_spend, "Daily spend on advertising to customers (a lever)",
            between(0.0, 1e12));
    v.field("cost_per_impression", cost_per_impression, "Cost of reaching one customer with an advertisement",
            between(1e-9, 1e6));
    v.field("ad_response", ad_response, "Chance an inactive customer reached by an advertisement starts shopping",
            between(0.0, 1.0));
    v.field("ad_slots", ad_slots,
            "Sponsored positions at the top of each shopper's list, sold by a second-price auction on sellers' bids "
            "x the ranker's relevance (a lever; its whole part counts, at most the list's length)",
            between(0.0, 16.0));
    v.field("ad_reserve", ad_reserve, "Least price per click of a sponsored position", between(1e-6, 1e6));
    v.field("initial_cash", initial_cash, "Cash at tick 0", between(-1e15, 1e15));
    v.field("credit_line", credit_line,
            "Money it may owe: its cash may fall to -credit_line; beyond that for exit_after_days days it exits",
            between(0.0, 1e15));
    v.field("exit_after_days", exit_after_days,
            "Consecutive days its cash must close below -credit_line before it exits (sells nothing, spends "
            "nothing, its mechanisms stop)",
            between(1u, 36500u));
    v.section("ranker", ranker, "How it ranks offers");
    v.section("fulfilment", fulfilment, "Its fulfilment network and delivery");
    v.section("membership", membership, "Its paid membership");
    v.section("first_party", first_party, "Its own (1P) retail");
    v.section("policy", policy, "Payout and adaptive mechanisms");
    v.require(take_rate <= policy.max_take_rate, "take_rate", "must not exceed policy.max_take_rate");
    v.require(config::is_item_name(name), "name",
              "must not be empty, contain '.' or be all digits: it names the platform in the output and in --set "
              "platforms.NAME.key=value; found '" +
                  name + "'");
  }
};

}  // namespace flywheel::agents
