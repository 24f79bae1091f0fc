// The command line as a user meets it: exit codes and messages of `flywheel`.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int status;
  std::string output;
};

Result flywheel(const std::string& args) {
  const std::string command = std::string(FLYWHEEL_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (pipe != nullptr && std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int raw = pipe != nullptr ? pclose(pipe) : -1;
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out};
}

std::string data(const std::string& name) { return std::string(FLYWHEEL_TEST_DATA) + "/" + name; }

TEST(Cli, VersionPrintsTheVersion) {
  const Result r = flywheel("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("flywheel 0."), std::string::npos) << r.output;
}

TEST(Cli, HelpWorksForEveryCommand) {
  for (const std::string cmd : {"", "run ", "resume ", "validate ", "info "}) {
    const Result r = flywheel(cmd + "--help");
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << r.output;
  }
}

TEST(Cli, ValidateReportsBytesPerCustomer) {
  const Result r = flywheel("validate " + data("tiny.yaml"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("bytes of state per customer"), std::string::npos) << r.output;
}

struct BadConfig {
  const char* file;
  const char* location;  // file:line:column
  const char* message;
};

void PrintTo(const BadConfig& bad, std::ostream* os) { *os << bad.file; }

class CliBadConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(CliBadConfig, ValidateGivesOneClearErrorAndExits2) {
  const auto& bad = GetParam();
  const Result r = flywheel("validate " + data(std::string("bad/") + bad.file));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(bad.location), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(bad.message), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << "one line: " << r.output;
}

TEST_P(CliBadConfig, RunRefusesBeforeAnyWork) {
  const auto& bad = GetParam();
  const Result r = flywheel("run " + data(std::string("bad/") + bad.file));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output.find("ran '"), std::string::npos) << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CliBadConfig,
    ::testing::Values(BadConfig{"unknown_key.yaml", "unknown_key.yaml:3:3", "did you mean 'count'?"},
                      BadConfig{"wrong_type.yaml", "wrong_type.yaml:2:10", "expected an integer"},
                      BadConfig{"out_of_range.yaml", "out_of_range.yaml:3:16",
                                "expected a number in [0, 0.99], found 1.5"},
                      BadConfig{"broken_syntax.yaml", "broken_syntax.yaml:3:", "invalid YAML"},
                      BadConfig{"inconsistent.yaml", "inconsistent.yaml:3:11", "must not exceed market.categories"}),
    [](const ::testing::TestParamInfo<BadConfig>& param) {
      std::string name = param.param.file;
      return name.substr(0, name.find('.'));
    });

TEST(Cli, MissingConfigFileIsNamed) {
  const Result r = flywheel("validate /nonexistent.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent.yaml: cannot open"), std::string::npos) << r.output;
}

TEST(Cli, SetOverrideErrorsNameTheOverride) {
  const Result r = flywheel("validate " + data("tiny.yaml") + " --set customers.count=-1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--set customers.count=-1"), std::string::npos) << r.output;
}

TEST(Cli, RunPrintsASummary) {
  const Result r = flywheel("run " + data("tiny.yaml") + " --threads 2 --ticks 10 --set customers.count=3000 -o none");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ran 'tiny' for 10 ticks"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("of 3000 customers"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output: none"), std::string::npos) << r.output;
}

TEST(Cli, AnUnwritableOutputStopsTheRunBeforeItStarts) {
  const Result r = flywheel("run " + data("tiny.yaml") + " -o /nonexistent-directory/run.h5");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output,
            "flywheel: error: cannot create the output file '/nonexistent-directory/run.h5': its directory "
            "'/nonexistent-directory' does not exist\n");
}

TEST(Cli, InfoOnAMissingFileIsOneClearError) {
  const Result r = flywheel("info /nonexistent-directory/run.h5");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("cannot open '/nonexistent-directory/run.h5' as an HDF5 file"), std::string::npos)
      << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST(Cli, UnknownOptionExits2) { EXPECT_EQ(flywheel("run --bogus x.yaml").status, 2); }

TEST(Cli, RunWithoutConfigOrCheckpointExits2) {
  const Result r = flywheel("run --ticks 3");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("needs a scenario file (CONFIG), or --from CHECKPOINT.h5"), std::string::npos) << r.output;
}

TEST(Cli, ResumeOfAMissingCheckpointIsOneClearError) {
  const Result r = flywheel("resume /nonexistent-directory/run.checkpoint.h5");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output,
            "flywheel: error: checkpoint '/nonexistent-directory/run.checkpoint.h5' cannot be used: no such file\n");
}

TEST(Cli, ARunWithoutOutputCanBeCheckpointedAndResumed) {
  const std::string checkpoint = ::testing::TempDir() + "/flywheel_cli_no_output.checkpoint.h5";
  Result r =
      flywheel("run " + data("tiny.yaml") + " --ticks 10 -o none --checkpoint " + checkpoint + " --stop-after 4");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("stopped after 4 of 10 ticks, as asked; resume with: flywheel resume"), std::string::npos)
      << r.output;
  r = flywheel("resume " + checkpoint);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ran 'tiny' for 6 ticks"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output: none"), std::string::npos) << r.output;
  std::remove(checkpoint.c_str());
}

}  // namespace

namespace {

// The same rows in JSON and YAML, filtered by a part of the key.
TEST(Cli, ParamsPrintsJsonOrYamlForTheKeysAsked) {
  const Result json = flywheel("params --format json take_rate ranker.exploration");
  ASSERT_EQ(json.status, 0) << json.output;
  const auto rows = nlohmann::json::parse(json.output);
  ASSERT_GE(rows.size(), 3u);
  for (const auto& row : rows) {
    const auto key = row.at("key").get<std::string>();
    EXPECT_TRUE(key.find("take_rate") != std::string::npos || key.find("ranker.exploration") != std::string::npos)
        << key;
  }
  EXPECT_EQ(rows.front().at("key"), "platforms[].take_rate");
  EXPECT_EQ(rows.front().at("default"), "0.15");
  const Result yaml = flywheel("params --format yaml take_rate ranker.exploration");
  ASSERT_EQ(yaml.status, 0) << yaml.output;
  const YAML::Node list = YAML::Load(yaml.output);
  ASSERT_EQ(list.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(list[i]["key"].as<std::string>(), rows[i].at("key").get<std::string>());
    EXPECT_EQ(list[i]["meaning"].as<std::string>(), rows[i].at("meaning").get<std::string>());
  }
  EXPECT_NE(flywheel("params --format csv").status, 0);
}

TEST(Cli, EveryParameterIsDocumentedInModelMd) {
  const Result r = flywheel("params");
  ASSERT_EQ(r.status, 0);
  std::ifstream doc(FLYWHEEL_DOCS "/model.md");
  const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  std::istringstream rows(r.output);
  std::string row;
  int n = 0;
  while (std::getline(rows, row)) {
    if (row.rfind("| `", 0) != 0) continue;
    ++n;
    EXPECT_NE(text.find(row), std::string::npos)
        << "docs/model.md lacks or differs on: " << row << "\n(regenerate the table with `flywheel params`)";
  }
  EXPECT_GT(n, 50);
  // And it lists nothing else: the table, to the end of the page, is exactly what `flywheel params` prints.
  const auto table = text.find("| key | default | allowed | meaning |");
  ASSERT_NE(table, std::string::npos);
  EXPECT_EQ(text.substr(table), r.output) << "docs/model.md's parameter table is not `flywheel params`'s output";
}

}  // namespace
