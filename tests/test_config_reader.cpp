#include <gtest/gtest.h>

#include "sim/config.hpp"
#include "sim/error.hpp"

using attendsim::InputError;
using attendsim::config::Document;
using attendsim::config::TableReader;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ConfigReader, NamesFileLineAndKeyOnWrongType) {
  auto doc = Document::parse("[a]\nx = 1.5\ny = \"no\"\n", "cfg.toml");
  TableReader root(doc);
  auto a = root.table("a");
  EXPECT_DOUBLE_EQ(a.number("x"), 1.5);
  const auto msg = error_of([&] { a.number("y"); });
  EXPECT_NE(msg.find("cfg.toml:3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("a.y"), std::string::npos) << msg;
}

TEST(ConfigReader, UnknownKeyIsRejectedWithItsLine) {
  auto doc = Document::parse("x = 1\n\nzz = 2\n", "c.toml");
  TableReader root(doc);
  root.number("x");
  const auto msg = error_of([&] { root.finish(); });
  EXPECT_NE(msg.find("c.toml:3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'zz'"), std::string::npos) << msg;
}

TEST(ConfigReader, MissingKeyNamed) {
  auto doc = Document::parse("[t]\nx = 1\n", "m.toml");
  TableReader root(doc);
  auto t = root.table("t");
  const auto msg = error_of([&] { t.number("p"); });
  EXPECT_NE(msg.find("missing key 't.p'"), std::string::npos) << msg;
}

TEST(ConfigReader, SyntaxErrorHasLine) {
  const auto msg = error_of([] { Document::parse("a = 1\nb = [1,\n", "s.toml"); });
  EXPECT_NE(msg.find("s.toml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("syntax"), std::string::npos) << msg;
}

TEST(ConfigReader, UnreadableFile) {
  const auto msg = error_of([] { Document::load("/nonexistent/x.toml"); });
  EXPECT_NE(msg.find("/nonexistent/x.toml"), std::string::npos) << msg;
}
