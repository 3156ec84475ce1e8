#include "sim/config.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::config {

Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

const toml::table& Document::root() const {
  return *root_;
}

namespace {

/// Nesting the TOML library is given at most: deeper dotted keys, tables or arrays are
/// refused before parsing (the library recurses once per level and would overflow the stack).
constexpr int kMaxTomlDepth = 64;

/// Scans TOML text outside strings and comments: the parts of a dotted key (dots since the
/// last '=', ',', bracket, brace or line end) and the nesting of brackets and braces. Throws
/// InputError naming the line where a limit is passed. Linear, no recursion.
void check_toml_depth(const std::string& text, const std::string& path) {
  int line = 1, nesting = 0, dots = 0;
  const std::size_t n = text.size();
  auto too_deep = [&](const char* what) {
    ATTENDSIM_INPUT_ERROR(path << ":" << line << ": " << what << " deeper than " << kMaxTomlDepth
                               << " levels (not a config attendsim can read)");
  };
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
    } else if (c == '#') {
      while (i + 1 < n && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
      const bool basic = c == '"';
      i += multi ? 3 : 1;
      for (; i < n; ++i) {
        if (text[i] == '\n') {
          if (!multi) break;  // unterminated: the parser reports it
          ++line;
        } else if (basic && text[i] == '\\') {
          if (i + 1 < n && text[i + 1] == '\n') ++line;
          ++i;
        } else if (text[i] == c) {
          if (!multi) break;
          if (i + 2 < n && text[i + 1] == c && text[i + 2] == c) {
            i += 2;
            while (i + 1 < n && text[i + 1] == c) ++i;  // """" ends with a quote inside
            break;
          }
        }
      }
      if (i < n && text[i] == '\n') --i;  // let the loop count the line end
    } else if (c == '.') {
      if (++dots > kMaxTomlDepth) too_deep("a dotted key is");
    } else if (c == '[' || c == '{') {
      dots = 0;
      if (++nesting > kMaxTomlDepth) too_deep("arrays, tables or inline tables nest");
    } else if (c == ']' || c == '}') {
      dots = 0;
      if (nesting > 0) --nesting;
    } else if (c == '=' || c == ',') {
      dots = 0;
    }
  }
}

}  // namespace

Document Document::load(const std::filesystem::path& path) {
  return parse(read_input_file(path, kMaxFileBytes, "config file"), path.string());
}

Document Document::parse(const std::string& text, const std::string& display_path) {
  Document d;
  d.path_ = display_path;
  d.text_ = text;
  if (text.size() > kMaxFileBytes) {
    ATTENDSIM_INPUT_ERROR(display_path << ": more than the " << (kMaxFileBytes >> 20)
                                       << " MiB a config file can have");
  }
  check_toml_depth(text, display_path);
  try {
    d.root_ = std::make_unique<toml::table>(toml::parse(text, display_path));
  } catch (const toml::parse_error& e) {
    ATTENDSIM_INPUT_ERROR(display_path << ":" << e.source().begin.line
                                       << ": TOML syntax error: " << e.description());
  }
  return d;
}

void merge_overrides(toml::table& into, toml::table& overrides) {
  for (auto&& [key, value] : overrides) {
    auto* sub = value.as_table();
    auto* existing = into.get(key);
    if (sub != nullptr && !sub->is_inline() && existing != nullptr && existing->is_table() &&
        !existing->as_table()->is_inline()) {
      merge_overrides(*existing->as_table(), *sub);
    } else {
      into.insert_or_assign(key, std::move(value));
    }
  }
}

void Document::apply_overrides(Document overrides) {
  if (!overrides_path_.empty()) {
    ATTENDSIM_INPUT_ERROR(overrides.path() << ": " << path_ << " has overrides already ("
                                           << overrides_path_ << "): give one overrides file");
  }
  merge_overrides(*root_, *overrides.root_);
  overrides_text_ = std::move(overrides.text_);
  overrides_path_ = std::move(overrides.path_);
}

TableReader::TableReader(const Document& doc, const toml::table& table, std::string prefix)
    : doc_(&doc), table_(&table), prefix_(std::move(prefix)) {}

TableReader::TableReader(const Document& doc) : TableReader(doc, doc.root(), "") {}

bool TableReader::has(const std::string& key) const {
  return table_->contains(key);
}

std::string TableReader::path_of(const std::string& key) const {
  return prefix_.empty() ? key : prefix_ + "." + key;
}

int TableReader::line_of(const std::string& key) const {
  if (const auto* n = table_->get(key)) return static_cast<int>(n->source().begin.line);
  return static_cast<int>(table_->source().begin.line);
}

void TableReader::fail(const std::string& key, const std::string& msg) const {
  fail_at(line_of(key), key, msg);
}

std::string TableReader::file_of(const std::string& key) const {
  const auto* n = table_->get(key);
  const auto& source = n != nullptr ? n->source() : table_->source();
  if (source.path && !source.path->empty()) return *source.path;
  return doc_->path();
}

void TableReader::fail_at(int line, const std::string& key, const std::string& msg) const {
  std::ostringstream os;
  os << file_of(key);
  if (line > 0) os << ":" << line;
  os << ": key '" << path_of(key) << "': " << msg;
  throw InputError(os.str());
}

