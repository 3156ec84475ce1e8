#include "io/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sim/error.hpp"

namespace attendsim::models {

Language parse_language(const std::string& code, const std::string& what) {
  if (const auto l = parse_name<Language>(code)) return *l;
  ATTENDSIM_INPUT_ERROR(what << ": unknown language '" << code
                             << "' (known: " << known_names<Language>() << ")");
}

const char* language_code(Language l) {
  return name_of(l);
}

std::string format_number_in(Language l, double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(v));
  const std::string s = buf;
  const auto dot = s.find('.');
  const std::string ip = s.substr(0, dot), fp = dot == std::string::npos ? "" : s.substr(dot + 1);
  std::string g;
  for (std::size_t i = 0; i < ip.size(); ++i) {
    if (i > 0 && (ip.size() - i) % 3 == 0) g += l == Language::sv ? " " : ",";
    g += ip[i];
  }
  const bool negative = v < 0 && std::strtod(buf, nullptr) != 0.0;
  std::string out = (negative ? "-" : "") + g;
  if (!fp.empty()) out += (l == Language::sv ? "," : ".") + fp;
  return out;
}

std::string fte_words(Language l, double fte) {
  // Whole numbers without decimals, others with as many as needed (up to 2).
  int d = 0;
  while (d < 2 && std::abs(fte * std::pow(10.0, d) - std::round(fte * std::pow(10.0, d))) > 1e-9)
    ++d;
  const std::string n = format_number_in(l, fte, d);
  if (l == Language::en) return n + " FTE";
  return n + (std::abs(fte - 1.0) < 1e-9 ? " heltid" : " heltider");
}

std::string allocation_policy_words(Language l, Allocation policy) {
  const bool sv = l == Language::sv;
  switch (policy) {
    case Allocation::fifo:
      return sv ? "först till kvarn" : "first come, first served";
    case Allocation::severity_first:
      return sv ? "svårast frånvaro först" : "most severe first";
    case Allocation::gender_proportional:
      return sv ? "platser efter flickors och pojkars andel" : "places in proportion to gender";
    case Allocation::gender_parity:
      return sv ? "lika tillgång för flickor och pojkar" : "equal access for girls and boys";
  }
  return sv ? "egen fördelningsregel" : "own allocation rule";
}

std::string referral_policy_words(Language l, ReferralPolicy p) {
  if (p != ReferralPolicy::equal_referral) return "";
  return l == Language::sv ? "flickor remitteras som pojkar" : "girls referred as boys";
}

std::string perspective_words(Language l, Perspective p) {
  const bool sv = l == Language::sv;
  switch (p) {
    case Perspective::municipality:
      return sv ? "kommunens" : "the municipality's";
    case Perspective::public_sector:
      return sv ? "hela den offentliga sektorns" : "the whole public sector's";
    case Perspective::society:
      return sv ? "samhällets" : "society's";
  }
  return "";
}

namespace {
/// Policies of the staffing ladder, when every ladder scenario shares them.
std::string shared_policies(const ModelConfig& cfg, Language l, bool with_allocation,
                            bool with_referral) {
  std::string t;
  if (with_allocation) t = allocation_policy_words(l, cfg.scenario.allocation_policy);
  const auto r = referral_policy_words(l, cfg.scenario.referral_policy);
  if (with_referral && !r.empty()) t += (t.empty() ? "" : ", ") + r;
  return t;
}
}  // namespace

Bilingual scenario_labels(const ModelConfig& cfg, const ScenarioSpec& s) {
  if (const auto it = cfg.scenario_labels.find(s.name); it != cfg.scenario_labels.end())
    return it->second;
  if (s.staffing.periods.empty()) return {"utan koordinatorer", "no coordinators"};
  // A ladder scenario names only the policies the ladder varies (the shared ones are stated
  // once, ladder_policy_words); explicit and configured scenarios name both.
  bool ladder = s.name != cfg.scenario.name;
  for (const auto& e : cfg.compare.explicit_scenarios) ladder = ladder && e.name != s.name;
  const bool with_allocation = !ladder || cfg.compare.allocation_policies.size() > 1;
  const bool with_referral = !ladder || cfg.compare.referral_policies.size() > 1;
  double fte = 0;
  for (const auto& p : s.staffing.periods) fte = std::max(fte, p.fte);
  Bilingual b;
  for (Language l : {Language::sv, Language::en}) {
    std::string t = fte_words(l, fte);
    if (with_allocation) t += ", " + allocation_policy_words(l, s.allocation_policy);
    const auto r = referral_policy_words(l, s.referral_policy);
    if (with_referral && !r.empty()) t += ", " + r;
    (l == Language::sv ? b.sv : b.en) = std::move(t);
  }
  return b;
}

std::string ladder_policy_words(const ModelConfig& cfg, Language l) {
  const auto t = shared_policies(cfg, l, cfg.compare.allocation_policies.size() <= 1,
                                 cfg.compare.referral_policies.size() <= 1);
  if (t.empty()) return "";
  return (l == Language::sv ? "Där inget annat anges: " : "Unless stated otherwise: ") + t + ".";
}

std::string config_description(const ModelConfig& cfg, Language l) {
  const std::string& given = in(l, cfg.description_text);
  if (!given.empty()) return given;
  const auto& p = cfg.structure.population;
  const std::string pupils = format_number_in(l, p.pupils, 0);
  const std::string years = std::to_string(cfg.structure.horizon_years);
  if (l == Language::en)
    return pupils + " pupils in grades " + std::to_string(p.grade_min) + " to " +
           std::to_string(p.grade_max) + ", followed for " + years + " years";
  auto grade = [](int g) {
    return g == 0 ? std::string("förskoleklass") : "årskurs " + std::to_string(g);
  };
  return pupils + " elever från " + grade(p.grade_min) + " till " + grade(p.grade_max) +
         ", följda under " + years + " år";
}

}  // namespace attendsim::models
