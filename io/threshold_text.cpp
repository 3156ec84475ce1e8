#include "io/threshold_text.hpp"

#include <cmath>
#include <map>
#include <sstream>

#include "io/svg_chart.hpp"

namespace attendsim::models {

namespace {

struct Words {
  const char* sv;
  const char* en;
};

/// Parameters with words of their own (the ones a steering group asks about).
const std::map<std::string, Words>& parameter_words() {
  static const std::map<std::string, Words> w = {
      {"coordinators.rr_improve_in_case",
       {"koordinatorernas effekt (hur många gånger oftare en elev med stöd får bättre närvaro)",
        "the coordinators' effect (how many times more often a supported pupil's attendance "
        "improves)"}},
      {"coordinators.rr_worsen_in_case",
       {"risken att närvaron försämras för en elev med stöd (relativ risk)",
        "the risk that a supported pupil's attendance worsens (relative risk)"}},
      {"coordinators.caseload_per_fte",
       {"antalet elever per årsarbetare i ärendearbetet", "the caseload per FTE of casework"}},
      {"coordinators.share_fte_on_casework",
       {"andelen av arbetstiden som går till ärenden", "the share of working time on cases"}},
      {"economics.cost_per_fte_year_sek",
       {"kostnaden per årsarbetare och år (kronor)", "the cost per FTE-year (SEK)"}},
      {"detection.p_consent",
       {"andelen familjer som samtycker till stöd", "the share of families who consent"}},
      {"detection.p_detect_per_month",
       {"sannolikheten att skolan upptäcker frånvaron en viss månad",
        "the monthly probability that the school detects the absence"}},
      {"economics.longterm_loss_noncompletion_undiscounted_sek",
       {"samhällets förlust när en elev inte fullföljer gymnasiet (kronor)",
        "the loss when a pupil does not complete upper secondary school (SEK)"}},
  };
  return w;
}

/// Decimals for values of the range [lo, hi]: none for large values, else two.
int decimals_for(double lo, double hi) {
  return std::max(std::abs(lo), std::abs(hi)) >= 1000 ? 0 : 2;
}

std::string goal(Language l, const ThresholdRow& r) {
  const bool sv = l == Language::sv;
  if (r.metric == "roi") {
    return (sv ? "för att varje investerad krona ska ge tillbaka minst "
               : "for every krona invested to bring back at least ") +
           format_number_in(l, r.target, 2) + (sv ? " kronor" : " SEK");
  }
  if (r.target == 0)
    return sv ? "för att nettonyttan ska bli positiv" : "for the net benefit to be positive";
  return (sv ? "för att nettonyttan ska nå " : "for the net benefit to reach ") +
         format_number_in(l, r.target, 0) + (sv ? " kronor" : " SEK");
}

std::string metric_value(Language l, const ThresholdRow& r, double v) {
  if (r.metric == "roi")
    return format_number_in(l, v, 2) + (l == Language::sv ? " kronor per krona" : " SEK per SEK");
  return format_number_in(l, v, 0) + (l == Language::sv ? " kronor" : " SEK");
}

}  // namespace

std::string threshold_parameter_words(Language l, const std::string& path) {
  const auto& w = parameter_words();
  const auto it = w.find(path);
  if (it == w.end()) return l == Language::sv ? "den valda parametern" : path;
  return l == Language::sv ? it->second.sv : it->second.en;
}

std::string threshold_sentence(Language l, const ThresholdRow& r) {
  const bool sv = l == Language::sv;
  const int d = decimals_for(r.range_low, r.range_high);
  auto num = [&](double v) { return format_number_in(l, v, d); };
  const std::string range = num(r.range_low) + "–" + num(r.range_high);
  const bool has_plausible = std::isfinite(r.plausible_low) && std::isfinite(r.plausible_high);
  const std::string plausible =
      has_plausible ? num(r.plausible_low) + "–" + num(r.plausible_high) : std::string();
  // Searched wider than the plausible range (compare's threshold): say which is which.
  const bool wider = has_plausible && (num(r.plausible_low) != num(r.range_low) ||
                                       num(r.plausible_high) != num(r.range_high));
  std::ostringstream os;
  if (!r.crossed) {
    const bool pays = r.metric_at_low >= r.target && r.metric_at_high >= r.target;
    os << (wider ? (sv ? "Inom det undersökta intervallet " : "Within the range searched ")
                 : (sv ? "Inom det rimliga intervallet " : "Within the plausible range "))
       << range
       << (pays ? (sv ? " lönar det sig överallt" : " it pays throughout")
                : (sv ? " lönar det sig inte för något värde" : " it does not pay for any value"))
       << " (" << metric_value(l, r, r.metric_at_low) << (sv ? " vid " : " at ") << num(r.range_low)
       << ", " << metric_value(l, r, r.metric_at_high) << (sv ? " vid " : " at ")
       << num(r.range_high) << ")";
    if (wider)
      os << (sv ? "; det rimliga intervallet är " : "; the plausible range is ") << plausible;
    os << ".";
    return os.str();
  }
  os << (sv ? "Värdet behöver vara " : "The value would need to be ")
     << (r.direction > 0 ? (sv ? "minst " : "at least ") : (sv ? "högst " : "at most "))
     << num(r.threshold) << " " << goal(l, r) << " (" << (sv ? "i dag antas " : "assumed now: ")
     << num(r.base_value);
  if (std::isfinite(r.ci_low)) {
    os << (sv ? "; 95 % konfidensintervall " : "; 95 % confidence interval ") << num(r.ci_low)
       << "–" << num(r.ci_high);
  } else {
    os << (sv ? "; inget intervall: bara " : "; no interval: only ") << r.batches_crossed
       << (sv ? " av " : " of ") << r.batches
       << (sv ? " delomgångar når målet inom intervallet " : " batches reach the target within ")
       << range;
  }
  os << ").";
  if (has_plausible && r.threshold > r.plausible_high) {
    os << (sv ? " Det är mer än det rimliga intervallet " : " That is beyond the plausible range ")
       << plausible << (sv ? " medger." : ".");
  } else if (has_plausible && r.threshold < r.plausible_low) {
    os << (sv ? " Det är mindre än det rimliga intervallet "
              : " That is below the plausible range ")
       << plausible << (sv ? " medger." : ".");
  }
  return os.str();
}

std::string threshold_headline(Language l, const ThresholdRow& r, const std::string& label) {
  const bool sv = l == Language::sv;
  // Not crossed: the sentence gives the range searched but not what was varied; name it.
  if (!r.crossed)
    return label + ", " + threshold_parameter_words(l, r.parameter) + ": " +
           threshold_sentence(l, r);
  const int d = decimals_for(r.range_low, r.range_high);
  auto num = [&](double v) { return format_number_in(l, v, d); };
  std::ostringstream os;
  os << (sv ? "För att " : "For ") << label << (sv ? " ska löna sig behöver " : " to pay, ")
     << threshold_parameter_words(l, r.parameter) << (sv ? " vara " : " would need to be ")
     << (r.direction > 0 ? (sv ? "minst " : "at least ") : (sv ? "högst " : "at most "))
     << num(r.threshold) << (sv ? "; i dag antas " : "; assumed now: ") << num(r.base_value);
  if (std::isfinite(r.plausible_high) && r.threshold > r.plausible_high)
    os << (sv ? ", och rimligt är högst " : ", and at most ") << num(r.plausible_high)
       << (sv ? "" : " is plausible");
  else if (std::isfinite(r.plausible_low) && r.threshold < r.plausible_low)
    os << (sv ? ", och rimligt är minst " : ", and at least ") << num(r.plausible_low)
       << (sv ? "" : " is plausible");
  os << ".";
  return os.str();
}

namespace {

/// How the values were computed, for the section's introduction.
std::string method_words(Language l, const ThresholdRow& f) {
  const bool sv = l == Language::sv;
  const int d = decimals_for(f.range_low, f.range_high);
  auto num = [&](double v) { return format_number_in(l, v, d); };
  std::ostringstream os;
  if (!f.refined) {
    os << (sv ? "Beräknat på ett grovt rutnät: " : "Computed on a coarse grid: ") << f.grid_points
       << (sv ? " värden från " : " values from ") << num(f.range_low) << (sv ? " till " : " to ")
       << num(f.range_high) << (sv ? ", vart och ett simulerat " : ", each simulated ")
       << f.replications
       << (sv ? " gånger med samma slumptal; mellan rutnätets värden är resultatet linjärt "
                "interpolerat. "
              : " times on the same random numbers; between the grid values the result is "
                "interpolated linearly. ");
  }
  os << (sv ? "Intervallet är ett 95 % konfidensintervall från "
            : "The interval is a 95 % confidence interval from ")
     << f.batches
     << (sv ? " oberoende delomgångar av simuleringen, med samma slumptal vid varje värde."
            : " independent batches of the simulation, on the same random numbers at every value.");
  if (!f.refined) {
    os << (sv ? " En separat, noggrannare tröskelanalys kan ersätta avsnittet."
              : " A separate, finer threshold analysis can replace this section.");
  }
  return os.str();
}

/// The section's first sentence.
std::string lead_words(Language l, const ThresholdRow& f) {
  const bool sv = l == Language::sv;
  return std::string(sv ? "Så här stor behöver " : "How large ") +
         threshold_parameter_words(l, f.parameter) + (sv ? " vara " : " would need to be ") +
         goal(l, f) +
         (sv ? ", med alla andra antaganden oförändrade." : ", every other assumption unchanged.");
}

}  // namespace

std::string threshold_markdown(const std::vector<ThresholdRow>& rows, const ScenarioLabeler& label,
                               Language l) {
  if (rows.empty()) return "";
  const bool sv = l == Language::sv;
  const auto& f = rows.front();
  std::ostringstream md;
  md << "<!-- brytpunkt -->\n"
     << (sv ? "## Vad som krävs för att det ska löna sig\n\n" : "## What it would take to pay\n\n")
     << lead_words(l, f) << " " << method_words(l, f) << "\n\n";
  for (const auto& r : rows)
    md << "- **" << label(r.scenario) << "**: " << threshold_sentence(l, r) << "\n";
  md << "<!-- /brytpunkt -->\n";
  return md.str();
}

std::string with_threshold_section(const std::string& md, const std::string& section) {
  const std::string open = "<!-- brytpunkt -->", close = "<!-- /brytpunkt -->\n";
  const auto a = md.find(open);
  if (a == std::string::npos) {
    if (section.empty()) return md;
    return md + (md.empty() || md.back() == '\n' ? "\n" : "\n\n") + section;
  }
  const auto b = md.find(close, a);
  const auto end = b == std::string::npos ? md.size() : b + close.size();
  return md.substr(0, a) + section + md.substr(end);
}

Language decision_language(const std::string& md) {
  return md.rfind("# Decision brief", 0) == 0 ? Language::en : Language::sv;
}

std::string threshold_html(const std::vector<ThresholdRow>& rows, const ScenarioLabeler& label,
                           Language l) {
  if (rows.empty()) return "";
  const bool sv = l == Language::sv;
  const auto& f = rows.front();
  std::ostringstream h;
  h << "<h2>" << (sv ? "Vad som krävs för att det ska löna sig" : "What it would take to pay")
    << "</h2><p>" << svg::escape(lead_words(l, f) + " " + method_words(l, f)) << "</p><ul>";
  for (const auto& r : rows) {
    h << "<li><strong>" << svg::escape(label(r.scenario))
      << "</strong>: " << svg::escape(threshold_sentence(l, r)) << "</li>";
  }
  h << "</ul>\n";
  return h.str();
}

}  // namespace attendsim::models
