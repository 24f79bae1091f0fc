// Whole-run benchmark: builds a scenario's market, runs its tick loop at each
// thread count and prints one JSON object with throughput (customer-days and
// intents matched per second), time per phase per tick, bytes of agent state
// per customer, peak memory, parallel efficiency, and a STREAM triad measured
// in the same process so the tick can be set against the time needed just to
// stream the customer state once.
//
// Set-up is not timed. Each thread count builds a fresh market from the same
// scenario; the runs must end in bit-identical states (the engine's promise),
// which checks that the faster run did the same work.

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <oneapi/tbb/global_control.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "flywheel/agents/customers.hpp"
#include "flywheel/market/market.hpp"
#include "flywheel/market/scenario.hpp"
#include "flywheel/runtime/memory_estimate.hpp"
#include "flywheel/runtime/state_digest.hpp"
#include "triad.hpp"

namespace flywheel::bench {
namespace {

struct Run {
  int threads = 0;
  double setup_seconds = 0.0;
  double seconds = 0.0;         // the tick loop only
  double cpu_seconds = 0.0;     // user + system, all threads, over the tick loop
  std::vector<double> samples;  // seconds of every repeat at this thread count
  double others_cores = 0.0;    // mean cores busy with other processes during the tick loop
  std::uint64_t intents = 0;
  std::vector<Scheduler::PhaseTime> phases;
  std::uint64_t state_checksum = 0;
  std::size_t peak_rss_bytes = 0;  // of the process, after this run
};

std::size_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Seconds of CPU time the whole machine has spent busy (all processes), from /proc/stat.
double machine_busy_seconds() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Run run_market(const market::Scenario& scenario, int threads, std::uint32_t ticks) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  Run run;
  run.threads = threads;
  const auto setup_start = std::chrono::steady_clock::now();
  market::Market m(scenario);
  const double cpu_start = cpu_seconds();
  const double busy_start = machine_busy_seconds();
  const auto start = std::chrono::steady_clock::now();
  run.setup_seconds = std::chrono::duration<double>(start - setup_start).count();
  for (std::uint32_t t = 0; t < ticks; ++t) m.step();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.cpu_seconds = cpu_seconds() - cpu_start;
  run.others_cores = std::max(0.0, (machine_busy_seconds() - busy_start - run.cpu_seconds) / run.seconds);
  run.samples = {run.seconds};
  run.intents = m.intents_matched();
  run.phases = m.scheduler().phase_times();
  run.state_checksum = runtime::state_digest(m);  // everything the runs at different thread counts must agree on
  run.peak_rss_bytes = peak_rss_bytes();
  return run;
}

std::string json_number(double x) { return fmt::format("{:.6g}", x); }

}  // namespace

