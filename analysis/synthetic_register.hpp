#pragma once
/// A register extract simulated from known parameters, for tests and demos (real registers
/// are confidential): `attendsim synth-register`.
///
/// The no-coordinator baseline of the model (models/simulation.hpp) is simulated for
/// `pupils` pupils over ceil(months / 12) years from September of `start_year`, with the
/// stream key {seed, 0, 0}, observed through its Trace; for each of the first `months`
/// calendar months that is a school month, every pupil present gets a record. A pupil who
/// leaves has no records after; the new entrant that takes a leaver's place in August is a
/// new pupil. Absence percent is drawn uniformly on the state's range at 0.1 % resolution
/// from the stream {seed, 0, 0, kRegisterPurpose, 0}, one output per record in record order,
/// so the simulation's own draws are untouched.
#include <cstdint>

#include "analysis/attendance_register.hpp"
#include "models/params.hpp"

namespace attendsim::models {

inline constexpr std::uint32_t kRegisterPurpose = 0x72656769U;  // "regi"

AttendanceRegister simulate_register(const ModelParams& params, int pupils, int months,
                                     std::uint64_t seed, int start_year = 2023);

/// An absence percent in the range of `state` from a uniform u in [0, 1), on a 0.1 % grid:
/// regular 0.0..9.9, worrying 10.0..19.9, high 20.0..50.0, extensive 50.1..100.0.
double absence_percent_of(State state, double u);

}  // namespace attendsim::models
