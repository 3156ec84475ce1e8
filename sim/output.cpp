#include "sim/output.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>

#include "sim/error.hpp"
#include "sim/work_split.hpp"

namespace attendsim {

namespace fs = std::filesystem;

namespace {

// ---- Temporary paths removed on a signal ------------------------------------------------
// A fixed table of NUL-terminated absolute paths; the handler only reads it and calls
// async-signal-safe system calls (open, getdents64, unlinkat, close, raise).

constexpr int kSlots = 16;
constexpr std::size_t kPathMax = 4096;
char g_paths[kSlots][kPathMax];
std::atomic<bool> g_used[kSlots];
std::mutex g_mutex;
std::once_flag g_handler_once;

/// Removes `name` under `dirfd` (a file, or a folder with everything in it), depth-limited.
void remove_tree_at(int dirfd, const char* name, int depth) {
  if (::unlinkat(dirfd, name, 0) == 0) return;
  if (depth > 16) return;
  const int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char buf[4096];
  for (int pass = 0; pass < 64; ++pass) {
    bool any = false;
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
      const long n = ::syscall(SYS_getdents64, fd, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        struct Dirent64 {
          unsigned long long d_ino;
          long long d_off;
          unsigned short d_reclen;
          unsigned char d_type;
          char d_name[1];
        };
        const auto* d = reinterpret_cast<const Dirent64*>(buf + off);
        off += d->d_reclen;
        if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0) continue;
        any = true;
        if (d->d_type == DT_DIR) {
          remove_tree_at(fd, d->d_name, depth + 1);
        } else if (::unlinkat(fd, d->d_name, 0) != 0) {
          remove_tree_at(fd, d->d_name, depth + 1);
        }
      }
    }
    if (!any) break;
  }
  ::close(fd);
  ::unlinkat(dirfd, name, AT_REMOVEDIR);
}

extern "C" void attendsim_on_signal(int sig) {
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i].load()) remove_tree_at(AT_FDCWD, g_paths[i], 0);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_handler() {
  std::call_once(g_handler_once, [] {
    struct sigaction sa {};
    sa.sa_handler = attendsim_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler == SIG_IGN) continue;  // e.g. nohup: keep ignoring
      ::sigaction(sig, &sa, nullptr);
    }
  });
}

std::atomic<unsigned> g_counter{0};

constexpr const char* kTmpTag = ".attendsim-tmp-";
constexpr const char* kOldTag = ".attendsim-old-";

/// ".NAME.attendsim-tmp-PID-N" (tag = kTmpTag or kOldTag).
fs::path hidden_sibling(const fs::path& final_path, const char* tag) {
  return final_path.parent_path() /
         ("." + final_path.filename().string() + tag + std::to_string(::getpid()) + "-" +
          std::to_string(g_counter.fetch_add(1)));
}

/// The PID in a hidden temporary name, or 0 when the name is not one of ours.
long pid_in_name(const std::string& name) {
  if (name.empty() || name[0] != '.') return 0;
  for (const char* tag : {kTmpTag, kOldTag}) {
    const auto at = name.rfind(tag);
    if (at == std::string::npos) continue;
    const std::string rest = name.substr(at + std::strlen(tag));
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 9) return 0;
    long pid = 0;
    for (std::size_t i = 0; i < dash; ++i) {
      if (rest[i] < '0' || rest[i] > '9') return 0;
      pid = pid * 10 + (rest[i] - '0');
    }
    return pid;
  }
  return 0;
}

/// Atomic exchange of two paths; false when the filesystem does not support it.
bool exchange(const fs::path& a, const fs::path& b, std::error_code& ec) {
#ifdef SYS_renameat2
  constexpr unsigned kExchange = 1U << 1;  // RENAME_EXCHANGE
  if (::syscall(SYS_renameat2, AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), kExchange) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS) {
    ec = std::error_code(errno, std::generic_category());
    return true;
  }
#endif
  return false;
}

/// Rename that fails with EEXIST instead of replacing an existing target.
bool rename_noreplace(const fs::path& from, const fs::path& to, std::error_code& ec) {
#ifdef SYS_renameat2
  constexpr unsigned kNoReplace = 1U << 0;  // RENAME_NOREPLACE
  if (::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), kNoReplace) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS) {
    ec = std::error_code(errno, std::generic_category());
    return false;
  }
