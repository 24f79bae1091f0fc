#include "flywheel/engine/config.hpp"

#include <map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <algorithm>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

namespace flywheel::config {
namespace {

constexpr std::string_view merge_key = "<<";
/// Most maps one map may bring in through merge keys, transitively.
constexpr std::size_t max_merged_maps = 64;
/// Most maps and lists one may hold inside each other: a scenario needs a few, and yaml-cpp
/// gives up near 500 levels with nothing but "bad file".
constexpr std::size_t max_nesting = 64;

SourceLocation location_of_mark(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

/// Whether the quoted scalar that starts at text[pos] (at its quote, ' or ") is closed before the text ends.
bool quote_closes(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"')) return true;  // not a quote: nothing to close
  const char quote = text[pos];
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escape
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside single quotes
        continue;
      }
      return true;
    }
  }
  return false;
}

/// Finds an alias to a map or list that is still open: a collection that contains itself. yaml-cpp
/// builds such cyclic nodes and then reads uninitialised memory when they are iterated (found by
/// tests/fuzz/config_fuzz.cpp), so they are refused before YAML::Load builds them. Also finds
/// collections nested more than max_nesting deep and unclosed quotes.
class CycleFinder : public YAML::EventHandler {
 public:
  explicit CycleFinder(std::string_view parsed) : text(parsed) {}

  std::string_view text;  // what is parsed
  std::optional<YAML::Mark> cycle;
  std::optional<YAML::Mark> unclosed_quote;
  std::optional<YAML::Mark> too_deep;  // where the first collection past max_nesting opens

  std::optional<YAML::Mark> document;  // where the last document read started

  void OnDocumentStart(const YAML::Mark& mark) override { document = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!cycle && std::find(open_.begin(), open_.end(), anchor) != open_.end()) cycle = mark;
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {
    // yaml-cpp accepts a quoted scalar whose closing quote never comes, taking the rest of the file into it.
    if (!unclosed_quote && tag == "!" && mark.pos >= 0 && !quote_closes(text, static_cast<std::size_t>(mark.pos)))
      unclosed_quote = mark;
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { open_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { open_.pop_back(); }

 private:
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    open_.push_back(anchor);
    if (!too_deep && open_.size() > max_nesting) too_deep = mark;
  }

  std::vector<YAML::anchor_t> open_;  // anchors of the collections being read, 0 for none
};

/// Parses `text`, which must hold one document. Throws YAML::ParserException, or ConfigError at
/// `where` (the file or override) when an alias makes a collection contain itself or a second
/// document follows.
YAML::Node load_yaml(const std::string& text, const SourceLocation& where, const std::string& key_path) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  CycleFinder finder(text);
  try {
    parser.HandleNextDocument(finder);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own limit ("bad file"), some 500 levels down: the finder saw level 65 on the way.
    if (!finder.too_deep) finder.too_deep = e.mark;
  }
  if (finder.too_deep) {
    const SourceLocation at = key_path.empty() ? location_of_mark(where.file, *finder.too_deep) : where;
    throw ConfigError(
        at, key_path,
        "maps and lists nest more than " + std::to_string(max_nesting) + " levels deep; a scenario needs a few");
  }
  if (finder.cycle) {
    const SourceLocation at = key_path.empty() ? location_of_mark(where.file, *finder.cycle) : where;
    throw ConfigError(at, key_path, "an alias refers to a map or list that contains it (a cycle)");
  }
  if (finder.unclosed_quote) {
    const SourceLocation at = key_path.empty() ? location_of_mark(where.file, *finder.unclosed_quote) : where;
    throw ConfigError(at, key_path, "invalid YAML: a quoted string is never closed (its closing quote is missing)");
  }
  // A second document would be ignored: refuse it rather than run without what it says.
  if (CycleFinder next(text); parser.HandleNextDocument(next)) {
    const SourceLocation at = key_path.empty() && next.document ? location_of_mark(where.file, *next.document) : where;
    throw ConfigError(at, key_path,
                      "a second YAML document ('---') follows the first; a config is one document (merge them, or "
                      "give each its own file)");
  }
  return YAML::Load(text);
}

void add_once(std::vector<YAML::Node>& maps, const YAML::Node& node) {
  for (const auto& m : maps)
    if (m.is(node)) return;
  maps.push_back(node);
}

