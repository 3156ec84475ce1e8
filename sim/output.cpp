#include "sim/output.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>

#include "sim/error.hpp"

namespace attendsim {

namespace fs = std::filesystem;

OutputDir::OutputDir(fs::path final_dir) : final_(std::move(final_dir)) {
  if (final_.filename().empty()) final_ = final_.parent_path();
  fs::path parent = final_.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec)
    ATTENDSIM_INPUT_ERROR(parent.string() << ": cannot create output folder: " << ec.message());
  tmp_ = parent / ("." + final_.filename().string() + ".tmp-" + std::to_string(::getpid()));
  fs::remove_all(tmp_, ec);
  fs::create_directory(tmp_, ec);
  if (ec) ATTENDSIM_INPUT_ERROR(tmp_.string() << ": cannot create output folder: " << ec.message());
}

OutputDir::~OutputDir() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
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
  if (!fs::exists(final_, ec)) {
    fs::rename(tmp_, final_, ec);  // a new folder appears whole, or not at all
    if (ec)
      ATTENDSIM_INPUT_ERROR(final_.string() << ": cannot move output into place: " << ec.message());
    committed_ = true;
    return;
  }
  if (!fs::is_directory(final_, ec)) {
    ATTENDSIM_INPUT_ERROR(final_.string() << ": output path exists and is not a folder");
  }
  // An existing folder (e.g. a run's, to which compare or sensitivity add their files):
  // each file is renamed over its namesake, other files are kept. Every file is complete.
  for (const auto& entry : fs::directory_iterator(tmp_)) {
    fs::rename(entry.path(), final_ / entry.path().filename(), ec);
    if (ec)
      ATTENDSIM_INPUT_ERROR((final_ / entry.path().filename()).string()
                            << ": cannot write: " << ec.message());
  }
  committed_ = true;
  fs::remove_all(tmp_, ec);
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
