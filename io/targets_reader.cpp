#include "io/targets_reader.hpp"

#include <array>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "io/csv_fields.hpp"
#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"
#include "sim/output.hpp"

namespace attendsim::models {

namespace {

bool parse_period(std::string_view f, int& year, int& term) {
  if (f.size() < 2 || f[0] != 'Y') return false;
  std::string_view rest = f.substr(1);
  term = 0;
  const auto dash = rest.find('-');
  if (dash != std::string_view::npos) {
    const auto t = rest.substr(dash + 1);
    if (t == "autumn")
      term = 1;
    else if (t == "spring")
      term = 2;
    else
      return false;
    rest = rest.substr(0, dash);
  }
  long long y = 0;
  if (!csv::parse_int(rest, y) || y < 1 || y > 1000) return false;
  year = static_cast<int>(y);
  return true;
}

}  // namespace

std::vector<Target> parse_targets_csv(const std::string& text, const std::string& file,
                                      int horizon_years) {
  const auto ls = csv::lines(text);
  if (ls.empty()) ATTENDSIM_INPUT_ERROR(file << ":1: empty file: expected a header line");
  static const std::array<std::string, 6> kCols = {"target", "band",  "gender",
                                                   "period", "value", "se"};
  const auto head = csv::fields(ls[0].text);
  const auto pos = csv::header_positions(head, kCols, file, ls[0].number);
  std::vector<Target> out;
  for (std::size_t n = 1; n < ls.size(); ++n) {
    const int line = ls[n].number;
    const auto f = csv::row_fields(ls[n], head.size(), file);
    auto field = [&](int c) {
      return f[static_cast<std::size_t>(pos[static_cast<std::size_t>(c)])];
    };
    auto bad = [&](int c, const std::string& what) {
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, kCols[static_cast<std::size_t>(c)],
                                       pos[static_cast<std::size_t>(c)] + 1)
                            << what << ", got '" << std::string(field(c)) << "'");
    };
    Target t;
    const auto kind = field(0);
    if (kind == "prevalence_high_or_extensive")
      t.kind = TargetKind::prevalence_high_or_extensive;
    else if (kind == "prevalence_extensive")
      t.kind = TargetKind::prevalence_extensive;
    else if (kind == "long_term_absent_share")
      t.kind = TargetKind::long_term_absent_share;
    else if (kind == "cases_started")
      t.kind = TargetKind::cases_started;
    else if (kind == "returns")
      t.kind = TargetKind::returns;
    else if (kind == "referrals")
      t.kind = TargetKind::referrals;
    else
      bad(0,
          "unknown target (expected prevalence_high_or_extensive, prevalence_extensive, "
          "long_term_absent_share, cases_started, returns or referrals)");
    const auto band = field(1);
    t.band = -2;
    if (band == "all") t.band = -1;
    for (int b = 0; b < kBands; ++b) {
      if (band == kBandNames[b]) t.band = b;
    }
    if (t.band == -2) bad(1, "unknown band (expected grade0_6, grade7_9, grade10_12 or all)");
    const auto g = field(2);
    if (g == "all")
      t.gender = -1;
    else if (g == "boys")
      t.gender = 0;
    else if (g == "girls")
      t.gender = 1;
    else
      bad(2, "unknown gender (expected boys, girls or all)");
    if (!parse_period(field(3), t.year, t.term))
      bad(3, "expected a period Yk, Yk-autumn or Yk-spring");
    if (t.year > horizon_years)
      bad(3, "period beyond the config's horizon of " + std::to_string(horizon_years) + " years");
    if (is_count(t.kind)) {
      if (!csv::parse_number(field(4), t.value) || !(t.value >= 0) || !std::isfinite(t.value))
        bad(4, "expected a count >= 0");
    } else if (!csv::parse_number(field(4), t.value) || t.value < 0 || t.value > 1) {
      bad(4, "expected a share in [0, 1]");
    }
    if (field(5).empty()) bad(5, "a target needs a standard error");
    if (!csv::parse_number(field(5), t.se) || !(t.se > 0) || !std::isfinite(t.se))
      bad(5, "expected a standard error > 0");
    t.label = std::string(kind) + " " + std::string(band) + " " + std::string(g) + " " +
              std::string(field(3));
    out.push_back(t);
  }
  if (out.empty()) ATTENDSIM_INPUT_ERROR(file << ": no targets");
  return out;
}

std::vector<Target> read_targets_csv(const std::filesystem::path& path, int horizon_years) {
  return parse_targets_csv(read_input_file(path, kMaxTableBytes, "targets file"), path.string(),
                           horizon_years);
}

std::string posterior_draws_csv(const std::vector<std::string>& params,
                                const std::vector<std::vector<double>>& draws) {
  std::string out = "draw";
  for (const auto& p : params) out += "," + p;
  out += "\n";
  for (std::size_t d = 0; d < draws.size(); ++d) {
    out += std::to_string(d);
    for (double v : draws[d]) out += "," + format_number(v);
    out += "\n";
  }
  return out;
}

