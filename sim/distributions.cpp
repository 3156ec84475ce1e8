#include "sim/distributions.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <cmath>
#include <limits>
#include <sstream>

#include "sim/error.hpp"

namespace attendsim {

double Distribution::quantile(double u) const {
  ATTENDSIM_REQUIRE(u > 0.0 && u < 1.0, "quantile needs u in (0,1), got " << u);
  namespace bm = boost::math;
  switch (kind) {
    case Kind::beta:
      return bm::quantile(bm::beta_distribution<>(args[0], args[1]), u);
    case Kind::gamma:
      return bm::quantile(bm::gamma_distribution<>(args[0], args[1]), u);
    case Kind::lognormal:
      return bm::quantile(bm::lognormal_distribution<>(args[0], args[1]), u);
    case Kind::normal:
      return bm::quantile(bm::normal_distribution<>(args[0], args[1]), u);
    case Kind::uniform:
      return args[0] + u * (args[1] - args[0]);
    case Kind::triangular:
      return bm::quantile(bm::triangular_distribution<>(args[0], args[1], args[2]), u);
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::beta:
      return args[0] / (args[0] + args[1]);
    case Kind::gamma:
      return args[0] * args[1];
    case Kind::lognormal:
      return std::exp(args[0] + 0.5 * args[1] * args[1]);
    case Kind::normal:
      return args[0];
    case Kind::uniform:
      return 0.5 * (args[0] + args[1]);
    case Kind::triangular:
      return (args[0] + args[1] + args[2]) / 3.0;
  }
  return 0.0;
}

double Distribution::central() const {
  return kind == Kind::lognormal ? std::exp(args[0]) : mean();
}

double Distribution::support_low() const {
  switch (kind) {
    case Kind::beta:
    case Kind::gamma:
    case Kind::lognormal:
      return 0.0;
    case Kind::normal:
      return -std::numeric_limits<double>::infinity();
    case Kind::uniform:
    case Kind::triangular:
      return args[0];
  }
  return 0.0;
}

double Distribution::support_high() const {
  switch (kind) {
    case Kind::beta:
      return 1.0;
    case Kind::gamma:
    case Kind::lognormal:
    case Kind::normal:
      return std::numeric_limits<double>::infinity();
    case Kind::uniform:
      return args[1];
    case Kind::triangular:
      return args[2];
  }
  return 0.0;
}

static const char* kind_name(Distribution::Kind k) {
  switch (k) {
    case Distribution::Kind::beta:
      return "beta";
    case Distribution::Kind::gamma:
      return "gamma";
    case Distribution::Kind::lognormal:
      return "lognormal";
    case Distribution::Kind::normal:
      return "normal";
    case Distribution::Kind::uniform:
      return "uniform";
    case Distribution::Kind::triangular:
      return "triangular";
  }
  return "?";
}

std::string Distribution::describe() const {
  std::ostringstream os;
  os << kind_name(kind) << "(";
  for (std::size_t i = 0; i < args.size(); ++i) os << (i ? ", " : "") << args[i];
  os << ")";
  return os.str();
}

bool parse_distribution_kind(const std::string& name, Distribution::Kind& out) {
  using K = Distribution::Kind;
  for (K k : {K::beta, K::gamma, K::lognormal, K::normal, K::uniform, K::triangular}) {
    if (name == kind_name(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

std::vector<std::string> distribution_arg_names(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::beta:
      return {"a", "b"};
    case Distribution::Kind::gamma:
      return {"shape", "scale"};
    case Distribution::Kind::lognormal:
      return {"mu", "sigma"};
    case Distribution::Kind::normal:
      return {"mean", "sd"};
    case Distribution::Kind::uniform:
      return {"low", "high"};
    case Distribution::Kind::triangular:
      return {"low", "mode", "high"};
  }
  return {};
}

std::string validate_distribution(const Distribution& d) {
  const auto& a = d.args;
  for (double v : a) {
    if (!std::isfinite(v)) return "distribution arguments must be finite";
    if (std::abs(v) > 1e15) return "distribution arguments must be at most 1e15 in size";
  }
  // Shape parameters beyond 1e6 (a beta or gamma narrower than any evidence supports) make
  // the quantile root finders fail to converge: refused, as is a shape below 1e-3.
  switch (d.kind) {
    case Distribution::Kind::beta:
      if (a[0] <= 0 || a[1] <= 0) return "beta needs a > 0 and b > 0";
      if (a[0] < 1e-3 || a[1] < 1e-3 || a[0] > 1e6 || a[1] > 1e6)
        return "beta needs a and b in [0.001, 1e6] (a narrower one is a fixed value)";
      break;
    case Distribution::Kind::gamma:
      if (a[0] <= 0 || a[1] <= 0) return "gamma needs shape > 0 and scale > 0";
      if (a[0] < 1e-3 || a[0] > 1e6)
        return "gamma needs shape in [0.001, 1e6] (a narrower one is a fixed value)";
      break;
    case Distribution::Kind::lognormal:
      if (a[1] <= 0) return "lognormal needs sigma > 0";
      if (a[1] > 10 || std::abs(a[0]) > 700) return "lognormal needs sigma <= 10 and |mu| <= 700";
      break;
    case Distribution::Kind::normal:
      if (a[1] <= 0) return "normal needs sd > 0";
      break;
    case Distribution::Kind::uniform:
      if (!(a[0] < a[1])) return "uniform needs low < high";
      break;
    case Distribution::Kind::triangular:
      if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]))
        return "triangular needs low <= mode <= high, low < high";
      break;
  }
  return "";
}

}  // namespace attendsim
