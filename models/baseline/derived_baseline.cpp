#include "models/baseline/derived_baseline.hpp"

#include <algorithm>

#include "models/baseline/scenario_from_baseline.hpp"
#include "models/pupil_rules.hpp"
#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using namespace detail;

/// A copy without the initial-state parameters, which are read only when a pupil enters.
ModelParams without_initial_state(ModelParams p) {
  auto& pop = p.population;
  for (auto& band : pop.prevalence) band = {0, 0, 0};
  pop.worrying_mult_boys = pop.worrying_mult_girls = 1;
  pop.high_ratio_girls_vs_boys_grade7_12 = pop.extensive_ratio_girls_vs_boys = 1;
  pop.share_girls = 0;
  p.outcomes.share_eligible_at_start_upper_sec = 0;
  return p;
}

/// Appends `a`'s entries of step t (from cursor `at`, which it advances) whose pupil has not
/// diverged, and `b`'s (this step's entries of diverged pupils), merged in pupil order.
template <class Entry, class Keep>
void merge_step(const std::vector<Entry>& a, std::size_t& at, int t, const std::vector<Entry>& b,
                const std::vector<std::uint8_t>& diverged, Keep keep, std::vector<Entry>& out) {
  std::size_t j = 0;
  while (true) {
    const bool more_a = at < a.size() && a[at].step == t;
    if (!more_a && j == b.size()) return;
    if (more_a && diverged[a[at].pupil]) {
      ++at;
      continue;
    }
    if (more_a && (j == b.size() || a[at].pupil < b[j].pupil)) {
      out.push_back(keep(a[at++]));
    } else {
      out.push_back(b[j++]);
    }
  }
}

}  // namespace

bool derivable_baseline(const ModelParams& a, const ModelParams& b) {
  return same_baseline_path(without_initial_state(a), without_initial_state(b));
}

