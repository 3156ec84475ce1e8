/// attendsim._core: the pybind11 binding under the `attendsim` Python package
/// (python/attendsim/__init__.py turns its results into pandas DataFrames).
///
/// Each command does what the CLI's command does (app/cmd_run.cpp, cmd_compare.cpp,
/// cmd_sensitivity.cpp), through the same analysis/ and io/ functions, and writes the same
/// results folder, so its files are byte-identical to the CLI's for the same seed (run.json
/// apart: it holds the wall time). Python objects are converted to C++ before the simulation
/// and the GIL is released while it runs (py::gil_scoped_release); no Python object is touched
/// until it is taken again. attendsim::InputError (bad config, key, option) becomes
/// attendsim.InputError, a ValueError carrying the FILE:LINE: key '...' message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <signal.h>
#include <toml++/toml.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/global_sensitivity.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "analysis/sensitivity.hpp"
#include "io/config_schema.hpp"
#include "io/decision_brief.hpp"
#include "io/labels.hpp"
#include "io/plan_and_fund.hpp"
#include "io/results_writer.hpp"
#include "io/sensitivity_writer.hpp"
#include "io/targets_reader.hpp"
#include "io/threshold_writer.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/names.hpp"
#include "sim/output.hpp"
#include "sim/sobol.hpp"
#include "sim/statistics.hpp"
#include "sim/version.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;
using namespace attendsim;

namespace {

/// A loaded config: what the commands simulate.
struct Config {
  models::ModelConfig model;
  std::string source;  ///< the file, "<dict>", or "FILE (with overrides)"
};

// ---- Python values -> TOML ------------------------------------------------------------------

std::unique_ptr<toml::node> to_toml(const py::handle& v, const std::string& key);

toml::table to_toml_table(const py::dict& d, const std::string& prefix) {
  toml::table t;
  for (const auto& [k, v] : d) {
    if (!py::isinstance<py::str>(k))
      ATTENDSIM_INPUT_ERROR("<dict>: key '" << prefix << py::str(k).cast<std::string>()
                                            << "': keys must be strings");
    const auto name = k.cast<std::string>();
    auto node = to_toml(v, prefix + name);
    t.insert_or_assign(name, std::move(*node));
  }
  return t;
}

std::unique_ptr<toml::node> to_toml(const py::handle& v, const std::string& key) {
  // bool before int: Python's bool is an int.
  if (py::isinstance<py::bool_>(v)) return std::make_unique<toml::value<bool>>(v.cast<bool>());
  if (py::isinstance<py::int_>(v))
    return std::make_unique<toml::value<std::int64_t>>(v.cast<std::int64_t>());
  if (py::isinstance<py::float_>(v)) return std::make_unique<toml::value<double>>(v.cast<double>());
  if (py::isinstance<py::str>(v))
    return std::make_unique<toml::value<std::string>>(v.cast<std::string>());
  if (py::isinstance<py::dict>(v)) {
    auto t = std::make_unique<toml::table>(to_toml_table(v.cast<py::dict>(), key + "."));
    return t;
  }
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    auto a = std::make_unique<toml::array>();
    std::size_t i = 0;
    for (const auto& e : v) {
      auto n = to_toml(e, key + "[" + std::to_string(i++) + "]");
      a->push_back(std::move(*n));
    }
    return a;
  }
  // numpy scalars and other numbers: through float/int.
  if (py::hasattr(v, "__index__"))
    return std::make_unique<toml::value<std::int64_t>>(v.attr("__index__")().cast<std::int64_t>());
  if (py::hasattr(v, "__float__"))
    return std::make_unique<toml::value<double>>(v.attr("__float__")().cast<double>());
  ATTENDSIM_INPUT_ERROR("key '" << key << "': a value of type "
                                << py::str(py::type::of(v).attr("__name__")).cast<std::string>()
                                << " has no TOML form (numbers, strings, booleans, lists and "
                                   "dicts only)");
}