/// An override's value and its descendants; false if they nest deeper than `depth` (or an alias makes a cycle).
bool collect(const YAML::Node& node, std::vector<YAML::Node>& out, int depth) {
  if (depth < 0) return false;
  out.push_back(node);
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!collect(it->second, out, depth - 1)) return false;
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!collect(*it, out, depth - 1)) return false;
  }
  return true;
}

std::string strip_underscores(const std::string& text) {
  std::string s;
  s.reserve(text.size());
  for (char c : text)
    if (c != '_') s += c;
  return s;
}

/// `text` (digits, a sign for signed I) as an I, exactly; nothing when it is not one or does not fit.
template <class I>
std::optional<long double> whole_integer(const std::string& text) {
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  I value = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  static_assert(std::numeric_limits<long double>::digits >= 64, "a long double must hold any 64-bit integer");
  return static_cast<long double>(value);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Document Document::from_string(const std::string& text, const std::string& name) {
  Document doc;
  doc.name_ = name;
  try {
    doc.root_ = load_yaml(text, {name}, "");
  } catch (const YAML::ParserException& e) {
    throw ConfigError(location_of_mark(name, e.mark), "", "invalid YAML: " + e.msg);
  }
  if (!doc.root_ || doc.root_.IsNull()) doc.root_ = YAML::Node(YAML::NodeType::Map);
  return doc;
}

Document Document::from_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ConfigError({path, 0, 0}, "", "is a directory, not a config file");
  // A FIFO would wait for a writer for ever, a device never end: a config is a regular file (or a link to one).
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw ConfigError({path, 0, 0}, "", "is not a regular file (a FIFO, a device or a socket), not a config file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError({path, 0, 0}, "",
                      "cannot open the config file for reading" +
                          (errno != 0 ? ": " + std::generic_category().message(errno) : std::string()));
  // Bounded: a config is a few kilobytes, and a huge (or endless) input must not exhaust memory.
  std::string text(max_config_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw ConfigError({path, 0, 0}, "", "cannot read the config file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_config_bytes)
    throw ConfigError({path, 0, 0}, "",
                      "the config is larger than " + std::to_string(max_config_bytes >> 20) +
                          " MiB; a scenario is a few kilobytes (is it the right file?)");
  Document doc = from_string(text, path);
  // A file that holds nothing is more likely truncated or the wrong file than a wish for every default.
  if (doc.root_.size() == 0 && YAML::Load(text).IsNull())
    throw ConfigError({path, 0, 0}, "", "the config is empty (no keys); write '{}' to run with every default");
  return doc;
}

void Document::apply_override(const std::string& assignment) {
  const SourceLocation where{"--set " + assignment, 0, 0, overrides_.size()};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw ConfigError(where, "", "expected key.path=value");
  const std::string path = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = load_yaml(assignment.substr(eq + 1), where, path);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(where, path, "invalid YAML value: " + e.msg);
  }

  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  YAML::Node node = root_;
  std::string walked;
  Override o{assignment, {}};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) throw ConfigError(where, path, "empty element in the key path");
    walked = detail::join_key(walked, part);
    const bool last = i + 1 == parts.size();
    if (node.IsSequence()) {
      std::optional<std::size_t> index;
      if (is_list_index(part)) {
        std::size_t number = 0;
        const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
        if (ec == std::errc() && ptr == part.data() + part.size()) index = number;  // else too large: no such item
      } else {
        for (std::size_t k = 0; k < node.size(); ++k)
          if (node[k].IsMap() && node[k]["name"] && node[k]["name"].Scalar() == part) index = k;
      }
      if (!index || *index >= node.size())
        throw ConfigError(where, walked,
                          "no list item '" + part + "' (the list has " + std::to_string(node.size()) +
                              " items, addressed by index or by name)");
      if (last) {
        node[*index] = value;
      } else {
        node.reset(node[*index]);
      }
      continue;
    }
    if (is_list_index(part))
      throw ConfigError(where, walked,
                        "not a list in the config file: write the list there first, then override its items");
    if (!node.IsMap() && !node.IsNull())
      throw ConfigError(where, walked, "cannot set a key inside " + detail::kind_of(node));
    if (last) {
      node[part] = value;
    } else {
      const bool created = !node[part];
      if (created) node[part] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next = node[part];
      // A map the override made is the override's: an unknown key found in it is blamed on the command line.
      if (created) o.nodes.push_back(next);
      node.reset(next);
    }
  }
  // Aliases can nest a value deeper than its text does.
  if (!collect(value, o.nodes, max_nesting))
    throw ConfigError(where, path,
                      "the value nests more than " + std::to_string(max_nesting) + " levels deep through its aliases");
  overrides_.push_back(std::move(o));
}

