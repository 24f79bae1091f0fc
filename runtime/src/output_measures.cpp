// Declared measures (output.measures, market/measure_params.hpp): each a
// statistic of one column of customers, sellers or offers over the rows its
// filter keeps, one value or one per platform, written as a series.
//
// The rows are read in fixed chunks, customer blocks or shards, in parallel;
// each chunk's tallies are combined in chunk order, and under MPI rank 0
// gathers every rank's chunk tallies in rank order, which is chunk order: a
// sum is the same sum for any thread or rank count. A quantile gathers the
// values themselves, and depends only on which values there are.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "flywheel/engine/exchange.hpp"
#include "flywheel/engine/parallel.hpp"
#include "flywheel/runtime/output_schema.hpp"
#include "output_conventions.hpp"

namespace flywheel::runtime {
namespace {

using market::MeasureParams;
using market::MeasureTable;
using market::Statistic;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint8_t no_platform = 255;

/// A column of any element type, read as doubles.
struct ColumnView {
  const void* data = nullptr;
  h5::Element element = h5::Element::f64;

  [[nodiscard]] double operator[](std::size_t row) const {
    switch (element) {
      case h5::Element::u8:
        return static_cast<const std::uint8_t*>(data)[row];
      case h5::Element::i8:
        return static_cast<const std::int8_t*>(data)[row];
      case h5::Element::u16:
        return static_cast<const std::uint16_t*>(data)[row];
      case h5::Element::u32:
        return static_cast<const std::uint32_t*>(data)[row];
      case h5::Element::i64:
        return static_cast<double>(static_cast<const std::int64_t*>(data)[row]);
      case h5::Element::f32:
        return static_cast<const float*>(data)[row];
      case h5::Element::f64:
        return static_cast<const double*>(data)[row];
    }
    return nan;
  }
};

template <class Rows>
ColumnView view_of(const Rows& rows, std::string_view name) {
  ColumnView view;
  agents::for_each_column(rows, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using T = typename std::remove_cvref_t<decltype(column)>::value_type;
    if (info.name == name) view = {column.data(), h5::element_of<T>()};
  });
  FLYWHEEL_ASSERT(view.data != nullptr || rows.size() == 0);  // the config named a column of this table
  return view;
}

/// What one chunk of rows adds to a measure, per platform slot.
struct Tally {
  double sum = 0.0;
  double count = 0.0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
};

std::size_t slots(const MeasureParams& m, std::size_t platforms) { return m.by.empty() ? 1 : platforms; }

/// One measure's tallies over rows [begin, end) of `rows`, into `tallies`
/// (one per slot) and, for a quantile, the values into `values` (per slot).
template <class Rows>
void tally(const MeasureParams& m, const Rows& rows, std::size_t begin, std::size_t end, std::span<Tally> tallies,
           std::vector<std::vector<double>>& values) {
  const ColumnView value = m.column.empty() ? ColumnView{} : view_of(rows, m.column);
  const ColumnView by = m.by.empty() ? ColumnView{} : view_of(rows, m.by);
  std::vector<ColumnView> conditions;
  for (const auto& c : m.where) conditions.push_back(view_of(rows, c.column));
  for (std::size_t r = begin; r < end; ++r) {
    bool kept = true;
    for (std::size_t c = 0; c < conditions.size() && kept; ++c) kept = m.where[c].holds(conditions[c][r]);
    if (!kept) continue;
    std::size_t slot = 0;
    if (!m.by.empty()) {
      const double code = by[r];
      if (code == no_platform || code >= static_cast<double>(tallies.size())) continue;
      slot = static_cast<std::size_t>(code);
    }
    Tally& t = tallies[slot];
    t.count += 1.0;
    if (m.column.empty()) continue;
    const double x = value[r];
    t.sum += x;
    t.min = std::min(t.min, x);
    t.max = std::max(t.max, x);
    if (m.statistic == Statistic::quantile) values[slot].push_back(x);
  }
}

/// The q-quantile of `values`, interpolated linearly between order statistics (numpy's default); NaN for none.
double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return nan;
  const double h = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double below = values[lo];
  if (lo + 1 >= values.size()) return below;
  const double above = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo + 1), values.end());
  return below + (h - static_cast<double>(lo)) * (above - below);
}

/// The measure's chunks on this process: customer blocks, or shards.
std::size_t chunk_count(const Market& market, const MeasureParams& m) {
  if (m.table != MeasureTable::customers) return market.shards().size();
  const std::size_t block = market.scenario().market.customer_block;
  return (market.customers().size() + block - 1) / block;
}

/// Chunk k's tallies and values.
void tally_chunk(const Market& market, const MeasureParams& m, std::size_t k, std::span<Tally> tallies,
                 std::vector<std::vector<double>>& values) {
  switch (m.table) {
    case MeasureTable::customers: {
      const std::size_t block = market.scenario().market.customer_block;
      const std::size_t begin = k * block;
      tally(m, market.customers(), begin, std::min(begin + block, market.customers().size()), tallies, values);
      return;
    }
    case MeasureTable::sellers:
      tally(m, market.shards()[k].state.sellers, 0, market.shards()[k].state.sellers.size(), tallies, values);
      return;
    case MeasureTable::offers:
      tally(m, market.shards()[k].state.offers, 0, market.shards()[k].state.offers.size(), tallies, values);
      return;
  }
}

