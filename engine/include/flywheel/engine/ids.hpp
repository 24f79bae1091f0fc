#pragma once
// Typed ids: agents are rows addressed by ids, never by pointers. A stable id
// names an agent for its whole life; a slot is where its row sits now. The
// engine's own: shards (units of parallel work) and ticks; the model's agents'
// ids are in agents/ids.hpp.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace flywheel {

enum class ShardId : std::uint32_t {};
using Tick = std::uint32_t;

/// The underlying integer of a typed id, as an index.
template <class Id>
requires std::is_enum_v<Id>
constexpr std::size_t index(Id id) noexcept { return static_cast<std::size_t>(id); }

/// Makes a typed id from an index.
template <class Id>
requires std::is_enum_v<Id>
constexpr Id make_id(std::size_t i) noexcept { return static_cast<Id>(static_cast<std::underlying_type_t<Id>>(i)); }

}  // namespace flywheel
