// libFuzzer target of the checkpoint reader: runtime::read_checkpoint must
// throw CheckpointError (or accept the file) for any bytes, never crash, hang
// or leak. Seeds: tests/fuzz/corpus/checkpoint/ (small real checkpoints).
//
// Two modes. By default the bytes are the file as given, so almost every
// mutation is caught by the checksum in the trailer before HDF5 parses
// anything: this checks that guard. With FLYWHEEL_FUZZ_SEAL=1 the target
// first appends a valid trailer to the bytes (HDF5 ignores what follows its
// data), so mutations reach HDF5 and the reader's own validation of types,
// lengths and indices: this checks the layer under the guard, and HDF5 itself.

#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "flywheel/engine/fnv1a.hpp"
#include "flywheel/runtime/checkpoint.hpp"

namespace {

/// The trailer save_checkpoint appends (h5::seal, engine/src/h5/sealed_file.cpp):
/// magic, checkpoint_version, length of what precedes it, FNV-1a of that.
std::string trailer_for(const std::uint8_t* data, std::size_t size) {
  flywheel::Fnv1a sum;
  sum.add(data, size);
  const std::uint64_t hash = sum.value();
  std::string t("FLYWHEEL-CKPT\0\0\0", 16);
  for (const std::uint64_t v :
       {static_cast<std::uint64_t>(flywheel::runtime::checkpoint_version), static_cast<std::uint64_t>(size), hash})
    for (int i = 0; i < 8; ++i) t.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
  return t;
}

const std::string& temp_path() {
  static const std::string path = "/tmp/flywheel_checkpoint_fuzz_" + std::to_string(::getpid()) + ".ckpt";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool seal = std::getenv("FLYWHEEL_FUZZ_SEAL") != nullptr;
  const std::string& path = temp_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);
  if (seal) {
    const std::string trailer = trailer_for(data, size);
    std::fwrite(trailer.data(), 1, trailer.size(), f);
  }
  std::fclose(f);
  try {
    const auto checkpoint = flywheel::runtime::read_checkpoint(path);
    // Accepted: the state must be whole enough to build a market from.
    static_cast<void>(flywheel::runtime::restore_market(checkpoint, checkpoint.scenario, flywheel::Execution::serial));
  } catch (const flywheel::runtime::CheckpointError&) {
    // The documented refusal: one message naming the file and the problem.
  }
  std::remove(path.c_str());
  return 0;
}
