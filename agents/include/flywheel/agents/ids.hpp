#pragma once
// The model's typed ids (index() and make_id() are the engine's).

#include <cstdint>

#include "flywheel/engine/ids.hpp"

namespace flywheel {

enum class CustomerId : std::uint32_t {};
enum class SellerId : std::uint32_t {};
enum class PlatformId : std::uint8_t {};

/// No platform: a customer who is not a member, or knows no platform yet.
inline constexpr PlatformId no_platform{0xFF};

}  // namespace flywheel