const toml::node& TableReader::require(const std::string& key) {
  used_.insert(key);
  const auto* n = table_->get(key);
  if (n == nullptr) {
    std::ostringstream os;
    os << file_of(key);
    int line = static_cast<int>(table_->source().begin.line);
    if (line > 0) os << ":" << line;
    os << ": missing key '" << path_of(key) << "'";
    throw InputError(os.str());
  }
  return *n;
}

const toml::node* TableReader::node(const std::string& key) {
  used_.insert(key);
  return table_->get(key);
}

static const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date/time";
  }
}

double TableReader::number(const std::string& key) {
  const auto& n = require(key);
  if (auto v = n.value_exact<double>()) return *v;
  if (auto v = n.value_exact<std::int64_t>()) return static_cast<double>(*v);
  fail(key, std::string("must be a number, got ") + type_name(n));
}

double TableReader::number_or(const std::string& key, double fallback) {
  return has(key) ? number(key) : (used_.insert(key), fallback);
}

std::int64_t TableReader::integer(const std::string& key) {
  const auto& n = require(key);
  if (auto v = n.value_exact<std::int64_t>()) return *v;
  fail(key, std::string("must be an integer, got ") + type_name(n));
}

std::int64_t TableReader::integer_or(const std::string& key, std::int64_t fallback) {
  return has(key) ? integer(key) : (used_.insert(key), fallback);
}

std::string TableReader::string(const std::string& key) {
  const auto& n = require(key);
  if (auto v = n.value_exact<std::string>()) return *v;
  fail(key, std::string("must be a string, got ") + type_name(n));
}

std::string TableReader::string_or(const std::string& key, const std::string& fallback) {
  return has(key) ? string(key) : (used_.insert(key), fallback);
}

bool TableReader::boolean(const std::string& key) {
  const auto& n = require(key);
  if (auto v = n.value_exact<bool>()) return *v;
  fail(key, std::string("must be true or false, got ") + type_name(n));
}

bool TableReader::boolean_or(const std::string& key, bool fallback) {
  return has(key) ? boolean(key) : (used_.insert(key), fallback);
}

std::vector<double> TableReader::numbers(const std::string& key) {
  const auto& n = require(key);
  const auto* arr = n.as_array();
  if (arr == nullptr) fail(key, std::string("must be an array of numbers, got ") + type_name(n));
  std::vector<double> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& e = (*arr)[i];
    if (auto v = e.value_exact<double>()) {
      out.push_back(*v);
    } else if (auto w = e.value_exact<std::int64_t>()) {
      out.push_back(static_cast<double>(*w));
    } else {
      fail_at(static_cast<int>(e.source().begin.line), key,
              "element " + std::to_string(i) + " must be a number, got " + type_name(e));
    }
  }
  return out;
}

std::vector<std::string> TableReader::strings(const std::string& key) {
  const auto& n = require(key);
  const auto* arr = n.as_array();
  if (arr == nullptr) fail(key, std::string("must be an array of strings, got ") + type_name(n));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& e = (*arr)[i];
    auto v = e.value_exact<std::string>();
    if (!v) {
      fail_at(static_cast<int>(e.source().begin.line), key,
              "element " + std::to_string(i) + " must be a string, got " + type_name(e));
    }
    out.push_back(*v);
  }
  return out;
}

TableReader TableReader::table(const std::string& key) {
  const auto& n = require(key);
  const auto* t = n.as_table();
  if (t == nullptr) fail(key, std::string("must be a table, got ") + type_name(n));
  return TableReader(*doc_, *t, path_of(key));
}

std::optional<TableReader> TableReader::table_if(const std::string& key) {
  if (!has(key)) {
    used_.insert(key);
    return std::nullopt;
  }
  return table(key);
}

std::vector<TableReader> TableReader::tables(const std::string& key) {
  std::vector<TableReader> out;
  if (!has(key)) {
    used_.insert(key);
    return out;
  }
  const auto& n = require(key);
  const auto* arr = n.as_array();
  if (arr == nullptr)
    fail(key, std::string("must be an array of tables ([[") + key + "]]), got " + type_name(n));
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* t = (*arr)[i].as_table();
    if (t == nullptr) {
      fail_at(static_cast<int>((*arr)[i].source().begin.line), key,
              "element " + std::to_string(i) + " must be a table");
    }
    out.emplace_back(*doc_, *t, path_of(key) + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<std::string> TableReader::keys() const {
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& [k, v] : *table_) {
    ordered.emplace_back(static_cast<int>(v.source().begin.line), std::string(k.str()));
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& p : ordered) out.push_back(std::move(p.second));
  return out;
}

void TableReader::finish() const {
  for (const auto& k : keys()) {
    if (used_.count(k) == 0) fail(k, "unknown key (misspelt, or not valid here)");
  }
}

std::string name_problem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 100) return "must be at most 100 bytes long";
  for (const unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "must not hold control characters (newline, tab, ...)";
    if (c == ',' || c == '"') return "must not hold a comma or a double quote (it is a CSV cell)";
  }
  if (name.front() == ' ' || name.back() == ' ') return "must not start or end with a blank";
  return "";
}

std::string fmt(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

}  // namespace attendsim::config
