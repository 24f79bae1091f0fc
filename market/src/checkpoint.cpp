#include "flywheel/market/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <new>
#include <span>
#include <type_traits>

#include <fmt/chrono.h>
#include <fmt/core.h>

#include "flywheel/engine/h5/array.hpp"
#include "flywheel/engine/h5/attributes.hpp"
#include "flywheel/engine/h5/file.hpp"
#include "flywheel/engine/version.hpp"

namespace flywheel::market {
namespace detail {

/// One shard's state between ticks. Not saved: shown offers and their
/// counts (ranked afresh before each match), births and exits (emptied in
/// the tick that fills them), scratch buffers, and the group index (rebuilt
/// by reorder()).
struct ShardState {
  SellerRows sellers;
  OfferRows offers;
  std::vector<CategorySignal> signals;
  std::vector<agents::PlatformTally> tally;  // entries counted by the entry phase, booked next tick
  std::uint32_t serial = 0;
};

/// One platform's state between ticks: its levers, books and history.
struct PlatformState {
  std::vector<double> levers_and_books;  // in the order of platform_doubles
  std::int64_t active_customers = 0;
  std::int64_t members = 0;
  std::vector<double> history;
  std::uint64_t days_seen = 0;
};

/// Everything a Market carries from one tick to the next.
struct MarketState {
  agents::Customers customers;
  std::vector<float> satisfaction;
  std::vector<PlatformState> platforms;
  std::vector<ShardState> shards;
  Tick tick = 0;
  std::uint64_t intents_matched = 0;
  MarketDay today;
};

struct CheckpointAccess {
  static std::unique_ptr<MarketState> capture(const Market& m);
  static void apply(Market& m, const MarketState& s, const Scenario& parent);
};

}  // namespace detail

namespace {

using agents::Platform;
using agents::PlatformDay;
using agents::PlatformTally;
using detail::MarketState;
using detail::PlatformState;
using detail::ShardState;

constexpr const char* random_streams_note =
    "Random streams are counter-based (Random123 Philox keyed by seed, tick, entity and purpose): there is no "
    "generator state, and a resumed or branched run draws what the uninterrupted one would.";

constexpr std::uint64_t max_rows = std::uint64_t{1} << 32;  // seller and offer slots are 32-bit

// Platform levers and books, by name, in the order they are saved.
constexpr std::array<std::pair<const char*, double Platform::*>, 13> platform_doubles{{
    {"take_rate", &Platform::take_rate},
    {"fulfilment_fee", &Platform::fulfilment_fee},
    {"first_party_markup", &Platform::first_party_markup},
    {"delivery_investment", &Platform::delivery_investment},
    {"marketing_spend", &Platform::marketing_spend},
    {"membership_fee", &Platform::membership_fee},
    {"shipping_fee", &Platform::shipping_fee},
    {"payout_share", &Platform::payout_share},
    {"cash", &Platform::cash},
    {"capital", &Platform::capital},
    {"delivery_days", &Platform::delivery_days},
    {"fulfilment_unit_cost", &Platform::fulfilment_unit_cost},
    {"fulfilled_units_total", &Platform::fulfilled_units_total},
}};

/// Calls f(name, member pointer) for every field of a PlatformTally.
template <class F>
void tally_fields(F&& f) {
  f("visits", &PlatformTally::visits), f("orders", &PlatformTally::orders),
      f("failed_searches", &PlatformTally::failed_searches), f("units_1p", &PlatformTally::units_1p),
      f("units_3p", &PlatformTally::units_3p), f("units_fulfilled", &PlatformTally::units_fulfilled),
      f("gmv", &PlatformTally::gmv), f("price_index_sum", &PlatformTally::price_index_sum),
      f("value_3p", &PlatformTally::value_3p), f("fee_revenue", &PlatformTally::fee_revenue),
      f("fulfilment_fee_revenue", &PlatformTally::fulfilment_fee_revenue),
      f("shipping_revenue", &PlatformTally::shipping_revenue),
      f("first_party_sales", &PlatformTally::first_party_sales),
      f("first_party_stock_cost", &PlatformTally::first_party_stock_cost),
      f("ranker_abs_error", &PlatformTally::ranker_abs_error), f("ranked_offers", &PlatformTally::ranked_offers),
      f("sellers_1p", &PlatformTally::sellers_1p), f("sellers_3p", &PlatformTally::sellers_3p),
      f("offers", &PlatformTally::offers), f("entries", &PlatformTally::entries), f("exits", &PlatformTally::exits),
      f("active_delta", &PlatformTally::active_delta), f("member_delta", &PlatformTally::member_delta);
}

/// Calls f(name, member pointer) for every field of a PlatformDay but its tally.
template <class F>
void day_fields(F&& f) {
  f("active_customers", &PlatformDay::active_customers), f("members", &PlatformDay::members),
      f("membership_revenue", &PlatformDay::membership_revenue), f("revenue", &PlatformDay::revenue),
      f("fulfilment_cost", &PlatformDay::fulfilment_cost), f("fixed_cost", &PlatformDay::fixed_cost),
      f("delivery_investment", &PlatformDay::delivery_investment), f("marketing_spend", &PlatformDay::marketing_spend),
      f("operating_profit", &PlatformDay::operating_profit), f("payout", &PlatformDay::payout),
      f("cash", &PlatformDay::cash), f("take_rate", &PlatformDay::take_rate),
      f("fulfilment_fee", &PlatformDay::fulfilment_fee), f("first_party_markup", &PlatformDay::first_party_markup),
      f("membership_fee", &PlatformDay::membership_fee), f("shipping_fee", &PlatformDay::shipping_fee),
      f("payout_share", &PlatformDay::payout_share), f("delivery_days", &PlatformDay::delivery_days),
      f("fulfilment_unit_cost", &PlatformDay::fulfilment_unit_cost), f("market_share", &PlatformDay::market_share);
}

/// FNV-1a over everything saved, in the order it is saved: a damaged value
/// that HDF5's metadata checksums cannot see (raw data has none) is caught.
class Checksum {
 public:
  void add(const void* data, std::size_t bytes) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) hash_ = (hash_ ^ p[i]) * 0x100000001b3ULL;
  }
  void add(const std::string& text) noexcept {
    const std::uint64_t n = text.size();
    add(&n, sizeof n);
    add(text.data(), text.size());
  }
  [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", hash_); }
  [[nodiscard]] std::uint64_t value() const noexcept { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

/// Writes arrays into groups of a file; the same walk as Reader.
class Writer {
 public:
  static constexpr bool reading = false;
  Writer(hid_t root, Checksum& sum) : groups_{root}, sum_(sum) {}

  template <class T>
  void array(const std::string& name, std::vector<T>& values, std::uint64_t /*length*/) {
    sum_.add(name);
    sum_.add(values.data(), values.size() * sizeof(T));
    h5::write_array(groups_.back(), name, std::span<const T>(values));
  }
  template <class T>
  void scalar(const std::string& name, T& value) {
    std::vector<T> one{value};
    array(name, one, 1);
  }
  template <class F>
  void group(const std::string& name, F&& body) {
    const h5::GroupHandle g = h5::create_group(groups_.back(), name, false);
    groups_.push_back(g.get());
    body();
    groups_.pop_back();
  }

 private:
  std::vector<hid_t> groups_;
  Checksum& sum_;
};

/// Reads arrays from groups of a file, each checked for type and length
/// before a buffer is sized from it.
class Reader {
 public:
  static constexpr bool reading = true;
  Reader(hid_t root, Checksum& sum) : groups_{root}, sum_(sum) {}

  /// `length`: the exact length, or any_length (then at most max_rows).
  template <class T>
  void array(const std::string& name, std::vector<T>& values, std::uint64_t length) {
    values = length == any_length ? h5::read_array<T>(groups_.back(), name, max_rows)
                                  : h5::read_exact<T>(groups_.back(), name, length);
    sum_.add(name);
    sum_.add(values.data(), values.size() * sizeof(T));
  }
  template <class T>
  void scalar(const std::string& name, T& value) {
    std::vector<T> one;
    array(name, one, 1);
    value = one[0];
  }
  template <class F>
  void group(const std::string& name, F&& body) {
    const h5::GroupHandle g = h5::open_group(groups_.back(), name);
    groups_.push_back(g.get());
    body();
    groups_.pop_back();
  }

  static constexpr std::uint64_t any_length = ~std::uint64_t{0};

 private:
  std::vector<hid_t> groups_;
  Checksum& sum_;
};

constexpr std::uint64_t any_length = Reader::any_length;

// Names of the columns of SellerRows and OfferRows, in the order of their columns() visitors.
constexpr std::array<const char*, 16> seller_names{"id",
                                                   "category",
                                                   "owner",
                                                   "quality",
                                                   "variant",
                                                   "base_cost",
                                                   "unit_cost",
                                                   "cumulative_units",
                                                   "cash",
                                                   "cash_at_day_start",
                                                   "profit_trend",
                                                   "profit_self",
                                                   "profit_platform",
                                                   "platform_fulfilled",
                                                   "losing_days",
                                                   "born"};
constexpr std::array<const char*, 16> offer_names{"seller",
                                                  "category",
                                                  "platform",
                                                  "price",
                                                  "stock",
                                                  "sales_rate",
                                                  "units_today",
                                                  "units_since_review",
                                                  "sold_out_since_review",
                                                  "profit_since_review",
                                                  "profit_last_window",
                                                  "price_direction",
                                                  "rating_sum",
                                                  "rating_count",
                                                  "evidence_sum",
                                                  "evidence_precision"};

template <class Rows, class Column>
const char* column_name(Rows& rows, const Column& column) {
  std::size_t i = 0, found = 0;
  rows.columns([&](const auto& c) {
    if (static_cast<const void*>(&c) == static_cast<const void*>(&column)) found = i;
    ++i;
  });
  if constexpr (std::is_same_v<Rows, SellerRows>)
    return seller_names.at(found);
  else
    return offer_names.at(found);
}

/// Saves or loads one field of a vector of structs as a column.
template <class IO, class S, class T>
void column(IO& io, const std::string& name, std::vector<S>& rows, T S::*field, std::uint64_t length) {
  std::vector<T> values;
  if constexpr (!IO::reading) {
    values.reserve(rows.size());
    for (const S& r : rows) values.push_back(r.*field);
  }
  io.array(name, values, length);
  if constexpr (IO::reading) {
    rows.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) rows[i].*field = values[i];
  }
}

template <class IO>
void transfer_tallies(IO& io, std::vector<PlatformTally>& tallies, std::uint64_t platforms) {
  tally_fields([&](const char* name, auto field) { column(io, name, tallies, field, platforms); });
}

/// The one walk over a MarketState, for saving and for loading: the file layout.
template <class IO>
void transfer(IO& io, MarketState& s, const Scenario& scenario) {
  const std::uint64_t customers = scenario.customers.count;
  const std::uint64_t platforms = scenario.platforms.size();
  io.scalar("tick", s.tick);
  io.scalar("intents_matched", s.intents_matched);

  io.group("customers", [&] {
    auto& c = s.customers;
    io.array("active", c.active, customers);
    io.array("known", c.known, customers);
    io.array("last_platform", c.last_platform, customers);
    io.array("member_of", c.member_of, customers);
    io.array("shopping_rate", c.shopping_rate, customers);
    io.array("price_sensitivity", c.price_sensitivity, customers);
    io.array("delivery_sensitivity", c.delivery_sensitivity, customers);
    io.array("conversion", c.conversion, customers);
    io.array("spend_per_order", c.spend_per_order, customers);
    io.array("satisfaction", s.satisfaction, customers * platforms);
  });

  io.group("platforms", [&] {
    if constexpr (IO::reading) s.platforms.resize(platforms);
    for (std::size_t f = 0; f < platform_doubles.size(); ++f) {
      std::vector<double> values;
      if constexpr (!IO::reading)
        for (const auto& p : s.platforms) values.push_back(p.levers_and_books.at(f));
      io.array(platform_doubles[f].first, values, platforms);
      if constexpr (IO::reading)
        for (std::size_t p = 0; p < platforms; ++p) {
          s.platforms[p].levers_and_books.resize(platform_doubles.size());
          s.platforms[p].levers_and_books[f] = values[p];
        }
    }
    column(io, "active_customers", s.platforms, &PlatformState::active_customers, platforms);
    column(io, "members", s.platforms, &PlatformState::members, platforms);
    column(io, "days_seen", s.platforms, &PlatformState::days_seen, platforms);
    for (std::size_t p = 0; p < platforms; ++p)
      io.array("history_" + std::to_string(p), s.platforms[p].history,
               Platform::history_days(scenario.platforms[p]) * Platform::daily_fields);
  });

  io.group("shards", [&] {
    if constexpr (IO::reading) s.shards.resize(scenario.market.shards);
    const std::uint32_t shard_count = scenario.market.shards;
    for (std::uint32_t i = 0; i < shard_count; ++i) {
      ShardState& shard = s.shards[i];
      const std::uint64_t local = (scenario.market.categories - i + shard_count - 1) / shard_count;
      io.group(std::to_string(i), [&] {
        io.scalar("serial", shard.serial);
        std::uint64_t sellers = any_length, offers = any_length;
        io.group("sellers", [&] {
          shard.sellers.columns([&](auto& column) {
            // The first column fixes the length of the others.
            io.array(column_name(shard.sellers, column), column, sellers);
            sellers = column.size();
          });
        });
        io.group("offers", [&] {
          shard.offers.columns([&](auto& column) {
            io.array(column_name(shard.offers, column), column, offers);
            offers = column.size();
          });
        });
        io.group("signals", [&] {
          column(io, "units_per_day", shard.signals, &CategorySignal::units_per_day, local * platforms);
          column(io, "average_price", shard.signals, &CategorySignal::average_price, local * platforms);
          column(io, "sellers", shard.signals, &CategorySignal::sellers, local * platforms);
        });
        io.group("tally", [&] { transfer_tallies(io, shard.tally, platforms); });
      });
    }
  });

  io.group("today", [&] {
    auto& t = s.today;
    io.scalar("tick", t.tick);
    io.scalar("active_customers", t.active_customers);
    io.scalar("sellers_3p", t.sellers_3p);
    io.scalar("offers", t.offers);
    io.scalar("third_party_unit_share", t.third_party_unit_share);
    io.scalar("average_price_paid", t.average_price_paid);
    io.scalar("price_index", t.price_index);
    const std::uint64_t days = s.tick > 0 ? platforms : 0;  // no day closed before the first tick
    io.group("platforms", [&] {
      day_fields([&](const char* name, auto field) { column(io, name, t.platforms, field, days); });
      std::vector<PlatformTally> tallies;
      for (const auto& d : t.platforms) tallies.push_back(d.tally);
      io.group("tally", [&] { transfer_tallies(io, tallies, days); });
      if constexpr (IO::reading)
        for (std::size_t p = 0; p < t.platforms.size(); ++p) t.platforms[p].tally = tallies[p];
    });
  });
}

/// Throws CheckpointError unless every index in `s` points inside what it indexes.
void validate(const MarketState& s, const Scenario& scenario) {
  const std::size_t platforms = scenario.platforms.size();
  const std::uint32_t shard_count = scenario.market.shards;
  const std::uint32_t categories = scenario.market.categories;
  auto fail = [](const std::string& problem) { throw h5::Error(problem); };
  auto platform_or_none = [&](PlatformId p) { return index(p) < platforms || p == no_platform; };
  const auto& c = s.customers;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.active[i] > 1) fail("customer " + std::to_string(i) + " has an invalid 'active'");
    if (c.known[i] >= (1u << platforms)) fail("customer " + std::to_string(i) + " knows platforms that do not exist");
    if (!platform_or_none(c.last_platform[i]) || !platform_or_none(c.member_of[i]))
      fail("customer " + std::to_string(i) + " names a platform that does not exist");
  }
  if (s.tick > scenario.ticks)
    fail("its tick " + std::to_string(s.tick) + " is past the scenario's " + std::to_string(scenario.ticks) + " ticks");
  for (std::uint32_t i = 0; i < shard_count; ++i) {
    const ShardState& shard = s.shards[i];
    const std::string where = "shard " + std::to_string(i) + ": ";
    auto in_shard = [&](std::uint32_t category) { return category < categories && category % shard_count == i; };
    const std::size_t sellers = shard.sellers.size();
    for (std::size_t r = 0; r < sellers; ++r) {
      if (!in_shard(shard.sellers.category[r])) fail(where + "a seller's category is not in the shard");
      if (!platform_or_none(shard.sellers.owner[r])) fail(where + "a seller's owner does not exist");
    }
    for (std::size_t o = 0; o < shard.offers.size(); ++o) {
      if (shard.offers.seller[o] >= sellers) fail(where + "an offer's seller does not exist");
      if (!in_shard(shard.offers.category[o])) fail(where + "an offer's category is not in the shard");
      if (index(shard.offers.platform[o]) >= platforms) fail(where + "an offer's platform does not exist");
      if (shard.offers.category[o] != shard.sellers.category[shard.offers.seller[o]])
        fail(where + "an offer's category is not its seller's");
    }
    // Seller ids are allotted as serial * shards + shard: none may be at or past the next one.
    for (std::size_t r = 0; r < sellers; ++r) {
      const std::size_t id = index(shard.sellers.id[r]);
      if (id % shard_count != i || id / shard_count >= shard.serial) fail(where + "a seller id was never allotted");
    }
  }
}

