#pragma once
/// Value past the horizon (docs/methods.md §4.10): the expected completion of upper
/// secondary school of every pupil whose schooling the simulation stops following before
/// the end of grade 12, so that an effect in compulsory school is worth what it will be worth.
/// The exits are counted by the pupil's subgroup cell too (gender x band at the exit), so that
/// a subgroup's value past the horizon is that of its own pupils (analysis/subgroup_economics).
///
/// Two kinds of pupils leave the simulation unfinished: those still at school when the
/// horizon ends, and, in a population whose grade_max is below 12, those who move on from
/// grade_max in August. Each is counted in ReplicationOutcome::school_exits by the year k of
/// the exit (years since the start, 1..horizon_years: the exit happens at step 12 k, the
/// September the pupil would start), the grade g it would start, its attendance state and
/// whether it holds eligibility for upper secondary school (read for grades 10-12 only: it
/// is drawn at the end of grade 9). The counts are integers, so the scenario simulated from a
/// baseline holds exactly the same counts as the full simulation.
///
/// From the counts, `finish_terminal` sets EventSeries::terminal_noncompletions: the expected
/// non-completions of these pupils at the step they would finish grade 12 (July of that year,
/// step 12 k + 12 (12 - g) + 10). The expected completion of one pupil is projected with the
/// base monthly matrices of its grade band (ten school months a year; no duration,
/// relapse, seasonality or case effect after the horizon, and nobody leaving):
///   v_9  = e_s M(g)^10 ... M(9)^10               (grades g..9; v_9 = e_s when g >= 10)
///   pe   = v_9 . p_eligible_by_state
///   v_12 = v_9 M(10)^10 ... M(12)^10             (grades max(g, 10)..12)
///   pc   = v_12 . p_complete_if_eligible_by_state
///   P(complete) = pe pc + (1 - pe) p_complete_if_not_eligible     for g <= 9
///               = pc, or p_complete_if_not_eligible if not eligible, for g >= 10
/// (eligibility and the state at the end of grade 12 are taken as independent given the state
/// at the exit: a stated simplification).
#include <cstddef>
#include <vector>

#include "models/params.hpp"
#include "models/simulation.hpp"

namespace attendsim::models {

inline constexpr int kGradeCells = 13;  ///< grades 0..12
inline constexpr int kLastGrade = 12;

/// Size of ReplicationOutcome::school_exits for a horizon (years 0..horizon_years).
inline std::size_t school_exit_cells(int horizon_years) {
  return static_cast<std::size_t>(horizon_years + 1) * kGradeCells * kAttendanceStates * 2 *
         kSubgroupCells;
}

/// Index of the cell (exit year k, grade to start g, state s, eligible e, subgroup cell c of
/// the pupil at the exit: models/simulation.hpp subgroup_cell) in school_exits.
inline std::size_t school_exit_cell(int year, int grade, int state, bool eligible, int cell) {
  return (((static_cast<std::size_t>(year) * kGradeCells + static_cast<std::size_t>(grade)) *
               kAttendanceStates +
           static_cast<std::size_t>(state)) *
              2 +
          (eligible ? 1 : 0)) *
             kSubgroupCells +
         static_cast<std::size_t>(cell);
}

/// The step (months since the start) at which a pupil exiting in year k before grade g
/// would finish grade 12: July of its grade-12 year.
inline int completion_step(int year, int grade) {
  return kMonthsPerYear * year + kMonthsPerYear * (kLastGrade - grade) + kJulyStep;
}

/// P(a pupil starting grade `grade` in attendance state `state` completes upper secondary
/// school), by the projection in the file comment; `eligible` is read for grades 10-12.
double projected_completion(const ModelParams& p, int grade, int state, bool eligible);

/// Sets out.events.terminal_noncompletions (indexed by step, up to the last completion step
/// of an exit in the horizon's last year) from out.school_exits, and the same series by the
/// subgroup cell of the exiting pupils (terminal_noncompletions_by_cell, which sum to it).
void finish_terminal(const ModelParams& p, ReplicationOutcome& out);

}  // namespace attendsim::models
