#include "flywheel/app/sweep_plan.hpp"

#include <yaml-cpp/yaml.h>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>

#include "flywheel/agents/purposes.hpp"
#include "flywheel/engine/config.hpp"
#include "flywheel/engine/random.hpp"

namespace flywheel::app {
namespace {

using agents::Purpose;
using agents::purpose;

constexpr std::array<config::Choice<Design>, 2> designs{{{"grid", Design::grid}, {"lhs", Design::lhs}}};
constexpr std::array<config::Choice<Scale>, 2> scales{{{"linear", Scale::linear}, {"log", Scale::log}}};

// The keys of a sweep file other than `parameters` and `set`, which name
// scenario keys and are read by hand.
struct SweepFields {
  std::string scenario;
  std::string output = "out/sweep";
  Design design = Design::grid;
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
  std::uint32_t samples = 0;
  std::uint32_t threads = 1;

  template <class V>
  void visit(V& v) {
    v.field("scenario", scenario, "Base scenario file, relative to the sweep file");
    v.field("output", output, "Output directory (index.csv, runs/), relative to the working directory");
    v.choice("design", design, designs, "grid: every combination of the listed values; lhs: a Latin hypercube");
    v.field("seed", seed, "Seed of the sweep: replicate seeds and the Latin-hypercube sample");
    v.field("replicates", replicates, "Runs per point, each with its replicate's seed",
            config::between(1u, 1'000'000u));
    v.field("samples", samples, "Points of a Latin-hypercube design", config::between(0u, 10'000'000u));
    v.field("threads", threads, "Worker threads of each run", config::between(1u, 4096u));
    v.require(!scenario.empty(), "scenario", "expected the path of the base scenario (scenario: FILE.yaml)");
    v.require(design != Design::lhs || samples > 0, "samples", "design 'lhs' needs samples: N (at least 1)");
    v.require(design != Design::grid || samples == 0, "samples", "samples is for design 'lhs'; a grid lists values");
  }
};

// A Latin-hypercube parameter's range.
struct RangeFields {
  double min = std::nan("");
  double max = std::nan("");
  Scale scale = Scale::linear;
  bool integer = false;

  template <class V>
  void visit(V& v) {
    v.field("min", min, "Lower end of the range");
    v.field("max", max, "Upper end of the range");
    v.choice("scale", scale, scales, "linear, or log: uniform in the logarithm");
    v.field("integer", integer, "Round each sample to an integer");
    v.require(min == min && max == max, "min", "expected a range {min: A, max: B}");
    v.require(min <= max, "max", "expected max at least min");
    v.require(scale != Scale::log || min > 0, "min", "a log scale needs min above 0");
    v.require(!integer || std::ceil(min) <= std::floor(max), "integer",
              "the range [" + config::detail::format_number(min) + ", " + config::detail::format_number(max) +
                  "] holds no integer; widen it, or sample it without integer: true");
  }
};

[[noreturn]] void fail(const config::Document& doc, const YAML::Node& node, const std::string& key,
                       const std::string& problem, const YAML::Node& key_node = {}) {
  throw ConfigError(doc.locate(node, key_node), key, problem);
}

/// A YAML value as `--set` text: a scalar as written, anything else in flow style.
std::string as_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << node;
  return out.c_str();
}

std::string checked_key(const config::Document& doc, const YAML::Node& key, const YAML::Node& value,
                        const std::string& section) {
  if (!key.IsScalar() || key.Scalar().empty())
    fail(doc, value, section, "expected a scenario key path (e.g. platforms.0.take_rate)", key);
  const std::string& k = key.Scalar();
  if (k == "seed")
    fail(doc, value, section + "." + k,
         "the seed is set per replicate from the sweep's seed; use replicates and seed at the top level", key);
  return k;
}

void read_set(const config::Document& doc, const YAML::Node& node, SweepPlan& plan) {
  if (!node) return;
  if (!node.IsMap()) fail(doc, node, "set", "expected a map of scenario key paths to values");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = checked_key(doc, it->first, it->second, "set");
    if (it->second.IsNull()) fail(doc, it->second, "set." + key, "expected a value", it->first);
    plan.overrides.push_back(key + "=" + as_text(it->second));
    plan.override_locations.push_back(doc.locate(it->second, it->first));
  }
}

