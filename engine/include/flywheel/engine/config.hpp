#pragma once
// Loading, writing and listing configs through their structs' visit() (see
// params.hpp for the idiom): Document (a parsed YAML file with overrides),
// Loader, Emitter and Lister. Needs yaml-cpp: include it only from .cpp files
// that load or write configs; parameter headers include params.hpp.

#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "flywheel/engine/errors.hpp"
#include "flywheel/engine/params.hpp"

namespace flywheel::config {

/// The largest config file read (16 MiB): scenarios are a few kilobytes.
inline constexpr std::size_t max_config_bytes = std::size_t{16} << 20;

/// A parsed YAML document that remembers where every node came from: the file,
/// or a `--set key.path=value` override applied on top of it.
class Document {
 public:
  /// Parses a file. Throws ConfigError when it cannot be read, is a
  /// directory, is larger than max_config_bytes, is empty (no YAML node at
  /// all; `{}` is fine), is not valid YAML or holds more than one document.
  static Document from_file(const std::string& path);
  /// Parses text; `name` stands for the file in messages. Empty text is an empty map.
  static Document from_string(const std::string& text, const std::string& name);

  /// Applies "key.path=value" (a YAML value). A numeric path element indexes
  /// a list; any other element names a map key, or the list item whose
  /// `name` matches. Throws ConfigError for a malformed assignment or path.
  void apply_override(const std::string& assignment);

  [[nodiscard]] const YAML::Node& root() const noexcept { return root_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Where a value node came from (file position, or the override that set it).
  [[nodiscard]] SourceLocation locate(const YAML::Node& value, const YAML::Node& key = {}) const;

 private:
  struct Override {
    std::string assignment;
    std::vector<YAML::Node> nodes;  // the value and all its descendants
  };
  std::string name_;
  YAML::Node root_;
  std::vector<Override> overrides_;
};

namespace detail {
std::string kind_of(const YAML::Node& node);
std::optional<std::string_view> nearest(std::string_view word, const std::vector<std::string_view>& options);
bool parse_integer(const std::string& text, long double& out);
bool parse_number(const std::string& text, double& out);
/// Whether `text` is well-formed UTF-8 with no control characters (C0, DEL,
/// C1) and no Unicode line or paragraph separators: names are written back as
/// YAML and into the output file, where those would not survive or be seen.
bool is_printable_text(std::string_view text);
/// `text` for a message: as it is when printable, else with every byte that
/// is not printable ASCII written \xNN.
std::string escaped(std::string_view text);
std::string format_number(double value);
std::string join_key(const std::string& path, std::string_view key);

template <class T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, bool>)
    return "a boolean (true or false)";
  else if constexpr (std::is_integral_v<T>)
    return "an integer";
  else if constexpr (std::is_floating_point_v<T>)
    return "a number";
  else
    return "printable UTF-8 text";
}

template <class T>
std::string to_text(const T& v) {
  if constexpr (std::is_same_v<T, bool>)
    return v ? "true" : "false";
  else if constexpr (std::is_integral_v<T>)
    return std::to_string(v);
  else if constexpr (std::is_floating_point_v<T>)
    return v != v ? "unset" : format_number(static_cast<double>(v));
  else
    return std::string(v);
}

template <class T>
std::string range_text(const Range<T>& r) {
  const bool lo = r.min != std::numeric_limits<T>::lowest();
  const bool hi = r.max != std::numeric_limits<T>::max();
  if (lo && hi) return "in [" + to_text(r.min) + ", " + to_text(r.max) + "]";
  if (lo) return "at least " + to_text(r.min);
  if (hi) return "at most " + to_text(r.max);
  return {};
}
inline std::string range_text(const Any&) { return {}; }

/// What a field of type T with bounds `check` takes: "an integer in [1, 100]". An
/// integer without bounds of its own names its type's, which a value may overflow.
template <class T, class Check>
std::string expected_text(const Check& check) {
  std::string range = range_text(check);
  if constexpr (std::is_same_v<Check, Any> && std::is_integral_v<T> && !std::is_same_v<T, bool>)
    range = "in [" + to_text(std::numeric_limits<T>::lowest()) + ", " + to_text(std::numeric_limits<T>::max()) + "]";
  return range.empty() ? std::string(type_name<T>()) : std::string(type_name<T>()) + " " + range;
}

/// Decodes a scalar into T; nullopt when the text is not a T.
template <class T>
std::optional<T> decode(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  if constexpr (std::is_same_v<T, bool>) {
    bool b = false;
    if (YAML::convert<bool>::decode(node, b)) return b;
    return std::nullopt;
  } else if constexpr (std::is_integral_v<T>) {
    long double v = 0;
    if (!parse_integer(text, v)) return std::nullopt;
    if (v < static_cast<long double>(std::numeric_limits<T>::lowest()) ||
        v > static_cast<long double>(std::numeric_limits<T>::max()))
      return std::nullopt;
    return static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    double v = 0;
    if (!parse_number(text, v)) return std::nullopt;
    return static_cast<T>(v);
  } else {
    if (!is_printable_text(text)) return std::nullopt;
    return text;
  }
}
}  // namespace detail

