// `flywheel state`: every column of agent state, from the one declaration of
// each store (agents/columns.hpp), as the Markdown table docs/model.md holds.

#include <fmt/core.h>

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "flywheel/agents/columns.hpp"
#include "flywheel/agents/customers.hpp"
#include "flywheel/app/commands.hpp"
#include "flywheel/market/shard.hpp"

namespace flywheel::app {
namespace {

template <class T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, float>)
    return "float32";
  else if constexpr (std::is_same_v<T, double>)
    return "float64";
  else if constexpr (std::is_signed_v<T>)
    return sizeof(T) == 1 ? "int8" : sizeof(T) == 2 ? "int16" : sizeof(T) == 4 ? "int32" : "int64";
  else
    return sizeof(T) == 1 ? "uint8" : sizeof(T) == 2 ? "uint16" : sizeof(T) == 4 ? "uint32" : "uint64";
}

template <class Rows>
void print_rows(std::string_view entity) {
  Rows empty{};
  agents::for_each_column(empty, [&](const auto& column, const auto&, const agents::ColumnInfo& info) {
    using Value = typename std::remove_cvref_t<decltype(column)>::value_type;
    fmt::print("| {} | `{}` | {}{} | {} | {} | {} |\n", entity, info.name, type_name<Value>(),
               info.per_platform ? " per platform" : "", info.units, info.persistent() ? "kept" : "scratch",
               info.description);
  });
}

}  // namespace

int state_command() {
  fmt::print("| entity | column | type | units | lifetime | meaning |\n|---|---|---|---|---|---|\n");
  print_rows<agents::Customers>("customer");
  print_rows<market::SellerRows>("seller");
  print_rows<market::OfferRows>("offer");
  return 0;
}

}  // namespace flywheel::app