void read_parameters(const config::Document& doc, const YAML::Node& node, SweepPlan& plan) {
  if (!node || node.IsNull() || (node.IsMap() && node.size() == 0))
    fail(doc, node ? node : doc.root(), "parameters",
         "expected at least one parameter to sweep (parameters: {key.path: [values]} or {key.path: {min, max}})");
  if (!node.IsMap())
    fail(doc, node, "parameters", "expected a map of scenario key paths, found " + config::detail::kind_of(node));
  for (auto it = node.begin(); it != node.end(); ++it) {
    SweepParameter p;
    p.key = checked_key(doc, it->first, it->second, "parameters");
    p.where = doc.locate(it->second, it->first);
    const std::string path = "parameters." + p.key;
    for (const auto& earlier : plan.parameters)
      if (earlier.key == p.key) fail(doc, it->second, path, "this parameter is listed twice", it->first);
    const YAML::Node value = it->second;  // a copy: it-> is a temporary proxy
    if (plan.design == Design::grid) {
      if (!value.IsSequence())
        fail(doc, value, path,
             "design 'grid' expects a list of values, found " + config::detail::kind_of(value) +
                 (value.IsMap() ? " (ranges {min, max} are for design 'lhs')" : ""),
             it->first);
      if (value.size() == 0) fail(doc, value, path, "expected at least one value, found an empty list", it->first);
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i].IsNull()) fail(doc, value[i], path + "[" + std::to_string(i) + "]", "expected a value");
        p.values.push_back(as_text(value[i]));
        p.value_locations.push_back(doc.locate(value[i]));
      }
    } else {
      if (!value.IsMap())
        fail(doc, value, path, "design 'lhs' expects a range {min: A, max: B}, found " + config::detail::kind_of(value),
             it->first);
      RangeFields range;
      config::Loader loader(doc, value, path);
      range.visit(loader);
      loader.finish();
      p.min = range.min;
      p.max = range.max;
      p.scale = range.scale;
      p.integer = range.integer;
    }
    plan.parameters.push_back(std::move(p));
  }
}

std::string lhs_value(const SweepParameter& p, double u) {
  double v = p.scale == Scale::log ? std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)))
                                   : p.min + u * (p.max - p.min);
  v = std::clamp(v, p.min, p.max);  // exp(log(x)) can miss x by an ulp
  // Rounding can step past an end that is not an integer (2.5 rounds to 3): the nearest integer inside.
  if (p.integer)
    return fmt::format("{}", static_cast<long long>(std::clamp(std::round(v), std::ceil(p.min), std::floor(p.max))));
  return config::detail::format_number(v);
}

/// `key` with every list element named by its index: a list item can be
/// addressed by its `name` (platforms.alpha) or its index (platforms.0), as
/// the base scenario `root` lists them. Parts past what `root` holds stay as written.
std::string canonical_key(YAML::Node node, const std::string& key) {
  std::string out;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t end = std::min(key.find('.', start), key.size());
    std::string part = key.substr(start, end - start);
    if (node && node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i)
        if (node[i].IsMap() && node[i]["name"] && node[i]["name"].IsScalar() && node[i]["name"].Scalar() == part)
          part = std::to_string(i);
      // An index past the list (or too large for any) addresses nothing the base scenario holds.
      std::size_t i = 0;
      const auto [end_of_number, error] = std::from_chars(part.data(), part.data() + part.size(), i);
      const bool in_list = error == std::errc() && end_of_number == part.data() + part.size() && i < node.size();
      node = in_list ? YAML::Node(node[i]) : YAML::Node();
    } else {
      node = node && node.IsMap() ? YAML::Node(node[part]) : YAML::Node();
    }
    out += (out.empty() ? "" : ".") + part;
    start = end + 1;
  }
  return out;
}

