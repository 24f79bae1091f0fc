#pragma once
// What a run writes to its HDF5 file, as tables: each row names a variable,
// its units and meaning, and how to read it from the day's records or the
// agents' columns. Adding an output variable is adding one row here; the
// layout and the per-tick record are both built from these tables.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/agents/platform.hpp"
#include "flywheel/engine/h5/layout.hpp"
#include "flywheel/engine/h5/table_buffer.hpp"
#include "flywheel/engine/h5/writer.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::runtime {

using market::Market;
using market::MarketDay;
using market::Scenario;

/// How a day's value covers the day, CF's cell_methods over `tick`: a state
/// at the day's end (point), a flow summed over the day (sum), or a ratio or
/// average over the day's events (mean).
enum class Over : std::uint8_t { point, sum, mean };

/// A (tick, platform) series, from one platform's day.
struct PlatformSeries {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  h5::Element element;
  Over over;
  bool headline;  // shown by `flywheel info`
  double (*value)(const agents::PlatformDay&);
  std::string_view weight = {};  // a mean's denominator, output beside it (CF ancillary_variables)
};

/// A (tick) series across platforms, from the market's day.
struct MarketSeries {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  h5::Element element;
  Over over;
  double (*value)(const MarketDay&);
};

/// One category's figures on one day, summed over platforms from what they publish.
struct CategoryTotals {
  double units_per_day = 0.0;  // platforms' smoothed signals
  double value_per_day = 0.0;  // units_per_day x published average price
  double offers = 0.0;
};

/// A (tick, category) series (written when output.category_series is on).
struct CategorySeries {
  std::string_view name;
  std::string_view units;
  std::string_view long_name;
  h5::Element element;
  Over over;
  double (*value)(const CategoryTotals&);
};

std::span<const PlatformSeries> platform_series();
std::span<const MarketSeries> market_series();
std::span<const CategorySeries> category_series();
/// The snapshot tables: every persistent column of customers, of sellers and
/// of offers, from their declarations (agents/columns.hpp); columns that hold
/// platform codes declare them with `platforms`' names.
h5::Table customer_table(std::span<const std::string> platforms = {});
h5::Table seller_table(std::span<const std::string> platforms = {});
h5::Table offer_table(std::span<const std::string> platforms = {});
/// The agent tables a scenario's file holds, in its layout's order: the
/// snapshots (output.snapshot_interval), then the panel of the sample
/// output.sample follows (customer_panel, with the customers' `id`;
/// seller_panel; listing_panel, the offers of the sellers followed).
std::vector<h5::Table> agent_tables(const Scenario& scenario, std::span<const std::string> platforms);
/// The agent tables due at the end of `tick`: bit t for agent_tables()[t]; 0 for none.
h5::TableMask tables_due(const Scenario& scenario, Tick tick);

/// The series of the declared measures (output.measures), in order: (tick),
/// or (tick, platform) for a measure `by` a platform column. They end the
/// layout's series; measure_width() values of each tick's row are theirs.
std::vector<h5::Variable> measure_variables(const Scenario& scenario);
std::size_t measure_width(const Scenario& scenario);

/// The file's dimensions, variables and tables for a scenario. Throws
/// ConfigError naming output.measures[i].name when a measure's name is taken
/// by another variable.
h5::Layout output_layout(const Scenario& scenario);

/// Fills the row of the tick just run, in output_layout()'s order, but for
/// the measures' values at its end. Reads only the day's records and shards'
/// published signals: nothing per customer.
void record_tick(const Market& market, std::span<double> row);

/// The declared measures' values at the end of the tick just run, into
/// `values` (measure_width() of them; NaN for a measure not due). Reads every
/// row of the tables measured, in parallel. Under MPI, collective: every rank
/// calls it, and rank 0, which passes `values` (empty elsewhere), gets them.
void record_measures(const Market& market, std::span<double> values);

/// Copies the agents of the tables in `due` into `tables` (one per
/// agent_tables() entry; the others are left alone). Under MPI, collective:
/// every rank calls it and rank 0, which passes the tables (nullptr
/// elsewhere), gets every rank's rows in id and shard order.
void record_snapshot(const Market& market, h5::TableMask due, std::vector<h5::TableBuffer>* tables);

}  // namespace flywheel::runtime
