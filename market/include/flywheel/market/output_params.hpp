#pragma once
// What a run's HDF5 output holds beyond the per-tick series, and how it is
// written. Where the file goes is a command-line choice (`-o`), not a
// scenario's.

#include <cstdint>
#include <string>

#include "flywheel/engine/params.hpp"

namespace flywheel::market {

struct OutputParams {
  std::uint32_t flush_interval = 10;
  double flush_seconds = 1.0;
  bool category_series = false;
  std::uint32_t snapshot_interval = 0;
  std::uint32_t deflate = 4;
  std::uint32_t chunk_ticks = 0;
  std::string start_date;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("flush_interval", flush_interval,
            "Ticks between flushes to disk: how far behind a reader following the run, or a killed run's file, can be",
            between(1u, 1'000'000u));
    v.field("flush_seconds", flush_seconds,
            "Least wall-clock seconds between flushes, so fast runs do not spend their time flushing (0: every "
            "flush_interval ticks)",
            between(0.0, 3600.0));
    v.field(
        "category_series", category_series,
        "Also write per-category series (tick x category): units per day, average price and offers, over platforms");
    v.field("snapshot_interval", snapshot_interval,
            "Ticks between snapshots of every customer and seller, taken at ticks 0, N, 2N, ... (0: none)",
            between(0u, 1'000'000u));
    v.field("deflate", deflate, "zlib level of the datasets' compression, after byte shuffling (0: none)",
            between(0u, 9u));
    v.field("chunk_ticks", chunk_ticks,
            "Ticks per HDF5 chunk of each series, capped so a chunk stays under 1 MiB (0: flush_interval, so that each "
            "flush writes whole chunks: in SWMR mode HDF5 never reuses the space of a chunk written twice)",
            between(0u, 1'000'000u));
    v.field("start_date", start_date,
            "Calendar date of tick 0 as YYYY-MM-DD: the time axis is then days since it, so readers can show dates "
            "and resample by week or month (empty: plain day numbers)");
    v.require(start_date.empty() || config::is_calendar_date(start_date), "start_date",
              "expected a date as YYYY-MM-DD (e.g. 2024-01-01), found '" + start_date + "'");
  }
};

}  // namespace flywheel::market