SourceLocation Document::locate(const YAML::Node& value, const YAML::Node& key) const {
  for (std::size_t i = 0; i < overrides_.size(); ++i)
    for (const auto& n : overrides_[i].nodes)
      if (value && n.is(value)) return {"--set " + overrides_[i].assignment, 0, 0, i};
  if (key && !key.Mark().is_null()) return location_of_mark(name_, key.Mark());
  if (value) return location_of_mark(name_, value.Mark());
  return {name_, 0, 0};
}

namespace detail {

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Scalar:
      return "'" + escaped(node.Scalar()) + "'";
    default:
      return "nothing";
  }
}

std::optional<std::string_view> nearest(std::string_view word, const std::vector<std::string_view>& options) {
  std::optional<std::string_view> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (auto option : options) {
    const std::size_t d = edit_distance(word, option);
    if (d < best_distance) {
      best_distance = d;
      best = option;
    }
  }
  return best;
}

bool is_printable_text(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7f) return false;
      ++i;
      continue;
    }
    // The lead byte gives the length and the least code point that length may encode (no overlong forms).
    const auto [length, least] = lead >= 0xf0 && lead <= 0xf4   ? std::pair{4U, 0x10000U}
                                 : lead >= 0xe0 && lead <= 0xef ? std::pair{3U, 0x800U}
                                 : lead >= 0xc2 && lead <= 0xdf ? std::pair{2U, 0x80U}
                                                                : std::pair{0U, 0U};
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code = lead & (0x7fU >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xc0U) != 0x80U) return false;
      code = (code << 6U) | (byte(i + k) & 0x3fU);
    }
    const bool surrogate = code >= 0xd800 && code <= 0xdfff;
    const bool c1_control = code >= 0x80 && code <= 0x9f;
    const bool line_separator = code == 0x2028 || code == 0x2029;
    if (code < least || code > 0x10ffff || surrogate || c1_control || line_separator) return false;
    i += length;
  }
  return true;
}

std::string escaped(std::string_view text) {
  if (is_printable_text(text)) return std::string(text);
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      constexpr std::string_view digits = "0123456789abcdef";
      out += "\\x";
      out += digits[b >> 4U];
      out += digits[b & 0xfU];
    }
  }
  return out;
}

bool parse_number(const std::string& text, double& out) {
  const std::string s = strip_underscores(text);
  if (s.empty()) return false;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool parse_integer(const std::string& text, long double& out) {
  double v = 0;
  if (!parse_number(text, v) || std::trunc(v) != v) return false;
  if (std::abs(v) > 9.007199254740992e15) {  // beyond exact doubles: parse as a 64-bit integer
    const std::string s = strip_underscores(text);
    // Negative ones as signed, the rest as unsigned: seeds take the whole uint64 range.
    const auto exact = s[0] == '-' ? whole_integer<long long>(s) : whole_integer<unsigned long long>(s);
    if (!exact) return false;
    out = *exact;
    return true;
  }
  out = static_cast<long double>(v);
  return true;
}

std::string format_number(double value) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "nan";
  std::string s(buf, ptr);
  return s;
}

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace detail

void Loader::require_map(const YAML::Node& node, const std::string& path) const {
  if (!node.IsMap())
    fail(node, path.empty() ? "(top level)" : path, "expected a map of keys, found " + detail::kind_of(node));
}

