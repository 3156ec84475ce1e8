#include "io/config_schema.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "models/count_chain.hpp"
#include "models/hybrid_chain.hpp"
#include "models/policies/allocation_policy.hpp"
#include "sim/config.hpp"
#include "sim/error.hpp"
#include "sim/names.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

using config::TableReader;
using Setter = std::function<void(ModelParams&, double)>;

namespace {

int to_int(double v) {
  return static_cast<int>(std::lround(v));
}

/// Parameter values beyond this size make costs overflow to inf and NaN: refused.
constexpr double kMaxMagnitude = 1e15;

/// A month count at most this (100 years).
constexpr double kMaxMonths = 1200;

/// The value of E named `name` at `key`; an unknown name fails naming file, line, key and the
/// known names (`what` says what the name is: "allocation policy").
template <class E>
E enum_of(TableReader& t, const std::string& key, const std::string& name, const char* what) {
  const auto v = parse_name<E>(name);
  if (!v)
    t.fail(key,
           std::string("unknown ") + what + " '" + name + "' (known: " + known_names<E>() + ")");
  return *v;
}

/// The enumerated value at `key`, `fallback` when the key is absent.
template <class E>
E enum_or(TableReader& t, const std::string& key, E fallback, const char* what) {
  return enum_of<E>(t, key, t.string_or(key, name_of(fallback)), what);
}

/// Builds the parameter list while reading the schema.
class Builder {
 public:
  explicit Builder(ModelConfig& cfg) : cfg_(cfg) {}

  /// A parameter counted in whole months (>= 1 when `positive`, else >= 0, at most `max`): a
  /// fixed value must be whole; a distribution's draws are rounded to whole months, so it must
  /// stay in [0, max] (and >= 0.5 when positive, so that no draw rounds to 0). A month count
  /// that a pupil's one-byte counter is compared with has max = kMaxCounterMonths.
  std::size_t months(TableReader& t, const std::string& key, bool positive, Setter set,
                     int max = static_cast<int>(kMaxMonths)) {
    const double top = max;
    const std::string range = (positive ? "1" : "0") + std::string("..") + std::to_string(max);
    const std::size_t i =
        param(t, key, positive ? Domain::positive : Domain::nonnegative, std::move(set));
    const Parameter& p = cfg_.parameters.at(i);
    const double lo = positive ? 1.0 : 0.0;
    if (!p.dist) {
      if (p.base != std::floor(p.base) || p.base < lo || p.base > top) {
        t.fail(key,
               "must be a whole number of months in " + range + ", got " + config::fmt(p.base));
      }
    } else {
      const double a = p.dist->quantile(1e-9), b = p.dist->quantile(1 - 1e-9);
      if (a < (positive ? 0.5 : 0.0) || b > top) {
        t.fail(key, "distribution " + p.dist->describe() + " of a month count must stay in " +
                        (positive ? "[0.5" : "[0") + ", " + std::to_string(max) +
                        "] (draws are rounded to whole months)");
      }
    }
    return i;
  }

  /// A parameter that is a number or a distribution table; registers it with its setter.
  std::size_t param(TableReader& t, const std::string& key, Domain domain, Setter set) {
    const toml::node* n = t.node(key);
    if (n == nullptr) {
      // Missing: reported as a missing key by the typed getter.
      t.number(key);
    }
    return from_node(t, key, *n, t.path_of(key), static_cast<int>(n->source().begin.line), domain,
                     std::move(set));
  }

  /// A parameter with a default when absent.
  std::size_t param_or(TableReader& t, const std::string& key, double fallback, Domain domain,
                       Setter set) {
    if (!t.has(key)) {
      t.node(key);
      Parameter p{
          t.path_of(key), t.file_of(key), t.line_of(key), fallback, std::nullopt, domain, -1};
      return add(std::move(p), std::move(set));
    }
    return param(t, key, domain, std::move(set));
  }

  /// An array of `n` parameters; element i is set by set(params, i, value).
  std::vector<std::size_t> param_array(TableReader& t, const std::string& key, std::size_t n,
                                       Domain domain,
                                       std::function<void(ModelParams&, std::size_t, double)> set) {
    const toml::node* node = t.node(key);
    if (node == nullptr) t.numbers(key);  // throws "missing key"
    const auto* arr = node->as_array();
    if (arr == nullptr) t.fail(key, "must be an array of " + std::to_string(n) + " values");
    if (arr->size() != n) {
      t.fail(key, "must have " + std::to_string(n) + " values, got " + std::to_string(arr->size()));
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = (*arr)[i];
      out.push_back(from_node(t, key, e, t.path_of(key) + "[" + std::to_string(i) + "]",
                              static_cast<int>(e.source().begin.line), domain,
                              [set, i](ModelParams& m, double v) { set(m, i, v); }));
    }
    return out;
  }

 private:
  std::size_t add(Parameter p, Setter set) {
    std::string what;
    if (!in_domain(p.domain, p.base, what)) {
      throw InputError(p.file + ":" + std::to_string(p.line) + ": key '" + p.path + "': must be " +
                       what + ", got " + config::fmt(p.base));
    }
    if (std::abs(p.base) > kMaxMagnitude) {
      throw InputError(p.file + ":" + std::to_string(p.line) + ": key '" + p.path +
                       "': must be at most 1e15 in size (costs and counts beyond it overflow), "
                       "got " +
                       config::fmt(p.base));
    }
    cfg_.setters.push_back(std::move(set));
    return cfg_.parameters.add(std::move(p));
  }

