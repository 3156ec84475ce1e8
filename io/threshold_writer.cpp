#include "io/threshold_writer.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "io/results_writer.hpp"
#include "sim/csv.hpp"
#include "sim/error.hpp"
#include "sim/input_file.hpp"

namespace attendsim::models {

namespace {

const std::vector<std::string>& columns() {
  static const std::vector<std::string> c = {
      "scenario",        "parameter",  "metric",        "target",         "base_value",
      "range_low",       "range_high", "metric_at_low", "metric_at_high", "crossed",
      "direction",       "threshold",  "ci_low",        "ci_high",        "batches",
      "batches_crossed", "crossings",  "replications",  "grid_points",    "plausible_low",
      "plausible_high",  "method"};
  return c;
}

double parse_number(const std::string& s, const std::string& where) {
  if (s == "nan") return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size())
    ATTENDSIM_INPUT_ERROR(where << "not a number: '" << s << "'");
  return v;
}

/// The metric's value for the console: SEK grouped, ROI with two decimals.
std::string metric_text(const ThresholdRow& r, double v) {
  if (r.metric == "roi") {
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << v;
    return os.str();
  }
  return group_thousands(v) + " SEK";
}

/// A parameter value for the console: 4 significant digits.
std::string short_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

std::string threshold_csv(const ThresholdResult& r) {
  std::string out = csv::row(columns());
  const auto n = [](double v) { return format_number(v); };
  for (const auto& x : r.rows) {
    out += csv::row({x.scenario,
                     x.parameter,
                     x.metric,
                     n(x.target),
                     n(x.base_value),
                     n(x.range_low),
                     n(x.range_high),
                     n(x.metric_at_low),
                     n(x.metric_at_high),
                     x.crossed ? "true" : "false",
                     std::to_string(x.direction),
                     n(x.threshold),
                     n(x.ci_low),
                     n(x.ci_high),
                     std::to_string(x.batches),
                     std::to_string(x.batches_crossed),
                     std::to_string(x.crossings),
                     std::to_string(r.replications),
                     std::to_string(r.grid_points),
                     n(x.plausible_low),
                     n(x.plausible_high),
                     x.refined ? "refined" : "interpolated"});
  }
  return out;
}

void write_threshold_outputs(const OutputDir& dir, const ThresholdResult& r) {
  dir.write("threshold.csv", threshold_csv(r));
}

void print_threshold_table(std::ostream& os, const ThresholdResult& r) {
  if (r.rows.empty()) return;
  const auto& f = r.rows.front();
  os << "threshold of " << f.parameter << " (base " << short_number(f.base_value) << ") where "
     << f.metric << " = " << short_number(f.target) << ", range [" << short_number(f.range_low)
     << ", " << short_number(f.range_high) << "], " << r.replications
     << " replications on common random numbers"
     << (f.refined ? "" : ", interpolated between grid values") << ":\n";
  for (const auto& x : r.rows) {
    os << "  " << std::left << std::setw(28) << x.scenario << " ";
    if (!x.crossed) {
      os << "no crossing within [" << short_number(x.range_low) << ", "
         << short_number(x.range_high) << "] (" << x.metric << " "
         << metric_text(x, x.metric_at_low) << " .. " << metric_text(x, x.metric_at_high) << ")\n";
      continue;
    }
    os << short_number(x.threshold);
    if (std::isnan(x.ci_low)) {
      os << " [no interval: " << x.batches_crossed << " of " << x.batches
         << " batches cross within the range]";
    } else {
      os << " [" << short_number(x.ci_low) << ", " << short_number(x.ci_high) << "]";
    }
    os << (x.direction > 0 ? " (pays at or above it)" : " (pays at or below it)");
    if (x.crossings > 1) os << ", " << x.crossings << " crossings on the grid: the lowest shown";
    os << "\n";
  }
}

std::optional<std::vector<ThresholdRow>> read_threshold_csv(
    const std::filesystem::path& results_dir) {
  const auto path = results_dir / "threshold.csv";
  if (!std::filesystem::exists(path)) return std::nullopt;
  const auto records =
      csv::parse(read_input_file(path, kMaxResultsBytes, "threshold file"), path.string());
  if (records.empty() || records.front().cells != columns()) {
    ATTENDSIM_INPUT_ERROR(path.string() << ":1: the header is not threshold.csv's ("
                                        << csv::row(columns()).substr(0, 60) << "...)");
  }
  std::vector<ThresholdRow> rows;
  for (std::size_t k = 1; k < records.size(); ++k) {
    const auto& c = records[k].cells;
    const std::string where = path.string() + ":" + std::to_string(records[k].line) + ": ";
    if (c.size() != columns().size()) {
      ATTENDSIM_INPUT_ERROR(where << "expected " << columns().size() << " columns, got "
                                  << c.size());
    }
    auto num = [&](std::size_t i) {
      return parse_number(c[i], where + "column '" + columns()[i] + "': ");
    };
    ThresholdRow r;
    r.scenario = c[0];
    r.parameter = c[1];
    r.metric = c[2];
    if (r.metric != "net_benefit" && r.metric != "roi")
      ATTENDSIM_INPUT_ERROR(where << "column 'metric': net_benefit or roi, got '" << r.metric
                                  << "'");
    r.target = num(3);
    r.base_value = num(4);
    r.range_low = num(5);
    r.range_high = num(6);
    r.metric_at_low = num(7);
    r.metric_at_high = num(8);
    if (c[9] != "true" && c[9] != "false")
      ATTENDSIM_INPUT_ERROR(where << "column 'crossed': true or false, got '" << c[9] << "'");
    r.crossed = c[9] == "true";
    r.direction = static_cast<int>(num(10));
    r.threshold = num(11);
    r.ci_low = num(12);
    r.ci_high = num(13);
    r.batches = static_cast<int>(num(14));
    r.batches_crossed = static_cast<int>(num(15));
    r.crossings = static_cast<int>(num(16));
    r.replications = static_cast<int>(num(17));
    r.grid_points = static_cast<int>(num(18));
    r.plausible_low = num(19);
    r.plausible_high = num(20);
    if (c[21] != "refined" && c[21] != "interpolated")
      ATTENDSIM_INPUT_ERROR(where << "column 'method': refined or interpolated, got '" << c[21]
                                  << "'");
    r.refined = c[21] == "refined";
    if (r.crossed && !std::isfinite(r.threshold))
      ATTENDSIM_INPUT_ERROR(where << "column 'threshold': a crossed row needs a number");
    rows.push_back(r);
  }
  return rows;
}

std::vector<ThresholdRow> compare_threshold_rows(const ModelConfig& cfg, const RunOptions& opt,
                                                 const OutputDir& dir, bool read_existing,
                                                 bool compute) {
  std::vector<ThresholdRow> rows;
  if (read_existing) {
    if (auto t = read_threshold_csv(dir.final_path())) rows = std::move(*t);
  }
  const bool refined = !rows.empty() && rows.front().refined;
  if (compute && !refined && has_compare_threshold(cfg)) {
    const auto t = compare_threshold(cfg, opt);
    rows = t.rows;
    write_threshold_outputs(dir, t);
  }
  return rows;
}

}  // namespace attendsim::models