/// The run position is covered by the checksum too.
void add_run(Checksum& sum, const RunPosition& run) {
  sum.add(run.output_path);
  for (std::uint64_t v : {run.output_ticks, run.output_snapshots, std::uint64_t{run.checkpoint_every}})
    sum.add(&v, sizeof v);
}

[[noreturn]] void fail_checkpoint(const std::string& path, const std::string& problem) {
  throw CheckpointError("checkpoint '" + path + "' cannot be used: " + problem);
}

std::string fixed(const std::string& key, const std::string& was, const std::string& now) {
  return "'" + key + "' is structural and cannot change in a branch (it was " + was + ", the branch asks for " + now +
         "); only policy parameters (fees, mechanisms, take rates, ticks, ...) may change";
}

// The trailer after the HDF5 data (which HDF5, h5py and h5dump ignore): a
// damaged or truncated file is refused before HDF5 parses a byte of it, and
// HDF5 1.10 can loop forever or crash on some damaged files.
constexpr std::array<char, 16> trailer_magic{'F', 'L', 'Y', 'W', 'H', 'E', 'E', 'L', '-', 'C', 'K', 'P', 'T', 0, 0, 0};
constexpr std::size_t trailer_size = 16 + 3 * 8;  // magic, checkpoint_version, HDF5 bytes, their FNV-1a

