#pragma once
/// What a run of the model costs, estimated before it starts (sim/work_limit.hpp): the memory of
/// its per-unit results and the pupil-months it simulates, at a fixed throughput per thread.
///
/// Throughputs: CPU-time rates measured on the development machine (Release, 2026-12-02),
/// rounded up, so that an estimated time is rather low than high (docs/methods.md, "Limits"):
/// - kPupilMonthsPerThreadSecond: pupil-months of run_experiment, counted as
///   pupil_months_simulated counts them (a scenario replayed from the recorded baseline counts
///   in full, though only its pupils in cases are simulated);
/// - kTracedPupilMonthsPerThreadSecond: pupil-months of a traced simulation (every pupil's state
///   kept each month: calibrate's fit report and target calibration).
#include <cstddef>
#include <string>

#include "analysis/experiment.hpp"
#include "analysis/model_config.hpp"
#include "sim/work_limit.hpp"

namespace attendsim::models {

inline constexpr double kPupilMonthsPerThreadSecond = 2e8;
/// Cell-months per second and thread of the count-based path ([simulation] count_based,
/// models/count_chain.hpp: one replication serves every scenario, and its cost is per cell and
/// month, not per pupil). Measured with `attendsim run --threads 1` of bench/national_counts.toml
/// (728 cells x 120 months) at 200 replications, CPU time less a one-replication run, load 4-5,
/// 2026-12-02: 48 ns per cell-month at 10 000 pupils, 95 at 145 000, 136 at 1.45 million, 164
/// at 14.5 million (the binomials' cost grows with the counts, to a bound: BTRD). Rounded up as
/// the other rates are.
inline constexpr double kCountCellMonthsPerThreadSecond = 1e7;
/// Bytes of one count-based replication in flight per cell (its counts, the next step's, the
/// outcome's series; measured: peak RSS 12 MB for the whole process at 10 000 and at 14.5
/// million pupils).
inline constexpr double kCountBytesPerCell = 64;
/// Fixed seconds of one unit of one scenario besides its pupil-months (parameters realised,
/// results folded): measured 0.2 ms for 200 pupils over 5 years at load 10, set at 0.1 ms.
inline constexpr double kSecondsPerUnitScenario = 1e-4;
inline constexpr double kTracedPupilMonthsPerThreadSecond = 3e7;
/// Fixed seconds of one traced run besides its pupil-months (parameters realised, the trace
/// allocated and folded): measured 0.6 ms per fit draw of a 300-pupil register, set at 0.5 ms.
inline constexpr double kSecondsPerTracedRun = 5e-4;
/// Row-point terms per second and thread of the Sobol bootstrap (sim/sobol.cpp: per resample
/// and output, the estimators over N rows of d + 2 design points).
inline constexpr double kSobolBootstrapTermsPerThreadSecond = 1e8;

/// Share of pupil-months a Sobol row's baseline record keeps as a HighMonth (32 bytes: the
/// months in high or extensive absence, replayed under other detection parameters;
/// models/simulation.hpp). Measured about 8 % on the reference and on configs/sweden.toml
/// (2026-12-03: a national ten-parameter Sobol unit peaks at 537 MB on one thread, against
/// 81 MB for a national replication of `run`); set at 10 %.
inline constexpr double kSobolRecordHighMonthShare = 0.10;
/// Baseline records a Sobol row holds at once per thread (A's recorded, B's derived or recorded).
inline constexpr double kSobolRecordsPerRow = 2;

/// Pupils of one simulated population: the config's, or all its municipalities' together.
double simulated_pupils(const ModelConfig& cfg);

/// Pupils of the largest population a unit holds at a time: the config's, or its largest
/// municipality's.
double largest_population(const ModelConfig& cfg);

/// Memory of the Sobol rows in flight: one row per thread (at most `rows` at once), each on the
/// config's engine (docs/methods.md §8.5): on the individual engine the largest population's
/// pupils (64 bytes each, as experiment_work) and kSobolRecordsPerRow baseline records of it
/// with their HighMonths; on the count path its cells (kCountBytesPerCell each); on the hybrid
/// the pupils alone (64 bytes each: it records no baseline).
double sobol_rows_in_flight_bytes(const ModelConfig& cfg, int threads, double rows);

/// `units` simulated units (a draw x replication, a design point x replication, ...) of
/// `scenarios` scenarios each over the config's horizon, run with `opt`'s threads: the memory
/// of their kept results (occupancy series, metrics and yearly net benefit of every scenario)
/// plus the pupils in flight (one unit per thread at a time, at most 64 bytes per pupil with or
/// without a recorded baseline: tests/memory_in_flight.cpp), and the time of their pupil-months.
/// `what` names the units ("100 draws x 2 replications"), `lower` the options that shrink them.
WorkEstimate experiment_work(const ModelConfig& cfg, const RunOptions& opt, double units,
                             std::size_t scenarios, const std::string& what,
                             const std::string& lower);

/// `runs` traced simulations of `pupils` pupils over `months` months, each run's trace held
/// by one of `threads` threads at a time (16 bytes per pupil-month).
WorkEstimate traced_work(double runs, double pupils, double months, int threads,
                         const std::string& what, const std::string& lower);

}  // namespace attendsim::models