/// Refuses two keys of `parameters` (or two of `set`) that name one parameter
/// of the base scenario in two ways: the index would record values the runs
/// never used.
void check_one_key_each(const SweepPlan& plan) {
  YAML::Node base;
  try {
    base = config::Document::from_file(plan.scenario).root();
  } catch (const ConfigError&) {
    return;  // loading every run's scenario reports it
  }
  std::vector<std::pair<std::string, std::string>> seen;  // canonical key, as written
  auto check = [&seen, &base, &plan](const std::string& key, const SourceLocation& where) {
    const std::string canonical = canonical_key(base, key);
    const auto same = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == canonical; });
    if (same != seen.end())
      throw ConfigError(
          where, key,
          fmt::format("'{}' and '{}' name the same parameter of {}; give it once", key, same->second, plan.scenario));
    seen.emplace_back(canonical, key);
  };
  // (A parameter may also be in `set`: the swept value is the one in force, and the one recorded.)
  for (std::size_t i = 0; i < plan.overrides.size(); ++i)
    check(plan.overrides[i].substr(0, plan.overrides[i].find('=')), plan.override_locations[i]);
  seen.clear();
  for (const auto& p : plan.parameters) check(p.key, p.where);
}

/// The most runs a sweep may have: each is a file and a line of the index.
constexpr std::uint64_t max_runs = 1'000'000;

/// Counts the runs before any is built: a grid's runs multiply, and a
/// mistyped one could ask for more than memory holds.
void check_run_count(const config::Document& doc, const SweepPlan& plan) {
  std::uint64_t runs = plan.replicates;
  auto times = [&](std::uint64_t n) { runs = n != 0 && runs > max_runs / n ? max_runs + 1 : runs * n; };
  if (plan.design == Design::grid)
    for (const auto& p : plan.parameters) times(p.values.size());
  else
    times(plan.samples);
  if (runs > max_runs)
    fail(doc, doc.root()["parameters"] ? doc.root()["parameters"] : doc.root(), "parameters",
         "the sweep asks for more than " + std::to_string(max_runs) +
             " runs (points times replicates); split it into several sweeps");
}

void expand(SweepPlan& plan) {
  std::vector<std::vector<std::string>> points;
  if (plan.design == Design::grid) {
    // Every combination, the last parameter changing fastest (like nested loops in file order).
    points.emplace_back();
    for (const auto& p : plan.parameters) {
      std::vector<std::vector<std::string>> next;
      next.reserve(points.size() * p.values.size());
      for (const auto& prefix : points)
        for (const auto& v : p.values) {
          next.push_back(prefix);
          next.back().push_back(v);
        }
      points = std::move(next);
    }
  } else {
    for (const auto& sample : latin_hypercube(plan.samples, plan.parameters.size(), plan.seed)) {
      std::vector<std::string> values;
      for (std::size_t d = 0; d < plan.parameters.size(); ++d)
        values.push_back(lhs_value(plan.parameters[d], sample[d]));
      points.push_back(std::move(values));
    }
  }
  const std::size_t total = points.size() * plan.replicates;
  const std::size_t width = std::max<std::size_t>(4, std::to_string(total == 0 ? 0 : total - 1).size());
  plan.runs.reserve(total);
  for (std::size_t point = 0; point < points.size(); ++point)
    for (std::uint32_t r = 0; r < plan.replicates; ++r) {
      SweepRun run;
      run.index = plan.runs.size();
      run.id = fmt::format("run-{:0{}}", run.index, width);
      run.point = point;
      run.replicate = r;
      run.seed = replicate_seed(plan.seed, r);
      run.values = points[point];
      plan.runs.push_back(std::move(run));
    }
}