#endif
  // No RENAME_NOREPLACE here: reserve the name with mkdir (atomic), then rename onto the
  // empty folder it made.
  if (::mkdir(to.c_str(), 0777) != 0) {
    ec = std::error_code(errno, std::generic_category());
    return false;
  }
  fs::rename(from, to, ec);
  if (ec) {
    std::error_code ignore;
    fs::remove(to, ignore);
    return false;
  }
  return true;
}

std::string describe(const std::error_code& ec) {
  if (ec.value() == EXDEV)
    return ec.message() + " (the folder is on another filesystem than its parent folder)";
  return ec.message();
}

}  // namespace

void register_temporary(const fs::path& p) {
  install_handler();
  const std::string s = fs::absolute(p).string();
  if (s.size() + 1 > kPathMax) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int i = 0; i < kSlots; ++i) {
    if (!g_used[i].load()) {
      std::memcpy(g_paths[i], s.c_str(), s.size() + 1);
      g_used[i].store(true);
      return;
    }
  }
}

void unregister_temporary(const fs::path& p) {
  const std::string s = fs::absolute(p).string();
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i].load() && s == g_paths[i]) g_used[i].store(false);
  }
}

void remove_stale_temporaries(const fs::path& parent) {
  std::error_code ec;
  fs::directory_iterator it(parent.empty() ? fs::path(".") : parent, ec);
  if (ec) return;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    const long pid = pid_in_name(name);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (fs::exists("/proc/" + std::to_string(pid), ec)) continue;  // still running
    std::error_code ignore;
    fs::remove_all(entry.path(), ignore);
  }
}

OutputDir::OutputDir(fs::path final_dir, bool fresh_name)
    : final_(std::move(final_dir)), fresh_(fresh_name) {
  if (final_.empty()) ATTENDSIM_INPUT_ERROR("--out: empty output folder name");
  if (final_.filename().empty()) final_ = final_.parent_path();
  if (final_.filename() == "." || final_.filename() == "..") final_ = fs::absolute(final_);
  final_ = final_.lexically_normal();
  if (final_.filename().empty() || final_ == final_.root_path())
    ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot be an output folder (use a sub-folder)");
  if (final_.filename().string().size() > 200)  // the temporary sibling's name adds ~30 bytes
    ATTENDSIM_INPUT_ERROR(final_.string() << ": output folder name longer than 200 bytes");
  std::error_code ec;
  const auto st = fs::symlink_status(final_, ec);
  if (!fresh_ && fs::exists(st)) {
    if (!fs::is_directory(fs::status(final_, ec)))
      ATTENDSIM_INPUT_ERROR(final_.string() << ": output path exists and is not a folder");
    if (fs::is_symlink(st))
      ATTENDSIM_INPUT_ERROR(final_.string()
                            << ": output folder is a symbolic link; give the folder it points to");
    // Only a results folder (or an empty one) is replaced: never a folder of other files.
    // A calibration's folder (calibrated.toml beside fit.json) is ours too: a run of the
    // calibrated config into it keeps the fit report beside the run.
    bool empty = true, ours = false, fit = false, calibrated = false;
    for (const auto& e : fs::directory_iterator(final_, ec)) {
      empty = false;
      const auto n = e.path().filename().string();
      if (n == "run.json" || n == "calc.json" || n == "allocate.json") ours = true;
      fit = fit || n == "fit.json";
      calibrated = calibrated || n == "calibrated.toml";
    }
    ours = ours || (fit && calibrated);
    if (ec)
      ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot read output folder: " << ec.message());
    if (!empty && !ours) {
      ATTENDSIM_INPUT_ERROR(
          final_.string()
          << ": output folder exists and is not an attendsim results folder (no "
             "run.json, calc.json, allocate.json or fit.json with calibrated.toml); give a new or "
             "empty folder");
    }
    struct stat a {
    }, b{};
    const fs::path parent = final_.parent_path().empty() ? fs::path(".") : final_.parent_path();
    if (::stat(final_.c_str(), &a) == 0 && ::stat(parent.c_str(), &b) == 0 &&
        a.st_dev != b.st_dev) {
      ATTENDSIM_INPUT_ERROR(final_.string()
                            << ": output folder is a mount point (another filesystem than its "
                               "parent); a results folder is swapped in whole by a rename, so "
                               "give a folder inside it, e.g. "
                            << (final_ / "results").string());
    }
  }
  make_temporary();
}