/// Reads one YAML map into a config struct through its visit(). Unknown keys,
/// wrong types and out-of-range values throw ConfigError with their location.
class Loader {
 public:
  Loader(const Document& doc, const YAML::Node& map, std::string path)
      : doc_(&doc), map_(map), path_(std::move(path)) {}

  /// Loads `target` from the document's root and rejects unknown keys.
  template <class S>
  static void load(const Document& doc, S& target) {
    Loader loader(doc, doc.root(), "");
    loader.require_map(doc.root(), "");
    target.visit(loader);
    loader.finish();
  }

  template <class T, class Check = Any>
  void field(std::string_view key, T& value, std::string_view /*doc*/, Check check = {}) {
    known_.push_back(key);
    const YAML::Node node = child(key);
    if (!node) return;
    const std::string path = detail::join_key(path_, key);
    std::optional<T> decoded = detail::decode<T>(node);
    if (!decoded) fail(node, path, "expected " + detail::expected_text<T>(check) + ", found " + detail::kind_of(node));
    if constexpr (!std::is_same_v<Check, Any>) {
      if (*decoded < check.min || *decoded > check.max)
        fail(node, path, "expected " + detail::expected_text<T>(check) + ", found " + detail::to_text(*decoded));
    }
    value = *decoded;
  }

  template <class E, std::size_t N>
  void choice(std::string_view key, E& value, const std::array<Choice<E>, N>& choices, std::string_view /*doc*/) {
    known_.push_back(key);
    const YAML::Node node = child(key);
    if (!node) return;
    std::vector<std::string_view> names;
    for (const auto& c : choices) {
      if (node.IsScalar() && node.Scalar() == c.name) {
        value = c.value;
        return;
      }
      names.push_back(c.name);
    }
    std::string expected = "one of";
    for (auto n : names) expected += std::string(n == names.front() ? " '" : ", '") + std::string(n) + "'";
    std::string found = node.IsScalar() ? "'" + detail::escaped(node.Scalar()) + "'" : detail::kind_of(node);
    if (node.IsScalar())
      if (auto near = detail::nearest(node.Scalar(), names)) found += " (did you mean '" + std::string(*near) + "'?)";
    fail(node, detail::join_key(path_, key), "expected " + expected + ", found " + found);
  }

  template <class S>
  void section(std::string_view key, S& value, std::string_view /*doc*/) {
    known_.push_back(key);
    const YAML::Node node = child(key);
    if (!node) return;
    const std::string path = detail::join_key(path_, key);
    require_map(node, path);
    Loader inner(*doc_, node, path);
    value.visit(inner);
    inner.finish();
  }

  /// A list of structs. Given items replace the defaults; each item starts
  /// from a default-constructed S.
  template <class S>
  void list(std::string_view key, std::vector<S>& values, std::string_view /*doc*/) {
    known_.push_back(key);
    const YAML::Node node = child(key);
    if (!node) return;
    const std::string path = detail::join_key(path_, key);
    if (!node.IsSequence()) fail(node, path, "expected a list, found " + detail::kind_of(node));
    values.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const YAML::Node item = node[i];
      require_map(item, item_path);
      S value{};
      Loader inner(*doc_, item, item_path);
      value.visit(inner);
      inner.finish();
      values.push_back(std::move(value));
    }
  }

  /// A key that was renamed or moved: throws, located at the old key, when the
  /// config still uses it ("renamed to <new key>"). Both keys are paths from
  /// the map this visit() reads; the old one may reach into a section
  /// ("sellers.review_noise"), and is checked at once, so call this before
  /// the section() that would reject it as unknown.
  void renamed(std::string_view old_key, std::string_view new_key) const;

  /// A consistency rule between fields: throws, located at `key`, when `ok` is false.
  void require(bool ok, std::string_view key, const std::string& problem) const {
    if (ok) return;
    const YAML::Node node = child(key);
    fail(node ? node : map_, detail::join_key(path_, key), problem);
  }

  /// Rejects keys that no field claimed, suggesting the nearest known key.
  void finish() const;

 private:
  /// The value of `key`, looking through YAML merge keys (`<<: *anchor`),
  /// which yaml-cpp leaves to the reader.
  [[nodiscard]] YAML::Node child(std::string_view key) const { return find(map_, key); }
  static YAML::Node find(const YAML::Node& map, std::string_view key);
  void require_map(const YAML::Node& node, const std::string& path) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& problem,
                         const YAML::Node& key = {}) const {
    throw ConfigError(doc_->locate(node, key), path, problem);
  }

  const Document* doc_;
  YAML::Node map_;
  std::string path_;
  std::vector<std::string_view> known_;
};