std::uint64_t read_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
}

/// FNV-1a of the first `bytes` bytes of `in`; false if it holds fewer.
bool hash_stream(std::ifstream& in, std::uint64_t bytes, Checksum& sum) {
  std::vector<char> buffer(1 << 20);
  while (bytes > 0) {
    const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(bytes, buffer.size()));
    if (!in.read(buffer.data(), n)) return false;
    sum.add(buffer.data(), static_cast<std::size_t>(n));
    bytes -= static_cast<std::uint64_t>(n);
  }
  return true;
}

/// Appends the trailer to the HDF5 file at `path`. Throws h5::Error.
void seal(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  Checksum sum;
  if (!in || !hash_stream(in, size, sum)) throw h5::Error("reading it back failed");
  std::string trailer(trailer_magic.begin(), trailer_magic.end());
  put_u64(trailer, static_cast<std::uint64_t>(checkpoint_version));
  put_u64(trailer, size);
  put_u64(trailer, sum.value());
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(trailer.data(), static_cast<std::streamsize>(trailer.size()));
  out.close();
  if (!out) throw h5::Error("appending its trailer failed");
}

/// Checks the trailer and the checksum of everything before it. Throws CheckpointError.
void check_seal(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail_checkpoint(path, "it cannot be opened");
  const auto size = static_cast<std::uint64_t>(in.tellg());
  std::array<char, trailer_size> trailer{};
  if (size >= trailer_size) {
    in.seekg(static_cast<std::streamoff>(size - trailer_size));
    in.read(trailer.data(), trailer_size);
  }
  if (size < trailer_size || !in || !std::equal(trailer_magic.begin(), trailer_magic.end(), trailer.begin()))
    fail_checkpoint(path, "it is not a flywheel checkpoint, or it is truncated (no checkpoint trailer at its end)");
  if (const std::uint64_t v = read_u64(trailer.data() + 16); v != static_cast<std::uint64_t>(checkpoint_version))
    fail_checkpoint(path, "it is of checkpoint_version " + std::to_string(v) + "; this flywheel reads version " +
                              std::to_string(checkpoint_version));
  if (read_u64(trailer.data() + 24) != size - trailer_size)
    fail_checkpoint(path, "it is truncated or has bytes added (its length is not the one its trailer records)");
  in.seekg(0);
  Checksum sum;
  if (!hash_stream(in, size - trailer_size, sum) || sum.value() != read_u64(trailer.data() + 32))
    fail_checkpoint(path, "its checksum does not match: the file is damaged");
}

