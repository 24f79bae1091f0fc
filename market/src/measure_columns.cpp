// Which columns a declared measure may read: those its table declares.

#include "flywheel/agents/columns.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/market/measure_params.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::market {
namespace {

template <class Rows>
std::optional<std::string> problem_in(std::string_view table, std::string_view column, bool platform_code) {
  Rows empty{};
  std::optional<agents::ColumnInfo> found;
  std::string names;
  agents::for_each_column(empty, [&](const auto&, const auto&, const agents::ColumnInfo& info) {
    if (!info.persistent() || info.per_platform) return;
    if (platform_code && info.coding != agents::Coding::platform) return;
    if (info.name == column) found = info;
    names += (names.empty() ? "" : ", ") + std::string(info.name);
  });
  if (found) return std::nullopt;
  return std::string(table) + " have no " + (platform_code ? "column of platform codes" : "column") + " '" +
         std::string(column) + "' to measure; " + (platform_code ? "those there are: " : "their columns: ") + names;
}

}  // namespace

std::optional<std::string> column_problem(MeasureTable table, std::string_view column, bool platform_code) {
  switch (table) {
    case MeasureTable::customers:
      return problem_in<agents::Customers>("customers", column, platform_code);
    case MeasureTable::sellers:
      return problem_in<SellerRows>("sellers", column, platform_code);
    case MeasureTable::offers:
      return problem_in<OfferRows>("offers", column, platform_code);
  }
  return std::nullopt;
}

}  // namespace flywheel::market
