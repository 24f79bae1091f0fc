#include "flywheel/app/preflight.hpp"

#include <fmt/core.h>

#include "flywheel/engine/memory.hpp"
#include "flywheel/runtime/memory_estimate.hpp"

namespace flywheel::app {

void check_memory(const market::Scenario& scenario, const std::string& config, bool writes_output) {
  const runtime::MemoryEstimate e = runtime::estimate_memory(scenario);
  const std::uint64_t needed = writes_output ? e.total() : e.total() - e.output_bytes;
  const auto available = memory::available();
  if (!available || needed <= available->bytes) return;
  throw memory::InsufficientMemory(fmt::format(
      "{}: the run needs about {} (customers {}, market {}, intent buffers {}, output buffers {}, runtime {}) but "
      "only {} is available ({}); make the scenario smaller (`flywheel validate` shows where the memory goes), or "
      "pass --force to run anyway",
      config, memory::human_bytes(needed), memory::human_bytes(e.customer_bytes), memory::human_bytes(e.market_bytes),
      memory::human_bytes(e.intent_buffer_bytes), memory::human_bytes(writes_output ? e.output_bytes : 0),
      memory::human_bytes(e.runtime_bytes), memory::human_bytes(available->bytes), available->source));
}

}  // namespace flywheel::app