/// Distributions ({ base = .., dist = .. }) as inline tables, so that the text reads as a config
/// does; other tables as [sections].
void mark_inline(toml::table& t) {
  for (auto&& [k, v] : t) {
    if (auto* sub = v.as_table()) {
      mark_inline(*sub);
      if (sub->contains("dist") || sub->contains("base")) sub->is_inline(true);
    } else if (auto* arr = v.as_array()) {
      for (auto& e : *arr) {
        if (auto* et = e.as_table()) mark_inline(*et);
      }
    }
  }
}

std::string toml_text(toml::table t) {
  mark_inline(t);
  std::ostringstream os;
  os << t << "\n";
  return os.str();
}

/// Sets `dotted` (a.b.c) in `root` to `value`, creating tables on the way.
void set_dotted(toml::table& root, const std::string& dotted, std::unique_ptr<toml::node> value,
                const std::string& source) {
  toml::table* t = &root;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    const std::string part = dotted.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty())
      ATTENDSIM_INPUT_ERROR(source << ": key '" << dotted << "': an empty part in a dotted key");
    if (dot == std::string::npos) {
      t->insert_or_assign(part, std::move(*value));
      return;
    }
    auto* n = t->get(part);
    if (n == nullptr) {
      t->insert_or_assign(part, toml::table{});
      n = t->get(part);
    }
    if (!n->is_table()) {
      ATTENDSIM_INPUT_ERROR(source << ": key '" << dotted << "': '" << dotted.substr(0, dot)
                                   << "' is a value, not a table");
    }
    t = n->as_table();
    start = dot + 1;
  }
}

using Overrides = std::vector<std::pair<std::string, std::unique_ptr<toml::node>>>;

Overrides read_overrides(const py::dict& overrides) {
  Overrides out;
  for (const auto& [k, v] : overrides) {
    const auto key = py::str(k).cast<std::string>();
    out.emplace_back(key, to_toml(v, key));
  }
  return out;
}

/// Parses `root` with `overrides` applied, as TOML text named `display`.
std::shared_ptr<Config> parse_with_overrides(toml::table root, Overrides overrides,
                                             const std::string& display) {
  for (auto& [key, value] : overrides) set_dotted(root, key, std::move(value), display);
  auto cfg = std::make_shared<Config>();
  cfg->model =
      models::parse_model_config(config::Document::parse(toml_text(std::move(root)), display));
  cfg->source = display;
  return cfg;
}

std::shared_ptr<Config> load_file(const std::string& path, const py::dict& overrides) {
  auto ov = read_overrides(overrides);
  py::gil_scoped_release release;
  // The file alone first: its own errors then name its own lines, and without overrides the
  // config (its text and hash) is exactly the file the CLI reads.
  auto doc = config::Document::load(path);
  auto model = models::parse_model_config(doc);
  if (ov.empty()) {
    auto cfg = std::make_shared<Config>();
    cfg->model = std::move(model);
    cfg->source = path;
    return cfg;
  }
  return parse_with_overrides(doc.root(), std::move(ov), path + " (with overrides)");
}

std::shared_ptr<Config> load_dict(const py::dict& d, const py::dict& overrides) {
  auto root = to_toml_table(d, "");
  auto ov = read_overrides(overrides);
  py::gil_scoped_release release;
  return parse_with_overrides(std::move(root), std::move(ov), "<dict>");
}

// ---- Options shared by the commands (as app/run_options.hpp reads them) -------------------

struct Common {
  std::string out;
  int draws = 0;
  int replications = 0;
  long long seed = -1;
  int threads = 0;
  bool write_draws = false;
  bool full_scenarios = false;
  bool allow_other_config = false;
  std::string draws_from;

  models::RunOptions options(const models::ModelConfig& cfg) const {
    models::RunOptions opt;
    opt.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : cfg.run.seed;
    opt.draws = draws > 0 ? draws : cfg.run.draws;
    opt.replications = replications > 0 ? replications : cfg.run.replications;
    opt.threads =
        threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.progress = false;
    opt.from_baseline = !full_scenarios;
    if (!draws_from.empty()) {
      opt.parameter_sets = models::read_parameter_draws(draws_from, cfg, opt.seed);
      opt.draws = static_cast<int>(opt.parameter_sets.size());
    }
    return opt;
  }

