#include "flywheel/engine/h5/sealed_file.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include "flywheel/engine/fnv1a.hpp"
#include "flywheel/engine/h5/handle.hpp"

namespace flywheel::h5 {
namespace {

constexpr std::size_t trailer_size = 16 + 3 * 8;  // magic, version, bytes before it, their FNV-1a

std::uint64_t read_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
}

/// FNV-1a of the next `bytes` bytes of `in`; false if it holds fewer.
bool hash_stream(std::ifstream& in, std::uint64_t bytes, Fnv1a& sum) {
  std::vector<char> buffer(1 << 20);
  while (bytes > 0) {
    const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(bytes, buffer.size()));
    if (!in.read(buffer.data(), n)) return false;
    sum.add(buffer.data(), static_cast<std::size_t>(n));
    bytes -= static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

void seal(const std::string& path, const SealKind& kind) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  Fnv1a sum;
  if (!in || !hash_stream(in, size, sum)) throw Error("reading it back failed");
  std::string trailer(kind.magic.begin(), kind.magic.end());
  put_u64(trailer, static_cast<std::uint64_t>(kind.version));
  put_u64(trailer, size);
  put_u64(trailer, sum.value());
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(trailer.data(), static_cast<std::streamsize>(trailer.size()));
  out.close();
  if (!out) throw Error("appending its trailer failed");
}

std::string seal_problem(const std::string& path, const SealKind& kind) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "it cannot be opened";
  const auto size = static_cast<std::uint64_t>(in.tellg());
  std::array<char, trailer_size> trailer{};
  if (size >= trailer_size) {
    in.seekg(static_cast<std::streamoff>(size - trailer_size));
    in.read(trailer.data(), trailer_size);
  }
  const std::string name(kind.name);
  if (size < trailer_size || !in || !std::equal(kind.magic.begin(), kind.magic.end(), trailer.begin()))
    return "it is not a flywheel " + name + ", or it is truncated (no " + name + " trailer at its end)";
  if (const std::uint64_t v = read_u64(trailer.data() + 16); v != static_cast<std::uint64_t>(kind.version))
    return "it is of " + std::string(kind.version_name) + " " + std::to_string(v) + "; this flywheel reads version " +
           std::to_string(kind.version);
  if (read_u64(trailer.data() + 24) != size - trailer_size)
    return "it is truncated or has bytes added (its length is not the one its trailer records)";
  in.seekg(0);
  Fnv1a sum;
  if (!hash_stream(in, size - trailer_size, sum) || sum.value() != read_u64(trailer.data() + 32))
    return "its checksum does not match: the file is damaged";
  return {};
}

}  // namespace flywheel::h5