YAML::Node Loader::find(const YAML::Node& map, std::string_view key) {
  // Depth first through merge keys, earlier merged maps first (YAML's precedence), each map once: an
  // alias can make a map merge itself, or many merges share one map, and neither may loop or take
  // exponential time.
  std::vector<YAML::Node> searched;
  std::vector<YAML::Node> pending{map};
  while (!pending.empty() && searched.size() <= max_merged_maps) {  // the map, then those it merges
    const YAML::Node current = pending.back();
    pending.pop_back();
    if (!current.IsMap() ||
        std::any_of(searched.begin(), searched.end(), [&](const YAML::Node& s) { return s.is(current); }))
      continue;
    searched.push_back(current);
    YAML::Node merged(YAML::NodeType::Undefined);
    for (auto it = current.begin(); it != current.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      if (it->first.Scalar() == key) return it->second;
      if (it->first.Scalar() == merge_key) merged = it->second;
    }
    if (merged.IsMap()) pending.push_back(merged);
    if (merged.IsSequence())
      for (std::size_t i = merged.size(); i-- > 0;) pending.push_back(merged[i]);
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

void Loader::renamed(std::string_view old_key, std::string_view new_key) const {
  YAML::Node node = map_;  // reset(), never `=`: assigning a YAML::Node overwrites the node it refers to
  for (std::size_t start = 0;;) {
    const auto dot = old_key.find('.', start);
    node.reset(find(node, old_key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start)));
    if (!node) return;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  fail(node, detail::join_key(path_, old_key), "renamed to " + detail::join_key(path_, new_key));
}

void Loader::finish() const {
  // The map's own keys, then those of every map merged into it, transitively, each map once.
  std::vector<YAML::Node> maps{map_};
  for (std::size_t m = 0; m < maps.size(); ++m) {
    if (m > max_merged_maps)  // maps[0] is the map itself
      fail(map_, path_.empty() ? "(top level)" : path_,
           "merge keys ('<<') bring in more than " + std::to_string(max_merged_maps) + " maps");
    const YAML::Node current = maps[m];
    std::vector<std::pair<std::string, YAML::Node>> seen;  // YAML forbids a key twice; yaml-cpp keeps both
    for (auto it = current.begin(); it != current.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
      if (key != merge_key && it->first.IsScalar()) {
        for (const auto& [name, first] : seen)
          if (name == key)
            fail(it->second, detail::join_key(path_, key),
                 "the key appears twice" + (first.Mark().is_null()
                                                ? std::string()
                                                : " (first at line " + std::to_string(first.Mark().line + 1) + ")"),
                 it->first);
        seen.emplace_back(key, it->first);
      }
      if (key == merge_key) {
        const YAML::Node merged = it->second;
        const bool is_maps = merged.IsMap() ||
                             (merged.IsSequence() &&
                              std::all_of(merged.begin(), merged.end(), [](const YAML::Node& n) { return n.IsMap(); }));
        if (!is_maps) fail(merged, detail::join_key(path_, key), "a merge key ('<<') takes a map or a list of maps");
        if (merged.IsMap()) add_once(maps, merged);
        if (merged.IsSequence())
          for (const YAML::Node& each : merged) add_once(maps, each);
        continue;
      }
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      std::string problem = "unknown key '" + key + "'";
      if (auto near = detail::nearest(key, known_))
        problem += "; did you mean '" + std::string(*near) + "'?";
      else {
        problem += "; valid keys here are";
        for (auto k : known_) problem += std::string(k == known_.front() ? " " : ", ") + std::string(k);
      }
      fail(it->second, detail::join_key(path_, key), problem, it->first);
    }
  }
}

namespace {

/// Every scalar of `node` by its key path; `indexed` false writes list items as `[]`.
void flatten(const YAML::Node& node, const std::string& path, bool indexed,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) flatten(entry.second, detail::join_key(path, entry.first.Scalar()), indexed, out);
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      flatten(node[i], path + "[" + (indexed ? std::to_string(i) : std::string()) + "]", indexed, out);
  } else {
    out.emplace_back(path, node.IsNull() ? std::string("~") : node.Scalar());
  }
}

/// `path` with every list index removed: `platforms[1].x` -> `platforms[].x`.
std::string without_indices(const std::string& path) {
  std::string out;
  bool in_index = false;
  for (const char c : path) {
    if (c == '[') in_index = true;
    if (c == ']') in_index = false;
    if (!in_index || c == '[') out += c;
  }
  return out;
}

}  // namespace

std::string changes_against_defaults(const std::string& yaml, const std::string& defaults_yaml) {
  std::vector<std::pair<std::string, std::string>> values, defaults;
  flatten(YAML::Load(yaml), "", true, values);
  flatten(YAML::Load(defaults_yaml), "", false, defaults);
  std::map<std::string, std::string> by_path;
  for (auto& [path, value] : defaults) by_path.emplace(path, value);  // first list item wins
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& [path, value] : values) {
    const auto found = by_path.find(without_indices(path));
    if (found != by_path.end() && found->second == value) continue;
    out << YAML::Key << path << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "value" << YAML::Value
        << value << YAML::Key << "default" << YAML::Value;
    if (found == by_path.end())
      out << YAML::Null;
    else
      out << found->second;
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  return out.c_str();
}

}  // namespace flywheel::config