/// The command line's `--set key=value` (and `--ticks`) for every run: after the file's `set:`, which
/// they replace where they name the same parameter; a swept parameter's value still wins.
void read_command_line(const std::vector<std::string>& assignments, SweepPlan& plan) {
  YAML::Node base;
  try {
    base = config::Document::from_file(plan.scenario).root();
  } catch (const ConfigError&) {
    // loading every run's scenario reports it
  }
  for (const std::string& assignment : assignments) {
    const SourceLocation where{"--set " + assignment};
    const std::size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError(where, assignment, "expected key.path=value");
    const std::string key = assignment.substr(0, eq);
    if (key == "seed")
      throw ConfigError(where, key, "the seed is set per replicate from the sweep's seed; set it in the sweep file");
    const std::string canonical = canonical_key(base, key);
    for (std::size_t i = plan.overrides.size(); i-- > 0;)
      if (canonical_key(base, plan.overrides[i].substr(0, plan.overrides[i].find('='))) == canonical) {
        plan.overrides.erase(plan.overrides.begin() + static_cast<std::ptrdiff_t>(i));
        plan.override_locations.erase(plan.override_locations.begin() + static_cast<std::ptrdiff_t>(i));
      }
    plan.overrides.push_back(assignment);
    plan.override_locations.push_back(where);
  }
}

SweepPlan plan_from(const config::Document& doc, const std::string& folder,
                    const std::vector<std::string>& command_line) {
  const YAML::Node& root = doc.root();
  if (!root.IsMap()) fail(doc, root, "(top level)", "expected a map of keys, found " + config::detail::kind_of(root));
  // The fixed keys go through the config loader (types, ranges, unknown keys);
  // `parameters` and `set` name scenario keys, checked against the scenario later.
  YAML::Node fixed(YAML::NodeType::Map);
  for (auto it = root.begin(); it != root.end(); ++it)
    if (!it->first.IsScalar() || (it->first.Scalar() != "parameters" && it->first.Scalar() != "set"))
      fixed.force_insert(it->first, it->second);
  SweepFields fields;
  config::Loader loader(doc, fixed, "");
  fields.visit(loader);
  loader.finish();

  SweepPlan plan;
  plan.file = doc.name();
  const std::filesystem::path scenario(fields.scenario);
  plan.scenario =
      (scenario.is_absolute() ? scenario : (std::filesystem::path(folder) / scenario).lexically_normal()).string();
  plan.output = fields.output;
  plan.design = fields.design;
  plan.seed = fields.seed;
  plan.replicates = fields.replicates;
  plan.samples = fields.samples;
  plan.threads = fields.threads;
  read_set(doc, root["set"], plan);
  read_command_line(command_line, plan);
  read_parameters(doc, root["parameters"], plan);
  check_one_key_each(plan);
  check_run_count(doc, plan);
  expand(plan);
  return plan;
}

/// `e`, raised loading `run`'s scenario, placed where the sweep file writes
/// the override that caused it (which the error carries as its index in
/// overrides_for(): fixed ones, then parameters, then the seed) and naming
/// the run; nothing when no override of the sweep file caused it.
std::optional<ConfigError> placed_in_sweep_file(const SweepPlan& plan, const SweepRun& run, const ConfigError& e) {
  if (!e.where().override_index) return std::nullopt;  // the base scenario's own error
  const std::string context = " (" + run.id + ", from " + plan.scenario + ")";
  std::size_t i = *e.where().override_index;
  if (i < plan.overrides.size()) return ConfigError(plan.override_locations[i], e.key_path(), e.problem() + context);
  i -= plan.overrides.size();
  if (i >= plan.parameters.size()) return std::nullopt;  // the replicate's seed
  const SweepParameter& p = plan.parameters[i];
  SourceLocation where = p.where;
  if (plan.design == Design::grid) {
    const auto v = std::find(p.values.begin(), p.values.end(), run.values[i]);
    where = p.value_locations[static_cast<std::size_t>(v - p.values.begin())];
  }
  return ConfigError(
      where, e.key_path(),
      e.problem() + (plan.design == Design::lhs ? " (sampled value " + run.values[i] + ")" : "") + context);
}

}  // namespace

std::string SweepPlan::run_file(const SweepRun& run) { return "runs/" + run.id + ".h5"; }

