#pragma once
// Sellers' parameters: third-party (3P) sellers' traits, costs, pricing,
// stock, fulfilment and entry and exit rules.

#include <cstdint>
#include <vector>

#include "flywheel/agents/bid_policy.hpp"
#include "flywheel/agents/mechanism.hpp"
#include "flywheel/agents/stock_policy.hpp"
#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

/// The default stock rule: when stock covers under 10 days of sales, reorder up to 30.
inline Mechanism<StockPolicy> default_reorder() {
  return {.name = "reorder",
          .metric = StockPolicy::Metric::stock_cover_days,
          .target = 30.0,
          .lever = StockPolicy::Lever::stock_cover_days,
          .gain = 1.0,
          .when = ActWhen::below,
          .trigger = 10.0,
          .min = 0.0,
          .max = 365.0};
}

/// Bid more while clicks cost under a tenth of the sales they bring, less above.
inline Mechanism<BidPolicy> default_bidding() {
  return {.name = "hold-ad-cost-of-sales",
          .metric = BidPolicy::Metric::ad_cost_of_sales,
          .target = 0.1,
          .lever = BidPolicy::Lever::bid,
          .gain = 1.0,
          .every = 7,
          .min = 0.0,
          .max = 10.0};
}

struct SellerParams {
  double initial_per_category = 2.0;
  double quality_sd = 1.0;
  double cost_ratio = 0.55;
  double cost_spread = 0.2;
  double learning_exponent = 0.1;
  double learning_scale = 1000.0;
  double initial_markup = 1.6;
  double price_step = 0.03;
  std::uint32_t reprice_interval = 14;
  double competitor_band = 0.1;
  double min_margin = 0.02;
  double fixed_cost = 0.4;
  double holding_cost = 0.002;
  double initial_cash = 60.0;
  double credit_line = 500.0;
  std::uint32_t exit_patience = 120;
  double self_ship_days = 5.0;
  double self_ship_cost = 0.1;
  std::uint32_t fulfilment_review_interval = 30;
  double fulfilment_exploration = 0.1;
  double initial_stock_days = 30.0;
  double initial_sales_rate = 0.3;
  double sales_memory = 0.05;
  double profit_memory = 1.0 / 30.0;
  double entry_pool_rate = 0.03;
  double entry_cost = 100.0;
  double entry_horizon = 365.0;
  std::uint32_t max_platforms = 8;
  std::uint32_t platform_review_interval = 90;
  double listing_cost = 50.0;
  std::uint32_t onboarding_days = 14;
  double quality_foresight = 1.0;
  std::vector<Mechanism<StockPolicy>> stock_policy = {default_reorder()};
  double initial_bid = 0.3;
  std::vector<Mechanism<BidPolicy>> bid_policy = {default_bidding()};

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("initial_per_category", initial_per_category,
            "Mean 3P sellers per category and 3P platform at tick 0 (a fraction gives some categories one more)",
            between(0.0, 1000.0));
    v.field("quality_sd", quality_sd, "Spread of sellers' true quality (mean 0)", between(0.0, 10.0));
    v.field("cost_ratio", cost_ratio, "Median unit cost of a new seller, as a share of the category's price level",
            between(0.01, 10.0));
    v.field("cost_spread", cost_spread, "Log-normal sigma of sellers' unit costs", between(0.0, 3.0));
    v.field("learning_exponent", learning_exponent,
            "Learning curve: unit cost falls as (1 + cumulative units / scale)^-exponent", between(0.0, 1.0));
    v.field("learning_scale", learning_scale, "Units a seller sells before its costs start to fall", between(1.0, 1e9));
    v.field("initial_markup", initial_markup, "A new seller's price over its full unit cost", between(1.0, 10.0));
    v.field("price_step", price_step, "Relative price change of one repricing step", between(0.0, 1.0));
    v.field("reprice_interval", reprice_interval, "Days between a seller's price reviews", between(1u, 365u));
    v.field("competitor_band", competitor_band, "A seller priced this far above its competitors' mean cuts its price",
            between(0.0, 10.0));
    v.field("min_margin", min_margin, "Least margin over full unit cost a seller accepts", between(0.0, 10.0));
    v.field("fixed_cost", fixed_cost, "A 3P seller's running cost per day of each listing (per platform it sells on)",
            between(0.0, 1e9));
    v.field("holding_cost", holding_cost, "Cost of holding one unit of stock for a day, as a share of its unit cost",
            between(0.0, 1.0));
    v.field("initial_cash", initial_cash, "Cash a new seller starts with after paying to enter", between(0.0, 1e12));
    v.field("credit_line", credit_line,
            "Money a 3P seller may owe for stock: it orders only what its cash plus this line pays for (0: cash only)",
            between(0.0, 1e12));
    v.field("exit_patience", exit_patience, "Days of losses with no cash left before a 3P seller exits",
            between(1u, 100000u));
    v.field("self_ship_days", self_ship_days, "Delivery days when a seller ships itself", between(0.0, 60.0));
    v.field("self_ship_cost", self_ship_cost, "Own shipping cost per unit, as a share of the category's price level",
            between(0.0, 10.0));
    v.field("fulfilment_review_interval", fulfilment_review_interval,
            "Days between a seller's reviews of its fulfilment choice", between(1u, 3650u));
    v.field("fulfilment_exploration", fulfilment_exploration,
            "Chance a seller tries the other fulfilment option at a review", between(0.0, 1.0));
    v.field("initial_stock_days", initial_stock_days, "Days of expected sales a new offer is stocked with",
            between(0.0, 3650.0));
    v.field("initial_sales_rate", initial_sales_rate, "Units per day a new seller expects before its first sale",
            between(0.0, 1e6));
    v.field("sales_memory", sales_memory, "Weight of today's units in a seller's sales-rate estimate",
            between(0.0, 1.0));
    v.field("profit_memory", profit_memory,
            "Weight of today's profit in a 3P seller's profit trends, overall and per fulfilment mode (about 1/30: "
            "last month)",
            between(0.0001, 1.0));
    v.field("entry_pool_rate", entry_pool_rate, "Potential sellers examining each category per day",
            between(0.0, 1000.0));
    v.field("entry_cost", entry_cost,
            "One-off cost of entering (sourcing, the first stock, listing), paid before the seller appears: it starts "
            "with initial_cash left",
            between(0.0, 1e12));
    v.field("entry_horizon", entry_horizon, "Days of profit a potential seller counts on when deciding to enter",
            between(1.0, 36500.0));
    v.field("max_platforms", max_platforms,
            "Most platforms a seller can manage: a new one lists on the most profitable ones, a reviewing one adds "
            "platforms up to it (1: single-homing)",
            between(1u, 8u));
    v.field("platform_review_interval", platform_review_interval,
            "Days between a 3P seller's reviews of its platforms: it may drop the listing whose last price window's "
            "margin a day fell furthest below fixed_cost (once shown a whole interval, while it lists elsewhere), or "
            "add the one whose published sales promise most (loops.multi_homing)",
            between(1u, 3650u));
    v.field("listing_cost", listing_cost,
            "One-off cost of listing an existing product on one more platform, its first stock there included",
            between(0.0, 1e12));
    v.field("onboarding_days", onboarding_days,
            "Days from listing (an entrant's, or a platform added) to the first day shoppers are shown the offer; "
            "its price is not reviewed before",
            between(0u, 365u));
    v.field("quality_foresight", quality_foresight,
            "How much of its quality's edge over the competitors' displayed ratings a potential seller counts on when "
            "it expects its share of sales (0: an equal share, whatever its quality)",
            between(0.0, 10.0));
    v.list("stock_policy", stock_policy, "Mechanisms that reorder stock (metric, target, lever, gain, ...)");
    v.field("initial_bid", initial_bid,
            "A new 3P listing's bid per click for sponsored positions (0: it does not advertise)", between(0.0, 1e6));
    v.list("bid_policy", bid_policy,
           "Mechanisms that move a 3P listing's bid (metric ad_cost_of_sales, lever bid, gain, ...)");
  }
};

}  // namespace flywheel::agents
