// flywheel: an agent-based marketplace simulator. The command line.

#include <fmt/core.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <new>
#include <optional>
#include <string>

#include "flywheel/app/attribute_command.hpp"
#include "flywheel/app/command_line.hpp"
#include "flywheel/app/commands.hpp"
#include "flywheel/app/preflight.hpp"
#include "flywheel/app/sweep_command.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/handle.hpp"
#include "flywheel/engine/logging.hpp"
#include "flywheel/engine/memory.hpp"
#include "flywheel/engine/mpi.hpp"
#include "flywheel/engine/progress.hpp"
#include "flywheel/engine/versions.hpp"

namespace {

constexpr int exit_config_error = 2;
constexpr int exit_run_error = 1;

/// A command-line parse error as one line in the house form, saying where the options are listed.
std::string one_line_failure(const CLI::App* app, const CLI::Error& e) {
  std::string what = e.what();
  while (!what.empty() && std::isspace(static_cast<unsigned char>(what.back())) != 0) what.pop_back();
  for (std::size_t at = what.find('\n'); at != std::string::npos; at = what.find('\n', at)) what.replace(at, 1, "; ");
  // "The following argument..." reads on after "error:" in lower case; "CONFIG is required" keeps its name.
  if (what.size() > 1 && std::isupper(static_cast<unsigned char>(what[1])) == 0)
    what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  const auto chosen = app->get_subcommands();
  const std::string help = chosen.empty() ? "flywheel --help" : "flywheel " + chosen.front()->get_name() + " --help";
  return fmt::format("flywheel: error: {}; run `{}` for the options\n", what, help);
}

/// Accepts a decimal integer that fits T and refuses anything else, quoting it: CLI11 itself
/// reads "-1" as 2^64 - 1 and a number past the largest as the largest.
template <class T>
CLI::Validator whole_number() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        T value{};
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) return {};
        return fmt::format("expected an integer in [0, {}], found '{}'", std::numeric_limits<T>::max(), text);
      },
      "");
}

void add_scenario_options(CLI::App& cmd, flywheel::app::RunOptions& o, bool config_required = true) {
  auto* config = cmd.add_option("CONFIG", o.config, "Scenario file (YAML)");
  if (config_required) config->required();
  cmd.add_option("--ticks", o.ticks, "Days to simulate (overrides the scenario's ticks)");
  cmd.add_option("--seed", o.seed, "Seed of every random stream (overrides the scenario's seed)")
      ->check(whole_number<std::uint64_t>());
  cmd.add_option("--set", o.overrides, "Override a parameter before validation: key.path=value (repeatable)")
      ->type_name("KEY=VALUE");
}

void add_checkpoint_options(CLI::App& cmd, flywheel::app::RunOptions& o) {
  cmd.add_option("--checkpoint-every", o.checkpoint_every,
                 "Save the whole state every N ticks (0: only when stopped by a signal)")
      ->type_name("N");
  cmd.add_option("--checkpoint", o.checkpoint, "Checkpoint file (default: the output's name with .checkpoint.h5)")
      ->type_name("PATH");
  cmd.add_option("--stop-after", o.stop_after, "Stop, with a checkpoint, once this many ticks are done")
      ->type_name("N");
}

}  // namespace

