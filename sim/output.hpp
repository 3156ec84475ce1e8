#pragma once
/// Output folders that are never half-written.
///
/// `OutputDir` writes into a hidden temporary sibling `.NAME.attendsim-tmp-PID-N` on the same
/// filesystem as NAME. `commit()` then either renames it to NAME (NAME absent), or, when NAME
/// is an existing results folder, first copies into it the files of NAME that this command
/// did not write (so compare and sensitivity can add to a run's folder) and then swaps the two
/// folders with one atomic exchange (`renameat2(RENAME_EXCHANGE)`; two renames where the
/// filesystem lacks it). Either the whole new folder is there or the whole old one stays.
///
/// If the object is destroyed before `commit()` (an error), the temporary folder is removed.
/// On SIGINT, SIGTERM and SIGHUP a handler removes every registered temporary folder and
/// re-raises the signal; folders left by a killed process (SIGKILL, power loss) are removed
/// by the next OutputDir in the same parent folder once /proc shows their PID is gone.
///
/// Under mpirun (sim/work_split.hpp) only rank 0's folder is moved into place; the other ranks
/// write into a private scratch folder that is removed.
#include <filesystem>
#include <set>
#include <string>

namespace attendsim {

class OutputDir {
 public:
  /// A folder that will be `final_dir` (created, or replaced whole when it exists). With
  /// `fresh_name` (a default name from default_output_dir), the name is taken at `commit()`
  /// by a rename that never replaces, with -2, -3 ... appended when it is taken meanwhile:
  /// two runs started in the same second never share a folder.
  explicit OutputDir(std::filesystem::path final_dir, bool fresh_name = false);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  /// Path of a file inside the temporary folder.
  std::filesystem::path file(const std::string& name) const { return tmp_ / name; }
  /// Writes `content` to `name` (throws InputError when the folder is not writable).
  void write(const std::string& name, const std::string& content) const;
  /// `name` is one of this command's files that it did not write this time: an older copy
  /// in the existing folder is not carried over (no stale draws.csv beside a new run).
  void drop(const std::string& name) const { dropped_.insert(name); }
  /// Moves the folder into place.
  void commit();
  /// The folder's path (for a fresh folder: its final name only after commit()).
  const std::filesystem::path& final_path() const { return final_; }

 private:
  void make_temporary();
  std::filesystem::path final_;
  std::filesystem::path tmp_;
  bool fresh_ = false;
  bool committed_ = false;
  bool scratch_ = false;  ///< a rank other than 0 under mpirun: tmp_ is discarded, not moved
  mutable std::set<std::string> dropped_;
};

/// Removes hidden attendsim temporary folders in `parent` whose process no longer exists.
void remove_stale_temporaries(const std::filesystem::path& parent);

/// Registers a temporary path (file or folder) to remove on SIGINT/SIGTERM/SIGHUP; installs
/// the handler on first use. `unregister_temporary` when it has been renamed or removed.
void register_temporary(const std::filesystem::path& p);
void unregister_temporary(const std::filesystem::path& p);

/// A fresh folder name under `parent`: parent/STEM-YYYYmmdd-HHMMSS (with -2, -3 ... if taken).
/// Only a proposal: OutputDir::fresh takes the name atomically.
std::filesystem::path default_output_dir(const std::filesystem::path& parent,
                                         const std::string& stem);

/// Formats a double for CSV/JSON text with 12 significant digits, deterministic.
std::string format_number(double v);

}  // namespace attendsim
