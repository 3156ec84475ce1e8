#pragma once
// Where the tests find the source tree and the attendsim binary, read at run time (not compiled
// in) so that a test object is the same bytes in every clone and worktree and ccache can serve
// it. The environment variables ATTENDSIM_SOURCE_DIR and ATTENDSIM_BINARY win; otherwise the
// executable's own folder is taken as the build tree: the binary beside it, and the source tree
// from CMakeCache.txt's CMAKE_HOME_DIRECTORY.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace testsupport {

inline std::filesystem::path build_dir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path();
}

inline const char* source_dir_c() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("ATTENDSIM_SOURCE_DIR"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    const auto cache = build_dir() / "CMakeCache.txt";
    std::ifstream in(cache);
    const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(key, 0) == 0) return line.substr(key.size());
    }
    throw std::runtime_error("tests: no ATTENDSIM_SOURCE_DIR and no CMAKE_HOME_DIRECTORY in " +
                             cache.string());
  }();
  return dir.c_str();
}

inline const char* binary_c() {
  static const std::string bin = [] {
    if (const char* env = std::getenv("ATTENDSIM_BINARY"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    return (build_dir() / "attendsim").string();
  }();
  return bin.c_str();
}

}  // namespace testsupport

#define ATTENDSIM_SOURCE_DIR (::testsupport::source_dir_c())
#define ATTENDSIM_BINARY (::testsupport::binary_c())