  void check() const {
    if (out.empty()) ATTENDSIM_INPUT_ERROR("out: a results folder is needed");
    if (draws < 0 || draws > 1000000) ATTENDSIM_INPUT_ERROR("draws: 0 to 1e6, got " << draws);
    if (replications < 0 || replications > 1000000)
      ATTENDSIM_INPUT_ERROR("replications: 0 to 1e6, got " << replications);
    if (threads < 0 || threads > 1024) ATTENDSIM_INPUT_ERROR("threads: 0 to 1024, got " << threads);
  }
};

Common read_common(const py::dict& o) {
  Common c;
  auto get = [&](const char* k, auto& into) {
    if (o.contains(k) && !o[k].is_none()) into = o[k].cast<std::decay_t<decltype(into)>>();
  };
  get("out", c.out);
  get("draws", c.draws);
  get("replications", c.replications);
  get("seed", c.seed);
  get("threads", c.threads);
  get("write_draws", c.write_draws);
  get("full_scenarios", c.full_scenarios);
  get("allow_other_config", c.allow_other_config);
  get("draws_from", c.draws_from);
  c.check();
  return c;
}

/// OutputDir installs signal handlers that end the process (after removing its temporary
/// folder); in Python, the interpreter's own handlers are put back after each command.
class KeepSignalHandlers {
 public:
  KeepSignalHandlers() {
    for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], nullptr, &old_[i]);
  }
  ~KeepSignalHandlers() {
    for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
  }
  KeepSignalHandlers(const KeepSignalHandlers&) = delete;
  KeepSignalHandlers& operator=(const KeepSignalHandlers&) = delete;

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3]{};
};

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// What a command returns to Python: the folder, exact means, and the simulation's interval
/// on the monotonic clock (for the test that threads simulate at once).
struct Outcome {
  std::string folder;
  std::map<std::string, std::map<std::string, double>> means;
  double started = 0;
  double finished = 0;
  std::uint64_t pupil_months = 0;
  std::string note;
};

/// summarise() of the defined values; NaN when there are none (a metric undefined in every
/// unit, e.g. a ratio over no cases), as summary.csv writes it.
Summary summary_or_nan(const std::vector<double>& values) {
  for (const double x : values) {
    if (!std::isnan(x)) return summarise(values);
  }
  Summary s;
  s.mean = s.se = std::numeric_limits<double>::quiet_NaN();
  return s;
}

void fill_means(Outcome& out, const models::ExperimentResult& res) {
  for (std::size_t s = 0; s < res.scenarios.size(); ++s) {
    const auto names = models::metric_names(s > 0);
    for (std::size_t m = 0; m < names.size(); ++m)
      out.means[res.scenarios[s].name][names[m]] = summary_or_nan(res.unit_values(s, m)).mean;
  }
  out.pupil_months = res.pupil_months_simulated;
}

py::dict to_python(const Outcome& o) {
  py::dict d;
  d["folder"] = o.folder;
  d["means"] = o.means;
  d["interval"] = py::make_tuple(o.started, o.finished);
  d["pupil_months"] = o.pupil_months;
  d["note"] = o.note;
  return d;
}

// ---- run, compare, sensitivity ------------------------------------------------------------

py::dict run(const Config& cfg, const py::dict& options) {
  const auto c = read_common(options);
  Outcome o;
  {
    py::gil_scoped_release release;
    KeepSignalHandlers keep;
    o.started = monotonic_seconds();
    const auto& mc = cfg.model;
    const auto opt = c.options(mc);
    models::check_output_folder(c.out, mc, c.allow_other_config);
    OutputDir dir(c.out);
    const auto res = models::run_experiment(mc, models::baseline_and_configured(mc), opt);
    models::write_run_outputs(dir, mc, res, {"run", res.wall_seconds, opt.threads},
                              c.write_draws || opt.draws > 1);
    dir.commit();
    fill_means(o, res);
    o.folder = dir.final_path().string();
    o.finished = monotonic_seconds();
  }
  return to_python(o);
}

