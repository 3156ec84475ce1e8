/// attendsim._core: the pybind11 binding under the `attendsim` Python package
/// (python/attendsim/__init__.py turns its results into pandas DataFrames).
///
/// Each command is the CLI's: its options are the same struct (io/commands.hpp), filled here
/// from keyword arguments instead of by CLI11, and the same function runs it, so its files are
/// byte-identical to the CLI's for the same seed (run.json apart: it holds the wall time). Python
/// objects are converted to C++ before the simulation and the GIL is released while it runs
/// (py::gil_scoped_release); no Python object is touched until it is taken again.
/// attendsim::InputError (bad config, key, option) becomes attendsim.InputError, a ValueError
/// carrying the FILE:LINE: key '...' message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <signal.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "analysis/experiment.hpp"
#include "analysis/metrics.hpp"
#include "analysis/model_config.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
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

/// One key as TOML text: bare where TOML allows, quoted otherwise.
std::string toml_key_part(const std::string& part) {
  const bool bare = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (bare) return part;
  std::string out = "\"";
  for (const char c : part) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// A dotted key (a.b.c) as TOML text, part by part.
std::string toml_key(const std::string& dotted) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    const std::string part = dotted.substr(start, dot == std::string::npos ? dot : dot - start);
    if (part.empty())
      ATTENDSIM_INPUT_ERROR("overrides: key '" << dotted << "': an empty part in a dotted key");
    out += (out.empty() ? "" : ".") + toml_key_part(part);
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

/// A float as TOML text: the shortest text that reads back as the same double (0.6, not
/// 0.59999999999999998), with ".0" when it would read as an integer.
std::string toml_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string t(buf, r.ptr);
  if (t.find_first_of(".e") == std::string::npos) t += ".0";
  return t;
}

/// A TOML node as value text: floats shortest (toml_float), tables inline, the rest as toml++
/// writes it.
std::string toml_value_text(const toml::node& n) {
  if (const auto* d = n.as_floating_point()) return toml_float(d->get());
  if (const auto* a = n.as_array()) {
    std::string t = "[";
    for (std::size_t i = 0; i < a->size(); ++i) t += (i ? ", " : "") + toml_value_text((*a)[i]);
    return t + "]";
  }
  if (const auto* tab = n.as_table()) {
    std::string t = "{";
    bool first = true;
    for (auto&& [k, v] : *tab) {
      t += (first ? " " : ", ") + toml_key_part(std::string(k.str())) + " = " + toml_value_text(v);
      first = false;
    }
    return t + (first ? "}" : " }");
  }
  toml::table one;  // a string (escaped), an integer or a boolean
  one.insert_or_assign("x", n);
  std::ostringstream os;
  os << one;
  const std::string line = os.str();
  ATTENDSIM_REQUIRE(line.rfind("x = ", 0) == 0, "unexpected TOML text of a value: " << line);
  return line.substr(4, line.find_last_not_of('\n') - 3);
}

/// The overrides {dotted key: value} as the TOML text of an overrides file, one key a line in
/// the order given (a float in its shortest exact form, a dict as an inline table). It is what
/// `attendsim run --overrides` reads and what the results folder records.
std::string overrides_text(const py::dict& overrides) {
  if (overrides.empty()) return "";
  std::string text =
      "# Overrides applied over config.toml, each key replacing the config's value; "
      "attendsim run config.toml --overrides overrides.toml simulates the same config.\n";
  for (const auto& [k, v] : overrides) {
    const auto key = py::str(k).cast<std::string>();
    text += toml_key(key) + " = " + toml_value_text(*to_toml(v, key)) + "\n";
  }
  return text;
}

/// Parses `doc` (alone first, so that its own errors name its own lines), then with the
/// overrides applied, as `attendsim run CONFIG --overrides FILE` does.
std::shared_ptr<Config> parse_with_overrides(config::Document doc, const std::string& overrides,
                                             const std::string& source) {
  auto cfg = std::make_shared<Config>();
  cfg->model = models::parse_model_config(doc);
  cfg->source = source;
  if (overrides.empty()) return cfg;
  doc.apply_overrides(config::Document::parse(overrides, "<overrides>"));
  cfg->model = models::parse_model_config(doc);
  cfg->source = source + " (with overrides)";
  return cfg;
}

std::shared_ptr<Config> load_file(const std::string& path, const py::dict& overrides) {
  const auto ov = overrides_text(overrides);
  py::gil_scoped_release release;
  return parse_with_overrides(config::Document::load(path), ov, path);
}

std::shared_ptr<Config> load_dict(const py::dict& d, const py::dict& overrides) {
  auto root = to_toml_table(d, "");
  const auto ov = overrides_text(overrides);
  py::gil_scoped_release release;
  return parse_with_overrides(config::Document::parse(toml_text(std::move(root)), "<dict>"), ov,
                              "<dict>");
}

// ---- Options: keyword arguments into the commands' own structs (io/commands.hpp) -----------

