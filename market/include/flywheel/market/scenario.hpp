#pragma once
// A scenario: the whole validated configuration a simulation is built from.

#include <cstdint>
#include <string>
#include <vector>

#include "flywheel/agents/customer_params.hpp"
#include "flywheel/agents/loops.hpp"
#include "flywheel/agents/platform_params.hpp"
#include "flywheel/agents/review_params.hpp"
#include "flywheel/agents/seller_params.hpp"
#include "flywheel/engine/params.hpp"
#include "flywheel/market/market_params.hpp"
#include "flywheel/market/output_params.hpp"

namespace flywheel::market {

inline constexpr std::size_t max_platforms = 8;

struct Scenario {
  std::string name = "scenario";
  std::uint64_t seed = 1;
  std::uint32_t ticks = 365;
  MarketParams market;
  agents::CustomerParams customers;
  agents::SellerParams sellers;
  agents::ReviewParams reviews;
  std::vector<agents::PlatformParams> platforms = {agents::PlatformParams{}};
  agents::Loops loops;
  OutputParams output;

  template <class V>
  void visit(V& v) {
    v.field("name", name, "A name for the scenario");
    v.field("seed", seed, "Seed of every random stream");
    v.field("ticks", ticks, "Days to simulate", config::between(0u, 1'000'000u));
    // Keys that have moved: refused with their new name (before `sellers`, which would call them unknown).
    v.renamed("sellers.review_probability", "reviews.probability");
    v.renamed("sellers.review_noise", "reviews.noise");
    v.renamed("sellers.rating_prior_weight", "reviews.rating_prior_weight");
    v.section("market", market, "Categories, shards and search");
    v.section("customers", customers, "Customer agents");
    v.section("sellers", sellers, "3P seller agents");
    v.section("reviews", reviews, "Reviews: how often buyers write them, their noise, how ratings are shown");
    v.list("platforms", platforms, "The competing platforms");
    v.section("loops", loops, "Loop switches: each cuts one arrow of the flywheel where an agent acts (docs/model.md)");
    v.section("output", output, "What the HDF5 output file holds and how it is written");
    v.require(
        !platforms.empty() && platforms.size() <= max_platforms, "platforms",
        "expected 1 to " + std::to_string(max_platforms) + " platforms, found " + std::to_string(platforms.size()));
    for (std::size_t i = 0; i < platforms.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        v.require(platforms[i].name != platforms[j].name, "platforms",
                  "platform names must be unique; '" + platforms[i].name + "' appears twice");
  }
};

/// Reads a scenario from a YAML file, applies `--set` overrides, validates.
/// Throws ConfigError naming the file, line, key and problem; one that an
/// override caused has where().override_index, its position in `overrides`.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// The same from YAML text (tests); `name` stands for the file in messages.
Scenario scenario_from_string(const std::string& yaml, const std::string& name = "<string>",
                              const std::vector<std::string>& overrides = {});

/// The resolved scenario as YAML: every parameter, defaults included.
std::string to_yaml(Scenario scenario);

/// The parameters `scenario` sets away from their defaults, as YAML
/// (config::changes_against_defaults): the output file's `config_changes`.
std::string config_changes(const Scenario& scenario);

}  // namespace flywheel::market