py::dict compare(const Config& cfg, const py::dict& options, double roi_target, double confidence,
                 const std::string& lang, bool threshold) {
  const auto c = read_common(options);
  Outcome o;
  {
    py::gil_scoped_release release;
    KeepSignalHandlers keep;
    o.started = monotonic_seconds();
    auto mc = cfg.model;
    const auto language = models::parse_language(lang, "lang");
    if (roi_target >= 0) mc.compare.roi_target = roi_target;
    if (confidence >= 0) {
      if (!(confidence > 0 && confidence < 1))
        ATTENDSIM_INPUT_ERROR("confidence: between 0 and 1 (exclusive), got " << confidence);
      mc.compare.confidence = confidence;
    }
    auto opt = c.options(mc);
    if (c.draws == 0 && opt.parameter_sets.empty()) opt.draws = mc.compare.draws;
    if (c.replications == 0 && opt.draws > 1) opt.replications = mc.compare.replications_per_draw;
    models::add_plan_and_fund_extras(mc, opt);
    const auto scenarios = models::comparison_scenarios(mc);
    models::check_output_folder(c.out, mc, c.allow_other_config);
    OutputDir dir(c.out);
    const auto res = models::run_experiment(mc, scenarios, opt);
    models::write_run_outputs(dir, mc, res, {"compare", res.wall_seconds, opt.threads},
                              c.write_draws || opt.draws > 1);
    auto report = models::analyse_comparison(mc, res);
    report.threshold = models::compare_threshold_rows(mc, opt, dir, true, threshold);
    models::write_comparison_outputs(dir, mc, res, report, language);
    dir.commit();
    fill_means(o, res);
    o.folder = dir.final_path().string();
    o.finished = monotonic_seconds();
  }
  return to_python(o);
}

struct SensitivityOptions {
  std::string method;
  std::string params;
  int grid = 5;
  long long sobol_n = 64;
  int bootstrap = 500;
  int randomisations = 1;
  std::string terminal_events = "expected";
  std::string estimator = "combined";
  std::vector<double> values_per_return{0, 100000, 250000, 500000, 1000000, 2000000, 4000000};
};

template <class E>
E named(const std::string& value, const std::string& option) {
  const auto v = parse_name<E>(value);
  if (!v) ATTENDSIM_INPUT_ERROR(option << ": '" << value << "' is not one of " << known_names<E>());
  return *v;
}