/// Text as a fixed-length attribute: HDF5 1.10 reads variable-length strings
/// of a crafted file out of bounds (H5HG_read, found by the fuzz target).
void text(hid_t object, const std::string& name, const std::string& value) {
  h5::create_fixed_text(object, name, std::max<std::size_t>(1, value.size()), value);
}

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  static_cast<void>(::fsync(fd));
  static_cast<void>(::close(fd));
}

}  // namespace

std::unique_ptr<MarketState> detail::CheckpointAccess::capture(const Market& m) {
  auto s =
      std::unique_ptr<MarketState>(new MarketState{m.customers_, {}, {}, {}, m.tick_, m.intents_matched_, m.today_});
  const auto all = m.customers_.satisfaction_all();
  s->satisfaction.assign(all.begin(), all.end());
  for (const auto& p : m.platforms_) {
    PlatformState state;
    for (const auto& [name, member] : platform_doubles) state.levers_and_books.push_back(p.*member);
    state.active_customers = p.active_customers;
    state.members = p.members;
    state.history = p.saved_history();
    state.days_seen = p.days_seen();
    s->platforms.push_back(std::move(state));
  }
  for (const auto& shard : m.shards_)
    s->shards.push_back({shard.sellers, shard.offers, shard.signals, shard.tally, shard.serial_});
  return s;
}