/// A measure's values (one per slot) at this tick; rank 0's are the run's. Collective under MPI.
void measure(const Market& market, const MeasureParams& m, std::span<double> out) {
  const std::size_t width = slots(m, market.platforms().size());
  const std::size_t chunks = chunk_count(market, m);
  std::vector<Tally> tallies(chunks * width);
  std::vector<std::vector<std::vector<double>>> values(chunks, std::vector<std::vector<double>>(width));
  for_each_unit(Execution::parallel, chunks, [&](std::size_t k) {
    tally_chunk(market, m, k, std::span<Tally>(tallies).subspan(k * width, width), values[k]);
  });
  std::vector<std::vector<double>> all_values(width);
  for (std::size_t s = 0; s < width; ++s)
    for (std::size_t k = 0; k < chunks; ++k)
      all_values[s].insert(all_values[s].end(), values[k][s].begin(), values[k][s].end());
  if (market.partition().distributed()) {
    std::vector<std::byte> bytes;
    std::vector<std::size_t> counts;
    exchange::gatherv_bytes(exchange::as_bytes(std::span<const Tally>(tallies)), bytes, counts);
    exchange::from_bytes(std::span<const std::byte>(bytes), tallies);
    for (auto& v : all_values) {
      exchange::gatherv_bytes(exchange::as_bytes(std::span<const double>(v)), bytes, counts);
      exchange::from_bytes(std::span<const std::byte>(bytes), v);
    }
  }
  if (out.empty()) return;  // not rank 0
  for (std::size_t s = 0; s < width; ++s) {
    Tally total;
    for (std::size_t k = s; k < tallies.size(); k += width) {  // chunk order, the same for any thread or rank count
      total.sum += tallies[k].sum;
      total.count += tallies[k].count;
      total.min = std::min(total.min, tallies[k].min);
      total.max = std::max(total.max, tallies[k].max);
    }
    const bool none = total.count == 0.0;
    switch (m.statistic) {
      case Statistic::count:
        out[s] = total.count;
        break;
      case Statistic::sum:
        out[s] = total.sum;
        break;
      case Statistic::mean:
        out[s] = none ? nan : total.sum / total.count;
        break;
      case Statistic::min:
        out[s] = none ? nan : total.min;
        break;
      case Statistic::max:
        out[s] = none ? nan : total.max;
        break;
      case Statistic::quantile:
        out[s] = quantile(all_values[s], m.q);
        break;
    }
  }
}

std::string long_name(const MeasureParams& m) {
  std::string text = std::string(market::statistic_choices[static_cast<std::size_t>(m.statistic)].name);
  if (m.statistic == Statistic::quantile) text += fmt::format(" {:g}", m.q);
  text += " of " + std::string(market::measure_table_choices[static_cast<std::size_t>(m.table)].name);
  if (!m.column.empty()) text += "." + m.column;
  for (std::size_t c = 0; c < m.where.size(); ++c)
    text += (c == 0 ? " where " : " and ") + m.where[c].column + " " +
            std::string(market::comparison_choices[static_cast<std::size_t>(m.where[c].op)].name) + " " +
            fmt::format("{:g}", m.where[c].value);
  if (!m.by.empty()) text += ", by " + m.by;
  if (m.every > 1) text += ", every " + std::to_string(m.every) + " ticks";
  return text + " (a declared measure)";
}

}  // namespace

std::vector<h5::Variable> measure_variables(const Scenario& scenario) {
  std::vector<h5::Variable> variables;
  for (const auto& m : scenario.output.measures) {
    const std::string units =
        m.statistic == Statistic::count ? "1" : std::string(market::measured_column(m.table, m.column)->units);
    h5::Variable v = cf_variable(m.name, units, long_name(m), h5::Element::f64, m.by.empty() ? "" : "platform");
    v.attributes.push_back(cell_methods(Over::point));
    variables.push_back(std::move(v));
  }
  return variables;
}

std::size_t measure_width(const Scenario& scenario) {
  std::size_t width = 0;
  for (const auto& m : scenario.output.measures) width += slots(m, scenario.platforms.size());
  return width;
}

void record_measures(const Market& market, std::span<double> values) {
  std::size_t at = 0;
  for (const auto& m : market.scenario().output.measures) {
    const std::size_t width = slots(m, market.platforms().size());
    const std::span<double> out = values.empty() ? values : values.subspan(at, width);
    if (market.today().tick % m.every == 0)
      measure(market, m, out);
    else
      std::fill(out.begin(), out.end(), nan);
    at += width;
  }
  FLYWHEEL_ASSERT(values.empty() || at == values.size());
}

}  // namespace flywheel::runtime
