#include "attribution_results.hpp"

#include <fmt/core.h>
#include <boost/math/distributions/students_t.hpp>

#include <bit>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>

#include "attribution_metrics.hpp"
#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/dimension.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/h5/replacement.hpp"
#include "sweep_files.hpp"

namespace flywheel::app {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Mean of `x` and the half-width of its 95% interval (Student t; NaN for fewer than 2 values).
struct Interval {
  double mean = 0;
  double half = nan;
};

Interval interval(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  Interval i;
  for (double v : x) i.mean += v / n;
  if (x.size() < 2) return i;
  double squares = 0;
  for (double v : x) squares += (v - i.mean) * (v - i.mean);
  const double sd = std::sqrt(squares / (n - 1));
  const boost::math::students_t t(n - 1);
  i.half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return i;
}

/// s! (n - s - 1)! / n!: the weight of a coalition of s loops in loop i's Shapley value.
double shapley_weight(std::size_t s, std::size_t n) {
  return std::tgamma(static_cast<double>(s + 1)) * std::tgamma(static_cast<double>(n - s)) /
         std::tgamma(static_cast<double>(n + 1));
}

/// The values of one metric at one horizon: per replicate, per variant.
class Cell {
 public:
  Cell(const AttributionDesign& d, const std::vector<std::vector<double>>& values, std::size_t at)
      : design_(d), values_(values), at_(at) {}
  [[nodiscard]] double value(std::uint32_t replicate, std::uint32_t variant) const {
    return values_[replicate * design_.variants.size() + design_.position(variant)][at_];
  }
  /// Per replicate, f(replicate).
  template <class F>
  [[nodiscard]] std::vector<double> per_seed(F f) const {
    std::vector<double> x;
    for (std::uint32_t r = 0; r < design_.seeds; ++r) x.push_back(f(r));
    return x;
  }
  /// What switching `variant` off costs in replicate r: baseline less knockout.
  [[nodiscard]] double effect(std::uint32_t r, std::uint32_t variant) const { return value(r, 0) - value(r, variant); }

 private:
  const AttributionDesign& design_;
  const std::vector<std::vector<double>>& values_;
  std::size_t at_;
};

/// Per seed, log(baseline / knockout): a loop's effect on a quantity that
/// grows multiplicatively, whose size differs between seeds by far more than
/// its ratio does. Empty where any seed's value is not positive.
std::vector<double> log_ratios(const std::vector<double>& baseline, const std::vector<double>& knockout) {
  std::vector<double> logs;
  for (std::size_t r = 0; r < knockout.size(); ++r) {
    if (!(baseline[r] > 0 && knockout[r] > 0)) return {};
    logs.push_back(std::log(baseline[r] / knockout[r]));
  }
  return logs;
}

AttributionRow row(std::string loops, std::string kind, const std::string& metric, std::uint32_t horizon,
                   const std::vector<double>& baseline, const std::vector<double>& knockout,
                   const std::vector<double>& effect) {
  const Interval e = interval(effect);
  const double b = interval(baseline).mean;
  const double k = knockout.empty() ? nan : interval(knockout).mean;
  const std::vector<double> logs = log_ratios(baseline, knockout);
  const Interval l = logs.empty() ? Interval{nan, nan} : interval(logs);
  return {std::move(loops),
          std::move(kind),
          metric,
          horizon,
          b,
          k,
          e.mean,
          e.mean - e.half,
          e.mean + e.half,
          knockout.empty() || b == 0 ? nan : k / b,
          std::expm1(l.mean),
          std::expm1(l.mean - l.half),
          std::expm1(l.mean + l.half),
          static_cast<std::uint32_t>(effect.size())};
}

std::string csv(const std::vector<AttributionRow>& rows) {
  std::string out =
      "loops,kind,metric,horizon,baseline,knockout,loop_effect,loop_effect_low,loop_effect_high,knockout_ratio,"
      "relative_effect,relative_effect_low,relative_effect_high,seeds\n";
  for (const auto& r : rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.loops, r.kind, r.metric, r.horizon, r.baseline,
                       r.knockout, r.loop_effect, r.loop_effect_low, r.loop_effect_high, r.knockout_ratio,
                       r.relative_effect, r.relative_effect_low, r.relative_effect_high, r.seeds);
  return out;
}

std::string seeds_csv(const SweepPlan& plan, const AttributionDesign& design,
                      const std::vector<std::uint32_t>& horizons, const std::vector<std::vector<double>>& values) {
  std::string out = "run,variant,replicate,seed,metric,horizon,value\n";
  const auto metrics = attribution_metrics();
  for (const SweepRun& run : plan.runs)
    for (std::size_t m = 0; m < metrics.size(); ++m)
      for (std::size_t h = 0; h < horizons.size(); ++h)
        out += fmt::format("{},{},{},{},{},{},{}\n", run.id, design.name(design.variants[run.point]), run.replicate,
                           run.seed, metrics[m].name, horizons[h], values[run.index][m * horizons.size() + h]);
  return out;
}

void write_table(const std::filesystem::path& path, const AttributionDesign& design, const SweepPlan& plan,
                 const std::vector<AttributionRow>& rows) {
  const auto column = [&](auto member) {
    using T = std::remove_cvref_t<decltype(rows[0].*member)>;
    std::vector<std::conditional_t<std::is_same_v<T, std::string>, std::string,
                                   std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>>>
        out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(r.*member);
    return h5::ColumnValues(std::move(out));
  };
  using R = AttributionRow;
  const std::vector<std::pair<h5::Axis, h5::ColumnValues>> columns{
      {{"loops", "", "the loops switched off (knockout), or whose effect the row gives", {}}, column(&R::loops)},
      {{"kind", "", "knockout, interaction or shapley", {}}, column(&R::kind)},
      {{"metric", "", "the figure compared (docs/attribution.md)", {}}, column(&R::metric)},
      {{"horizon", "", "days run to the horizon", {}}, column(&R::horizon)},
      {{"baseline", "", "the baseline's value, mean over seeds", {}}, column(&R::baseline)},
      {{"knockout", "", "the knockout's value, mean over seeds", {}}, column(&R::knockout)},
      {{"loop_effect", "", "baseline less knockout: what the loops add, mean over seeds", {}}, column(&R::loop_effect)},
      {{"loop_effect_low", "", "95% interval of loop_effect across seeds, lower end", {}}, column(&R::loop_effect_low)},
      {{"loop_effect_high", "", "95% interval of loop_effect across seeds, upper end", {}},
       column(&R::loop_effect_high)},
      {{"knockout_ratio", "1", "knockout / baseline", {}}, column(&R::knockout_ratio)},
      {{"relative_effect", "1", "baseline / knockout - 1: geometric mean over seeds", {}}, column(&R::relative_effect)},
      {{"relative_effect_low", "1", "95% interval of relative_effect (t on the seeds' log ratios), lower end", {}},
       column(&R::relative_effect_low)},
      {{"relative_effect_high", "1", "95% interval of relative_effect, upper end", {}},
       column(&R::relative_effect_high)},
      {{"seeds", "", "seeds (replicates) the row is over", {}}, column(&R::seeds)},
  };
  try {
    h5::Replacement replacement(path.string());  // under a temporary name, fsynced, renamed into place
    h5::File file = h5::File::create(replacement.temporary());
    std::vector<std::int64_t> index(rows.size());
    std::iota(index.begin(), index.end(), std::int64_t{0});
    const h5::DatasetHandle row_axis = h5::write_axis(file.id(), {"row", "", "row of the table", index});
    for (const auto& [about, values] : columns) {
      const h5::DatasetHandle dataset = h5::write_column(file.id(), about.name, values);
      h5::attach(dataset.get(), row_axis.get(), 0, "row");
      h5::describe(dataset.get(), about.units, about.long_name);
    }
    h5::write_attribute(file.id(), "title", std::string("flywheel attribution: what each loop causes"));
    h5::write_attribute(file.id(), "config", plan.scenario);
    h5::write_attribute(file.id(), "loops", design.name((1u << design.loops.size()) - 1));
    h5::write_attribute(file.id(), "seeds", static_cast<std::int64_t>(design.seeds));
    h5::write_attribute(file.id(), "branch_at", static_cast<std::int64_t>(design.branch_at));
    if (design.since) h5::write_attribute(file.id(), "since", static_cast<std::int64_t>(*design.since));
    file.close();
    replacement.commit();
  } catch (const h5::Error& e) {
    throw RunError("cannot write '" + path.string() + "': " + e.what());
  }
}

}  // namespace