void detail::CheckpointAccess::apply(Market& m, const MarketState& s, const Scenario& parent) {
  const std::size_t platforms = m.platforms_.size();
  {
    auto& c = m.customers_;
    c.active = s.customers.active;
    c.known = s.customers.known;
    c.last_platform = s.customers.last_platform;
    c.member_of = s.customers.member_of;
    c.shopping_rate = s.customers.shopping_rate;
    c.price_sensitivity = s.customers.price_sensitivity;
    c.delivery_sensitivity = s.customers.delivery_sensitivity;
    c.conversion = s.customers.conversion;
    c.spend_per_order = s.customers.spend_per_order;
    for (std::size_t i = 0; i < c.size(); ++i)
      for (std::size_t p = 0; p < platforms; ++p) c.satisfaction(i, p) = s.satisfaction[i * platforms + p];
  }
  for (std::size_t p = 0; p < platforms; ++p) {
    Platform& platform = m.platforms_[p];
    const PlatformState& state = s.platforms[p];
    for (std::size_t f = 0; f < platform_doubles.size(); ++f)
      platform.*platform_doubles[f].second = state.levers_and_books[f];
    platform.active_customers = state.active_customers;
    platform.members = state.members;
    platform.restore_history(state.history, state.days_seen);
    // A branch that changes a lever's starting value sets the lever to it at the branch tick.
    const auto& was = parent.platforms[p];
    const auto& now = m.scenario_.platforms[p];
    if (now.take_rate != was.take_rate) platform.take_rate = now.take_rate;
    if (now.fulfilment.fee != was.fulfilment.fee) platform.fulfilment_fee = now.fulfilment.fee;
    if (now.first_party.markup != was.first_party.markup) platform.first_party_markup = now.first_party.markup;
    if (now.fulfilment.delivery_investment != was.fulfilment.delivery_investment)
      platform.delivery_investment = now.fulfilment.delivery_investment;
    if (now.marketing_spend != was.marketing_spend) platform.marketing_spend = now.marketing_spend;
    if (now.membership.fee != was.membership.fee) platform.membership_fee = now.membership.fee;
    if (now.shipping_fee != was.shipping_fee) platform.shipping_fee = now.shipping_fee;
    if (now.policy.payout_share != was.policy.payout_share) platform.payout_share = now.policy.payout_share;
  }
  for (std::size_t i = 0; i < m.shards_.size(); ++i) {
    Shard& shard = m.shards_[i];
    const ShardState& state = s.shards[i];
    shard.sellers = state.sellers;
    shard.offers = state.offers;
    shard.signals = state.signals;
    shard.tally = state.tally;
    shard.serial_ = state.serial;
    shard.births.clear();
    shard.exits.clear();
    shard.reorder();
  }
  m.tick_ = s.tick;
  m.intents_matched_ = s.intents_matched;
  m.today_ = s.today;
}