namespace {

/// On the count-based path ([simulation] count_based, docs/methods.md §4.12) a row of
/// --draws-from must be a draw the path can represent, as the config's own distributions must
/// be (io/config_schema.cpp): refused at reading, before any work starts, naming the file, the
/// row's line and the first of its columns that makes the draw one the path cannot simulate.
/// `drawn` is the draw before the row's values, `values` with them.
void check_count_path_row(const ModelConfig& cfg, std::vector<double> drawn,
                          const std::vector<double>& values, const std::vector<std::size_t>& idx,
                          const std::string& file, int line) {
  auto unsupported = [&cfg](const std::vector<double>& v) {
    try {
      return count_based_unsupported(realise(cfg, v));
    } catch (const PreconditionError&) {
      return std::string();  // a draw the run's own checks refuse, as without the switch
    }
  };
  if (unsupported(values).empty()) return;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    drawn[idx[k]] = values[idx[k]];
    if (const auto why = unsupported(drawn); !why.empty()) {
      ATTENDSIM_INPUT_ERROR(
          csv::where(file, line, cfg.parameters.at(idx[k]).path, static_cast<int>(k) + 2)
          << "the value " << values[idx[k]]
          << " is one the count-based path ([simulation] count_based in " << cfg.file
          << ") cannot represent: " << why);
    }
  }
}

}  // namespace

std::vector<std::vector<double>> parse_parameter_draws(const std::string& text,
                                                       const std::string& file,
                                                       const ModelConfig& cfg, std::uint64_t seed) {
  const auto ls = csv::lines(text);
  if (ls.empty()) ATTENDSIM_INPUT_ERROR(file << ":1: empty file: expected a header line");
  const auto head = csv::fields(ls[0].text);
  if (head.empty() || head[0] != "draw")
    ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << std::string(head[0])
                               << "' (1): expected 'draw'");
  std::vector<std::size_t> idx;
  for (std::size_t k = 1; k < head.size(); ++k) {
    const auto i = cfg.parameters.find(std::string(head[k]));
    if (!i)
      ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << std::string(head[k])
                                 << "' (" << k + 1 << "): no such parameter in " << cfg.file);
    for (std::size_t j = 0; j < idx.size(); ++j) {
      if (idx[j] == *i)
        ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": column '" << std::string(head[k])
                                   << "' (" << k + 1 << "): given twice (also column " << j + 2
                                   << ")");
    }
    idx.push_back(*i);
  }
  if (idx.empty())
    ATTENDSIM_INPUT_ERROR(file << ":" << ls[0].number << ": no parameter columns after 'draw'");
  // As many draws as --draws may ask for, checked before they are allocated (each row holds
  // every parameter of the config).
  if (ls.size() - 1 > kMaxParameterDraws)
    ATTENDSIM_INPUT_ERROR(file << ": " << ls.size() - 1 << " draws, more than the "
                               << kMaxParameterDraws << " a run can have (as --draws)");
  std::set<long long> draw_numbers;
  const bool psa = cfg.parameters.any_uncertain();
  std::vector<std::vector<double>> out;
  for (std::size_t n = 1; n < ls.size(); ++n) {
    const int line = ls[n].number;
    const auto f = csv::row_fields(ls[n], head.size(), file);
    long long number = 0;
    if (!csv::parse_int(f[0], number) || number < 0)
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "draw", 1)
                            << "expected a whole number >= 0, got '" << std::string(f[0]) << "'");
    if (!draw_numbers.insert(number).second)
      ATTENDSIM_INPUT_ERROR(csv::where(file, line, "draw", 1)
                            << "draw " << number << " given twice");
    const auto d = out.size();
    auto values = psa ? cfg.parameters.sample(seed, d) : cfg.parameters.base_values();
    const auto drawn = cfg.run.count_based ? values : std::vector<double>{};
    for (std::size_t k = 0; k < idx.size(); ++k) {
      double v = 0;
      const auto& p = cfg.parameters.at(idx[k]);
      std::string what;
      if (!csv::parse_number(f[k + 1], v))
        ATTENDSIM_INPUT_ERROR(csv::where(file, line, p.path, static_cast<int>(k) + 2)
                              << "expected a number, got '" << std::string(f[k + 1]) << "'");
      if (!in_domain(p.domain, v, what))
        ATTENDSIM_INPUT_ERROR(csv::where(file, line, p.path, static_cast<int>(k) + 2)
                              << "must be " << what << ", got " << v);
      values[idx[k]] = v;
    }
    if (cfg.run.count_based) check_count_path_row(cfg, drawn, values, idx, file, line);
    out.push_back(std::move(values));
  }
  if (out.empty()) ATTENDSIM_INPUT_ERROR(file << ": no draws");
  return out;
}

std::vector<std::vector<double>> read_parameter_draws(const std::filesystem::path& path,
                                                      const ModelConfig& cfg, std::uint64_t seed) {
  return parse_parameter_draws(read_input_file(path, kMaxTableBytes, "parameter draws file"),
                               path.string(), cfg, seed);
}

}  // namespace attendsim::models