/// The option names of each command's struct (io/commands.hpp), as the CLI's --long-names
/// with '_' for '-'; the struct holds every default and bound. `visit` calls v(name, field).
template <class V>
void visit(models::ExperimentOptions& o, V&& v) {
  v("out", o.out);
  v("draws", o.draws);
  v("replications", o.replications);
  v("seed", o.seed);
  v("threads", o.threads);
  v("write_draws", o.write_draws);
  v("full_scenarios", o.full_scenarios);
  v("allow_other_config", o.allow_other_config);
  v("max_memory_gib", o.limits.max_memory_gib);
  v("max_hours", o.limits.max_hours);
  v("draws_from", o.draws_from);
}
template <class V>
void visit(models::CompareOptions& o, V&& v) {
  visit(static_cast<models::ExperimentOptions&>(o), v);
  v("roi_target", o.roi_target);
  v("confidence", o.confidence);
  v("lang", o.lang);
  v("no_threshold", o.no_threshold);
}
template <class V>
void visit(models::SensitivityOptions& o, V&& v) {
  visit(static_cast<models::ExperimentOptions&>(o), v);
  v("method", o.method);
  v("params", o.params);
  v("grid", o.grid);
  v("sobol_n", o.sobol_n);
  v("bootstrap", o.bootstrap);
  v("randomisations", o.randomisations);
  v("terminal_events", o.terminal_events);
  v("estimator", o.estimator);
  v("target_se", o.target_se);
  v("batch", o.batch);
  v("max_replications", o.max_replications);
  v("values_per_return", o.values_per_return);
}
template <class V>
void visit(models::ThresholdOptions& o, V&& v) {
  visit(static_cast<models::ExperimentOptions&>(o), v);
  v("param", o.param);
  v("metric", o.metric);
  v("target", o.target);
  v("range", o.range);
  v("scenarios", o.scenarios);
  v("grid", o.grid);
  v("batches", o.batches);
}
template <class V>
void visit(models::CalcOptions& o, V&& v) {
  v("out", o.out);
  v("replications", o.replications);
  v("seed", o.seed);
  v("threads", o.threads);
  v("max_memory_gib", o.limits.max_memory_gib);
  v("max_hours", o.limits.max_hours);
}
template <class V>
void visit(models::ReportOptions& o, V&& v) {
  v("lang", o.lang);
  v("out", o.out);
}
template <class V>
void visit(models::FollowupOptions& o, V&& v) {
  v("scenario", o.scenario);
}
template <class V>
void visit(models::CalibrateOptions& o, V&& v) {
  v("register", o.register_file);
  v("targets", o.targets_file);
  v("case_log", o.case_log);
  v("params", o.params);
  v("prior_draws", o.prior_draws);
  v("posterior_draws", o.posterior_draws);
  v("pupils", o.pupils);
  v("scenario", o.scenario);
  v("out", o.out);
  v("fit_draws", o.fit_draws);
  v("seed", o.seed);
  v("threads", o.threads);
  v("max_memory_gib", o.limits.max_memory_gib);
  v("max_hours", o.limits.max_hours);
}

template <class V>
void visit(models::SynthRegisterOptions& o, V&& v) {
  v("pupils", o.pupils);
  v("months", o.months);
  v("seed", o.seed);
  v("start_year", o.start_year);
  v("out", o.out);
}

/// A command's options from keyword arguments: each given one (not None) into its field,
/// a wrong type or an unknown name refused naming it; the rest keep the struct's defaults.
template <class Options>
Options read_options(const py::dict& given, const std::string& command) {
  Options o;
  std::set<std::string> known;
  visit(o, [&](const char* name, auto& field) {
    known.insert(name);
    if (!given.contains(name) || given[name].is_none()) return;
    try {
      field = given[name].cast<std::decay_t<decltype(field)>>();
    } catch (const py::cast_error&) {
      ATTENDSIM_INPUT_ERROR(
          command << ": option '" << name << "': a value of type "
                  << py::str(py::type::of(given[name]).attr("__name__")).cast<std::string>()
                  << " does not fit");
    }
  });
  for (const auto& [k, v] : given) {
    const auto name = py::str(k).cast<std::string>();
    if (known.count(name) == 0) {
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      ATTENDSIM_INPUT_ERROR(command << ": no option '" << name << "' (options: " << list << ")");
    }
  }
  return o;
}

/// The defaults of a command's options, as a dict (attendsim.defaults(command)).
template <class Options>
py::dict defaults_of() {
  Options o;
  py::dict d;
  visit(o, [&](const char* name, auto& field) { d[name] = field; });
  return d;
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
  std::string printed;
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
  d["printed"] = o.printed;
  return d;
}

// ---- the commands ---------------------------------------------------------------------------

/// Runs `body` (one command of io/commands.hpp, given the stream for its console text) without
/// the GIL, keeping Python's signal handlers; its folder, the means of the experiment it ran
/// and what it printed go back to Python.
template <class F>
py::dict command(F&& body) {
  Outcome o;
  {
    py::gil_scoped_release release;
    KeepSignalHandlers keep;
    o.started = monotonic_seconds();
    std::ostringstream printed;
    const models::CommandResult r = body(printed);
    if (r.experiment) fill_means(o, *r.experiment);
    o.folder = r.folder.string();
    o.printed = printed.str();
    o.finished = monotonic_seconds();
  }
  return to_python(o);
}