void save_checkpoint(const Market& market, const RunPosition& run, const std::string& path) {
  const std::unique_ptr<MarketState> state = detail::CheckpointAccess::capture(market);
  const std::string yaml = to_yaml(market.scenario());
  const std::string temporary = path + ".tmp";
  try {
    h5::File file = h5::File::create(temporary);
    const hid_t root = file.id();
    Checksum sum;
    sum.add(yaml);
    add_run(sum, run);
    Writer io(root, sum);
    transfer(io, *state, market.scenario());
    text(root, "format", std::string(checkpoint_format));
    h5::write_attribute(root, "checkpoint_version", checkpoint_version);
    text(root, "program", std::string("flywheel"));
    text(root, "program_version", std::string(build::version));
    text(root, "git_revision", std::string(build::git_revision));
    text(root, "created", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))));
    h5::write_attribute(root, "tick", static_cast<std::int64_t>(market.tick()));
    text(root, "random_streams", std::string(random_streams_note));
    text(root, "scenario", yaml);
    text(root, "output_path", run.output_path);
    h5::write_attribute(root, "output_ticks", static_cast<std::int64_t>(run.output_ticks));
    h5::write_attribute(root, "output_snapshots", static_cast<std::int64_t>(run.output_snapshots));
    h5::write_attribute(root, "checkpoint_every", static_cast<std::int64_t>(run.checkpoint_every));
    text(root, "checksum", sum.hex());
    file.flush();
    file.close();
    seal(temporary);
  } catch (const h5::Error& e) {
    std::remove(temporary.c_str());
    throw RunError("cannot write the checkpoint '" + path + "': " + e.what());
  }
  fsync_path(temporary);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    throw RunError("cannot write the checkpoint '" + path + "': renaming '" + temporary + "': " + why);
  }
  const std::string directory = std::filesystem::path(path).parent_path().string();
  fsync_path(directory.empty() ? std::string(".") : directory);
}