  std::size_t from_node(TableReader& t, const std::string& key, const toml::node& n,
                        const std::string& path, int line, Domain domain, Setter set) {
    // An overridden value names the overrides' file (sim/config.hpp apply_overrides).
    const auto& src = n.source().path;
    Parameter p{path, src && !src->empty() ? *src : cfg_.file, line, 0.0, std::nullopt, domain, -1};
    if (auto v = n.value_exact<double>()) {
      p.base = *v;
    } else if (auto w = n.value_exact<std::int64_t>()) {
      p.base = static_cast<double>(*w);
    } else if (const auto* tab = n.as_table()) {
      TableReader d(t.document(), *tab, path);
      const std::string kind = d.string("dist");
      Distribution dist;
      if (!parse_distribution_kind(kind, dist.kind)) {
        d.fail("dist", "unknown distribution '" + kind +
                           "' (use beta, gamma, lognormal, normal, uniform or triangular)");
      }
      for (const auto& a : distribution_arg_names(dist.kind)) dist.args.push_back(d.number(a));
      const std::string bad = validate_distribution(dist);
      if (!bad.empty()) d.fail("dist", bad);
      p.base = d.has("base") ? d.number("base") : dist.central();
      d.finish();
      // The distribution must stay in the parameter's domain.
      std::string what;
      if (!in_domain(domain, dist.support_low(), what) ||
          !in_domain(domain, dist.support_high(), what)) {
        const double lo = dist.quantile(1e-9), hi = dist.quantile(1 - 1e-9);
        if (!in_domain(domain, lo, what) || !in_domain(domain, hi, what)) {
          t.fail_at(line, key,
                    "distribution " + dist.describe() + " reaches outside the valid range (" +
                        what + ")");
        }
      }
      if (std::abs(dist.quantile(1e-9)) > kMaxMagnitude ||
          std::abs(dist.quantile(1 - 1e-9)) > kMaxMagnitude) {
        t.fail_at(line, key,
                  "distribution " + dist.describe() +
                      " reaches values beyond 1e15 in size (costs and counts overflow)");
      }
      p.dist = dist;
    } else {
      t.fail_at(line, key, "must be a number or a distribution table {dist = ..., ...}");
    }
    return add(std::move(p), std::move(set));
  }

  ModelConfig& cfg_;
};

void read_matrix(Builder& b, TableReader& t, int band, ModelConfig& cfg) {
  static const char* kRows[] = {"regular", "worrying", "high", "extensive"};
  std::vector<double> conc;
  if (t.has("dirichlet_concentration")) {
    conc = t.numbers("dirichlet_concentration");
    if (conc.size() != 4) t.fail("dirichlet_concentration", "must have 4 values (one per row)");
    for (double c : conc) {
      if (!(c > 0)) t.fail("dirichlet_concentration", "values must be > 0");
    }
  } else {
    t.node("dirichlet_concentration");
  }
  for (int s = 0; s < 4; ++s) {
    auto idx = b.param_array(
        t, kRows[s], 4, Domain::probability,
        [band, s](ModelParams& m, std::size_t j, double v) { m.transitions.base[band][s][j] = v; });
    double sum = 0;
    for (auto i : idx) sum += cfg.parameters.at(i).base;
    if (std::abs(sum - 1.0) > 1e-6) {
      t.fail(kRows[s], "transition row must sum to 1, sums to " + config::fmt(sum));
    }
    if (!conc.empty()) {
      cfg.parameters.add_dirichlet(t.path_of(kRows[s]), t.file_of(kRows[s]), t.line_of(kRows[s]),
                                   idx, conc[s]);
    }
  }
  t.finish();
}

/// `[KEY.pupils_by_band]` of `t` ([population] or a [[municipalities]] entry), when given:
/// pupils at start by grade band (grade0_6, grade7_9, grade10_12; every band with a grade in
/// grade_min..grade_max, no other), each spread evenly over its grades in that range (the
/// lower grades take the remainder); they must sum to `pupils`. All 0 when absent.
std::array<int, kGradeCount> read_pupils_by_band(TableReader& t, std::int64_t pupils, int gmin,
                                                 int gmax) {
  std::array<int, kGradeCount> by_grade{};
  auto b = t.table_if("pupils_by_band");
  if (!b) return by_grade;
  std::int64_t sum = 0;
  for (int band = 0; band < kBands; ++band) {
    const std::string key(kBandNames[band]);
    int lo = kGradeCount, hi = -1;  // the band's grades within gmin..gmax
    for (int g = gmin; g <= gmax; ++g) {
      if (static_cast<int>(band_of_grade(g)) != band) continue;
      lo = std::min(lo, g);
      hi = std::max(hi, g);
    }
    if (hi < 0) {
      if (b->has(key))
        b->fail(key, "has no grade in grade_min..grade_max (" + std::to_string(gmin) + ".." +
                         std::to_string(gmax) + "); leave it out");
      continue;
    }
    const auto n = b->integer(key);
    if (n < 0 || n > 50'000'000) b->fail(key, "must be between 0 and 50 000 000");
    const auto grades = static_cast<std::int64_t>(hi - lo + 1);
    for (int g = lo; g <= hi; ++g)
      by_grade[static_cast<std::size_t>(g)] =
          static_cast<int>(n / grades + (g - lo < n % grades ? 1 : 0));
    sum += n;
  }
  if (sum != pupils)
    b->fail("grade0_6", "the bands hold " + std::to_string(sum) + " pupils, but pupils = " +
                            std::to_string(pupils) + "; they must be equal");
  b->finish();
  return by_grade;
}

/// An override of a municipality: `key` of [[municipalities]] (a value >= 0) for the config's
/// parameter `path`, kept as the factor on that parameter (docs/methods.md §6); none when absent.
std::optional<double> read_municipal_factor(TableReader& m, const ModelConfig& cfg,
                                            const std::string& key, const std::string& path) {
  if (!m.has(key)) return std::nullopt;
  const double v = m.number(key);
  if (!(v >= 0) || !std::isfinite(v) || v > kMaxMagnitude)
    m.fail(key, "must be a number between 0 and 1e15");
  const auto i = cfg.parameters.find(path);
  if (!i) m.fail(key, "the config has no " + path + " for a municipality to override");
  const double base = cfg.parameters.at(*i).base;
  if (!(base > 0))
    m.fail(key, path +
                    " is 0 in the config: a municipality's value is kept as a factor on it "
                    "(docs/methods.md §6), so it must be > 0");
  return v / base;
}

StaffingSchedule read_staffing(TableReader& t, const std::string& key) {
  StaffingSchedule s;
  auto periods = t.tables(key);
  int last = -1;
  for (auto& p : periods) {
    StaffingPeriod sp;
    const auto from = p.integer("from_month");
    if (from < 0) p.fail("from_month", "must be >= 0");
    if (from <= last) p.fail("from_month", "periods must be in increasing order of from_month");
    if (from > 1200) p.fail("from_month", "must be at most 1200 (100 years)");
    sp.from_month = static_cast<int>(from);
    sp.fte = p.number("fte");
    if (!(sp.fte >= 0) || !std::isfinite(sp.fte)) p.fail("fte", "must be >= 0");
    if (sp.fte > 100000) p.fail("fte", "must be at most 100 000");
    p.finish();
    last = sp.from_month;
    s.periods.push_back(sp);
  }
  return s;
}

/// label_sv / label_en of a scenario table, both or neither.
void read_labels(TableReader& t, ModelConfig& cfg, const std::string& scenario) {
  Bilingual l{t.string_or("label_sv", ""), t.string_or("label_en", "")};
  if (l.sv.empty() != l.en.empty())
    t.fail(l.sv.empty() ? "label_en" : "label_sv",
           "give the scenario's label in both languages (label_sv and label_en) or in neither");
  // Printed in tables, titles, decision.md and the HTML report: one line of bounded length.
  for (const auto& [key, text] : {std::pair{"label_sv", &l.sv}, std::pair{"label_en", &l.en}}) {
    if (text->size() > 200) t.fail(key, "must be at most 200 bytes long");
    for (const unsigned char c : *text) {
      if (c < 0x20 || c == 0x7f)
        t.fail(key, "must not hold control characters (newline, tab, ...)");
    }
  }
  if (!l.sv.empty()) cfg.scenario_labels[scenario] = std::move(l);
}

}  // namespace

