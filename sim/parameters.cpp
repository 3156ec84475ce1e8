#include "sim/parameters.hpp"

#include <boost/math/distributions/gamma.hpp>
#include <cmath>
#include <sstream>

#include "sim/error.hpp"
#include "sim/streams.hpp"

namespace attendsim {

std::size_t ParameterSet::add(Parameter p) {
  ATTENDSIM_REQUIRE(!find(p.path).has_value(), "parameter '" << p.path << "' declared twice");
  params_.push_back(std::move(p));
  return params_.size() - 1;
}

std::size_t ParameterSet::add_dirichlet(const std::string& path, const std::string& file, int line,
                                        std::vector<std::size_t> members, double concentration) {
  ATTENDSIM_REQUIRE(concentration > 0, "Dirichlet concentration must be > 0");
  const int g = static_cast<int>(groups_.size());
  for (auto m : members) {
    ATTENDSIM_REQUIRE(params_.at(m).group < 0 && !params_.at(m).dist,
                      "parameter '" << params_.at(m).path << "' cannot be in a Dirichlet group");
    params_[m].group = g;
  }
  groups_.push_back({path, file, line, std::move(members), concentration});
  return groups_.size() - 1;
}

std::optional<std::size_t> ParameterSet::find(const std::string& path) const {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (params_[i].path == path) return i;
  }
  return std::nullopt;
}

bool ParameterSet::any_uncertain() const {
  return !groups_.empty() || !uncertain().empty();
}

std::vector<std::size_t> ParameterSet::uncertain() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (params_[i].dist) out.push_back(i);
  }
  return out;
}

void ParameterSet::set_fixed(std::size_t i, double value) {
  ATTENDSIM_REQUIRE(i < params_.size(), "parameter index out of range");
  ATTENDSIM_REQUIRE(params_[i].group < 0, "cannot fix a member of a Dirichlet row");
  params_[i].base = value;
  params_[i].dist.reset();
}

std::vector<double> ParameterSet::base_values() const {
  std::vector<double> v;
  v.reserve(params_.size());
  for (const auto& p : params_) v.push_back(p.base);
  return v;
}

static double open_uniform(std::uint64_t x) {
  return (static_cast<double>(x >> 11) + 0.5) * 0x1p-53;
}

std::vector<double> ParameterSet::sample(std::uint64_t seed, std::uint64_t draw) const {
  std::vector<double> v = base_values();
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    if (!p.dist) continue;
    Engine e = make_engine({seed, draw, 0, kParameterPurpose, stable_hash(p.path)});
    v[i] = p.dist->quantile(open_uniform(e()));
  }
  for (const auto& g : groups_) {
    Engine e = make_engine({seed, draw, 0, kParameterPurpose, stable_hash(g.path)});
    double sum = 0.0;
    std::vector<double> gam(g.members.size(), 0.0);
    for (std::size_t j = 0; j < g.members.size(); ++j) {
      const double u = open_uniform(e());  // always consumed: fixed draws per member
      const double alpha = g.concentration * params_[g.members[j]].base;
      if (alpha > 0) {
        gam[j] = boost::math::quantile(boost::math::gamma_distribution<>(alpha, 1.0), u);
      }
      sum += gam[j];
    }
    ATTENDSIM_REQUIRE(sum > 0, "Dirichlet group '" << g.path << "' has an all-zero row");
    for (std::size_t j = 0; j < g.members.size(); ++j) v[g.members[j]] = gam[j] / sum;
  }
  check_domain(v, "draw " + std::to_string(draw));
  return v;
}

bool in_domain(Domain d, double v, std::string& what) {
  if (!std::isfinite(v)) {
    what = "a finite number";
    return false;
  }
  switch (d) {
    case Domain::any:
      return true;
    case Domain::probability:
      what = "in [0, 1]";
      return v >= 0.0 && v <= 1.0;
    case Domain::positive:
      what = "> 0";
      return v > 0.0;
    case Domain::nonnegative:
      what = ">= 0";
      return v >= 0.0;
  }
  return true;
}

void ParameterSet::check_domain(const std::vector<double>& values,
                                const std::string& context) const {
  ATTENDSIM_REQUIRE(values.size() == params_.size(), "parameter vector has wrong size");
  for (std::size_t i = 0; i < params_.size(); ++i) {
    std::string what;
    if (!in_domain(params_[i].domain, values[i], what)) {
      const auto& p = params_[i];
      std::ostringstream os;
      os << p.file << ":" << p.line << ": key '" << p.path << "': must be " << what << ", but "
         << context << " gave " << values[i];
      if (p.dist) os << " (distribution " << p.dist->describe() << " reaches outside it)";
      throw InputError(os.str());
    }
  }
}

}  // namespace attendsim