Checkpoint read_checkpoint(const std::string& path) {
  h5::silence_errors();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail_checkpoint(path, "no such file");
  check_seal(path);
  Checkpoint c;
  c.path = path;
  try {
    const h5::File file = h5::File::open_read_once(path);
    const hid_t root = file.id();
    if (!h5::has_attribute(root, "format") || h5::read_fixed_text(root, "format") != checkpoint_format)
      fail_checkpoint(path, "it is not a flywheel checkpoint (no 'format' attribute \"flywheel-checkpoint\")");
    if (!h5::has_attribute(root, "checkpoint_version"))
      fail_checkpoint(path, "it has no 'checkpoint_version' attribute");
    if (const std::int64_t v = h5::read_integer(root, "checkpoint_version"); v != checkpoint_version)
      fail_checkpoint(path, "it is of checkpoint_version " + std::to_string(v) + "; this flywheel reads version " +
                                std::to_string(checkpoint_version));
    c.scenario_yaml = h5::read_fixed_text(root, "scenario");
    try {
      c.scenario = scenario_from_string(c.scenario_yaml, path + " (scenario attribute)");
    } catch (const ConfigError& e) {
      fail_checkpoint(path, std::string("its scenario does not load: ") + e.what());
    }
    c.program_version = h5::read_fixed_text(root, "program_version");
    c.run.output_path = h5::read_fixed_text(root, "output_path");
    const auto count = [&](const char* name) {
      const std::int64_t v = h5::read_integer(root, name);
      if (v < 0 || v > (std::int64_t{1} << 40)) fail_checkpoint(path, std::string("its '") + name + "' is invalid");
      return static_cast<std::uint64_t>(v);
    };
    c.run.output_ticks = count("output_ticks");
    c.run.output_snapshots = count("output_snapshots");
    c.run.checkpoint_every = static_cast<std::uint32_t>(std::min<std::uint64_t>(count("checkpoint_every"), 1u << 30));
    const std::string checksum = h5::read_fixed_text(root, "checksum");

    agents::CustomerParams none;
    none.count = 0;
    auto state = std::make_shared<MarketState>(
        MarketState{agents::Customers(none, 0, 0, Execution::serial), {}, {}, {}, 0, 0, {}});
    Checksum sum;
    sum.add(c.scenario_yaml);
    add_run(sum, c.run);
    Reader io(root, sum);
    transfer(io, *state, c.scenario);
    if (sum.hex() != checksum) fail_checkpoint(path, "its checksum does not match: the file is damaged");
    if (count("tick") != state->tick) fail_checkpoint(path, "its 'tick' attribute and dataset disagree");
    validate(*state, c.scenario);
    c.tick = state->tick;
    c.state = std::move(state);
  } catch (const CheckpointError&) {
    throw;
  } catch (const std::bad_alloc&) {
    fail_checkpoint(path, "it asks for more memory than there is");
  } catch (const std::exception& e) {
    fail_checkpoint(path, e.what());
  }
  return c;
}

