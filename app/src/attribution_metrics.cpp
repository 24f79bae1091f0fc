#include "attribution_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/file.hpp"

namespace flywheel::app {
namespace {

/// The output series the metrics are made of, summed over platforms where per platform.
enum Source : std::size_t {
  active_customers,
  orders,
  gmv,
  units_1p,
  units_3p,
  value_3p,
  visits,
  price_index,
  operating_profit,
  cash,
  sellers_3p,
  offers,
  consumer_surplus,
  welfare,
  source_count
};
constexpr std::array<const char*, source_count> source_names{"market_active_customers",
                                                             "orders",
                                                             "gmv",
                                                             "units_1p",
                                                             "units_3p",
                                                             "value_3p",
                                                             "visits",
                                                             "market_price_index",
                                                             "operating_profit",
                                                             "cash",
                                                             "market_sellers_3p",
                                                             "market_offers",
                                                             "consumer_surplus",
                                                             "welfare"};

constexpr std::uint32_t year = 365;

constexpr std::array<AttributionMetric, 15> metrics{{
    {"active_customers", "customers", "shopping customers (not lapsed), on the horizon's last day"},
    {"half_adoption_day", "day",
     "the first day (tick) on which half the customers were active: when the market's S-curve passed its middle "
     "(NaN where not by the horizon)"},
    {"orders", "orders", "orders over the year to the horizon"},
    {"gmv", "currency", "gross merchandise value over the year to the horizon"},
    {"third_party_unit_share", "1", "3P sellers' share of units sold over the year to the horizon"},
    {"third_party_value_share", "1", "3P sellers' share of GMV over the year to the horizon"},
    {"price_index", "1",
     "mean daily price index (price paid / the category's usual price) over the year's days with sales"},
    {"price_fall", "1",
     "the price index's fall from the first year to the year to the horizon (a loop's share of the fall: "
     "loop_effect / baseline)"},
    {"conversion", "orders per visit", "orders / visits over the year to the horizon"},
    {"operating_profit", "currency", "platforms' operating profit over the year to the horizon"},
    {"cash", "currency", "platforms' cash on the horizon's last day"},
    {"sellers_3p", "sellers", "distinct 3P sellers on the horizon's last day"},
    {"offers", "offers", "offers listed on the horizon's last day"},
    {"consumer_surplus", "currency", "shoppers' surplus over the year to the horizon"},
    {"welfare", "currency", "consumer surplus + 3P sellers' profit + platforms' operating profit over the year"},
}};

double ratio(double numerator, double denominator) {
  return denominator != 0 ? numerator / denominator : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::span<const AttributionMetric> attribution_metrics() { return metrics; }

std::vector<std::uint32_t> attribution_horizons(std::uint32_t ticks, std::optional<std::uint32_t> since) {
  std::vector<std::uint32_t> horizons;
  for (std::uint32_t h = year; h <= ticks; h += year)
    if (!since || h > *since) horizons.push_back(h);
  if (horizons.empty() || horizons.back() != ticks) horizons.push_back(ticks);
  return horizons;
}

RunTotals::RunTotals(const std::vector<std::string>& files, std::uint32_t ticks, std::uint64_t customers)
    : ticks_(ticks),
      customers_(customers),
      series_(source_count, std::vector<double>(ticks, std::numeric_limits<double>::quiet_NaN())) {
  for (const std::string& path : files) {
    try {
      const h5::File file = h5::File::open_read(path);
      std::size_t width = 0;
      const std::vector<double> tick = h5::read_all_rows(h5::open_dataset(file.id(), "tick").get(), width);
      for (std::size_t s = 0; s < source_count; ++s) {
        const std::vector<double> values = h5::read_all_rows(h5::open_dataset(file.id(), source_names[s]).get(), width);
        for (std::size_t row = 0; row < tick.size() && (row + 1) * width <= values.size(); ++row) {
          const auto t = static_cast<std::size_t>(tick[row]);
          const auto first = values.begin() + static_cast<std::ptrdiff_t>(row * width);
          if (t < ticks) series_[s][t] = std::accumulate(first, first + static_cast<std::ptrdiff_t>(width), 0.0);
        }
      }
    } catch (const h5::Error& e) {
      throw RunError("cannot read the run file '" + path + "': " + e.what());
    }
  }
  for (std::uint32_t t = 0; t < ticks; ++t)
    if (std::isnan(series_[orders][t]))
      throw RunError("the run files " + (files.empty() ? std::string("(none)") : files.back()) + " lack tick " +
                     std::to_string(t));
}

std::vector<double> RunTotals::metric_values(std::span<const std::uint32_t> horizons,
                                             std::optional<std::uint32_t> since) const {
  std::vector<double> values(metrics.size() * horizons.size());
  // The first day at least half the customers were active (ticks_ if none was).
  const auto& active = series_[active_customers];
  const double half = 0.5 * static_cast<double>(customers_);
  const auto half_adopted =
      static_cast<std::size_t>(std::ranges::find_if(active, [&](double a) { return a >= half; }) - active.begin());
  for (std::size_t h = 0; h < horizons.size(); ++h) {
    const std::size_t end = std::min<std::size_t>(horizons[h], ticks_);
    const std::size_t begin = since ? std::min<std::size_t>(*since, end) : (end > year ? end - year : 0);
    const auto sum_over = [&](Source s, std::size_t from, std::size_t to) {
      return std::accumulate(series_[s].begin() + static_cast<std::ptrdiff_t>(from),
                             series_[s].begin() + static_cast<std::ptrdiff_t>(to), 0.0);
    };
    const auto sum = [&](Source s) { return sum_over(s, begin, end); };
    // The price index's daily mean over the days something sold (it is NaN on the others).
    const auto mean_price_index = [&](std::size_t from, std::size_t to) {
      double total = 0.0, days = 0.0;
      for (std::size_t t = from; t < to; ++t) {
        if (std::isnan(series_[price_index][t])) continue;
        total += series_[price_index][t];
        days += 1.0;
      }
      return ratio(total, days);
    };
    const std::size_t first_year = std::min<std::size_t>(year, ticks_);
    const double price_index_year = mean_price_index(begin, end);
    const auto last = [&](Source s) { return end > 0 ? series_[s][end - 1] : 0.0; };
    const std::array<double, metrics.size()> at{
        last(active_customers),
        half_adopted < end ? static_cast<double>(half_adopted) : std::numeric_limits<double>::quiet_NaN(),
        sum(orders),
        sum(gmv),
        ratio(sum(units_3p), sum(units_1p) + sum(units_3p)),
        ratio(sum(value_3p), sum(gmv)),
        price_index_year,
        mean_price_index(0, first_year) - price_index_year,
        ratio(sum(orders), sum(visits)),
        sum(operating_profit),
        last(cash),
        last(sellers_3p),
        last(offers),
        sum(consumer_surplus),
        sum(welfare),
    };
    for (std::size_t m = 0; m < metrics.size(); ++m) values[m * horizons.size() + h] = at[m];
  }
  return values;
}

}  // namespace flywheel::app
