#pragma once
/// Output folders that are never half-written.
///
/// `OutputDir` writes into a hidden temporary sibling `.NAME.tmp-PID`; `commit()` renames it
/// to NAME when NAME does not exist, or, when it does, renames each file over its namesake
/// in NAME and keeps NAME's other files (so compare and sensitivity can add to a run's
/// folder). If the object is destroyed before `commit()` (an error), the temporary folder is
/// removed: a failed command leaves nothing behind and changes nothing.
#include <filesystem>
#include <string>

namespace attendsim {

class OutputDir {
 public:
  explicit OutputDir(std::filesystem::path final_dir);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  /// Path of a file inside the temporary folder.
  std::filesystem::path file(const std::string& name) const { return tmp_ / name; }
  /// Writes `content` to `name` (throws InputError when the folder is not writable).
  void write(const std::string& name, const std::string& content) const;
  /// Moves the folder into place.
  void commit();
  const std::filesystem::path& final_path() const { return final_; }

 private:
  std::filesystem::path final_;
  std::filesystem::path tmp_;
  bool committed_ = false;
};

/// A fresh folder name under `parent`: parent/STEM-YYYYmmdd-HHMMSS (with -2, -3 ... if taken).
std::filesystem::path default_output_dir(const std::filesystem::path& parent,
                                         const std::string& stem);

/// Formats a double for CSV/JSON text with 12 significant digits, deterministic.
std::string format_number(double v);

}  // namespace attendsim
