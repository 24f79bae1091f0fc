#pragma once
// What a parameter struct needs to declare its fields, without yaml-cpp. A
// struct lists its fields once, in a `template <class V> void visit(V& v)`
// member, beside their declarations:
//
//   std::uint32_t count = 1'000'000;  // the default, written once
//   template <class V> void visit(V& v) {
//     v.renamed("number", "count");  // an old key, refused with "renamed to count"
//     v.field("count", count, "Number of customers", config::between(1u, 200'000'000u));
//   }
//
// A visitor V provides field(key, value, doc[, bounds]), choice(key, value,
// choices, doc), section(key, struct, doc), list(key, vector, doc),
// require(ok, key, problem) and renamed(old_key, new_key). The same visit()
// drives loading (config::Loader), writing the resolved config back as YAML
// (config::Emitter) and listing every parameter for the docs
// (config::Lister); those need yaml-cpp and live in config.hpp, which only
// the .cpp files that load or write configs include.

#include <algorithm>
#include <chrono>
#include <limits>
#include <string_view>

namespace flywheel::config {

/// Inclusive bounds on a numeric field.
template <class T>
struct Range {
  T min = std::numeric_limits<T>::lowest();
  T max = std::numeric_limits<T>::max();
};
template <class T>
Range<T> between(T min, T max) {
  return {min, max};
}
template <class T>
Range<T> at_least(T min) {
  return {min, std::numeric_limits<T>::max()};
}
/// No bounds beyond the type's own.
struct Any {};

/// Whether an element of a `--set` key path is a list index: digits only.
constexpr bool is_list_index(std::string_view element) {
  return !element.empty() && std::all_of(element.begin(), element.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Whether `--set` can address a list item by this `name` (platforms.NAME.key=value):
/// not empty, no '.' (which splits the path), not a list index.
constexpr bool is_item_name(std::string_view name) {
  return !name.empty() && name.find('.') == std::string_view::npos && !is_list_index(name);
}

/// Whether `text` is a real calendar date written YYYY-MM-DD (2024-02-30 is not).
constexpr bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  const auto number = [&](std::size_t from, std::size_t digits, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + digits; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return false;
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                     std::chrono::day{static_cast<unsigned>(d)}}
      .ok();
}

/// One allowed spelling of an enumerated field.
template <class E>
struct Choice {
  std::string_view name;
  E value;
};

}  // namespace flywheel::config
