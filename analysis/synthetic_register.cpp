#include "analysis/synthetic_register.hpp"

#include <algorithm>
#include <cmath>

#include "models/simulation.hpp"
#include "sim/error.hpp"
#include "sim/streams.hpp"

namespace attendsim::models {

double absence_percent_of(State state, double u) {
  // k tenths of a percent, k uniform on the state's grid points.
  auto grid = [u](int first, int count) {
    const int k = first + std::min(count - 1, static_cast<int>(u * count));
    return k / 10.0;
  };
  switch (state) {
    case State::regular:
      return grid(0, 100);  // 0.0 .. 9.9
    case State::worrying:
      return grid(100, 100);  // 10.0 .. 19.9
    case State::high:
      return grid(200, 301);  // 20.0 .. 50.0
    case State::extensive:
      return grid(501, 500);  // 50.1 .. 100.0
    case State::left:
      break;
  }
  ATTENDSIM_REQUIRE(false, "no absence percent for a pupil who left");
  return 0;
}

AttendanceRegister simulate_register(const ModelParams& params, int pupils, int months,
                                     std::uint64_t seed, int start_year) {
  ATTENDSIM_REQUIRE(pupils > 0, "pupils must be > 0, got " << pupils);
  ATTENDSIM_REQUIRE(months > 0 && months <= 1200, "months must be in 1..1200, got " << months);
  ModelParams p = params;
  p.population.pupils = pupils;
  p.population.pupils_by_grade = {};  // another count: spread evenly over the grades
  p.horizon_years = (months + kMonthsPerYear - 1) / kMonthsPerYear;
  Trace trace;
  trace.pupils.resize(static_cast<std::size_t>(pupils));
  for (int i = 0; i < pupils; ++i)
    trace.pupils[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
  const ScenarioSpec baseline;  // no staffing: the register of the status quo
  (void)simulate(p, baseline, StreamKey{seed, 0, 0}, &trace);

  AttendanceRegister reg;
  reg.source = "simulated";
  std::vector<std::uint32_t> id(static_cast<std::size_t>(pupils));
  for (int i = 0; i < pupils; ++i) id[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(i);
  std::uint32_t next_id = static_cast<std::uint32_t>(pupils);
  const int first = month_index(start_year, 9);
  for (int t = 0; t < months; ++t) {
    const auto& now = trace.after_step[static_cast<std::size_t>(t)];
    const auto& before = t == 0 ? trace.initial : trace.after_step[static_cast<std::size_t>(t - 1)];
    for (std::size_t i = 0; i < now.size(); ++i) {
      const Pupil& q = now[i];
      if (q.state == static_cast<std::uint8_t>(State::left)) continue;
      // A new entrant in a leaver's place starts in grade_min while the leaver was in grade_max.
      if (t % kMonthsPerYear == kAugustStep && q.grade < before[i].grade) id[i] = next_id++;
      if (!is_school_month(t)) continue;
      RegisterRecord r;
      r.pupil = id[i];
      r.month = first + t;
      r.grade = q.grade;
      r.gender = q.gender;
      r.state = q.state;
      reg.records.push_back(r);
    }
  }
  std::sort(reg.records.begin(), reg.records.end(), [](const auto& a, const auto& b) {
    return a.pupil != b.pupil ? a.pupil < b.pupil : a.month < b.month;
  });
  // Pupils with at least one record (a new entrant of the last August has none).
  for (std::size_t k = 0; k < reg.records.size(); ++k) {
    if (k == 0 || reg.records[k].pupil != reg.records[k - 1].pupil) ++reg.pupils;
  }
  Engine e = make_engine({seed, 0, 0, kRegisterPurpose, 0});
  for (auto& r : reg.records) {
    r.absence_percent = absence_percent_of(static_cast<State>(r.state), uniform53(e()));
  }
  return reg;
}

}  // namespace attendsim::models
