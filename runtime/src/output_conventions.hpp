#pragma once
// CF-1.10 metadata of the output file's variables: how a day's value covers
// the day, money's unit, the codes that stand for platforms, the time axis.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flywheel/agents/columns.hpp"
#include "flywheel/engine/h5/layout.hpp"
#include "flywheel/market/output_params.hpp"
#include "flywheel/runtime/output_schema.hpp"

namespace flywheel::runtime {

/// A variable in CF's terms. Money (units "currency", the unit of
/// market.price_level) has no UDUNITS name: it is written dimensionless ("1")
/// with a `currency` attribute saying so.
h5::Variable cf_variable(std::string_view name, std::string_view units, std::string_view long_name, h5::Element element,
                         std::string axis);

/// CF's cell_methods of a series over `tick`.
h5::Attribute cell_methods(Over over);

/// flag_values and flag_meanings (a platform's index, 255 "none"), or
/// flag_masks and flag_meanings (bit p: platform p), naming `platforms`.
std::vector<h5::Attribute> platform_flags(agents::Coding coding, std::span<const std::string> platforms);

/// The `tick` coordinate's attributes: a time axis in days, calendar days
/// since output.start_date when one is set.
std::vector<h5::Attribute> tick_attributes(const market::OutputParams& output);

}  // namespace flywheel::runtime