/// Writes a config struct back as YAML (the resolved config, as run).
class Emitter {
 public:
  explicit Emitter(YAML::Emitter& out) : out_(&out) {}

  template <class S>
  static std::string to_yaml(S& value) {
    YAML::Emitter out;
    Emitter e(out);
    out << YAML::BeginMap;
    value.visit(e);
    out << YAML::EndMap;
    return out.c_str();
  }

  template <class T, class Check = Any>
  void field(std::string_view key, T& value, std::string_view /*doc*/, Check = {}) {
    if constexpr (std::is_floating_point_v<T>) {
      if (value != value) return;  // unset: leave the default
    }
    *out_ << YAML::Key << std::string(key) << YAML::Value;
    if constexpr (std::is_floating_point_v<T>)
      *out_ << detail::format_number(static_cast<double>(value));
    else if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int8_t>)
      *out_ << static_cast<int>(value);
    else
      *out_ << value;
  }
  template <class E, std::size_t N>
  void choice(std::string_view key, E& value, const std::array<Choice<E>, N>& choices, std::string_view) {
    for (const auto& c : choices)
      if (c.value == value) *out_ << YAML::Key << std::string(key) << YAML::Value << std::string(c.name);
  }
  template <class S>
  void section(std::string_view key, S& value, std::string_view) {
    *out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    value.visit(*this);
    *out_ << YAML::EndMap;
  }
  template <class S>
  void list(std::string_view key, std::vector<S>& values, std::string_view) {
    *out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (auto& v : values) {
      *out_ << YAML::BeginMap;
      v.visit(*this);
      *out_ << YAML::EndMap;
    }
    *out_ << YAML::EndSeq;
  }
  void require(bool, std::string_view, const std::string&) const {}
  void renamed(std::string_view, std::string_view) const {}

 private:
  YAML::Emitter* out_;
};

/// What a resolved config (YAML, as Emitter writes it) changes against the
/// defaults' (the same from a default-constructed struct), as YAML: one
/// `key: {value: V, default: D}` per differing parameter, keys as `--set`
/// spells them with list items indexed (`platforms[1].take_rate`). An item
/// beyond the defaults' list compares with their first item (the default
/// item); D is null when there is none.
std::string changes_against_defaults(const std::string& yaml, const std::string& defaults_yaml);

/// One documented parameter: its key path, default, bounds and meaning.
struct ParameterDoc {
  std::string path;
  std::string default_value;
  std::string bounds;
  std::string meaning;
};

/// Lists every parameter of a config struct with its default (for docs and `flywheel params`).
class Lister {
 public:
  template <class S>
  static std::vector<ParameterDoc> list_all(S value) {
    Lister l("");
    value.visit(l);
    return std::move(l.rows_);
  }

  template <class T, class Check = Any>
  void field(std::string_view key, T& value, std::string_view doc, Check check = {}) {
    rows_.push_back(
        {detail::join_key(path_, key), detail::to_text(value), detail::range_text(check), std::string(doc)});
  }
  template <class E, std::size_t N>
  void choice(std::string_view key, E& value, const std::array<Choice<E>, N>& choices, std::string_view doc) {
    std::string def, options;
    for (const auto& c : choices) {
      if (c.value == value) def = c.name;
      options += (options.empty() ? "" : " | ") + std::string(c.name);
    }
    rows_.push_back({detail::join_key(path_, key), def, options, std::string(doc)});
  }
  template <class S>
  void section(std::string_view key, S& value, std::string_view) {
    Lister inner(detail::join_key(path_, key));
    value.visit(inner);
    rows_.insert(rows_.end(), inner.rows_.begin(), inner.rows_.end());
  }
  template <class S>
  void list(std::string_view key, std::vector<S>&, std::string_view doc) {
    const std::string path = detail::join_key(path_, key) + "[]";
    rows_.push_back({path, "(list)", "", std::string(doc)});
    S item{};
    Lister inner(path);
    item.visit(inner);
    rows_.insert(rows_.end(), inner.rows_.begin(), inner.rows_.end());
  }
  void require(bool, std::string_view, const std::string&) const {}
  void renamed(std::string_view, std::string_view) const {}

 private:
  explicit Lister(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::vector<ParameterDoc> rows_;
};

}  // namespace flywheel::config
