#include "io/json_input.hpp"

#include <set>
#include <vector>

#include "sim/error.hpp"

namespace attendsim::models {

nlohmann::ordered_json parse_json_input(const std::string& text, const std::string& file) {
  using json = nlohmann::ordered_json;
  // One entry per open object or array: the object's keys so far and its current key.
  struct Open {
    bool object = false;
    std::set<std::string> keys;
    std::string key;
  };
  std::vector<Open> open;
  auto path = [&] {
    std::string p;
    for (const auto& o : open) {
      if (!o.object) {
        p += "[]";
        continue;
      }
      p += (p.empty() ? "" : ".") + o.key;
    }
    return p;
  };
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open.push_back({true, {}, {}});
        break;
      case json::parse_event_t::array_start:
        open.push_back({false, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        break;
      case json::parse_event_t::key: {
        auto& o = open.back();
        o.key = parsed.get<std::string>();
        if (!o.keys.insert(o.key).second)
          ATTENDSIM_INPUT_ERROR(file << ": key '" << path() << "' given twice");
        break;
      }
      case json::parse_event_t::value:
        break;
    }
    return true;
  };
  try {
    return json::parse(text, check);
  } catch (const json::exception& e) {  // parse_error, or out_of_range: a number past double
    ATTENDSIM_INPUT_ERROR(file << ": not valid JSON: " << e.what());
  }
}

}  // namespace attendsim::models
