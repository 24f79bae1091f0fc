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

/// One allowed spelling of an enumerated field.
template <class E>
struct Choice {
  std::string_view name;
  E value;
};

}  // namespace flywheel::config