ModelConfig load_model_config(const std::filesystem::path& path,
                              const std::filesystem::path& overrides) {
  auto doc = config::Document::load(path);
  if (overrides.empty()) return parse_model_config(doc);
  // The file alone first, so that its own errors name its own lines; then with the overrides.
  (void)parse_model_config(doc);
  doc.apply_overrides(config::Document::load(overrides));
  return parse_model_config(doc);
}

toml::table effective_config_table(const ModelConfig& cfg) {
  auto root = toml::parse(cfg.text, cfg.file);
  if (!cfg.overrides.empty()) {
    auto overrides = toml::parse(cfg.overrides, cfg.file + " (overrides)");
    config::merge_overrides(root, overrides);
  }
  return root;
}

namespace {

/// [fund]: a fund's terms (analysis/fund.hpp).
void read_fund(config::TableReader& t, ModelConfig& cfg) {
  auto& f = cfg.fund;
  f.present = true;
  f.amount_sek = t.number("amount_sek");
  if (!(f.amount_sek > 0) || !(f.amount_sek <= kMaxMagnitude))
    t.fail("amount_sek", "must be > 0 and at most 1e15 SEK, got " + config::fmt(f.amount_sek));
  const auto rule = t.string("rule");
  if (rule == "effect") {
    f.rule = FundRule::effect;
  } else if (rule == "share_of_savings") {
    f.rule = FundRule::share_of_savings;
  } else {
    t.fail("rule", "unknown rule '" + rule + "' (known: effect, share_of_savings)");
  }
  const auto years = t.integer("by_year");
  if (years < 1 || years > cfg.structure.horizon_years)
    t.fail("by_year", "must be a year of the horizon, 1.." +
                          std::to_string(cfg.structure.horizon_years) + ", got " +
                          std::to_string(years));
  f.by_year = static_cast<int>(years);
  if (f.rule == FundRule::effect) {
    const auto m = t.string("measure");
    if (m == "fewer_extensive_absent") {
      f.measure = FundMeasure::fewer_extensive_absent;
    } else if (m == "avoided_repeated_years") {
      f.measure = FundMeasure::avoided_repeated_years;
    } else if (m == "avoided_noncompletions") {
      f.measure = FundMeasure::avoided_noncompletions;
    } else {
      t.fail("measure", "unknown measure '" + m +
                            "' (known: fewer_extensive_absent, avoided_repeated_years, "
                            "avoided_noncompletions)");
    }
    f.threshold = t.number("threshold");
    if (!(f.threshold > 0) || !(f.threshold <= 1e9))
      t.fail("threshold", "must be > 0 (an effect the fund can see) and at most 1e9, got " +
                              config::fmt(f.threshold));
    const auto over = t.integer_or("repay_over_years", 1);
    if (over < 1 || over > 100) t.fail("repay_over_years", "must be between 1 and 100");
    f.repay_over_years = static_cast<int>(over);
    if (t.has("share_of_savings"))
      t.fail("share_of_savings", "belongs to rule = \"share_of_savings\", not \"effect\"");
  } else {
    f.share_of_savings = t.number("share_of_savings");
    if (!(f.share_of_savings > 0 && f.share_of_savings <= 1))
      t.fail("share_of_savings", "must be in (0, 1], got " + config::fmt(f.share_of_savings));
    for (const char* k : {"measure", "threshold", "repay_over_years"}) {
      if (t.has(k)) t.fail(k, "belongs to rule = \"effect\", not \"share_of_savings\"");
    }
  }
  t.finish();
}

}  // namespace