std::string SweepPlan::run_path(const SweepRun& run) const {
  return (std::filesystem::path(output) / run_file(run)).string();
}

std::vector<std::string> SweepPlan::overrides_for(const SweepRun& run) const {
  std::vector<std::string> all = overrides;
  for (std::size_t i = 0; i < parameters.size(); ++i) all.push_back(parameters[i].key + "=" + run.values[i]);
  all.push_back("seed=" + std::to_string(run.seed));
  return all;
}

SweepPlan load_sweep_plan(const std::string& path, const std::vector<std::string>& command_line) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return plan_from(config::Document::from_file(path), folder.empty() ? "." : folder, command_line);
}

SweepPlan sweep_plan_from_string(const std::string& yaml, const std::string& name, const std::string& folder,
                                 const std::vector<std::string>& command_line) {
  return plan_from(config::Document::from_string(yaml, name), folder, command_line);
}

std::vector<market::Scenario> load_scenarios(const SweepPlan& plan) {
  std::vector<market::Scenario> scenarios;
  scenarios.reserve(plan.runs.size());
  for (const auto& run : plan.runs) {
    const std::vector<std::string> overrides = plan.overrides_for(run);
    try {
      scenarios.push_back(market::load_scenario(plan.scenario, overrides));
    } catch (const ConfigError& e) {
      if (const auto placed = placed_in_sweep_file(plan, run, e)) throw *placed;
      throw;
    }
  }
  return scenarios;
}

std::uint64_t replicate_seed(std::uint64_t sweep_seed, std::uint32_t replicate) noexcept {
  const auto words = random::block(sweep_seed, random::static_tick, replicate, purpose(Purpose::sweep_replicate_seed));
  // 53 bits: exact as a double too, so spreadsheets, JSON and pandas never round a seed.
  constexpr std::uint64_t mask = (std::uint64_t{1} << 53) - 1;
  return (static_cast<std::uint64_t>(words[0]) | (static_cast<std::uint64_t>(words[1]) << 32)) & mask;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dimensions, std::uint64_t seed) {
  std::vector<std::vector<double>> samples(n, std::vector<double>(dimensions));
  std::vector<std::uint32_t> stratum(n);
  for (std::size_t d = 0; d < dimensions; ++d) {
    const auto dim = static_cast<std::uint32_t>(d);
    // Which stratum each sample takes: a seeded Fisher-Yates shuffle.
    std::iota(stratum.begin(), stratum.end(), 0u);
    random::Stream order = random::stream(seed, random::static_tick, dim, purpose(Purpose::sweep_lhs_order));
    for (std::size_t i = n; i > 1; --i) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(stratum[i - 1], stratum[pick(order)]);
    }
    // Where in its stratum: uniform.
    random::Stream jitter = random::stream(seed, random::static_tick, dim, purpose(Purpose::sweep_lhs_jitter));
    boost::random::uniform_01<double> u;
    for (std::size_t i = 0; i < n; ++i)
      samples[i][d] = (static_cast<double>(stratum[i]) + u(jitter)) / static_cast<double>(n);
  }
  return samples;
}

namespace {
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}
}  // namespace

std::string index_csv(const SweepPlan& plan) {
  std::string out = "id,file,point,replicate,seed";
  for (const auto& p : plan.parameters) {
    out += ',';  // appended apart: `"," + text` trips GCC 12's -Wrestrict
    out += csv_field(p.key);
  }
  out += "\n";
  for (const auto& run : plan.runs) {
    out += fmt::format("{},{},{},{},{}", run.id, SweepPlan::run_file(run), run.point, run.replicate, run.seed);
    for (const auto& v : run.values) {
      out += ',';
      out += csv_field(v);
    }
    out += "\n";
  }
  return out;
}

std::vector<std::size_t> share_of(const SweepPlan& plan, std::size_t slot, std::size_t slots) {
  std::vector<std::size_t> mine;
  for (std::size_t i = slot; i < plan.runs.size(); i += slots) mine.push_back(i);
  return mine;
}

}  // namespace flywheel::app