py::dict sensitivity(const Config& cfg, const py::dict& options, const SensitivityOptions& a) {
  const auto c = read_common(options);
  Outcome o;
  {
    py::gil_scoped_release release;
    KeepSignalHandlers keep;
    o.started = monotonic_seconds();
    auto mc = cfg.model;
    // As the CLI: expected terminal events unless asked otherwise ("config": as the config).
    if (a.terminal_events != "config")
      mc.structure.outcomes.terminal_events =
          named<models::TerminalEvents>(a.terminal_events, "terminal_events");
    using models::SensitivityMethod;
    const auto method = named<SensitivityMethod>(a.method, "method");
    if (a.grid < 2 || a.grid > 50) ATTENDSIM_INPUT_ERROR("grid: 2 to 50, got " << a.grid);
    if (a.bootstrap < 0 || a.bootstrap > 100000)
      ATTENDSIM_INPUT_ERROR("bootstrap: 0 to 100000, got " << a.bootstrap);
    if (a.randomisations < 1 || a.randomisations > 100000)
      ATTENDSIM_INPUT_ERROR("randomisations: 1 to 100000, got " << a.randomisations);
    auto opt = c.options(mc);
    if (!a.params.empty() &&
        (method == SensitivityMethod::psa || method == SensitivityMethod::oneway))
      ATTENDSIM_INPUT_ERROR("params is not used by method " << a.method
                                                            << " (it takes every uncertain "
                                                               "parameter); leave it out");
    if (!c.draws_from.empty() && method != SensitivityMethod::psa)
      ATTENDSIM_INPUT_ERROR("draws_from " << c.draws_from << ": used by method psa only, not by "
                                          << a.method << "; leave it out");
    models::check_output_folder(c.out, mc, c.allow_other_config);
    const bool keep_run_files = fs::exists(fs::path(c.out) / "summary.json");
    OutputDir dir(c.out);
    auto write_run = [&](const models::ExperimentResult& res, const models::Provenance& prov,
                         bool with_draws) {
      if (!keep_run_files) models::write_run_outputs(dir, mc, res, prov, with_draws);
    };
    auto write_base_run = [&](const std::string& what, std::optional<double> wall_seconds) {
      if (keep_run_files) return;
      auto b = opt;
      b.draws = 1;
      b.parameter_sets.clear();
      const auto base = models::run_experiment(mc, models::baseline_and_configured(mc), b);
      models::write_run_outputs(
          dir, mc, base, {what, wall_seconds.value_or(base.wall_seconds), opt.threads}, false);
    };
    if (method == SensitivityMethod::psa) {
      if (!opt.parameter_sets.empty() && opt.parameter_sets.size() < 2)
        ATTENDSIM_INPUT_ERROR(c.draws_from << ": method psa needs at least 2 draws (rows), the "
                                              "file holds "
                                           << opt.parameter_sets.size());
      if (opt.parameter_sets.empty() && opt.draws <= 1) opt.draws = 100;
      if (c.replications <= 0) opt.replications = 2;
      const auto res = models::run_experiment(mc, models::comparison_scenarios(mc), opt);
      write_run(res, {"sensitivity --method psa", res.wall_seconds, opt.threads}, true);
      dir.write("psa.csv", models::psa_csv(res));
      dir.write("acceptability.csv",
                models::acceptability_csv(models::acceptability(res, a.values_per_return)));
      fill_means(o, res);
    } else if (method == SensitivityMethod::oneway) {
      if (c.replications <= 0) opt.replications = 10;
      const auto rows = models::one_way(mc, opt);
      write_base_run("sensitivity --method oneway", std::nullopt);
      dir.write("tornado.csv", models::tornado_csv(rows));
    } else if (method == SensitivityMethod::twoway) {
      const auto comma = a.params.find(',');
      if (comma == std::string::npos)
        ATTENDSIM_INPUT_ERROR("method twoway needs params A,B (two parameter keys)");
      if (a.params.substr(0, comma) == a.params.substr(comma + 1))
        ATTENDSIM_INPUT_ERROR("params: a two-way analysis needs two different parameters, got '"
                              << a.params << "'");
      if (c.replications <= 0) opt.replications = 10;
      const auto rows =
          models::two_way(mc, opt, a.params.substr(0, comma), a.params.substr(comma + 1), a.grid);
      write_base_run("sensitivity --method twoway", std::nullopt);
      dir.write("twoway.csv", models::twoway_csv(rows));
    } else if (method == SensitivityMethod::sobol) {
      if (a.sobol_n < 2)
        ATTENDSIM_INPUT_ERROR("sobol_n: the base sample size must be >= 2, got " << a.sobol_n);
      if (c.replications <= 0) opt.replications = 2;
      const auto estimator = named<SobolEstimator>(a.estimator, "estimator");
      const auto params = models::uncertain_parameters(mc, a.params);
      const auto r = models::sobol_sensitivity(
          mc, opt, params, static_cast<std::size_t>(a.sobol_n), a.bootstrap,
          static_cast<std::size_t>(a.randomisations), true, estimator);
      write_base_run("sensitivity --method sobol", r.wall_seconds);
      dir.write("sobol.csv", models::sobol_csv(r));
      dir.write("sobol_noise.csv", models::sobol_noise_csv(r));
      dir.write("sobol_status.csv", models::sobol_status_csv(r));
    } else if (method == SensitivityMethod::voi) {
      if (opt.draws <= 1) opt.draws = 200;
      if (c.replications <= 0) opt.replications = 2;
      const auto r = models::value_of_information(mc, opt, a.params);
      write_run(r.result, {"sensitivity --method voi", r.result.wall_seconds, opt.threads}, true);
      dir.write("voi.csv", models::voi_csv(r));
      fill_means(o, r.result);
    }
    dir.commit();
    o.folder = dir.final_path().string();
    o.finished = monotonic_seconds();
  }
  return to_python(o);
}