namespace {

/// A PSA draw on the count-based path must be one it can represent, not only the base case:
/// each uncertain parameter is put at the quantiles 1e-6, 0.5 and 1 - 1e-6 of its
/// distribution (the others at base), and a value count_based_unsupported refuses stops the
/// reading at the parameter's file, line and key. The refused values are points (a relapse
/// multiplier other than 1) or lower bounds (a repeat probability above 0), so a
/// distribution that reaches one does so at one of these quantiles.
void check_count_path_draws(const ModelConfig& cfg) {
  const std::vector<double> base = cfg.parameters.base_values();
  for (const std::size_t i : cfg.parameters.uncertain()) {
    const Parameter& par = cfg.parameters.at(i);
    for (const double u : {1e-6, 0.5, 1.0 - 1e-6}) {
      std::vector<double> values = base;
      values[i] = par.dist->quantile(u);
      ModelParams drawn;
      try {
        drawn = realise(cfg, values);
      } catch (const PreconditionError&) {
        continue;  // a value the draw checks refuse anyway
      }
      if (const auto why = count_based_unsupported(drawn); !why.empty()) {
        ATTENDSIM_INPUT_ERROR(par.file << ":" << par.line << ": key '" << par.path
                                       << "': its distribution " << par.dist->describe()
                                       << " reaches " << values[i]
                                       << ", and the count-based path ([simulation] "
                                          "count_based) cannot represent "
                                       << why);
      }
    }
  }
}

}  // namespace

