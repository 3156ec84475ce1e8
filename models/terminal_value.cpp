#include "models/terminal_value.hpp"

#include <array>

#include "sim/error.hpp"

namespace attendsim::models {

namespace {

using Vec = std::array<double, kAttendanceStates>;

/// M^10 for the base matrix of a band: one school year without the summer months.
Matrix school_year_matrix(const Matrix& m) {
  Matrix x{};
  for (int i = 0; i < kAttendanceStates; ++i) x[i][i] = 1.0;
  for (int month = 0; month < kSchoolMonthsPerYear; ++month) {
    Matrix y{};
    for (int i = 0; i < kAttendanceStates; ++i) {
      for (int k = 0; k < kAttendanceStates; ++k) {
        for (int j = 0; j < kAttendanceStates; ++j) y[i][j] += x[i][k] * m[k][j];
      }
    }
    x = y;
  }
  return x;
}

Vec times(const Vec& v, const Matrix& m) {
  Vec y{};
  for (int i = 0; i < kAttendanceStates; ++i) {
    for (int j = 0; j < kAttendanceStates; ++j) y[j] += v[i] * m[i][j];
  }
  return y;
}

double dot(const Vec& v, const Row& r) {
  double s = 0;
  for (int i = 0; i < kAttendanceStates; ++i) s += v[i] * r[i];
  return s;
}

/// The projection of the file comment with the bands' school-year matrices given.
double project(const ModelParams& p, const std::array<Matrix, kBands>& year, int grade, int state,
               bool eligible) {
  const auto& o = p.outcomes;
  Vec v{};
  v[static_cast<std::size_t>(state)] = 1.0;
  for (int g = grade; g <= 9; ++g) v = times(v, year[static_cast<int>(band_of_grade(g))]);
  const double pe = grade <= 9 ? dot(v, o.p_eligible_by_state) : (eligible ? 1.0 : 0.0);
  for (int g = grade > 10 ? grade : 10; g <= kLastGrade; ++g)
    v = times(v, year[static_cast<int>(band_of_grade(g))]);
  const double pc = dot(v, o.p_complete_if_eligible_by_state);
  return pe * pc + (1.0 - pe) * o.p_complete_if_not_eligible;
}

std::array<Matrix, kBands> school_year_matrices(const ModelParams& p) {
  std::array<Matrix, kBands> year{};
  for (int b = 0; b < kBands; ++b) year[b] = school_year_matrix(p.transitions.base[b]);
  return year;
}

}  // namespace

double projected_completion(const ModelParams& p, int grade, int state, bool eligible) {
  ATTENDSIM_REQUIRE(grade >= 0 && grade <= kLastGrade, "grade out of range: " << grade);
  ATTENDSIM_REQUIRE(state >= 0 && state < kAttendanceStates, "state out of range: " << state);
  return project(p, school_year_matrices(p), grade, state, eligible);
}

void finish_terminal(const ModelParams& p, ReplicationOutcome& out) {
  const int years = out.steps / kMonthsPerYear;
  ATTENDSIM_REQUIRE(out.school_exits.size() == school_exit_cells(years),
                    "school exits not sized for the horizon");
  const auto length = static_cast<std::size_t>(completion_step(years, 0)) + 1;
  auto& tn = out.events.terminal_noncompletions;
  auto& by_cell = out.events.terminal_noncompletions_by_cell;
  tn.assign(length, 0.0);
  by_cell.assign(kSubgroupCells, std::vector<double>(length, 0.0));
  std::array<std::array<std::array<double, 2>, kAttendanceStates>, kGradeCells> fail{};
  bool projected = false;
  for (int k = 1; k <= years; ++k) {
    for (int g = 0; g < kGradeCells; ++g) {
      const auto step = static_cast<std::size_t>(completion_step(k, g));
      for (int s = 0; s < kAttendanceStates; ++s) {
        for (int e = 0; e < 2; ++e) {
          for (int c = 0; c < kSubgroupCells; ++c) {
            const double n = out.school_exits[school_exit_cell(k, g, s, e == 1, c)];
            if (n == 0) continue;
            if (!projected) {
              const auto year = school_year_matrices(p);
              for (int gg = 0; gg < kGradeCells; ++gg) {
                for (int ss = 0; ss < kAttendanceStates; ++ss) {
                  for (int ee = 0; ee < 2; ++ee)
                    fail[gg][ss][ee] = 1.0 - project(p, year, gg, ss, ee == 1);
                }
              }
              projected = true;
            }
            const double f = n * fail[g][s][e];
            tn[step] += f;
            by_cell[static_cast<std::size_t>(c)][step] += f;
          }
        }
      }
    }
  }
}

}  // namespace attendsim::models
