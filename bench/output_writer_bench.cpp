// What the HDF5 writer costs per run, apart from the simulation: the
// default scenario's layout (three platforms) written for a year of ticks,
// with the default flush interval. The writer runs on its own thread, so
// this is CPU it takes beside the simulation, not time added to the run;
// compare it with a run's CPU time (bench/output_overhead.sh).

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "flywheel/engine/h5/appendable.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/h5/writer.hpp"
#include "flywheel/runtime/output_schema.hpp"

namespace {

using namespace flywheel;

void BM_WriteDefaultScenarioYear(benchmark::State& state) {
  market::Scenario scenario = market::load_scenario(FLYWHEEL_DEFAULT_CONFIG);
  scenario.output.category_series = state.range(0) != 0;
  const h5::Layout layout = runtime::output_layout(scenario);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("flywheel_bench_" + std::to_string(::getpid()) + ".h5")).string();
  h5::WriterOptions options;
  options.flush_interval = scenario.output.flush_interval;
  options.chunking.rows = scenario.output.flush_interval;
  options.chunking.deflate = scenario.output.deflate;
  for (auto _ : state) {
    h5::Writer writer(path, layout, {{"config", market::to_yaml(scenario)}}, options);
    for (Tick t = 0; t < scenario.ticks; ++t) {
      const auto row = writer.begin_tick(t);
      for (std::size_t i = 0; i < row.size(); ++i) row[i] = static_cast<double>(std::size_t{t} * 7 + i % 13);
      writer.commit_tick();
    }
    writer.finish(h5::Status::complete);
  }
  // The answer: every tick is in the file.
  const h5::File file = h5::File::open_read(path);
  const auto ticks = h5::row_count(h5::open_dataset(file.id(), "tick").get());
  if (ticks != scenario.ticks) state.SkipWithError("the file does not hold every tick");
  state.counters["ticks"] = static_cast<double>(ticks);
  state.counters["values_per_tick"] = static_cast<double>(layout.row_width());
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteDefaultScenarioYear)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("category_series")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
