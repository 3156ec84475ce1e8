// docs/methods.md Appendix A lists every config key: each key written in a shipped config
// (configs/*.toml, a line `key = ...`) must appear in the appendix as a key of its example.
// Independent of the schema code: it reads the files as text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "paths.hpp"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The keys of `key = value` lines of a TOML text (a line that starts, after blanks, with
/// a lower-case name followed by blanks and '=').
std::set<std::string> line_keys(const std::string& text) {
  std::set<std::string> keys;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos) continue;
    const std::size_t start = i;
    while (i < line.size() && ((line[i] >= 'a' && line[i] <= 'z') ||
                               (line[i] >= '0' && line[i] <= '9') || line[i] == '_'))
      ++i;
    if (i == start) continue;
    const std::size_t eq = line.find_first_not_of(" \t", i);
    if (eq != std::string::npos && line[eq] == '=') keys.insert(line.substr(start, i - start));
  }
  return keys;
}

TEST(DocsSchema, EveryConfigKeyIsInAppendixA) {
  const std::filesystem::path root(ATTENDSIM_SOURCE_DIR);
  const std::string methods = slurp(root / "docs" / "methods.md");
  const auto at = methods.find("## Appendix A.");
  ASSERT_NE(at, std::string::npos);
  const std::set<std::string> documented = line_keys(methods.substr(at));
  int configs = 0;
  for (const auto& f : std::filesystem::directory_iterator(root / "configs")) {
    if (f.path().extension() != ".toml") continue;
    ++configs;
    for (const auto& k : line_keys(slurp(f.path())))
      EXPECT_TRUE(documented.count(k))
          << f.path().filename() << ": key " << k << " is not in docs/methods.md Appendix A";
  }
  EXPECT_GE(configs, 6);
}

}  // namespace