/// A command on a loaded config: its options from `kwargs`, quiet (no progress bar, no table).
template <class Options, class Run>
py::dict config_command(const Config& cfg, const py::dict& kwargs, const char* name, Run run) {
  auto o = read_options<Options>(kwargs, name);
  if constexpr (std::is_base_of_v<models::ExperimentOptions, Options>) o.quiet = true;
  if constexpr (std::is_same_v<Options, models::CalibrateOptions>) o.quiet = true;
  return command([&](std::ostream& os) { return run(cfg.model, o, os); });
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
      const auto te = parse_name<models::TerminalEvents>(terminal_events);
      if (!te)
        ATTENDSIM_INPUT_ERROR("terminal_events: '" << terminal_events << "' is not one of "
                                                   << known_names<models::TerminalEvents>()
                                                   << ", config");
      with_events.structure.outcomes.terminal_events = *te;
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
    models::ExperimentOptions given;  // the CLI's bounds on these options
    given.replications = replications;
    given.seed = seed;
    given.threads = threads;
    given.check();
    auto opt = models::base_run_options(mc, seed, replications, threads);
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
      .def_property_readonly("overrides", [](const Config& c) { return c.model.overrides; })
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
  // Each command: (config or folder, {option: value}) -> {folder, means, interval, printed}.
  m.def("run", [](const Config& c, const py::dict& kw) {
    // As the CLI's run: a config's [[municipalities]] are run too.
    auto o = read_options<models::ExperimentOptions>(kw, "run");
    o.quiet = true;
    o.reads_municipalities = true;
    return command([&](std::ostream& os) { return models::run_command(c.model, o, os); });
  });
  m.def("compare", [](const Config& c, const py::dict& kw) {
    return config_command<models::CompareOptions>(
        c, kw, "compare", [](const models::ModelConfig& mc, const auto& o, std::ostream& os) {
          return models::compare_command(mc, o, os);
        });
  });
  m.def("sensitivity", [](const Config& c, const py::dict& kw) {
    auto o = read_options<models::SensitivityOptions>(kw, "sensitivity");
    o.quiet = true;
    o.values_per_return_given =
        kw.contains("values_per_return") && !kw["values_per_return"].is_none();
    return command([&](std::ostream& os) { return models::sensitivity_command(c.model, o, os); });
  });
  m.def("threshold", [](const Config& c, const py::dict& kw) {
    return config_command<models::ThresholdOptions>(
        c, kw, "threshold", [](const models::ModelConfig& mc, const auto& o, std::ostream& os) {
          return models::threshold_command(mc, o, os);
        });
  });
  m.def("calc", [](const Config& c, const py::dict& kw) {
    return config_command<models::CalcOptions>(
        c, kw, "calc", [](const models::ModelConfig& mc, const auto& o, std::ostream& os) {
          return models::calc_command(mc, o, os);
        });
  });
  m.def("calibrate", [](const Config& c, const py::dict& kw) {
    return config_command<models::CalibrateOptions>(
        c, kw, "calibrate", [](const models::ModelConfig& mc, const auto& o, std::ostream& os) {
          return models::calibrate_command(mc, o, os);
        });
  });
  m.def("synth_register", [](const Config& c, const py::dict& kw) {
    return config_command<models::SynthRegisterOptions>(
        c, kw, "synth_register",
        [](const models::ModelConfig& mc, const auto& o, std::ostream& os) {
          return models::synth_register_command(mc, o, os);
        });
  });
  m.def("report", [](const std::string& results, const py::dict& kw) {
    const auto o = read_options<models::ReportOptions>(kw, "report");
    return command([&](std::ostream& os) { return models::report_command(results, o, os); });
  });
  m.def("followup",
        [](const std::string& results, const std::string& observed, const py::dict& kw) {
          auto o = read_options<models::FollowupOptions>(kw, "followup");
          o.quiet = true;
          return command(
              [&](std::ostream& os) { return models::followup_command(results, observed, o, os); });
        });
  m.def("defaults", [](const std::string& command) -> py::dict {
    if (command == "run") return defaults_of<models::ExperimentOptions>();
    if (command == "compare") return defaults_of<models::CompareOptions>();
    if (command == "sensitivity") return defaults_of<models::SensitivityOptions>();
    if (command == "threshold") return defaults_of<models::ThresholdOptions>();
    if (command == "calc") return defaults_of<models::CalcOptions>();
    if (command == "calibrate") return defaults_of<models::CalibrateOptions>();
    if (command == "report") return defaults_of<models::ReportOptions>();
    if (command == "followup") return defaults_of<models::FollowupOptions>();
    if (command == "synth_register") return defaults_of<models::SynthRegisterOptions>();
    ATTENDSIM_INPUT_ERROR("defaults: no command '" << command << "'");
  });
  m.def("evaluate", &evaluate, py::arg("config"), py::arg("keys"), py::arg("values"),
        py::arg("scenario"), py::arg("metrics"), py::arg("replications"), py::arg("seed"),
        py::arg("threads"), py::arg("full_scenarios"), py::arg("terminal_events"));
}