std::unique_ptr<Market> restore_market(const Checkpoint& checkpoint, Scenario scenario, Execution execution) {
  FLYWHEEL_ASSERT(checkpoint.state != nullptr);
  auto market = std::make_unique<Market>(std::move(scenario), execution);
  detail::CheckpointAccess::apply(*market, *checkpoint.state, checkpoint.scenario);
  return market;
}

void check_branch(const Scenario& parent, const Scenario& branch, const std::string& checkpoint_path) {
  const SourceLocation where{checkpoint_path};
  auto same = [&](const std::string& key, const auto& was, const auto& now) {
    if (was != now) throw ConfigError(where, key, fixed(key, fmt::format("{}", was), fmt::format("{}", now)));
  };
  same("seed", parent.seed, branch.seed);
  same("customers.count", parent.customers.count, branch.customers.count);
  same("market.categories", parent.market.categories, branch.market.categories);
  same("market.shards", parent.market.shards, branch.market.shards);
  same("market.customer_block", parent.market.customer_block, branch.market.customer_block);
  same("market.popularity_exponent", parent.market.popularity_exponent, branch.market.popularity_exponent);
  same("market.price_level", parent.market.price_level, branch.market.price_level);
  same("market.price_level_spread", parent.market.price_level_spread, branch.market.price_level_spread);
  same("platforms", parent.platforms.size(), branch.platforms.size());
  for (std::size_t p = 0; p < parent.platforms.size(); ++p) {
    same("platforms." + std::to_string(p) + ".name", parent.platforms[p].name, branch.platforms[p].name);
    // The saved history of its metrics holds two windows (and the longest delay) of days.
    same("platforms." + std::to_string(p) + ".policy.metric_window", parent.platforms[p].policy.metric_window,
         branch.platforms[p].policy.metric_window);
  }
}

}  // namespace flywheel::market