void derive_baseline(const BaselineRecord& source, const ModelParams& params, BaselineRecord& out) {
  ATTENDSIM_REQUIRE(derivable_baseline(source.params, params),
                    "a baseline record can be derived only for parameters that differ from its own "
                    "in the initial state of the population");
  ATTENDSIM_REQUIRE(!source.derived, "a derived record cannot be derived from");
  ATTENDSIM_REQUIRE(!source.hybrid, "a record of the hybrid cannot be derived from");
  ATTENDSIM_REQUIRE(source.has_high_months, "a record is derived only from one with high months");
  ATTENDSIM_REQUIRE(&source != &out, "derive a record into another one");
  const int steps = source.outcome.steps;
  const int n = source.pupils;
  const auto un = static_cast<std::size_t>(n);
  ModelParams p = params;
  p.detection = source.params.detection;  // the source's detection decisions
  const ScenarioSpec no_programme;
  const PupilRules old_rules(source.params, no_programme, steps), new_rules(p, no_programme, steps);
  const CounterStream draws = pupil_month_stream(source.key);  // recomputed, never stored

  out.params = p;
  out.key = source.key;
  out.pupils = n;
  out.derived = true;
  out.hybrid = false;
  out.has_high_months = true;
  out.referral_points.clear();
  out.high_months.clear();
  out.replacements.clear();
  out.eligible_after_step.assign(static_cast<std::size_t>(steps), {0, 0});

  ReplicationOutcome acc_o = empty_outcome(steps), acc_n = empty_outcome(steps);
  std::vector<Pupil> old_p(un), new_p(un);
  std::vector<std::uint8_t> diverged(un, 0);
  std::vector<std::uint16_t> generation(un, 0);  // replacements so far on the new path
  std::vector<std::uint32_t> members, joined, merged;
  // The initial population under both parameter sets (the counts of pupils starting in high
  // or extensive absence go to both tallies and cancel where the two agree).
  const int chunks = (n + kChunkPupils - 1) / kChunkPupils;
  for (int c = 0; c < chunks; ++c) {
    Engine e = make_engine({source.key.master_seed, source.key.draw, source.key.replication,
                            kPopulationPurpose, static_cast<std::uint64_t>(c)});
    const int end = std::min(n, (c + 1) * kChunkPupils);
    for (int i = c * kChunkPupils; i < end; ++i) {
      const std::uint64_t x1 = e(), x2 = e();
      const Pupil po = old_rules.initial_pupil(i, x1, x2, acc_o);
      const Pupil pn = new_rules.initial_pupil(i, x1, x2, acc_n);
      if (po == pn) continue;
      const auto u = static_cast<std::uint32_t>(i);
      old_p[u] = po;
      new_p[u] = pn;
      diverged[u] = 1;
      members.push_back(u);
    }
  }
  std::size_t at_high = 0, at_point = 0, at_replacement = 0;
  std::vector<HighMonth> new_high;
  std::vector<ReferralPoint> new_points;
  std::vector<Replacement> replacements;
  const auto keep_high = [&](const HighMonth& h) {
    HighMonth k = h;
    k.generation = generation[h.pupil];
    return k;
  };
  const auto keep = [](const auto& x) { return x; };
  for (int t = 0; t < steps; ++t) {
    const auto ts = static_cast<std::size_t>(t);
    const auto step = static_cast<std::uint16_t>(t);
    joined.clear();
    if (t % kMonthsPerYear < kSchoolMonthsPerYear) {
      const SchoolMonth ko = old_rules.school_month_constants(t, false, 0);
      const SchoolMonth kn = new_rules.school_month_constants(t, false, 0);
      MonthTally tally_o, tally_n;
      new_high.clear();
      new_points.clear();
      for (auto i : members) {
        const std::uint64_t x = draws.at(i, step);
        old_rules.school_month(old_p[i], x, ko, -1, tally_o, acc_o);
        const Decision d = new_rules.school_month(new_p[i], x, kn, -1, tally_n, acc_n);
        const Pupil& q = new_p[i];
        if (q.state == kHigh || q.state == kExtensive) {
          const double r = residual_uniform(x & 0xffffffffULL, kn.leave_bits, kn.place_bits);
          new_high.push_back({i, step, generation[i], r, q});
          if (d == Decision::not_referred) {
            Pupil at = q;
            at.status = kSchoolAction;
            new_points.push_back({i, step, r, at});
          }
        }
      }
      merge_step(source.high_months, at_high, t, new_high, diverged, keep_high, out.high_months);
      merge_step(source.referral_points, at_point, t, new_points, diverged, keep,
                 out.referral_points);
      add_tally(tally_o, t, acc_o);
      add_tally(tally_n, t, acc_n);
      for (int g = 0; g < kGenders; ++g) {
        out.eligible_after_step[ts][static_cast<std::size_t>(g)] =
            source.eligible_after_step[ts][static_cast<std::size_t>(g)] + acc_n.eligible_pupils[g] -
            acc_o.eligible_pupils[g];
      }
    } else if (t % kMonthsPerYear == kJulyStep) {
      auto& occ_o = acc_o.occupancy[ts];
      auto& occ_n = acc_n.occupancy[ts];
      for (auto i : members) {
        const std::uint64_t x = draws.at(i, step);
        old_rules.year_end(old_p[i], x, t, acc_o, occ_o);
        new_rules.year_end(new_p[i], x, t, acc_n, occ_n);
      }
    } else {
      // August: the diverged pupils' step, and the source's replacements of the others, whose
      // new entrants may differ under the new parameters; merged in pupil order.
      auto& occ_o = acc_o.occupancy[ts];
      auto& occ_n = acc_n.occupancy[ts];
      replacements.clear();
      for (auto i : members) {
        const std::uint64_t x = draws.at(i, step);
        old_rules.new_school_year(old_p[i], x, t, acc_o, occ_o);
        if (new_rules.new_school_year(new_p[i], x, t, acc_n, occ_n)) {
          ++generation[i];
          replacements.push_back({i, step});
        }
      }
      for (; at_replacement < source.replacements.size() &&
             source.replacements[at_replacement].step == t;
           ++at_replacement) {
        const std::uint32_t i = source.replacements[at_replacement].pupil;
        if (diverged[i]) continue;  // the old version's own replacement, stepped above
        ++generation[i];
        replacements.push_back({i, step});
        const std::uint64_t x = draws.at(i, step);
        const Pupil qo = old_rules.new_entrant(x, acc_o);
        const Pupil qn = new_rules.new_entrant(x, acc_n);
        if (qo == qn) continue;
        ++occ_o[qo.state];
        ++occ_n[qn.state];
        old_p[i] = qo;
        new_p[i] = qn;
        joined.push_back(i);
      }
      std::sort(replacements.begin(), replacements.end(),
                [](const Replacement& a, const Replacement& b) { return a.pupil < b.pupil; });
      out.replacements.insert(out.replacements.end(), replacements.begin(), replacements.end());
    }
    if (!joined.empty()) {
      std::sort(joined.begin(), joined.end());
      for (auto i : joined) diverged[i] = 1;
      merged.clear();
      std::merge(members.begin(), members.end(), joined.begin(), joined.end(),
                 std::back_inserter(merged));
      members.swap(merged);
    }
    // Versions that agree again (or have both moved away) rejoin the source's path.
    const auto rejoin = [&](std::uint32_t i) {
      const bool again =
          old_p[i] == new_p[i] || (old_p[i].state == kLeft && new_p[i].state == kLeft);
      if (again) diverged[i] = 0;
      return again;
    };
    members.erase(std::remove_if(members.begin(), members.end(), rejoin), members.end());
  }
  const int years = steps / kMonthsPerYear;
  for (auto i : members) {
    PupilRules::count_exit(old_p[i], years, old_p[i].grade, acc_o);
    PupilRules::count_exit(new_p[i], years, new_p[i].grade, acc_n);
  }
  out.outcome = source.outcome;
  add_difference(out.outcome, acc_n, acc_o);
  finish_outcome(out.outcome);
  finish_terminal(p, out.outcome);
}

}  // namespace attendsim::models
