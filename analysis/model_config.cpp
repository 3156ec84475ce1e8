#include "analysis/model_config.hpp"

#include <cstdio>

#include "sim/error.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

ModelParams realise(const ModelConfig& cfg, const std::vector<double>& values) {
  ATTENDSIM_REQUIRE(values.size() == cfg.setters.size(), "parameter vector has wrong size");
  ModelParams m = cfg.structure;
  for (std::size_t i = 0; i < values.size(); ++i) cfg.setters[i](m, values[i]);
  for (auto& band : m.transitions.base) {
    for (auto& row : band) {
      double s = 0;
      for (double v : row) s += v;
      ATTENDSIM_REQUIRE(s > 0, "transition row sums to 0");
      for (double& v : row) v /= s;
    }
  }
  for (int b = 0; b < kBands; ++b) {
    for (int g = 0; g < kGenders; ++g)
      (void)initial_distribution(m.population, static_cast<Band>(b), static_cast<Gender>(g));
  }
  return m;
}

namespace {
std::string fte_label(double fte) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", fte);
  std::string s = buf;
  for (auto& ch : s) {
    if (ch == '.') ch = '_';
  }
  return s + "fte";
}
}  // namespace

std::vector<ScenarioSpec> comparison_scenarios(const ModelConfig& cfg) {
  std::vector<ScenarioSpec> out;
  ScenarioSpec base;
  base.name = "baseline";
  base.allocation_policy = cfg.scenario.allocation_policy;
  out.push_back(base);
  const auto& c = cfg.compare;
  const std::vector<Allocation> allocs =
      c.allocation_policies.empty() ? std::vector<Allocation>{cfg.scenario.allocation_policy}
                                    : c.allocation_policies;
  const std::vector<ReferralPolicy> refs =
      c.referral_policies.empty() ? std::vector<ReferralPolicy>{cfg.scenario.referral_policy}
                                  : c.referral_policies;
  for (double level : c.staffing_levels_fte) {
    for (const auto& a : allocs) {
      for (auto r : refs) {
        ScenarioSpec s;
        s.name = fte_label(level);
        if (allocs.size() > 1) s.name += std::string("_") + name_of(a);
        if (refs.size() > 1) s.name += std::string("_") + name_of(r);
        s.allocation_policy = a;
        s.referral_policy = r;
        // The configured schedule's timing at this level: FTE > 0 periods get `level`.
        for (const auto& p : cfg.scenario.staffing.periods)
          s.staffing.periods.push_back({p.from_month, p.fte > 0 ? level : 0.0});
        out.push_back(std::move(s));
      }
    }
  }
  for (const auto& e : c.explicit_scenarios) out.push_back(e);
  return out;
}

std::string config_hash(const ModelConfig& cfg) {
  char buf[20];
  const auto h = cfg.overrides.empty()
                     ? stable_hash(cfg.text)
                     : stable_hash(cfg.text + std::string(1, '\0') + cfg.overrides);
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace attendsim::models
