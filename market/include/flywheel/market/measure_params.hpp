#pragma once
// Declared measures (output.measures): a statistic of one column of the
// customers, sellers or offers, over the rows a filter keeps, per platform
// if asked, every few ticks, written as a series of the output file. Users
// add output without touching C++, as Mesa's DataCollector or Agents.jl's
// mdata let them; runtime/src/output_measures.cpp computes them.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flywheel/agents/columns.hpp"
#include "flywheel/engine/params.hpp"

namespace flywheel::market {

enum class MeasureTable : std::uint8_t { customers, sellers, offers };
inline constexpr std::array<config::Choice<MeasureTable>, 3> measure_table_choices{
    {{"customers", MeasureTable::customers}, {"sellers", MeasureTable::sellers}, {"offers", MeasureTable::offers}}};

enum class Statistic : std::uint8_t { count, sum, mean, min, max, quantile };
inline constexpr std::array<config::Choice<Statistic>, 6> statistic_choices{{{"count", Statistic::count},
                                                                             {"sum", Statistic::sum},
                                                                             {"mean", Statistic::mean},
                                                                             {"min", Statistic::min},
                                                                             {"max", Statistic::max},
                                                                             {"quantile", Statistic::quantile}}};

enum class Comparison : std::uint8_t { eq, ne, lt, le, gt, ge };
inline constexpr std::array<config::Choice<Comparison>, 6> comparison_choices{{{"==", Comparison::eq},
                                                                               {"!=", Comparison::ne},
                                                                               {"<", Comparison::lt},
                                                                               {"<=", Comparison::le},
                                                                               {">", Comparison::gt},
                                                                               {">=", Comparison::ge}}};

/// The column `column` of `table` that a measure may read (persistent, one
/// value per row), or nothing.
std::optional<agents::ColumnInfo> measured_column(MeasureTable table, std::string_view column);

/// Why `column` cannot be read by a measure of `table` (it is not one of the
/// table's persistent columns, or holds one value per platform; for `by`,
/// `platform_code` also asks that it hold a platform's index), or nothing.
std::optional<std::string> column_problem(MeasureTable table, std::string_view column, bool platform_code);

/// One condition of a measure's filter: the row's `column` compared with `value`.
struct Condition {
  std::string column;
  Comparison op = Comparison::eq;
  double value = 0.0;

  template <class V>
  void visit(V& v) {
    v.field("column", column, "The column compared");
    v.choice("op", op, comparison_choices, "How it is compared with the value");
    v.field("value", value, "The value it is compared with");
  }

  [[nodiscard]] bool holds(double x) const noexcept {
    switch (op) {
      case Comparison::eq:
        return x == value;
      case Comparison::ne:
        return x != value;
      case Comparison::lt:
        return x < value;
      case Comparison::le:
        return x <= value;
      case Comparison::gt:
        return x > value;
      case Comparison::ge:
        return x >= value;
    }
    return false;
  }
};

/// Whether `name` can name a series: letters, digits and '_', not starting with a digit.
constexpr bool is_series_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct MeasureParams {
  std::string name = "measure";
  MeasureTable table = MeasureTable::customers;
  Statistic statistic = Statistic::count;
  std::string column;
  double q = 0.5;
  std::vector<Condition> where;
  std::string by;
  std::uint32_t every = 1;

  template <class V>
  void visit(V& v) {
    v.field("name", name, "The series' name in the output file");
    v.choice("table", table, measure_table_choices, "The agents measured");
    v.choice("statistic", statistic, statistic_choices,
             "What is computed over the rows kept: count, sum, mean, min, max or quantile (of `column`)");
    v.field("column", column, "The column the statistic reads (none for count)");
    v.field("q", q, "The quantile's level (statistic: quantile), interpolated linearly as numpy's default",
            config::between(0.0, 1.0));
    v.list("where", where, "Conditions a row must meet to count, all of them (none: every row)");
    v.field("by", by,
            "A column holding a platform's index (e.g. member_of, platform): one value per platform, rows of no "
            "platform left out (empty: one value)");
    v.field("every", every, "Ticks between values, at ticks 0, N, 2N, ... (NaN between)",
            config::between(1u, 100'000u));
    v.require(is_series_name(name), "name",
              "must be letters, digits and '_', not starting with a digit (it names a series); found '" + name + "'");
    v.require(statistic == Statistic::count || !column.empty(), "column", "the statistic needs a column to read");
    if (!column.empty())
      if (const auto problem = column_problem(table, column, false)) v.require(false, "column", *problem);
    for (const auto& condition : where)
      if (const auto problem = column_problem(table, condition.column, false)) v.require(false, "where", *problem);
    if (!by.empty())
      if (const auto problem = column_problem(table, by, true)) v.require(false, "by", *problem);
  }
};

}  // namespace flywheel::market