std::vector<AttributionRow> attribution_rows(const AttributionDesign& design,
                                             const std::vector<std::uint32_t>& horizons,
                                             const std::vector<std::vector<double>>& values) {
  std::vector<AttributionRow> rows;
  const auto metrics = attribution_metrics();
  const std::size_t n = design.loops.size();
  for (std::size_t m = 0; m < metrics.size(); ++m)
    for (std::size_t h = 0; h < horizons.size(); ++h) {
      const Cell cell(design, values, m * horizons.size() + h);
      const std::string metric = metrics[m].name;
      const auto baseline = cell.per_seed([&](std::uint32_t r) { return cell.value(r, 0); });
      for (const std::uint32_t v : design.variants) {
        if (v == 0) continue;
        rows.push_back(row(design.name(v), "knockout", metric, horizons[h], baseline,
                           cell.per_seed([&](std::uint32_t r) { return cell.value(r, v); }),
                           cell.per_seed([&](std::uint32_t r) { return cell.effect(r, v); })));
      }
      for (const std::uint32_t v : design.variants) {
        if (std::popcount(v) != 2) continue;
        const std::uint32_t i = v & (~v + 1);  // the lower of its two loops
        const std::uint32_t j = v ^ i;
        rows.push_back(row(
            design.name(v), "interaction", metric, horizons[h], baseline, {},
            cell.per_seed([&](std::uint32_t r) { return cell.effect(r, v) - cell.effect(r, i) - cell.effect(r, j); })));
      }
      if (!design.shapley) continue;
      const std::uint32_t all = (1u << n) - 1;
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t loop = 1u << i;
        // Sum over coalitions S of loops on, without loop i: its marginal value when switched on too.
        const auto shapley = [&](std::uint32_t r) {
          double phi = 0;
          for (std::uint32_t on = 0; on <= all; ++on) {
            if ((on & loop) != 0) continue;
            const double with = cell.value(r, all ^ (on | loop));
            const double without = cell.value(r, all ^ on);
            phi += shapley_weight(static_cast<std::size_t>(std::popcount(on)), n) * (with - without);
          }
          return phi;
        };
        rows.push_back(row(design.loops[i], "shapley", metric, horizons[h], baseline, {}, cell.per_seed(shapley)));
      }
    }
  return rows;
}

void write_attribution(const std::string& directory, const SweepPlan& plan, const AttributionDesign& design,
                       const std::vector<std::uint32_t>& horizons, const std::vector<std::vector<double>>& values,
                       const std::vector<AttributionRow>& rows) {
  const std::filesystem::path dir(directory);
  write_file_atomically(dir / "attribution.csv", csv(rows));
  write_file_atomically(dir / "attribution_seeds.csv", seeds_csv(plan, design, horizons, values));
  write_table(dir / "attribution.h5", design, plan, rows);
}

}  // namespace flywheel::app
