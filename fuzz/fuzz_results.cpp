// libFuzzer target: the results-folder reader of `attendsim report` (summary.json, run.json,
// occupancy.csv, comparison.json, config.toml, equity.csv, tornado.csv, acceptability.csv ->
// HTML). The input is a sequence of files, each framed as one byte (which file, modulo 8),
// four bytes of length (little-endian, cut to what is left) and the bytes; they are written
// into a scratch folder (on /dev/shm when there is one) and the report is built from it. Any
// input must end in a report or an InputError. scripts/fuzz-pack-results.py makes seeds.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/html_report.hpp"
#include "sim/error.hpp"

namespace fs = std::filesystem;

namespace {

const char* const kFiles[] = {"summary.json", "run.json",   "occupancy.csv", "comparison.json",
                              "config.toml",  "equity.csv", "tornado.csv",   "acceptability.csv"};

const fs::path& scratch() {
  static const fs::path dir = [] {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path d = base / ("attendsim-fuzz-results-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& dir = scratch();
  for (const char* f : kFiles) fs::remove(dir / f);
  std::size_t i = 0;
  while (i + 5 <= size) {
    const unsigned which = data[i] % 8;
    std::size_t len = static_cast<std::size_t>(data[i + 1]) |
                      (static_cast<std::size_t>(data[i + 2]) << 8) |
                      (static_cast<std::size_t>(data[i + 3]) << 16) |
                      (static_cast<std::size_t>(data[i + 4]) << 24);
    i += 5;
    if (len > size - i) len = size - i;
    std::ofstream out(dir / kFiles[which], std::ios::binary | std::ios::app);
    out.write(reinterpret_cast<const char*>(data + i), static_cast<std::streamsize>(len));
    i += len;
  }
  for (const auto lang : {attendsim::models::Language::sv, attendsim::models::Language::en}) {
    try {
      (void)attendsim::models::build_report(dir, lang);
    } catch (const attendsim::InputError&) {
    }
  }
  return 0;
}
