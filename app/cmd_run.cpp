/// `attendsim run CONFIG`: one configured scenario against the no-coordinator baseline.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/run_options.hpp"
#include "io/commands.hpp"
#include "io/config_schema.hpp"
#include "sim/error.hpp"

namespace attendsim::app {

void add_run_command(CLI::App& root, Action& action) {
  struct Args {
    ConfigArgs config;
    models::ExperimentOptions opt;
  };
  auto args = std::make_shared<Args>();
  args->opt.reads_municipalities = true;
  auto* sub = root.add_subcommand(
      "run", "Simulate the configured scenario against the no-coordinator baseline");
  add_experiment_options(sub, args->config, args->opt,
                         "output folder (default: results/CONFIG-DATE-TIME)");
  sub->add_option("--lang", args->opt.lang,
                  "language of decision.md, written for a config of [[municipalities]]: sv or en "
                  "(default sv, as report)");
  sub->callback([args, sub, &action] {
    const bool lang_given = sub->count("--lang") > 0;
    action = [args, lang_given] {
      const auto cfg = args->config.load();
      // decision.md of run is the municipalities' side by side: without them --lang would
      // do nothing, and an option that does nothing is refused, not ignored.
      if (lang_given && cfg.municipalities.empty())
        ATTENDSIM_INPUT_ERROR(cfg.file << ": --lang: run writes decision.md only for a config of "
                                          "[[municipalities]], and this config has none; "
                                          "`attendsim compare CONFIG --lang "
                                       << args->opt.lang
                                       << "` writes the decision brief of its scenarios");
      models::run_command(cfg, args->opt, std::cout);
      return 0;
    };
  });
}

}  // namespace attendsim::app
