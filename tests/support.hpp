#pragma once
// Shared helpers for tests: read files, edit config text, run the CLI.
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "paths.hpp"

namespace testsupport {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline std::string reference_config_text() {
  return read_file(std::filesystem::path(ATTENDSIM_SOURCE_DIR) / "configs" / "reference.toml");
}

/// Replaces the value of the single-line `key = ...` inside `[section]` (first match after
/// the header line). Throws when not found.
inline std::string set_key(const std::string& text, const std::string& section,
                           const std::string& key, const std::string& value) {
  const std::string header = "[" + section + "]";
  const auto h = text.find("\n" + header);
  const auto start =
      h == std::string::npos ? (text.rfind(header, 0) == 0 ? 0 : std::string::npos) : h + 1;
  if (start == std::string::npos) throw std::runtime_error("no section " + section);
  const auto next = text.find("\n[", start + header.size());
  const std::string body =
      text.substr(start, next == std::string::npos ? std::string::npos : next - start);
  std::regex re("(^|\\n)" + key + "\\s*=[^\\n]*");
  std::smatch m;
  if (!std::regex_search(body, m, re)) throw std::runtime_error("no key " + key + " in " + section);
  const std::string replaced = body.substr(0, static_cast<std::size_t>(m.position(0))) +
                               m[1].str() + key + " = " + value +
                               body.substr(static_cast<std::size_t>(m.position(0) + m.length(0)));
  return text.substr(0, start) + replaced + (next == std::string::npos ? "" : text.substr(next));
}

/// The config text without its [detection] referral rule (the keys referral_rule,
/// queue_limit, queue_half, triage_queue): referrals as configured, however long the queue.
inline std::string without_referral_rule(const std::string& text) {
  static const std::regex re("\n(referral_rule|queue_limit|queue_half|triage_queue)\\s*=[^\n]*");
  return std::regex_replace(text, re, "");
}

/// A path shell-quoted for run_cli's argument string.
inline std::string shell_quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

/// `text` (configs/reference.toml or a config derived from it) with the coordinator parameters
/// the reference had before it took the founding configs' fit (docs/methods.md §4.4): 14
/// active cases per casework FTE, cases closed after 3 months regular, no other case ends.
/// Many short cases: for tests whose design needs many admissions a month (their power does
/// not rest on the caseload's value).
inline std::string with_short_cases(std::string text) {
  text = set_key(text, "coordinators", "caseload_per_fte",
                 "{ base = 14, dist = \"lognormal\", mu = 2.639, sigma = 0.25 }");
  text = set_key(text, "coordinators", "close_after_regular_months", "3");
  return set_key(text, "coordinators", "p_case_end_per_month", "0");
}

/// The text of configs/reference.toml cut to 1000 pupils and 3 years.
inline std::string small_config_text() {
  std::string t = reference_config_text();
  t = set_key(t, "population", "pupils", "1000");
  t = set_key(t, "simulation", "horizon_years", "3");
  return t;
}

/// small_config_text() written to dir/small.toml; returns its path shell-quoted for run_cli.
inline std::string small_reference_config(const std::filesystem::path& dir) {
  const auto path = dir / "small.toml";
  write_file(path, small_config_text());
  return shell_quoted(path);
}

/// A sample's mean and the standard error of that mean (sd / sqrt(n), n - 1 in the sd).
struct SampleMeanSe {
  double mean = 0, se = 0;
};
inline SampleMeanSe sample_mean_se(const std::vector<double>& v) {
  double m = 0, m2 = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  for (double x : v) m2 += (x - m) * (x - m);
  return {m, std::sqrt(m2 / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()))};
}

/// Seconds of wall time since t0.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs the attendsim CLI with `args` (a shell-quoted string), capturing stdout and stderr.
inline CliResult run_cli(const std::string& args, const std::filesystem::path& scratch) {
  const auto out = scratch / "cli_stdout.txt";
  const auto err = scratch / "cli_stderr.txt";
  const std::string cmd = std::string("'") + ATTENDSIM_BINARY + "' " + args + " >'" + out.string() +
                          "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

/// A fresh scratch folder for one test.
inline std::filesystem::path scratch_dir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() /
           ("attendsim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

}  // namespace testsupport