void OutputDir::make_temporary() {
  if (process_work_split().rank() != 0) {
    // Under mpirun only rank 0 writes the folder. The other ranks run the same writers into
    // a private scratch folder of their own, which commit() and the destructor remove; they
    // never touch the output's parent (nor its stale temporaries, which may be rank 0's).
    std::string pattern = (fs::temp_directory_path() / "attendsim-rank-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      ATTENDSIM_INPUT_ERROR(pattern << ": cannot create a scratch folder: "
                                    << std::strerror(errno));
    tmp_ = pattern;
    scratch_ = true;
    register_temporary(tmp_);
    return;
  }
  fs::path parent = final_.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec)
    ATTENDSIM_INPUT_ERROR(parent.string() << ": cannot create output folder: " << ec.message());
  remove_stale_temporaries(parent);
  tmp_ = hidden_sibling(parent / final_.filename(), kTmpTag);
  register_temporary(tmp_);
  fs::create_directory(tmp_, ec);
  if (ec) {
    unregister_temporary(tmp_);
    ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot create output folder (its temporary "
                                          << tmp_.filename().string() << "): " << ec.message());
  }
}

OutputDir::~OutputDir() {
  if (!committed_ && !tmp_.empty()) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
    unregister_temporary(tmp_);
  }
}

void OutputDir::write(const std::string& name, const std::string& content) const {
  const fs::path p = file(name);
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) ATTENDSIM_INPUT_ERROR(p.string() << ": cannot write output file");
}

void OutputDir::commit() {
  std::error_code ec;
  if (scratch_) {
    fs::remove_all(tmp_, ec);
    unregister_temporary(tmp_);
    committed_ = true;
    return;
  }
  if (fresh_) {
    // Take the first free name with a rename that never replaces: a run started in the same
    // second gets the next name instead of sharing (and losing) a folder.
    const fs::path base = final_;
    for (int i = 2; i < 10000; ++i) {
      ec.clear();
      if (rename_noreplace(tmp_, final_, ec)) {
        committed_ = true;
        unregister_temporary(tmp_);
        return;
      }
      if (ec.value() != EEXIST && ec.value() != ENOTEMPTY) break;
      final_ = fs::path(base.string() + "-" + std::to_string(i));
    }
    ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot move output into place: " << describe(ec));
  }
  if (!fs::exists(fs::symlink_status(final_, ec))) {
    ec.clear();
    if (rename_noreplace(tmp_, final_, ec)) {  // a new folder appears whole, or not at all
      committed_ = true;
      unregister_temporary(tmp_);
      return;
    }
    if (ec.value() != EEXIST && ec.value() != ENOTEMPTY)
      ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot move output into place: " << describe(ec));
    // Someone made the folder meanwhile: add to it as below.
  }
  if (!fs::is_directory(final_, ec)) {
    ATTENDSIM_INPUT_ERROR(final_.string() << ": output path exists and is not a folder");
  }
  // An existing folder (a run's, to which compare or sensitivity add their files): the new
  // folder gets copies of the old files this command did not write, then the two are swapped.
  for (const auto& entry : fs::directory_iterator(final_, ec)) {
    const auto name = entry.path().filename();
    if (fs::exists(fs::symlink_status(tmp_ / name)) || dropped_.count(name.string())) continue;
    std::error_code cec;
    fs::copy(entry.path(), tmp_ / name,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks, cec);
    if (cec)
      ATTENDSIM_INPUT_ERROR(entry.path().string()
                            << ": cannot carry over into the new results folder: "
                            << cec.message());
  }
  if (ec) ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot read output folder: " << ec.message());
  const fs::path old = hidden_sibling(final_, kOldTag);
  if (!exchange(tmp_, final_, ec)) {
    // No atomic exchange on this filesystem: two renames, the old folder restored on failure.
    fs::rename(final_, old, ec);
    if (ec) {
      ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot replace output folder: " << describe(ec));
    }
    fs::rename(tmp_, final_, ec);
    if (ec) {
      std::error_code ignore;
      fs::rename(old, final_, ignore);
      ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot replace output folder: " << describe(ec));
    }
    committed_ = true;
    unregister_temporary(tmp_);
    fs::remove_all(old, ec);
    return;
  }
  if (ec)
    ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot replace output folder: " << describe(ec));
  // tmp_ now holds the old folder: remove it.
  committed_ = true;
  fs::remove_all(tmp_, ec);
  unregister_temporary(tmp_);
}

fs::path default_output_dir(const fs::path& parent, const std::string& stem) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  fs::path base = parent / (stem + "-" + buf);
  fs::path p = base;
  for (int i = 2; fs::exists(p); ++i) p = fs::path(base.string() + "-" + std::to_string(i));
  return p;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (v == 0.0) return "0";  // folds -0 into 0
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

}  // namespace attendsim