ModelConfig parse_model_config(const config::Document& doc) {
  ModelConfig cfg;
  cfg.file = doc.path();
  cfg.text = doc.text();
  cfg.overrides = doc.overrides_text();
  Builder b(cfg);
  TableReader root(doc);
  cfg.name = root.string("name");
  for (const unsigned char c : cfg.name) {  // printed in tables, titles and decision.md
    if (c < 0x20 || c == 0x7f)
      root.fail("name", "must not hold control characters (newline, tab, ...)");
  }
  if (cfg.name.empty() || cfg.name.size() > 200) root.fail("name", "must be 1 to 200 bytes long");
  cfg.description = root.string_or("description", "");
  cfg.description_text.sv = root.string_or("description_sv", "");
  cfg.description_text.en = root.string_or("description_en", cfg.description);
  ModelParams& st = cfg.structure;

  {  // [simulation]
    auto t = root.table("simulation");
    const auto years = t.integer("horizon_years");
    if (years < 1 || years > kMaxHorizonYears)
      t.fail("horizon_years", "must be between 1 and " + std::to_string(kMaxHorizonYears));
    st.horizon_years = static_cast<int>(years);
    const auto seed = t.integer_or("seed", 1);
    if (seed < 0) t.fail("seed", "must be >= 0");
    cfg.run.seed = static_cast<std::uint64_t>(seed);
    const auto draws = t.integer_or("draws", 1);
    if (draws < 1 || draws > 1'000'000) t.fail("draws", "must be between 1 and 1 000 000");
    cfg.run.draws = static_cast<int>(draws);
    const auto reps = t.integer_or("replications", 20);
    if (reps < 1 || reps > 1'000'000) t.fail("replications", "must be between 1 and 1 000 000");
    cfg.run.replications = static_cast<int>(reps);
    cfg.run.count_based = t.boolean_or("count_based", false);
    t.finish();
  }
  {  // [population]
    auto t = root.table("population");
    auto& pop = st.population;
    const auto n = t.integer("pupils");
    if (n < 1 || n > 50'000'000) t.fail("pupils", "must be between 1 and 50 000 000");
    pop.pupils = static_cast<int>(n);
    const auto gmin = t.integer_or("grade_min", 0), gmax = t.integer_or("grade_max", 12);
    if (gmin < 0 || gmin > 12) t.fail("grade_min", "must be in 0..12");
    if (gmax < gmin || gmax > 12) t.fail("grade_max", "must be in grade_min..12");
    pop.grade_min = static_cast<int>(gmin);
    pop.grade_max = static_cast<int>(gmax);
    pop.pupils_by_grade = read_pupils_by_band(t, n, pop.grade_min, pop.grade_max);
    pop.new_cohort_each_year = t.boolean_or("new_cohort_each_year", true);
    pop.grade_progression = t.boolean_or("grade_progression", true);
    b.param(t, "share_girls", Domain::probability,
            [](ModelParams& m, double v) { m.population.share_girls = v; });
    auto prev = t.table("prevalence");
    for (int band = 0; band < kBands; ++band) {
      auto pb = prev.table(std::string(kBandNames[band]));
      static const char* kKeys[] = {"worrying", "high", "extensive"};
      double sum = 0;
      for (int k = 0; k < 3; ++k) {
        const auto i =
            b.param(pb, kKeys[k], Domain::probability,
                    [band, k](ModelParams& m, double v) { m.population.prevalence[band][k] = v; });
        sum += cfg.parameters.at(i).base;
      }
      if (sum > 1.0) pb.fail("extensive", "worrying + high + extensive shares exceed 1");
      pb.finish();
    }
    prev.finish();
    if (auto g = t.table_if("gender")) {
      b.param_or(*g, "worrying_mult_boys", 1.0, Domain::positive,
                 [](ModelParams& m, double v) { m.population.worrying_mult_boys = v; });
      b.param_or(*g, "worrying_mult_girls", 1.0, Domain::positive,
                 [](ModelParams& m, double v) { m.population.worrying_mult_girls = v; });
      b.param_or(
          *g, "high_ratio_girls_vs_boys_grade7_12", 1.0, Domain::positive,
          [](ModelParams& m, double v) { m.population.high_ratio_girls_vs_boys_grade7_12 = v; });
      b.param_or(*g, "extensive_ratio_girls_vs_boys", 1.0, Domain::positive,
                 [](ModelParams& m, double v) { m.population.extensive_ratio_girls_vs_boys = v; });
      g->finish();
    }
    t.finish();
  }
  {  // [transitions]
    auto t = root.table("transitions");
    for (int band = 0; band < kBands; ++band) {
      auto mt = t.table(std::string(kBandNames[band]));
      read_matrix(b, mt, band, cfg);
    }
    auto& tp = st.transitions;
    {
      auto d = t.table("duration");
      tp.duration_enabled = d.boolean("enabled");
      b.param_array(
          d, "high_exit_mult", 3, Domain::positive,
          [](ModelParams& m, std::size_t i, double v) { m.transitions.high_exit_mult[i] = v; });
      b.param_array(d, "extensive_exit_mult", 3, Domain::positive,
                    [](ModelParams& m, std::size_t i, double v) {
                      m.transitions.extensive_exit_mult[i] = v;
                    });
      d.finish();
    }
    {
      auto r = t.table("relapse");
      tp.relapse_enabled = r.boolean("enabled");
      b.param(r, "mult", Domain::positive,
              [](ModelParams& m, double v) { m.transitions.relapse_mult = v; });
      const auto months = r.integer("months");
      if (months < 0 || months > 60) r.fail("months", "must be in 0..60");
      tp.relapse_months = static_cast<int>(months);
      r.finish();
    }
    {
      auto s = t.table("seasonality");
      tp.seasonality_enabled = s.boolean("enabled");
      b.param_array(
          s, "worsen_mult_sep_to_jun", kSchoolMonthsPerYear, Domain::positive,
          [](ModelParams& m, std::size_t i, double v) { m.transitions.worsen_mult[i] = v; });
      s.finish();
    }
    {
      auto l = t.table("leaving");
      tp.leaving_enabled = l.boolean("enabled");
      b.param(l, "p_leave_per_month", Domain::probability,
              [](ModelParams& m, double v) { m.transitions.p_leave_per_month = v; });
      // Leaving by state, drawn with the transition (models/params.hpp); absent: none.
      if (l.has("p_leave_by_state")) {
        b.param_array(
            l, "p_leave_by_state", kAttendanceStates, Domain::probability,
            [](ModelParams& m, std::size_t i, double v) { m.transitions.p_leave_by_state[i] = v; });
      } else {
        l.node("p_leave_by_state");
      }
      l.finish();
    }
    // Transitions in the school months only (default) or in every month.
    tp.months = enum_or(t, "months", TransitionMonths::school, "choice of transition months");
    t.finish();
  }
  {  // [detection]
    auto t = root.table("detection");
    b.param(t, "p_detect_per_month", Domain::probability,
            [](ModelParams& m, double v) { m.detection.p_detect_per_month = v; });
    b.months(
        t, "school_action_months", false,
        [](ModelParams& m, double v) { m.detection.school_action_months = to_int(v); },
        kMaxCounterMonths);
    b.param(t, "p_refer_boys", Domain::probability,
            [](ModelParams& m, double v) { m.detection.p_refer_boys = v; });
    b.param(t, "referral_ratio_girls_vs_boys", Domain::nonnegative,
            [](ModelParams& m, double v) { m.detection.referral_ratio_girls_vs_boys = v; });
    b.param(t, "p_consent", Domain::probability,
            [](ModelParams& m, double v) { m.detection.p_consent = v; });
    // How referrals answer to the team's queue (docs/methods.md §4.3 step 7).
    auto& dp = st.detection;
    dp.referral_rule = enum_or(t, "referral_rule", ReferralRule::always, "rule");
    if (dp.referral_rule == ReferralRule::queue_limit && !t.has("queue_limit"))
      t.fail("referral_rule", "queue_limit needs the key queue_limit (pupils waiting)");
    if (dp.referral_rule == ReferralRule::queue_decline && !t.has("queue_half"))
      t.fail("referral_rule", "queue_decline needs the key queue_half (pupils waiting)");
    if (t.has("queue_limit")) {
      if (dp.referral_rule != ReferralRule::queue_limit)
        t.fail("queue_limit", "is read only with referral_rule = \"queue_limit\"");
      b.param(t, "queue_limit", Domain::nonnegative,
              [](ModelParams& m, double v) { m.detection.queue_limit = v; });
    }
    if (t.has("queue_half")) {
      if (dp.referral_rule != ReferralRule::queue_decline)
        t.fail("queue_half", "is read only with referral_rule = \"queue_decline\"");
      b.param(t, "queue_half", Domain::positive,
              [](ModelParams& m, double v) { m.detection.queue_half = v; });
    }
    if (t.has("triage_queue")) {
      b.param(t, "triage_queue", Domain::nonnegative,
              [](ModelParams& m, double v) { m.detection.triage_queue = v; });
    }
    t.finish();
  }
  {  // [coordinators]
    auto t = root.table("coordinators");
    auto& cp = st.coordinators;
    cp.enabled = t.boolean("enabled");
    cfg.coordinators_enabled_at = t.file_of("enabled");
    if (const int line = t.line_of("enabled"); line > 0)
      cfg.coordinators_enabled_at += ":" + std::to_string(line);
    b.param(t, "caseload_per_fte", Domain::positive,
            [](ModelParams& m, double v) { m.coordinators.caseload_per_fte = v; });
    b.param(t, "share_fte_on_casework", Domain::probability,
            [](ModelParams& m, double v) { m.coordinators.share_fte_on_casework = v; });
    b.months(t, "rampup_months", false,
             [](ModelParams& m, double v) { m.coordinators.rampup_months = to_int(v); });
    b.param(t, "rampup_effect_share", Domain::probability,
            [](ModelParams& m, double v) { m.coordinators.rampup_effect_share = v; });
    b.months(
        t, "close_after_regular_months", true,
        [](ModelParams& m, double v) { m.coordinators.close_after_regular_months = to_int(v); },
        kMaxCounterMonths);
    b.months(
        t, "max_case_months", true,
        [](ModelParams& m, double v) { m.coordinators.max_case_months = to_int(v); },
        kMaxCounterMonths);
    if (t.has("p_case_end_per_month")) {
      b.param(t, "p_case_end_per_month", Domain::probability,
              [](ModelParams& m, double v) { m.coordinators.p_case_end_per_month = v; });
    }
    b.param(t, "rr_improve_in_case", Domain::positive,
            [](ModelParams& m, double v) { m.coordinators.rr_improve = v; });
    b.param(t, "rr_worsen_in_case", Domain::positive,
            [](ModelParams& m, double v) { m.coordinators.rr_worsen = v; });
    b.param(t, "effect_mult_extensive_vs_high", Domain::nonnegative,
            [](ModelParams& m, double v) { m.coordinators.effect_mult_extensive = v; });
    b.param(t, "effect_mult_grades_0_4", Domain::nonnegative,
            [](ModelParams& m, double v) { m.coordinators.effect_mult_grades_0_4 = v; });
    b.param(t, "effect_decay_per_month_after_close", Domain::probability,
            [](ModelParams& m, double v) { m.coordinators.effect_decay_after_close = v; });
    cfg.scenario.allocation_policy =
        enum_or(t, "allocation_policy", Allocation::fifo, "allocation policy");
    cfg.scenario.referral_policy =
        enum_or(t, "referral_policy", ReferralPolicy::as_configured, "referral policy");
    cfg.scenario.staffing = read_staffing(t, "staffing");
    if (cp.enabled && cfg.scenario.staffing.periods.empty()) {
      t.fail("staffing",
             "coordinators are enabled but no [[coordinators.staffing]] period is given");
    }
    cfg.scenario.name = t.string_or("scenario_name", "coordinators");
    if (cfg.scenario.name == "baseline")
      t.fail("scenario_name", "'baseline' is reserved for the no-coordinator run");
    if (const auto bad = config::name_problem(cfg.scenario.name); !bad.empty())
      t.fail("scenario_name", bad);
    read_labels(t, cfg, cfg.scenario.name);
    t.finish();
  }
  {  // [outcomes]
    auto t = root.table("outcomes");
    auto& o = st.outcomes;
    const auto sr = t.integer("sustained_return_months");
    if (sr < 1 || sr > 24) t.fail("sustained_return_months", "must be in 1..24");
    o.sustained_return_months = static_cast<int>(sr);
    b.param_array(
        t, "p_eligible_by_state", 4, Domain::probability,
        [](ModelParams& m, std::size_t i, double v) { m.outcomes.p_eligible_by_state[i] = v; });
    b.param_array(t, "p_complete_if_eligible_by_state", 4, Domain::probability,
                  [](ModelParams& m, std::size_t i, double v) {
                    m.outcomes.p_complete_if_eligible_by_state[i] = v;
                  });
    b.param(t, "p_complete_if_not_eligible", Domain::probability,
            [](ModelParams& m, double v) { m.outcomes.p_complete_if_not_eligible = v; });
    b.param(t, "share_eligible_at_start_upper_sec", Domain::probability,
            [](ModelParams& m, double v) { m.outcomes.share_eligible_at_start_upper_sec = v; });
    b.param(t, "p_repeat_year_per_extensive_year_upper_sec", Domain::probability,
            [](ModelParams& m, double v) { m.outcomes.p_repeat_per_extensive_year_upper_sec = v; });
    b.param_or(
        t, "p_repeat_year_per_extensive_year_compulsory", 0.0, Domain::probability,
        [](ModelParams& m, double v) { m.outcomes.p_repeat_per_extensive_year_compulsory = v; });
    b.param(t, "p_summer_school_if_high_or_extensive_grade8_9", Domain::probability,
            [](ModelParams& m, double v) {
              m.outcomes.p_summer_school_if_high_or_extensive_grade8_9 = v;
            });
    b.param(t, "p_placement_per_year_if_extensive", Domain::probability,
            [](ModelParams& m, double v) { m.outcomes.p_placement_per_year_if_extensive = v; });
    o.terminal_events = enum_or(t, "terminal_events", TerminalEvents::drawn, "mode");
    t.finish();
  }
  {  // [economics]
    auto t = root.table("economics");
    auto& e = st.economics;
    e.perspective = enum_of<Perspective>(t, "perspective", t.string("perspective"), "perspective");
    b.param(t, "discount_rate", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.discount_rate = v; });
    b.param(t, "cost_per_fte_year_sek", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.cost_per_fte_year_sek = v; });
    b.param(t, "team_overhead_sek_per_year", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.team_overhead_sek_per_year = v; });
    // Value past the horizon (analysis/economics.hpp); absent: off (horizon-only accounting).
    e.terminal_value = t.boolean_or("terminal_value", false);
    b.param_or(t, "other_costs_sek_per_year", 0.0, Domain::nonnegative,
               [](ModelParams& m, double v) { m.economics.other_costs_sek_per_year = v; });
    b.param(t, "cost_repeated_year_sek", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.cost_repeated_year_sek = v; });
    b.param_or(t, "cost_repeated_year_compulsory_sek", 0.0, Domain::nonnegative,
               [](ModelParams& m, double v) { m.economics.cost_repeated_year_compulsory_sek = v; });
    b.param(t, "cost_summer_school_sek", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.cost_summer_school_sek = v; });
    b.param_or(t, "summer_school_state_grant_sek", 0.0, Domain::nonnegative,
               [](ModelParams& m, double v) { m.economics.summer_school_state_grant_sek = v; });
    b.param(t, "cost_placement_per_day_sek", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.cost_placement_per_day_sek = v; });
    b.param(t, "placement_months_if_placed", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.placement_months = v; });
    b.param(t, "longterm_loss_noncompletion_undiscounted_sek", Domain::nonnegative,
            [](ModelParams& m, double v) { m.economics.longterm_loss_noncompletion_sek = v; });
    b.param(t, "longterm_loss_public_share", Domain::probability,
            [](ModelParams& m, double v) { m.economics.longterm_loss_public_share = v; });
    b.param(
        t, "longterm_loss_municipal_share_of_public", Domain::probability,
        [](ModelParams& m, double v) { m.economics.longterm_loss_municipal_share_of_public = v; });
    const double age_c = t.number_or("age_at_completion", 19);
    const double age_s = t.number_or("loss_start_age", 24);
    const double age_e = t.number_or("loss_end_age", 65);
    if (!(age_s >= age_c)) t.fail("loss_start_age", "must be >= age_at_completion");
    if (!(age_e > age_s)) t.fail("loss_end_age", "must be > loss_start_age");
    if (!(age_c >= 0 && age_e <= 150))
      t.fail(age_c < 0 ? "age_at_completion" : "loss_end_age", "ages must be in 0..150 years");
    e.age_at_completion = age_c;
    e.loss_start_age = age_s;
    e.loss_end_age = age_e;
    b.param_or(t, "attribution", 0.0, Domain::probability,
               [](ModelParams& m, double v) { m.economics.attribution = v; });
    b.param_or(t, "dropoff_per_year", 0.0, Domain::probability,
               [](ModelParams& m, double v) { m.economics.dropoff_per_year = v; });
    t.finish();
  }
  if (auto t = root.table_if("compare")) {  // [compare]: the scenario set of `attendsim compare`
    auto& c = cfg.compare;
    if (t->has("staffing_levels_fte")) {
      c.staffing_levels_fte = t->numbers("staffing_levels_fte");
      for (double v : c.staffing_levels_fte) {
        if (!(v > 0) || !std::isfinite(v) || v > 100000)
          t->fail("staffing_levels_fte",
                  "levels must be > 0 and at most 100 000 (the baseline of 0 FTE is always "
                  "included)");
      }
    } else {
      t->node("staffing_levels_fte");
    }
    if (t->has("allocation_policies")) {
      for (const auto& n : t->strings("allocation_policies"))
        c.allocation_policies.push_back(
            enum_of<Allocation>(*t, "allocation_policies", n, "allocation policy"));
    } else {
      t->node("allocation_policies");
    }
    if (t->has("referral_policies")) {
      for (const auto& n : t->strings("referral_policies"))
        c.referral_policies.push_back(
            enum_of<ReferralPolicy>(*t, "referral_policies", n, "referral policy"));
    } else {
      t->node("referral_policies");
    }
    c.reference_scenario = t->string_or("reference_scenario", "");
    c.roi_target = t->number_or("roi_target", 1.0);
    if (!(c.roi_target >= 0) || !std::isfinite(c.roi_target)) t->fail("roi_target", "must be >= 0");
    c.confidence = t->number_or("confidence", 0.8);
    if (!(c.confidence > 0 && c.confidence < 1)) t->fail("confidence", "must be in (0, 1)");
    const auto draws = t->integer_or("draws", c.draws);
    if (draws < 1 || draws > 1000000) t->fail("draws", "must be in 1..1000000");
    c.draws = static_cast<int>(draws);
    const auto reps = t->integer_or("replications_per_draw", c.replications_per_draw);
    if (reps < 1 || reps > 1000000) t->fail("replications_per_draw", "must be in 1..1000000");
    c.replications_per_draw = static_cast<int>(reps);
    for (auto& sc : t->tables("scenario")) {
      ScenarioSpec spec;
      spec.name = sc.string("name");
      if (spec.name == "baseline" || spec.name.empty())
        sc.fail("name", "must be a non-empty name other than 'baseline'");
      if (const auto bad = config::name_problem(spec.name); !bad.empty()) sc.fail("name", bad);
      spec.allocation_policy =
          enum_or(sc, "allocation_policy", cfg.scenario.allocation_policy, "allocation policy");
      spec.referral_policy =
          enum_or(sc, "referral_policy", cfg.scenario.referral_policy, "referral policy");
      spec.staffing = read_staffing(sc, "staffing");
      read_labels(sc, cfg, spec.name);
      if (spec.staffing.periods.empty())
        sc.fail("staffing", "a compared scenario needs [[compare.scenario.staffing]] periods");
      sc.finish();  // a misspelt key (allocation_polcy) is an error, not a silent default
      c.explicit_scenarios.push_back(std::move(spec));
    }
    t->finish();
    const auto all = comparison_scenarios(cfg);
    if (all.size() < 2) {  // compare would recommend among the baseline alone, with exit 0
      t->fail("staffing_levels_fte",
              "no scenario to compare with the baseline: give staffing levels or "
              "[[compare.scenario]]");
    }
    if (all.size() > 256) {
      t->fail("staffing_levels_fte",
              "levels x allocation_policies x referral_policies and [[compare.scenario]] give " +
                  std::to_string(all.size()) +
                  " scenarios, more than the 256 a comparison can have");
    }
    std::set<std::string> names;
    for (const auto& sc : all) {
      if (!names.insert(sc.name).second)
        t->fail("scenario", "two compared scenarios are both named '" + sc.name + "'");
    }
    if (!c.reference_scenario.empty() && names.count(c.reference_scenario) == 0) {
      t->fail("reference_scenario", "no compared scenario is named '" + c.reference_scenario + "'");
    }
  }
  if (auto t = root.table_if("plan")) {  // [plan]: a plan's own calculation, inputs only
    auto& pl = cfg.plan;
    pl.present = true;
    auto nonneg = [&](const char* key) {
      const double v = t->number(key);
      if (!(v >= 0) || !std::isfinite(v)) t->fail(key, "must be a number >= 0");
      if (v > kMaxMagnitude)  // sums and products of such values overflow to inf
        t->fail(key, "must be at most 1e15, got " + config::fmt(v));
      return v;
    };
    pl.cost_of_effort_sek = nonneg("cost_of_effort_sek");
    if (!(pl.cost_of_effort_sek > 0)) t->fail("cost_of_effort_sek", "must be > 0");
    pl.avoided_repeated_years = nonneg("avoided_repeated_years");
    pl.cost_per_repeated_year_sek = nonneg("cost_per_repeated_year_sek");
    pl.avoided_summer_school = t->has("avoided_summer_school")
                                   ? nonneg("avoided_summer_school")
                                   : (t->node("avoided_summer_school"), 0.0);
    pl.cost_summer_school_sek = t->has("cost_summer_school_sek")
                                    ? nonneg("cost_summer_school_sek")
                                    : (t->node("cost_summer_school_sek"), 0.0);
    pl.completers_gained = nonneg("completers_gained");
    pl.saving_per_completer_sek = nonneg("saving_per_completer_sek");
    t->finish();
  }
  if (auto t = root.table_if("fund")) read_fund(*t, cfg);
  // [[municipalities]]: several populations in one run (analysis/municipalities.hpp).
  for (auto& m : root.tables("municipalities")) {
    Municipality mu;
    mu.name = m.string("name");
    if (const auto bad = config::name_problem(mu.name); !bad.empty()) m.fail("name", bad);
    for (const unsigned char c : mu.name) {
      if (!std::isalnum(c) && c != '_' && c != '-')
        m.fail("name", "must hold only letters a-z, digits, '_' and '-' (it names a folder)");
    }
    for (const auto& other : cfg.municipalities) {
      if (other.name == mu.name) m.fail("name", "municipality '" + mu.name + "' is listed twice");
    }
    const auto n = m.integer("pupils");
    if (n < 1 || n > 50'000'000) m.fail("pupils", "must be between 1 and 50 000 000");
    mu.pupils = static_cast<int>(n);
    mu.pupils_by_grade =
        read_pupils_by_band(m, n, st.population.grade_min, st.population.grade_max);
    mu.queue_limit_factor = read_municipal_factor(m, cfg, "queue_limit", "detection.queue_limit");
    mu.team_overhead_factor = read_municipal_factor(m, cfg, "team_overhead_sek_per_year",
                                                    "economics.team_overhead_sek_per_year");
    mu.staffing = read_staffing(m, "staffing");
    if (mu.staffing.periods.empty())
      m.fail("staffing", "a municipality needs [[municipalities.staffing]] periods");
    m.finish();
    cfg.municipalities.push_back(std::move(mu));
  }
  root.finish();
  // Check the base case realises (rows, prevalences).
  ModelParams base;
  try {
    base = realise(cfg, cfg.parameters.base_values());
  } catch (const PreconditionError& e) {
    throw InputError(cfg.file + ": invalid configuration: " + e.what());
  }
  if (cfg.run.count_based) {  // docs/methods.md §4.12: what the count-based path covers
    // With coordinators the hybrid of cells and individuals (models/hybrid_chain.hpp).
    auto t = root.table("simulation");
    if (const auto why = count_based_unsupported(base); !why.empty())
      t.fail("count_based", "the count-based path cannot represent " + why);
    check_count_path_draws(cfg);
  }
  return cfg;
}

}  // namespace attendsim::models