// ---- evaluate: one row per parameter set, metrics out, no files ----------------------------

py::dict evaluate(const Config& cfg, const std::vector<std::string>& keys,
                  py::array_t<double, py::array::c_style | py::array::forcecast> values,
                  const std::string& scenario, const std::vector<std::string>& metrics,
                  int replications, long long seed, int threads, bool full_scenarios,
                  const std::string& terminal_events) {
  if (values.ndim() != 2)
    ATTENDSIM_INPUT_ERROR("evaluate: a 2-D table of values is needed (one row per parameter set)");
  const auto rows = static_cast<std::size_t>(values.shape(0));
  const auto cols = static_cast<std::size_t>(values.shape(1));
  if (cols != keys.size())
    ATTENDSIM_INPUT_ERROR("evaluate: " << keys.size() << " column names for " << cols
                                       << " columns");
  if (rows == 0) ATTENDSIM_INPUT_ERROR("evaluate: no rows");
  std::vector<double> flat(values.data(), values.data() + rows * cols);
  std::vector<std::vector<double>> sets;
  std::vector<std::size_t> means_of;
  std::vector<std::vector<double>> mean, se;
  std::size_t scenario_index = 1;
  double started = 0, finished = 0;
  {
    py::gil_scoped_release release;
    started = monotonic_seconds();
    // "config": terminal events as the config says; "expected" or "drawn" as the CLI's
    // sensitivity --terminal-events.
    models::ModelConfig with_events;
    const models::ModelConfig* chosen = &cfg.model;
    if (terminal_events != "config") {
      with_events = cfg.model;
      with_events.structure.outcomes.terminal_events =
          named<models::TerminalEvents>(terminal_events, "terminal_events");
      chosen = &with_events;
    }
    const auto& mc = *chosen;
    std::vector<std::size_t> index;
    for (const auto& k : keys) {
      const auto i = mc.parameters.find(k);
      if (!i) {
        ATTENDSIM_INPUT_ERROR("evaluate: column '"
                              << k << "' is not a parameter of " << cfg.source
                              << " (numeric model parameters by dotted key, e.g. "
                                 "coordinators.rr_improve_in_case; structure keys go in "
                                 "overrides)");
      }
      index.push_back(*i);
    }
    const auto base = mc.parameters.base_values();
    for (std::size_t r = 0; r < rows; ++r) {
      auto v = base;
      for (std::size_t k = 0; k < cols; ++k) {
        const double x = flat[r * cols + k];
        if (!std::isfinite(x))
          ATTENDSIM_INPUT_ERROR("evaluate: row " << r << ", column '" << keys[k]
                                                 << "': not a finite number");
        v[index[k]] = x;
      }
      mc.parameters.check_domain(v, "evaluate: row " + std::to_string(r));
      sets.push_back(std::move(v));
    }
    models::RunOptions opt;
    opt.seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : mc.run.seed;
    opt.replications = replications > 0 ? replications : mc.run.replications;
    opt.threads =
        threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.from_baseline = !full_scenarios;
    opt.parameter_sets = sets;
    opt.draws = static_cast<int>(rows);
    // Every row on the streams of a single run (draw 0): rows differ by their parameters only,
    // and row i equals `run` with row i's values as overrides, bit for bit.
    opt.common_streams_across_draws = true;
    const auto specs = models::baseline_and_configured(mc);
    if (!scenario.empty()) {
      bool found = false;
      for (std::size_t s = 0; s < specs.size(); ++s) {
        if (specs[s].name == scenario) {
          scenario_index = s;
          found = true;
        }
      }
      if (!found)
        ATTENDSIM_INPUT_ERROR("evaluate: scenario '" << scenario << "' is not " << specs[0].name
                                                     << " or " << specs[1].name);
    }
    const auto count = models::metric_count(scenario_index > 0);
    if (metrics.empty()) {
      for (std::size_t m = 0; m < count; ++m) means_of.push_back(m);
    } else {
      for (const auto& m : metrics) {
        means_of.push_back(models::metric_position(models::metric_by_name(m, "evaluate: metrics")));
        if (means_of.back() >= count)
          ATTENDSIM_INPUT_ERROR("evaluate: metric '" << m
                                                     << "' is not defined for the baseline "
                                                        "scenario (it has no economics)");
      }
    }
    const auto res = models::run_experiment(mc, specs, opt);
    const auto reps = static_cast<std::size_t>(opt.replications);
    for (std::size_t r = 0; r < rows; ++r) {
      std::vector<double> mrow, srow;
      for (const auto m : means_of) {
        std::vector<double> v(reps);
        for (std::size_t k = 0; k < reps; ++k)
          v[k] = res.units[r * reps + k].metrics[scenario_index][m];
        const auto s = summary_or_nan(v);
        mrow.push_back(s.mean);
        srow.push_back(s.se);
      }
      mean.push_back(std::move(mrow));
      se.push_back(std::move(srow));
    }
    finished = monotonic_seconds();
  }
  const auto names = models::metric_names(true);
  std::vector<std::string> out_names;
  for (const auto m : means_of) out_names.push_back(names[m]);
  py::dict d;
  d["metrics"] = out_names;
  d["mean"] = mean;
  d["se"] = se;
  d["interval"] = py::make_tuple(started, finished);
  return d;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "attendsim's C++ core (use the attendsim package, not this module)";
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);
  m.attr("__version__") = kVersion;
  m.attr("git_revision") = kGitRevision;

  py::class_<Config, std::shared_ptr<Config>>(m, "Config")
      .def_property_readonly("source", [](const Config& c) { return c.source; })
      .def_property_readonly("text", [](const Config& c) { return c.model.text; })
      .def_property_readonly("hash", [](const Config& c) { return models::config_hash(c.model); })
      .def_property_readonly("parameters",
                             [](const Config& c) {
                               std::vector<std::string> out;
                               for (const auto& p : c.model.parameters.all()) out.push_back(p.path);
                               return out;
                             })
      .def_property_readonly("uncertain_parameters",
                             [](const Config& c) {
                               std::vector<std::string> out;
                               for (const auto i : c.model.parameters.uncertain())
                                 out.push_back(c.model.parameters.at(i).path);
                               return out;
                             })
      .def_property_readonly("base_values",
                             [](const Config& c) { return c.model.parameters.base_values(); })
      .def_property_readonly("scenarios", [](const Config& c) {
        std::vector<std::string> out;
        for (const auto& s : models::baseline_and_configured(c.model)) out.push_back(s.name);
        return out;
      });

  m.def("load_file", &load_file, py::arg("path"), py::arg("overrides"));
  m.def("load_dict", &load_dict, py::arg("config"), py::arg("overrides"));
  m.def("run", &run, py::arg("config"), py::arg("options"));
  m.def("compare", &compare, py::arg("config"), py::arg("options"), py::arg("roi_target"),
        py::arg("confidence"), py::arg("lang"), py::arg("threshold"));
  m.def(
      "sensitivity",
      [](const Config& cfg, const py::dict& options, const std::string& method,
         const std::string& params, int grid, long long sobol_n, int bootstrap, int randomisations,
         const std::string& terminal_events, const std::string& estimator,
         const std::optional<std::vector<double>>& values_per_return) {
        SensitivityOptions a;
        a.method = method;
        a.params = params;
        a.grid = grid;
        a.sobol_n = sobol_n;
        a.bootstrap = bootstrap;
        a.randomisations = randomisations;
        a.terminal_events = terminal_events;
        a.estimator = estimator;
        if (values_per_return) a.values_per_return = *values_per_return;
        return sensitivity(cfg, options, a);
      },
      py::arg("config"), py::arg("options"), py::arg("method"), py::arg("params"), py::arg("grid"),
      py::arg("sobol_n"), py::arg("bootstrap"), py::arg("randomisations"),
      py::arg("terminal_events"), py::arg("estimator"), py::arg("values_per_return"));
  m.def("evaluate", &evaluate, py::arg("config"), py::arg("keys"), py::arg("values"),
        py::arg("scenario"), py::arg("metrics"), py::arg("replications"), py::arg("seed"),
        py::arg("threads"), py::arg("full_scenarios"), py::arg("terminal_events"));
}
