// The config loader: typed fields, bounds, choices, lists, unknown keys,
// overrides, and the location every error carries.

#include "flywheel/engine/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

#include <array>
#include <cstdint>
#include <limits>

namespace flywheel::config {
namespace {

enum class Colour { red, green };
constexpr std::array<Choice<Colour>, 2> colours{{{"red", Colour::red}, {"green", Colour::green}}};

struct Item {
  std::string name = "item";
  double weight = 1.0;
  template <class V>
  void visit(V& v) {
    v.field("name", name, "name");
    v.field("weight", weight, "weight", between(0.0, 10.0));
  }
};

struct Inner {
  std::uint32_t count = 5;
  bool flag = false;
  template <class V>
  void visit(V& v) {
    v.field("count", count, "count", between(1u, 100u));
    v.field("flag", flag, "flag");
  }
};

struct Example {
  std::uint64_t seed = 1;
  double rate = 0.5;
  Colour colour = Colour::red;
  Inner inner;
  std::vector<Item> items = {Item{}};
  template <class V>
  void visit(V& v) {
    v.field("seed", seed, "seed");
    v.field("rate", rate, "rate", between(0.0, 1.0));
    v.choice("colour", colour, colours, "colour");
    v.section("inner", inner, "inner");
    v.list("items", items, "items");
    v.require(rate < 0.9 || inner.count > 1, "rate", "a high rate needs inner.count above 1");
  }
};

Example load(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  Document doc = Document::from_string(yaml, "example.yaml");
  for (const auto& o : overrides) doc.apply_override(o);
  Example e;
  Loader::load(doc, e);
  return e;
}

ConfigError load_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    load(yaml, overrides);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
  return ConfigError({}, "", "");
}

TEST(ConfigLoader, ReadsEveryKindOfField) {
  const Example e = load(
      "seed: 7\nrate: 0.25\ncolour: green\ninner: {count: 9, flag: true}\n"
      "items:\n  - {name: a, weight: 2}\n  - {name: b}\n");
  EXPECT_EQ(e.seed, 7u);
  EXPECT_DOUBLE_EQ(e.rate, 0.25);
  EXPECT_EQ(e.colour, Colour::green);
  EXPECT_EQ(e.inner.count, 9u);
  EXPECT_TRUE(e.inner.flag);
  ASSERT_EQ(e.items.size(), 2u);
  EXPECT_EQ(e.items[0].name, "a");
  EXPECT_DOUBLE_EQ(e.items[0].weight, 2.0);
  EXPECT_DOUBLE_EQ(e.items[1].weight, 1.0);  // a missing key keeps its default
}

TEST(ConfigLoader, AcceptsIntegersWrittenWithUnderscoresOrExponents) {
  EXPECT_EQ(load("seed: 1_000_000").seed, 1000000u);
  EXPECT_EQ(load("seed: 1e6").seed, 1000000u);
}

TEST(ConfigLoader, EmptyDocumentGivesDefaults) { EXPECT_EQ(load("").inner.count, 5u); }

TEST(ConfigLoader, FollowsYamlMergeKeys) {
  const Example e = load("items:\n  - &base {name: a, weight: 3}\n  - <<: *base\n    name: b\n");
  ASSERT_EQ(e.items.size(), 2u);
  EXPECT_EQ(e.items[1].name, "b");
  EXPECT_DOUBLE_EQ(e.items[1].weight, 3.0);
}

TEST(ConfigLoader, UnknownKeyInsideAMergedMapIsReported) {
  const ConfigError e = load_error("items:\n  - &base {name: a, wieght: 3}\n  - <<: *base\n");
  EXPECT_NE(e.problem().find("did you mean 'weight'"), std::string::npos) << e.what();
}

TEST(ConfigLoader, UnknownKeySuggestsTheNearestWithLineAndColumn) {
  const ConfigError e = load_error("seed: 1\ninner:\n  cout: 3\n");
  EXPECT_EQ(e.where().file, "example.yaml");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().column, 3);
  EXPECT_EQ(e.key_path(), "inner.cout");
  EXPECT_NE(e.problem().find("did you mean 'count'"), std::string::npos) << e.what();
}

