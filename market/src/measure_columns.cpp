// Which columns a declared measure may read: the persistent columns of one
// value per row that its table declares.

#include "flywheel/agents/customers.hpp"
#include "flywheel/market/measure_params.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::market {
namespace {

/// Calls f(info) for every column of `Rows` a measure may read.
template <class Rows, class F>
void each_measurable(F&& f) {
  Rows empty{};
  agents::for_each_column(empty, [&](const auto&, const auto&, const agents::ColumnInfo& info) {
    if (info.persistent() && !info.per_platform) f(info);
  });
}

template <class F>
void each_measurable(MeasureTable table, F&& f) {
  switch (table) {
    case MeasureTable::customers:
      each_measurable<agents::Customers>(f);
      return;
    case MeasureTable::sellers:
      each_measurable<SellerRows>(f);
      return;
    case MeasureTable::offers:
      each_measurable<OfferRows>(f);
      return;
  }
}

}  // namespace

std::optional<agents::ColumnInfo> measured_column(MeasureTable table, std::string_view column) {
  std::optional<agents::ColumnInfo> found;
  each_measurable(table, [&](const agents::ColumnInfo& info) {
    if (info.name == column) found = info;
  });
  return found;
}

std::optional<std::string> column_problem(MeasureTable table, std::string_view column, bool platform_code) {
  bool found = false;
  std::string names;
  each_measurable(table, [&](const agents::ColumnInfo& info) {
    if (platform_code && info.coding != agents::Coding::platform) return;
    found = found || info.name == column;
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  });
  if (found) return std::nullopt;
  const auto table_name = std::string(measure_table_choices[static_cast<std::size_t>(table)].name);
  return table_name + " have no " + (platform_code ? "column of platform codes" : "column") + " '" +
         std::string(column) + "' to measure; " + (platform_code ? "those there are: " : "their columns: ") + names;
}

}  // namespace flywheel::market
