#pragma once
// What a run's HDF5 output holds beyond the per-tick series, and how it is
// written. Where the file goes is a command-line choice (`-o`), not a
// scenario's.

#include <cstdint>
#include <string>
#include <vector>

#include "flywheel/engine/params.hpp"
#include "flywheel/market/measure_params.hpp"

namespace flywheel::market {

/// A panel: the same sample of agents written every few ticks, so that their
/// paths can be followed at a fraction of a full snapshot's size.
struct SampleParams {
  std::uint32_t every = 0;
  double customers = 0.01;
  double sellers = 0.01;

  template <class V>
  void visit(V& v) {
    using config::between;
    v.field("every", every,
            "Ticks between rows of the panel, taken at ticks 0, N, 2N, ... into the groups customer_panel, "
            "seller_panel and listing_panel (0: no panel)",
            between(0u, 1'000'000u));
    v.field("customers", customers,
            "Share of customers the panel follows, chosen by hashing their ids: the same customers in every run "
            "of the same size, whatever its seed",
            between(0.0, 1.0));
    v.field("sellers", sellers,
            "Share of sellers the panel follows, with their offers, chosen by hashing their stable ids",
            between(0.0, 1.0));
  }
};

struct OutputParams {
  std::uint32_t flush_interval = 10;
  double flush_seconds = 1.0;
  bool category_series = false;
  std::uint32_t snapshot_interval = 0;
  std::uint32_t deflate = 4;
  std::uint32_t chunk_ticks = 0;
  std::string start_date;
  SampleParams sample;
  std::vector<MeasureParams> measures;

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
    v.section("sample", sample, "A panel: a sample of customers and sellers followed through the run");
    v.list("measures", measures,
           "Declared measures: each a series of a statistic of one column of the customers, sellers or offers");
    for (std::size_t i = 0; i < measures.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        v.require(measures[i].name != measures[j].name, "measures",
                  "measure names must be unique; '" + measures[i].name + "' appears twice");
  }
};

}  // namespace flywheel::market