// An exception escaping here is a bug; std::terminate, with its message, is the wanted outcome.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  // First, before any HDF5 call (version_line() below makes one).
  flywheel::h5::keep_library_open_at_exit();
  // A write past `ulimit -f` fails with EFBIG instead of killing the process,
  // so the writer reports it and the file keeps everything flushed before.
  std::signal(SIGXFSZ, SIG_IGN);
  const flywheel::mpi::Session mpi(argc, argv);
  flywheel::app::remember_command_line(argc, argv);
  CLI::App app{"flywheel: an agent-based marketplace simulator", "flywheel"};
  app.failure_message(one_line_failure);  // first: subcommands take it when made
  app.require_subcommand(1);
  app.set_version_flag("--version", flywheel::version_line());
  // One --log-level for every command: given after a subcommand, it falls through to here.
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log level")
      ->check(CLI::IsMember(flywheel::log_level_names()))
      ->capture_default_str();
  std::string progress = "auto";
  app.add_option("--progress", progress,
                 "Progress of a run: a bar on a terminal and a log line every few seconds otherwise (auto), "
                 "bar, lines or off")
      ->check(CLI::IsMember({"auto", "bar", "lines", "off"}))
      ->capture_default_str();
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors on stderr: no progress, no info lines");
  app.fallthrough();  // before the subcommands: they take the setting when made

  flywheel::app::RunOptions run_options;
  auto* run = app.add_subcommand("run", "Run a scenario");
  add_scenario_options(*run, run_options, false);  // not with --from
  run->add_option("--threads", run_options.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  run->add_option("-o,--output", run_options.output,
                  "Output file (HDF5); default out/<scenario name>.h5; 'none' writes no file")
      ->type_name("OUT.h5");
  run->add_flag("--force", run_options.force,
                "Run even when the estimated memory exceeds what is available (exit status 3 otherwise)");
  run->add_flag("--overwrite", run_options.overwrite,
                "Replace the output file even when it holds a complete run (refused otherwise)");
  add_checkpoint_options(*run, run_options);
  run->add_option("--from", run_options.from,
                  "Branch: start from this checkpoint's state instead of CONFIG, with --set changes to policy "
                  "parameters, into a new output file")
      ->type_name("CHECKPOINT.h5");

  flywheel::app::ResumeOptions resume_options;
  auto* resume =
      app.add_subcommand("resume", "Continue an interrupted run from its checkpoint, appending to its output");
  resume->add_option("CHECKPOINT", resume_options.checkpoint, "Checkpoint file (HDF5) of `flywheel run`")->required();
  resume->add_option("--threads", resume_options.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  resume->add_option("--checkpoint-every", resume_options.checkpoint_every,
                     "Ticks between checkpoints (default: the interrupted run's)");
  resume->add_option("--stop-after", resume_options.stop_after,
                     "Stop, with a checkpoint, once this many ticks (counted from 0) are done");

  flywheel::app::RunOptions validate_options;
  auto* validate = app.add_subcommand("validate", "Check a scenario and print what a run would allocate");
  add_scenario_options(*validate, validate_options);

  flywheel::app::ParamsOptions params_options;
  auto* params = app.add_subcommand("params", "List every scenario parameter with its default and meaning");
  params->add_option("--format", params_options.format, "Output format")
      ->check(CLI::IsMember({"markdown", "json", "yaml"}))
      ->capture_default_str();
  params->add_option("KEY", params_options.filters, "Only keys that contain one of these (e.g. take_rate, ranker.)");
  auto* state = app.add_subcommand("state", "List every column of agent state: type, units, meaning (Markdown)");

  std::string info_file;
  auto* info = app.add_subcommand(
      "info", "Print what an output file holds (scenario, status, last tick's figures), or a checkpoint");
  info->add_option("FILE", info_file, "Output file or checkpoint (HDF5) of `flywheel run`")->required();
  bool info_json = false;
  info->add_flag("--json", info_json, "Print it as JSON, with the file's variables, units and meanings");

  flywheel::app::SweepOptions sweep_options;
  auto* sweep =
      app.add_subcommand("sweep", "Run a batch of runs: a grid or Latin hypercube of parameters x replicates");
  sweep->add_option("SWEEP", sweep_options.file, "Sweep file (YAML)")->required();
  sweep->add_option("-o,--output", sweep_options.output, "Output directory (overrides the sweep file's)");
  sweep->add_option("-j,--jobs", sweep_options.jobs, "Runs at once (default: cores / threads per run; 1 per MPI rank)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  sweep->add_option("--task", sweep_options.task, "This task's index, from 0 (default: $SLURM_ARRAY_TASK_ID)");
  sweep->add_option("--tasks", sweep_options.tasks, "Tasks sharing the runs (default: $SLURM_ARRAY_TASK_COUNT)");
  sweep->add_flag("--dry-run", sweep_options.dry_run, "Check every run's scenario and print the index; run nothing");
  sweep
      ->add_option("--set", sweep_options.overrides,
                   "Override a parameter of every run: key.path=value (over the sweep file's set:; a swept "
                   "parameter's value still wins)")
      ->type_name("KEY=VALUE");
  std::optional<std::uint64_t> sweep_ticks;
  sweep->add_option("--ticks", sweep_ticks, "Days every run simulates (as --set ticks=N)");

  flywheel::app::AttributeOptions attribute_options;
  auto* attribute = app.add_subcommand(
      "attribute", "Measure what each loop of the flywheel causes: the baseline against knockouts, over seeds");
  attribute->add_option("CONFIG", attribute_options.config, "Scenario file (YAML)")->required();
  attribute->add_option("--loops", attribute_options.loops, "Loops to switch off one at a time (default: every loop)")
      ->type_name("A,B,...");
  attribute->add_option("--seeds", attribute_options.seeds, "Seeds, each shared by the baseline and every knockout")
      ->check(CLI::Range(1u, 10000u))
      ->capture_default_str();
  attribute->add_option("--ticks", attribute_options.ticks, "Days to simulate (overrides the scenario's ticks)");
  attribute
      ->add_option("--branch-at", attribute_options.branch_at,
                   "Knockouts branch from the baseline's state at this tick (\"what if the loop stopped now?\")")
      ->type_name("T0");
  attribute
      ->add_option("--since", attribute_options.since,
                   "Flows (orders, GMV, conversion, ...) run from this day to each horizon, not over the year "
                   "before it; horizons up to it are left out (--since 365: years 2 to N together)")
      ->type_name("DAY");
  attribute->add_option("--set", attribute_options.overrides, "Override a parameter of every run: key.path=value")
      ->type_name("KEY=VALUE");
  attribute->add_option("-o,--output", attribute_options.output, "Output directory")->required();
  attribute->add_option("-j,--jobs", attribute_options.jobs, "Runs at once (default: cores / threads; 1 per MPI rank)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  attribute->add_option("--threads", attribute_options.threads, "Worker threads per run")
      ->check(CLI::Range(1u, 4096u))
      ->capture_default_str();
  attribute->add_flag("--pairs", attribute_options.pairs, "Also switch off every pair of the loops: interactions");
  attribute->add_flag("--shapley", attribute_options.shapley,
                      "Every subset of the loops (at most 5): exact Shapley values, which add up to the total");
  attribute->add_option("--task", attribute_options.task, "This task's index, from 0 (default: $SLURM_ARRAY_TASK_ID)");
  attribute->add_option("--tasks", attribute_options.tasks,
                        "Tasks sharing the runs (default: $SLURM_ARRAY_TASK_COUNT)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_config_error;
  }

  flywheel::setup_logging(quiet ? std::string("warn") : log_level);
  flywheel::Progress::set_default(quiet ? flywheel::Progress::Style::off : flywheel::Progress::style_named(progress));
  if (flywheel::mpi::rank() != 0) {
    if (!*run && !*resume && !*sweep && !*attribute) return 0;  // validate, params, info: one rank's answer is enough
    if (!*sweep && !*attribute)
      spdlog::set_level(spdlog::level::warn);  // rank 0 tells the run; a sweep's ranks tell their own runs
  }
  // Under MPI with more ranks, an error on one ends them all (the others may wait in a collective).
  const auto fail = [](int code) {
    if (flywheel::mpi::size() > 1) flywheel::mpi::abort_all(code);
    return code;
  };
  try {
    if (*run) return flywheel::app::run_command(run_options);
    if (*resume) return flywheel::app::resume_command(resume_options);
    if (*validate) return flywheel::app::validate_command(validate_options);
    if (*params) return flywheel::app::params_command(params_options);
    if (*state) return flywheel::app::state_command();
    if (*sweep) {
      if (sweep_ticks) sweep_options.overrides.push_back("ticks=" + std::to_string(*sweep_ticks));
      return flywheel::app::sweep_command(sweep_options);
    }
    if (*attribute) return flywheel::app::attribute_command(attribute_options);
    if (*info) return flywheel::app::info_command(info_file, info_json);
  } catch (const flywheel::ConfigError& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return fail(exit_config_error);
  } catch (const flywheel::memory::InsufficientMemory& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return fail(flywheel::app::exit_insufficient_memory);
  } catch (const flywheel::RunError& e) {
    fmt::print(stderr, "flywheel: error: {}\n", e.what());
    return fail(exit_run_error);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr,
               "flywheel: error: out of memory: an allocation failed (the machine's memory, a cgroup limit or "
               "`ulimit -v` ran out); make the scenario smaller (`flywheel validate` shows where the memory goes)\n");
    return fail(flywheel::app::exit_insufficient_memory);
  } catch (const std::exception& e) {
    fmt::print(stderr, "flywheel: internal error: {}\n", e.what());
    return fail(exit_run_error);
  }
  return 0;
}