int whole_run_main(int argc, char** argv) {
  CLI::App app{"flywheel whole-run benchmark: prints one JSON object on stdout"};
  std::string config;
  std::uint32_t ticks = 120;
  std::vector<int> threads = {1, 2};
  std::size_t triad_mib = 256;
  int triad_repeats = 10;
  int repeats = 1;
  std::vector<std::string> overrides;
  app.add_option("config", config, "Scenario YAML")->required()->check(CLI::ExistingFile);
  app.add_option("--ticks", ticks, "Ticks to run at each thread count")->check(CLI::Range(1u, 100000u));
  app.add_option("--threads", threads, "Thread counts, the first being the baseline")
      ->delimiter(',')
      ->check(CLI::Range(1, 1024));
  app.add_option("--triad-mib", triad_mib,
                 "MiB per triad array (three arrays; make them much larger than the last-level cache)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 16));
  app.add_option("--triad-repeats", triad_repeats, "Triad passes per thread count; the best one counts")
      ->check(CLI::Range(1, 1000));
  app.add_option("--repeats", repeats,
                 "Runs per thread count, interleaved; the fastest counts (the machine is shared and noisy)")
      ->check(CLI::Range(1, 100));
  app.add_option("--set", overrides, "key.path=value overrides, as for `flywheel run`");
  CLI11_PARSE(app, argc, argv);

  const market::Scenario scenario = market::load_scenario(config, overrides);
  const std::size_t customers = scenario.customers.count;
  const std::size_t bytes_per_customer = agents::row_bytes<agents::Customers>(scenario.platforms.size());

  // Thread counts interleaved, so slow spells of the machine hit them alike.
  std::vector<Run> runs(threads.size());
  bool identical = true;
  std::uint64_t reference = 0;
  for (int rep = 0; rep < repeats; ++rep)
    for (std::size_t i = 0; i < threads.size(); ++i) {
      fmt::print(stderr, "whole_run: {} at {} thread(s), {} ticks, repeat {}...\n", scenario.name, threads[i], ticks,
                 rep + 1);
      Run r = run_market(scenario, threads[i], ticks);
      if (rep == 0 && i == 0) reference = r.state_checksum;
      identical = identical && r.state_checksum == reference;
      if (rep == 0 || r.seconds < runs[i].seconds) {
        r.samples.insert(r.samples.begin(), runs[i].samples.begin(), runs[i].samples.end());
        runs[i] = std::move(r);
      } else {
        runs[i].samples.push_back(r.seconds);
      }
    }
  // Peak memory of the markets, read before the triad arrays exist.
  const std::size_t peak = peak_rss_bytes();

  fmt::print(stderr, "whole_run: triad, 3 x {} MiB...\n", triad_mib);
  const auto triad = triad_bandwidth(triad_mib * (std::size_t{1} << 20) / sizeof(double), threads, triad_repeats);

  const double customer_bytes = static_cast<double>(customers * bytes_per_customer);
  const double estimate = static_cast<double>(runtime::estimate_memory(scenario).total());
  std::string out = "{\n";
  out += fmt::format("  \"config\": \"{}\",\n  \"scenario\": \"{}\",\n  \"customers\": {},\n  \"platforms\": {},\n",
                     config, scenario.name, customers, scenario.platforms.size());
  out += fmt::format("  \"categories\": {},\n  \"shards\": {},\n  \"ticks\": {},\n  \"seed\": {},\n",
                     scenario.market.categories, scenario.market.shards, ticks, scenario.seed);
  out += fmt::format("  \"bytes_per_customer\": {},\n  \"customer_state_bytes\": {},\n", bytes_per_customer,
                     customers * bytes_per_customer);
  out += fmt::format("  \"estimated_bytes\": {},\n  \"peak_rss_bytes\": {},\n", json_number(estimate), peak);
  out += fmt::format("  \"repeats\": {},\n  \"identical_results\": {},\n  \"runs\": [\n", repeats,
                     identical ? "true" : "false");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    const double tick_seconds = r.seconds / ticks;
    const double speedup = runs.front().seconds / r.seconds;
    const double bandwidth = triad[i].bytes_per_second;
    const double stream_seconds = customer_bytes / bandwidth;
    double match_seconds = 0.0;
    for (const auto& p : r.phases) match_seconds += p.name == "match" ? p.seconds : 0.0;
    out += fmt::format("    {{\"threads\": {}, \"setup_seconds\": {}, \"seconds\": {}, \"tick_seconds\": {},\n",
                       r.threads, json_number(r.setup_seconds), json_number(r.seconds), json_number(tick_seconds));
    std::string samples;
    for (const double x : r.samples) samples += (samples.empty() ? "" : ", ") + json_number(x);
    out += fmt::format("     \"samples_seconds\": [{}], \"cpu_seconds\": {}, \"cpu_per_wall\": {},\n", samples,
                       json_number(r.cpu_seconds), json_number(r.cpu_seconds / r.seconds));
    // Not the target metric: how much CPU time the extra threads added (1 = none), and
    // how many cores other processes held meanwhile, which caps the wall-clock speedup.
    out += fmt::format("     \"cpu_work_efficiency\": {}, \"other_processes_cores\": {},\n",
                       json_number(runs.front().cpu_seconds / r.cpu_seconds), json_number(r.others_cores));
    out += fmt::format("     \"customer_days_per_second\": {}, \"intents_matched\": {}, \"intents_per_second\": {},\n",
                       json_number(static_cast<double>(customers) * ticks / r.seconds), r.intents,
                       json_number(static_cast<double>(r.intents) / r.seconds));
    out += fmt::format("     \"intents_per_match_phase_second\": {},\n",
                       json_number(match_seconds > 0 ? static_cast<double>(r.intents) / match_seconds : 0.0));
    out += fmt::format("     \"speedup\": {}, \"parallel_efficiency\": {},\n", json_number(speedup),
                       json_number(speedup * runs.front().threads / r.threads));
    out += fmt::format("     \"triad_bytes_per_second\": {}, \"triad_best_seconds\": {},\n", json_number(bandwidth),
                       json_number(triad[i].best_seconds));
    out += fmt::format("     \"stream_customer_state_seconds\": {}, \"tick_over_stream\": {},\n",
                       json_number(stream_seconds), json_number(tick_seconds / stream_seconds));
    out += fmt::format("     \"peak_rss_bytes_so_far\": {},\n     \"phase_seconds_per_tick\": {{", r.peak_rss_bytes);
    for (std::size_t p = 0; p < r.phases.size(); ++p)
      out +=
          fmt::format("{}\"{}\": {}", p == 0 ? "" : ", ", r.phases[p].name, json_number(r.phases[p].seconds / ticks));
    out += fmt::format("}}}}{}\n", i + 1 < runs.size() ? "," : "");
  }
  out += fmt::format("  ],\n  \"triad_array_bytes\": {}\n}}\n", triad_mib << 20);
  fmt::print("{}", out);
  return identical ? 0 : 1;
}

}  // namespace flywheel::bench

int main(int argc, char** argv) {
  try {
    return flywheel::bench::whole_run_main(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "whole_run: {}\n", e.what());
    return 2;
  }
}