TEST(ConfigLoader, UnknownKeyWithNoNearNameListsTheValidOnes) {
  const ConfigError e = load_error("zzzzzzzz: 1\n");
  EXPECT_NE(e.problem().find("valid keys here are seed, rate"), std::string::npos) << e.what();
}

TEST(ConfigLoader, WrongTypeSaysWhatWasExpectedAndFound) {
  const ConfigError e = load_error("seed: 1\ninner:\n  count: many\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().column, 10);
  EXPECT_EQ(e.key_path(), "inner.count");
  EXPECT_NE(e.problem().find("expected an integer in [1, 100], found 'many'"), std::string::npos) << e.what();
}

// Regression (fuzz finding): a name with a carriage return or a byte that is not
// UTF-8 loaded, then its resolved YAML loaded back as another name.
TEST(ConfigLoader, TextMustBePrintableUtf8) {
  EXPECT_EQ(load("items: [{name: \"caf\u00e9 \u5e97\"}]").items[0].name, "caf\xc3\xa9 \xe5\xba\x97");
  for (const std::string bad : {R"("a\rb")", R"("tab\there")", R"("\x85next")", R"("\u2028")", R"("\x7f")"}) {
    const ConfigError e = load_error("items: [{name: " + bad + "}]");
    EXPECT_EQ(e.key_path(), "items[0].name") << bad;
    EXPECT_NE(e.problem().find("expected printable UTF-8 text"), std::string::npos) << e.what();
  }
  const ConfigError raw = load_error("items: [{name: \x93\"ut o\r}]");
  EXPECT_NE(raw.problem().find("found '\\x93\"ut o"), std::string::npos) << raw.what();
  EXPECT_FALSE(detail::is_printable_text("\xc0\xaf"));      // an overlong '/'
  EXPECT_FALSE(detail::is_printable_text("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(detail::is_printable_text("\xe5\xba"));      // cut short
  EXPECT_TRUE(detail::is_printable_text("\xf0\x9f\x9b\x92"));
}

TEST(ConfigLoader, NegativeNumberForUnsignedIsATypeError) {
  const ConfigError e = load_error("inner: {count: -3}");
  EXPECT_NE(e.problem().find("found '-3'"), std::string::npos) << e.what();
}

// Regression: seeds of 2^63 and above were refused as "expected an integer".
TEST(ConfigLoader, SeedsOfTwoToTheSixtyThreeAndAboveAreIntegers) {
  EXPECT_EQ(load("seed: 9223372036854775808").seed, std::uint64_t{1} << 63);
  EXPECT_EQ(load("seed: 18_446_744_073_709_551_615").seed, std::numeric_limits<std::uint64_t>::max());
  EXPECT_NE(load_error("seed: 18446744073709551616")
                .problem()
                .find("expected an integer in [0, 18446744073709551615], found '18446744073709551616'"),
            std::string::npos);
  EXPECT_NE(load_error("inner: {count: 9223372036854775808}").problem().find("expected an integer in [1, 100]"),
            std::string::npos);
}

TEST(ConfigLoader, OutOfRangeSaysTheRange) {
  const ConfigError e = load_error("rate: 1.5\n");
  EXPECT_EQ(e.where().line, 1);
  EXPECT_EQ(e.where().column, 7);
  EXPECT_NE(e.problem().find("expected a number in [0, 1], found 1.5"), std::string::npos) << e.what();
}

TEST(ConfigLoader, BadChoiceSuggestsTheNearest) {
  const ConfigError e = load_error("colour: gren\n");
  EXPECT_NE(e.problem().find("one of 'red', 'green'"), std::string::npos) << e.what();
  EXPECT_NE(e.problem().find("did you mean 'green'"), std::string::npos) << e.what();
}

TEST(ConfigLoader, BrokenSyntaxGivesLineAndColumn) {
  const ConfigError e = load_error("seed: 1\nitems: [1, 2\nrate: 0.5\n");
  EXPECT_EQ(e.where().file, "example.yaml");
  EXPECT_GT(e.where().line, 1);
  EXPECT_GT(e.where().column, 0);
  EXPECT_NE(e.problem().find("invalid YAML"), std::string::npos) << e.what();
}

// Regression (issue #13, fault 5): yaml-cpp took an unclosed quote and the
// rest of the file as one string, so `name: 't` swallowed every key after it.
TEST(ConfigLoader, AnUnclosedQuoteIsRefusedAtItsLine) {
  for (const char* yaml :
       {"seed: 2\ncolour: 'red\nrate: 0.5\n", "seed: 2\ncolour: \"red\nrate: 0.5\n", "seed: 2\ncolour: 'red"}) {
    const ConfigError e = load_error(yaml);
    EXPECT_EQ(e.where().line, 2) << yaml;
    EXPECT_NE(e.problem().find("invalid YAML"), std::string::npos) << e.what();
  }
}

TEST(ConfigLoader, QuotedStringsOverLinesAndWithEscapedQuotesAreFine) {
  EXPECT_NO_THROW(Document::from_string("a: 'r''e\n  d'\nb: 3\n", "t.yaml"));
  EXPECT_NO_THROW(Document::from_string("a: \"r\\\"ed\"\nb: 4\n", "t.yaml"));
  EXPECT_NO_THROW(Document::from_string("a: \"it's\"\nb: 'say \"hi\"'\n", "t.yaml"));
}

// Regression (issue #13, fault 11): a second document was silently ignored.
TEST(ConfigLoader, ASecondDocumentIsRefusedAtItsLine) {
  const ConfigError e = load_error("seed: 1\n---\nrate: 0.5\n");
  EXPECT_EQ(e.where().file, "example.yaml");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_NE(e.problem().find("second YAML document"), std::string::npos) << e.what();
}

// Regression (issue #13, fault 10): an unbounded input was read whole, and ended in std::bad_alloc.
// Regression: a config nesting some 500 levels deep was refused as "invalid YAML: bad file" (yaml-cpp's words).
TEST(ConfigLoader, NestingTooDeepIsRefusedAtItsLine) {
  const auto nested = [](int levels) { return std::string(levels, '[') + std::string(levels, ']'); };
  for (const int levels : {63, 1000}) {  // with the two maps around them, 65 levels and more
    const ConfigError e = load_error("seed: 1\ninner:\n  count: " + nested(levels) + "\n");
    EXPECT_EQ(e.where().line, 3) << e.what();
    EXPECT_EQ(e.problem(), "maps and lists nest more than 64 levels deep; a scenario needs a few") << e.what();
  }
  EXPECT_NE(load_error("inner:\n  count: " + nested(62) + "\n").problem().find("expected an integer"),
            std::string::npos);
  EXPECT_EQ(load_error("", {"inner.count=" + nested(65)}).where().file, "--set inner.count=" + nested(65));
}

TEST(ConfigLoader, AConfigOverTheSizeLimitIsRefusedUnread) {
  const auto path = std::filesystem::temp_directory_path() / ("flywheel_big_config_" + std::to_string(::getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    const std::string comment(1023, '#');
    for (std::size_t i = 0; i <= (max_config_bytes >> 10); ++i) out << comment << '\n';
  }
  try {
    Document::from_file(path.string());
    ADD_FAILURE() << "a config over " << max_config_bytes << " bytes was read";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.problem().find("larger than 16 MiB"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(ConfigLoader, ListItemErrorsNameTheItem) {
  const ConfigError e = load_error("items:\n  - {name: a}\n  - {name: b, weight: 11}\n");
  EXPECT_EQ(e.key_path(), "items[1].weight");
  EXPECT_EQ(e.where().line, 3);
}

TEST(ConfigLoader, MapWhereAScalarBelongsIsATypeError) {
  const ConfigError e = load_error("rate: {a: 1}\n");
  EXPECT_NE(e.problem().find("found a map"), std::string::npos) << e.what();
}

TEST(ConfigLoader, ConsistencyRuleIsLocatedAtItsKey) {
  const ConfigError e = load_error("rate: 0.95\ninner: {count: 1}\n");
  EXPECT_EQ(e.key_path(), "rate");
  EXPECT_EQ(e.where().line, 1);
}

TEST(ConfigOverrides, ApplyBeforeValidation) {
  const Example e = load("rate: 0.2\nitems: [{name: item}]\n",
                         {"rate=0.3", "inner.count=7", "items.0.weight=4", "items.item.name=x"});
  EXPECT_DOUBLE_EQ(e.rate, 0.3);
  EXPECT_EQ(e.inner.count, 7u);
  EXPECT_DOUBLE_EQ(e.items[0].weight, 4.0);
  EXPECT_EQ(e.items[0].name, "x");
}

TEST(ConfigOverrides, IndexingAListTheFileDoesNotHaveIsAnError) {
  const ConfigError e = load_error("", {"items.0.weight=4"});
  EXPECT_NE(e.problem().find("not a list in the config"), std::string::npos) << e.what();
}

TEST(ConfigOverrides, CreateMissingSections) { EXPECT_EQ(load("", {"inner.count=3"}).inner.count, 3u); }

TEST(ConfigOverrides, BadValueIsBlamedOnTheOverride) {
  const ConfigError e = load_error("rate: 0.2\n", {"rate=2"});
  EXPECT_EQ(e.where().file, "--set rate=2");
  EXPECT_EQ(e.key_path(), "rate");
}

TEST(ConfigOverrides, TheBlamedOverrideCarriesItsIndex) {
  EXPECT_EQ(load_error("", {"inner.count=3", "rate=2", "inner.count=4"}).where().override_index, 1u);
  EXPECT_EQ(load_error("", {"rate=0.1", "inner.count=3", "items.0.weight=4"}).where().override_index, 2u);
  EXPECT_EQ(load_error("", {"rate=0.1", "inner.count=[1"}).where().override_index, 1u);
  EXPECT_EQ(load_error("rate: 2\n", {"inner.count=3"}).where().override_index, std::nullopt);
}

TEST(ConfigOverrides, UnknownKeyIsBlamedOnTheOverride) {
  const ConfigError e = load_error("", {"inner.cont=2"});
  EXPECT_EQ(e.where().file, "--set inner.cont=2");
  EXPECT_NE(e.problem().find("did you mean 'count'"), std::string::npos) << e.what();
}

// Regression: an unknown key inside a map that the override made (`--set nope.x=1`) was blamed on the config file.
TEST(ConfigOverrides, AnUnknownKeyInAMapTheOverrideMadeIsBlamedOnTheOverride) {
  const ConfigError top = load_error("rate: 0.2\n", {"rate=0.1", "nope.x=1"});
  EXPECT_EQ(top.where().file, "--set nope.x=1");
  EXPECT_EQ(top.where().override_index, 1u);
  EXPECT_EQ(top.key_path(), "nope");
  const ConfigError inner = load_error("inner: {count: 3}\n", {"inner.cont.x.y=2"});
  EXPECT_EQ(inner.where().file, "--set inner.cont.x.y=2");
  EXPECT_EQ(inner.key_path(), "inner.cont");
  EXPECT_EQ(load_error("items: [{name: a}]\n", {"items.a.wieght.x=1"}).where().file, "--set items.a.wieght.x=1");
}

TEST(ConfigOverrides, MalformedAssignmentsAreRejected) {
  EXPECT_THROW(load("", {"rate"}), ConfigError);
  EXPECT_THROW(load("", {"=3"}), ConfigError);
  EXPECT_THROW(load("", {"items.5.weight=1"}), ConfigError);
  EXPECT_THROW(load("", {"rate..x=1"}), ConfigError);
}

TEST(ConfigEmitter, RoundTripsTheResolvedConfig) {
  Example e = load("seed: 9\nrate: 0.1\ncolour: green\ninner: {count: 4}\nitems: [{name: q, weight: 0.3}]\n");
  const std::string yaml = Emitter::to_yaml(e);
  const Example back = load(yaml);
  EXPECT_EQ(back.seed, 9u);
  EXPECT_DOUBLE_EQ(back.rate, 0.1);
  EXPECT_EQ(back.colour, Colour::green);
  EXPECT_EQ(back.inner.count, 4u);
  ASSERT_EQ(back.items.size(), 1u);
  EXPECT_DOUBLE_EQ(back.items[0].weight, 0.3);
}

TEST(ConfigLister, ListsEveryFieldWithDefaultAndBounds) {
  const auto rows = Lister::list_all(Example{});
  ASSERT_GE(rows.size(), 7u);
  EXPECT_EQ(rows[1].path, "rate");
  EXPECT_EQ(rows[1].default_value, "0.5");
  EXPECT_EQ(rows[1].bounds, "in [0, 1]");
  bool found = false;
  for (const auto& r : rows) found = found || r.path == "items[].weight";
  EXPECT_TRUE(found);
}

TEST(ConfigFiles, MissingFileIsAConfigErrorNamingIt) {
  try {
    Document::from_file("/nonexistent/flywheel.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, "/nonexistent/flywheel.yaml");
  }
}

// Found by tests/fuzz/config_fuzz.cpp: a map that merges itself hung the loader, and a redefined
// anchor inside itself made yaml-cpp read uninitialised memory.
TEST(ConfigLoader, AnAliasToACollectionThatContainsItIsAConfigError) {
  const ConfigError e = load_error("inner: &a\n  <<: *a\n  count: 3\n");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_NE(e.problem().find("(a cycle)"), std::string::npos) << e.what();
  EXPECT_THROW(load("inner: &a\n  <<: *a\n  counts: &a\n  <<: *a\ntrue: 0\n: 0\n"), ConfigError);
  EXPECT_THROW(load("items: &l [*l]\n"), ConfigError);
  EXPECT_EQ(load("items: [&i {name: a}, *i]\n").items.size(), 2u);  // an alias after its anchor closed: fine
}

// Merges that share maps are searched once each, not once per path (2^30 paths here).
TEST(ConfigLoader, SharedMergesTakeLinearTime) {
  std::string yaml = "m0: &m0 {count: 2}\n";
  for (int i = 1; i <= 30; ++i)
    yaml += "m" + std::to_string(i) + ": &m" + std::to_string(i) + " {<<: [*m" + std::to_string(i - 1) + ", *m" +
            std::to_string(i - 1) + "]}\n";
  yaml += "inner: {<<: *m30}\n";
  EXPECT_NE(load_error(yaml).problem().find("unknown key 'm0'"), std::string::npos);
  yaml.replace(yaml.rfind("inner"), std::string::npos, "inner: {<<: *m30, flag: maybe}\n");
  EXPECT_EQ(load_error(yaml).key_path(), "inner.flag");
}

// Regression: merging exactly 64 maps was refused as "more than 64", and the 64th was not searched.
TEST(ConfigLoader, MergingExactlySixtyFourMapsIsAllowed) {
  const auto merging = [](int maps) {
    std::string yaml = "inner: {<<: [";
    for (int i = 1; i < maps; ++i) yaml += "{}, ";
    return yaml + "{count: 7}]}\n";
  };
  EXPECT_EQ(load(merging(64)).inner.count, 7u);
  EXPECT_NE(load_error(merging(65)).problem().find("bring in more than 64 maps"), std::string::npos);
}

TEST(ConfigFiles, ADirectoryIsAConfigErrorNamingIt) {
  try {
    Document::from_file("/tmp");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.what(), std::string("/tmp: is a directory, not a config file"));
  }
}

TEST(ConfigOverrides, AnIndexTooLargeForAnyListIsAConfigError) {
  EXPECT_THROW(load("items: [{name: a}]", {"items.99999999999999999999999.weight=1"}), ConfigError);
}

TEST(ConfigOverrides, AValueThatContainsItselfIsAConfigError) {
  EXPECT_THROW(load("", {"inner=&a [*a]"}), ConfigError);
}

struct Counts {
  std::uint32_t count = 5;
  template <class V>
  void visit(V& v) {
    v.renamed("number", "count");
    v.field("count", count, "count", between(1u, 100u));
  }
};

struct Flags {
  bool flag = false;
  template <class V>
  void visit(V& v) {
    v.field("flag", flag, "flag");
  }
};

struct WithRenames {
  Counts counts;
  Flags flags;
  std::vector<Counts> list = {Counts{}};
  template <class V>
  void visit(V& v) {
    v.renamed("counts.flag", "flags.flag");  // moved to another section: checked before `counts` is read
    v.section("counts", counts, "counts");
    v.section("flags", flags, "flags");
    v.list("list", list, "list");
  }
};

ConfigError renamed_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  Document doc = Document::from_string(yaml, "renamed.yaml");
  for (const auto& o : overrides) doc.apply_override(o);
  WithRenames w;
  try {
    Loader::load(doc, w);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << yaml;
  return ConfigError({}, "", "");
}

TEST(ConfigRenamed, AnOldKeyNamesTheFileLineKeyAndNewKey) {
  const ConfigError e = renamed_error("flags: {}\ncounts:\n  number: 3\n");
  EXPECT_EQ(e.where().file, "renamed.yaml");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "counts.number");
  EXPECT_EQ(e.problem(), "renamed to counts.count");
  EXPECT_NE(std::string(e.what()).find("renamed.yaml:3"), std::string::npos) << e.what();
}

TEST(ConfigRenamed, AKeyMovedToAnotherSectionNamesItsNewPlace) {
  const ConfigError e = renamed_error("counts:\n  count: 2\n  flag: true\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "counts.flag");
  EXPECT_EQ(e.problem(), "renamed to flags.flag");
}

TEST(ConfigRenamed, AnOldKeyInAListItemNamesTheItem) {
  const ConfigError e = renamed_error("list:\n  - {count: 1}\n  - {number: 2}\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.key_path(), "list[1].number");
  EXPECT_EQ(e.problem(), "renamed to list[1].count");
}

TEST(ConfigRenamed, AnOldKeyInAnOverrideIsBlamedOnTheOverride) {
  const ConfigError e = renamed_error("counts: {count: 2}\n", {"counts.number=3"});
  EXPECT_EQ(e.where().file, "--set counts.number=3");
  EXPECT_EQ(e.key_path(), "counts.number");
  EXPECT_EQ(e.problem(), "renamed to counts.count");
  const ConfigError moved = renamed_error("", {"counts.flag=true"});
  EXPECT_EQ(moved.where().file, "--set counts.flag=true");
  EXPECT_EQ(moved.problem(), "renamed to flags.flag");
}

TEST(ConfigRenamed, NewKeysLoadAndOldOnesAreNeitherWrittenNorListed) {
  Document doc = Document::from_string("counts: {count: 3}\nflags: {flag: true}\n", "renamed.yaml");
  WithRenames w;
  Loader::load(doc, w);
  EXPECT_EQ(w.counts.count, 3u);
  EXPECT_TRUE(w.flags.flag);
  EXPECT_EQ(Emitter::to_yaml(w).find("number"), std::string::npos);
  for (const auto& row : Lister::list_all(WithRenames{})) EXPECT_EQ(row.path.find("number"), std::string::npos);
}

}  // namespace
}  // namespace flywheel::config
