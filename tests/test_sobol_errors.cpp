// Which Sobol failures are the user's and which are bugs. An output that the chosen parameters
// do not move is reported as not identifiable (a status, not an exception); a malformed call
// (wrong output count) is a PreconditionError, which the analysis no longer turns into an
// input error (global_sensitivity.cpp caught std::exception and exited 2): it reaches main as
// a bug (exit 1).
#include <gtest/gtest.h>

#include <vector>

#include "sim/error.hpp"
#include "sim/sobol.hpp"

TEST(SobolErrors, AConstantOutputIsNotIdentifiableNotAnError) {
  const std::vector<double> y(4 * 5, 1.0);  // N = 4, d = 3: N (d + 2) = 20 equal outputs
  attendsim::SobolResult r;
  EXPECT_NO_THROW(r = attendsim::sobol_indices(y, 4, 3));
  EXPECT_FALSE(r.identifiable);
}

TEST(SobolErrors, AMalformedCallIsAPreconditionErrorNotAnInputError) {
  const std::vector<double> short_y(7, 1.0);  // N (d + 2) = 20 needed
  EXPECT_THROW((void)attendsim::sobol_indices(short_y, 4, 3), attendsim::PreconditionError);
  const std::vector<double> y(2 * 5 * 4, 1.0);
  EXPECT_THROW((void)attendsim::sobol_indices_randomised(y, 4, 3, 1), attendsim::PreconditionError);
  try {
    (void)attendsim::sobol_indices(short_y, 4, 3);
  } catch (const attendsim::InputError&) {
    ADD_FAILURE() << "a malformed call surfaced as an input error (exit 2)";
  } catch (...) {
  }
}
