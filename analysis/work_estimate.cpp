#include "analysis/work_estimate.hpp"

#include <algorithm>
#include <sstream>
#include <thread>

#include "models/count_chain.hpp"
#include "models/simulation.hpp"

namespace attendsim::models {

double simulated_pupils(const ModelConfig& cfg) {
  if (cfg.municipalities.empty()) return cfg.structure.population.pupils;
  double pupils = 0;
  for (const auto& m : cfg.municipalities) pupils += m.pupils;
  return pupils;
}

double largest_population(const ModelConfig& cfg) {
  if (cfg.municipalities.empty()) return cfg.structure.population.pupils;
  double largest = 0;
  for (const auto& m : cfg.municipalities) largest = std::max<double>(largest, m.pupils);
  return largest;
}

double sobol_rows_in_flight_bytes(const ModelConfig& cfg, int threads, double rows) {
  const int t =
      threads > 0 ? threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const double in_flight = std::min(static_cast<double>(t), std::max(rows, 1.0));
  // The engine the row runs (global_sensitivity.cpp, as experiment_work): the count path holds
  // cells; the hybrid, at most every pupil as an individual, records its baselines as the
  // individual engine does (record_hybrid_baseline), so the individual engine's figures bound it.
  if (on_count_path(cfg)) {
    const auto& pop = cfg.structure.population;
    return in_flight * static_cast<double>(count_cells(pop.grade_min, pop.grade_max)) *
           kCountBytesPerCell;
  }
  const double months = 12.0 * cfg.structure.horizon_years;
  const double per_pupil =
      64 + kSobolRecordsPerRow * months * kSobolRecordHighMonthShare * sizeof(HighMonth);
  return in_flight * largest_population(cfg) * per_pupil;
}

WorkEstimate experiment_work(const ModelConfig& cfg, const RunOptions& opt, double units,
                             std::size_t scenarios, const std::string& what,
                             const std::string& lower) {
  const double months = 12.0 * cfg.structure.horizon_years;
  const double per_scenario = months * 8 * 4 + 40 * 8 + cfg.structure.horizon_years * 8 + 200;
  const double n_scenarios = static_cast<double>(scenarios);
  const double pupils = simulated_pupils(cfg);
  WorkEstimate e;
  // Each municipality of a [[municipalities]] config keeps its own results.
  const double populations =
      static_cast<double>(std::max<std::size_t>(1, cfg.municipalities.size()));
  e.bytes = units * (n_scenarios * populations * per_scenario + 200);
  // In flight: one unit per thread, of the largest population.
  const double largest = largest_population(cfg);
  // Bytes per pupil in flight: at most 64 whether or not a baseline is recorded, since the
  // record keeps no draws (Philox regenerates them; tests/memory_in_flight.cpp asserts < 64).
  const double per_pupil_unit = 64;
  const int threads = opt.threads > 0
                          ? opt.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  // The count-based path holds cells, not pupils (models/count_chain.hpp).
  const auto& pop = cfg.structure.population;
  const double cells = static_cast<double>(count_cells(pop.grade_min, pop.grade_max));
  // The hybrid (count_based with coordinators, models/hybrid_chain.hpp) holds as individuals
  // only the pupils ever in high or extensive absence: the individual engine's figures bound it.
  const bool counts = on_count_path(cfg);
  const double in_flight = std::min(static_cast<double>(threads), std::max(units, 1.0)) *
                           (counts ? cells * kCountBytesPerCell : largest * per_pupil_unit);
  const bool in_flight_dominates = in_flight > e.bytes;
  e.bytes += in_flight;
  std::ostringstream os;
  os.precision(3);
  if (counts) {
    // One count-based replication per unit and population serves every scenario: its cells'
    // months at the count path's rate, and each scenario's fixed cost.
    e.thread_seconds = units * (populations * cells * months / kCountCellMonthsPerThreadSecond +
                                n_scenarios * kSecondsPerUnitScenario);
    os << what << " x " << scenarios
       << " scenario(s), count-based: " << static_cast<long long>(populations * cells)
       << " cells x " << static_cast<long long>(months) << " months ("
       << static_cast<long long>(pupils) << " pupils)";
  } else {
    e.thread_seconds = units * n_scenarios *
                       (pupils * months / kPupilMonthsPerThreadSecond + kSecondsPerUnitScenario);
    os << what << " x " << scenarios << " scenario(s) x " << static_cast<long long>(pupils)
       << " pupils x " << static_cast<long long>(months) << " months";
  }
  e.what = os.str();
  e.lower = lower;
  // Memory held mostly by the pupils in flight: fewer threads, or no baseline record.
  if (in_flight_dominates) e.lower += std::string(e.lower.empty() ? "" : ", ") + "--threads";
  return e;
}

WorkEstimate traced_work(double runs, double pupils, double months, int threads,
                         const std::string& what, const std::string& lower) {
  WorkEstimate e;
  e.bytes =
      std::min(static_cast<double>(std::max(threads, 1)), runs) * pupils * ((months + 2) * 16 + 4);
  e.thread_seconds =
      runs * (pupils * months / kTracedPupilMonthsPerThreadSecond + kSecondsPerTracedRun);
  std::ostringstream os;
  os.precision(3);
  os << what << " x " << static_cast<long long>(pupils) << " pupils x "
     << static_cast<long long>(months) << " months, traced";
  e.what = os.str();
  e.lower = lower;
  return e;
}

}  // namespace attendsim::models
