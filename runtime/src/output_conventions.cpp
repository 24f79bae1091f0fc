#include "output_conventions.hpp"

#include <cstdint>

#include "flywheel/agents/ids.hpp"

namespace flywheel::runtime {
namespace {

/// A name as one of flag_meanings' blank-separated words.
std::string word(std::string name) {
  for (char& c : name)
    if (c == ' ' || c == '\t') c = '_';
  return name;
}

}  // namespace

h5::Variable cf_variable(std::string_view name, std::string_view units, std::string_view long_name, h5::Element element,
                         std::string axis) {
  const bool money = units == "currency";
  h5::Variable v{std::string(name), money ? std::string("1") : std::string(units), std::string(long_name), element,
                 std::move(axis)};
  if (money) v.attributes.push_back({"currency", std::string("numeraire: the unit of market.price_level")});
  return v;
}

h5::Attribute cell_methods(Over over) {
  switch (over) {
    case Over::point:
      return {"cell_methods", std::string("tick: point")};
    case Over::sum:
      return {"cell_methods", std::string("tick: sum")};
    case Over::mean:
      return {"cell_methods", std::string("tick: mean")};
  }
  return {"cell_methods", std::string("tick: point")};
}

std::vector<h5::Attribute> platform_flags(agents::Coding coding, std::span<const std::string> platforms) {
  if (coding == agents::Coding::plain || platforms.empty()) return {};
  std::vector<std::uint8_t> codes;
  std::string meanings;
  const bool mask = coding == agents::Coding::platform_mask;
  for (std::size_t p = 0; p < platforms.size(); ++p) {
    codes.push_back(static_cast<std::uint8_t>(mask ? 1U << p : p));
    if (p > 0) meanings += ' ';
    meanings += word(platforms[p]);
  }
  if (!mask) {
    codes.push_back(static_cast<std::uint8_t>(no_platform));
    meanings.append(" none");
  }
  return {{mask ? "flag_masks" : "flag_values", std::move(codes)}, {"flag_meanings", std::move(meanings)}};
}

std::vector<h5::Attribute> tick_attributes(const market::OutputParams& output) {
  std::vector<h5::Attribute> a{{"axis", std::string("T")}};
  if (output.start_date.empty()) {
    a.push_back({"units", std::string("d")});
    return a;
  }
  a.push_back({"units", "days since " + output.start_date});
  a.push_back({"calendar", std::string("standard")});
  a.push_back({"standard_name", std::string("time")});
  return a;
}

}  // namespace flywheel::runtime
