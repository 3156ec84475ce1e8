// An example program built against the installed attendsim package (find_package(attendsim)):
// loads a config, runs its scenario against the baseline on one thread, and prints the mean
// net benefit as summary.csv would ("SCENARIO,net_benefit_sek,MEAN").
//   consumer CONFIG REPLICATIONS SEED
#include <cstdlib>
#include <iostream>

#include "analysis/experiment.hpp"
#include "io/config_schema.hpp"
#include "io/results_writer.hpp"
#include "sim/error.hpp"
#include "sim/output.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: consumer CONFIG REPLICATIONS SEED\n";
    return 2;
  }
  using namespace attendsim;
  try {
    const auto cfg = models::load_model_config(argv[1]);
    models::RunOptions opt;
    opt.replications = std::atoi(argv[2]);
    opt.seed = std::strtoull(argv[3], nullptr, 10);
    opt.draws = 1;
    opt.threads = 1;
    const auto res = models::run_experiment(cfg, models::baseline_and_configured(cfg), opt);
    const auto metric = res.metric_index("net_benefit_sek");
    std::cout << res.scenarios[1].name << ",net_benefit_sek,"
              << format_number(models::metric_summary(res, 1, metric).mean) << "\n";
    return 0;
  } catch (const InputError& e) {
    std::cerr << "consumer: " << e.what() << "\n";
    return 2;
  }
}
