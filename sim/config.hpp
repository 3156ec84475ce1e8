#pragma once
/// Generic TOML reading with errors that name file, line and key.
///
/// `TableReader` wraps one TOML table. Every getter marks its key as used; `finish()`
/// rejects any key that was never asked for, so a misspelt key is an error, not a
/// silently ignored default. All failures throw `InputError` with the message
///   `FILE:LINE: key 'a.b.c': what is wrong`.
/// This layer knows nothing of schools; the domain schema lives in models/.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
class node;
}  // namespace v3
}  // namespace toml

namespace attendsim::config {

/// A parsed TOML file. Owns the tree; readers refer into it.
class Document {
 public:
  /// Larger files are refused (configs are a few kB; this also stops `run /dev/zero`-like
  /// input, and only regular files are read).
  static constexpr std::size_t kMaxFileBytes = 8U << 20;
  /// Reads and parses `path`. Throws InputError (unreadable file, syntax error with line).
  static Document load(const std::filesystem::path& path);
  /// Parses TOML text; `display_path` is used in messages.
  static Document parse(const std::string& text, const std::string& display_path);

  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  const std::string& path() const { return path_; }
  const toml::table& root() const;
  /// The raw bytes of the file (for hashing into run.json).
  const std::string& text() const { return text_; }

  /// Applies `overrides` (a TOML document, e.g. `detection.p_consent = 0.5`, one key a line):
  /// each of its keys replaces the same key of this document or adds it (merge_overrides).
  /// The replacing values keep their own source, so that a message about one names the
  /// overrides' file and line. text() stays the file's bytes; the overrides' bytes are kept
  /// in overrides_text(). Only one overrides document per document.
  void apply_overrides(Document overrides);
  /// The bytes of the applied overrides ("" when none) and their path (for messages).
  const std::string& overrides_text() const { return overrides_text_; }
  const std::string& overrides_path() const { return overrides_path_; }

 private:
  Document() = default;
  std::string path_;
  std::string text_;
  std::string overrides_text_;
  std::string overrides_path_;
  std::unique_ptr<toml::table> root_;
};

/// Merges `overrides` into `into`, moving its nodes: a key whose value is a table written as a
/// section or a dotted key (`[detection]`, `detection.p_consent = ..`) merges into the table of
/// that name; any other value (a number, a string, an array, an inline table such as a
/// distribution `{ base = .., dist = .. }`) replaces the key's value whole.
void merge_overrides(toml::table& into, toml::table& overrides);

/// Reads keys from one table; see the file comment.
class TableReader {
 public:
  /// `prefix` is the dotted key path of this table ("" for the root).
  TableReader(const Document& doc, const toml::table& table, std::string prefix);
  /// Reader on the document's root table.
  explicit TableReader(const Document& doc);

  bool has(const std::string& key) const;
  /// The dotted key path of `key` in this table, e.g. "detection.p_consent".
  std::string path_of(const std::string& key) const;
  /// Line of `key` (or of this table when the key is absent); 0 when unknown.
  int line_of(const std::string& key) const;

  double number(const std::string& key);
  double number_or(const std::string& key, double fallback);
  std::int64_t integer(const std::string& key);
  std::int64_t integer_or(const std::string& key, std::int64_t fallback);
  std::string string(const std::string& key);
  std::string string_or(const std::string& key, const std::string& fallback);
  bool boolean(const std::string& key);
  bool boolean_or(const std::string& key, bool fallback);
  /// An array of numbers (integers accepted).
  std::vector<double> numbers(const std::string& key);
  std::vector<std::string> strings(const std::string& key);

  /// A sub-table; throws when absent or not a table.
  TableReader table(const std::string& key);
  std::optional<TableReader> table_if(const std::string& key);
  /// An array of tables (`[[key]]`); empty when absent.
  std::vector<TableReader> tables(const std::string& key);
  /// The keys present in this table, in file order.
  std::vector<std::string> keys() const;
  /// The raw node for `key` (marks it used); nullptr when absent.
  const toml::node* node(const std::string& key);

  /// Rejects keys never asked for. Call after reading everything.
  void finish() const;

  /// Throws InputError "FILE:LINE: key 'path': msg" for `key` of this table.
  [[noreturn]] void fail(const std::string& key, const std::string& msg) const;
  /// Same, at an explicit line (for array elements).
  [[noreturn]] void fail_at(int line, const std::string& key, const std::string& msg) const;
  /// The file `key`'s value comes from: the document's, or its overrides' for an overridden
  /// value.
  std::string file_of(const std::string& key) const;

  const Document& document() const { return *doc_; }
  const std::string& prefix() const { return prefix_; }
  const toml::table& raw() const { return *table_; }

 private:
  const toml::node& require(const std::string& key);
  const Document* doc_;
  const toml::table* table_;
  std::string prefix_;
  mutable std::set<std::string> used_;
};

/// Why `name` cannot name a scenario (or municipality, applicant), or "" when it can: it is
/// written into CSV, JSON, Markdown and HTML, and printed in tables, so it must be 1 to 100
/// bytes without control characters (newline, tab, ...), commas or double quotes, and without
/// blanks at either end.
std::string name_problem(const std::string& name);

/// Formats a number for messages without trailing noise (0.35, 1e-05).
std::string fmt(double v);

}  // namespace attendsim::config
