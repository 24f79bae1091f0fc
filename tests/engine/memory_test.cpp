// The memory probe's parsers and its override (engine/memory.hpp).

#include "flywheel/engine/memory.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace flywheel::memory {
namespace {

TEST(Memory, ReadsMemAvailableInBytes) {
  const std::string meminfo = "MemTotal:       32000000 kB\nMemFree:         1000 kB\nMemAvailable:   23312288 kB\n";
  EXPECT_EQ(detail::meminfo_value(meminfo, "MemAvailable"), std::uint64_t{23312288} * 1024);
  EXPECT_EQ(detail::meminfo_value(meminfo, "MemFree"), std::uint64_t{1000} * 1024);
  EXPECT_EQ(detail::meminfo_value(meminfo, "SwapFree"), std::nullopt);
}

TEST(Memory, CgroupLimitsOfMaxOrNoLimitAreNone) {
  EXPECT_EQ(detail::cgroup_limit("max\n"), std::nullopt);
  EXPECT_EQ(detail::cgroup_limit("9223372036854771712\n"), std::nullopt);  // v1's "unlimited"
  EXPECT_EQ(detail::cgroup_limit("2147483648\n"), std::uint64_t{2147483648});
}

TEST(Memory, FindsTheMemoryCgroupOfV1AndV2) {
  const std::string v1 = "5:devices:/\n4:memory:/process_api/6a1d\n0::/\n";
  EXPECT_EQ(detail::cgroup_path(v1, false), "/process_api/6a1d");
  EXPECT_EQ(detail::cgroup_path(v1, true), "");
  EXPECT_EQ(detail::cgroup_path("0::/user.slice/session-1.scope\n", true), "/user.slice/session-1.scope");
}

// NOLINTBEGIN(concurrency-mt-unsafe): these tests set the environment while no other thread runs
TEST(Memory, TheOverrideReplacesTheProbe) {
  ::setenv(override_variable, "123456", 1);
  const auto a = available();
  ::unsetenv(override_variable);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->bytes, 123456u);
  EXPECT_EQ(a->source, override_variable);
}

TEST(Memory, AMalformedOverrideIsARunError) {
  ::setenv(override_variable, "12 GB", 1);
  EXPECT_THROW(static_cast<void>(available()), RunError);
  ::unsetenv(override_variable);
}
// NOLINTEND(concurrency-mt-unsafe)

TEST(Memory, TheProbeFindsSomethingOnLinux) {
  const auto a = available();
  ASSERT_TRUE(a.has_value());
  EXPECT_GT(a->bytes, 0u);
}

TEST(Memory, HumanBytes) {
  EXPECT_EQ(human_bytes(512), "512 bytes");
  EXPECT_EQ(human_bytes(1000000), "976.6 KiB");
  EXPECT_EQ(human_bytes(std::uint64_t{3} << 29), "1.50 GiB");
}

}  // namespace
}  // namespace flywheel::memory
