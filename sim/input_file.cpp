#include "sim/input_file.hpp"

#include <fstream>

#include "sim/error.hpp"

namespace attendsim {

std::string read_input_file(const std::filesystem::path& path, std::size_t max_bytes,
                            const char* what) {
  namespace fs = std::filesystem;
  const std::string name = path.string();
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st))
    ATTENDSIM_INPUT_ERROR(name << ": cannot read the " << what << ": no such file");
  if (fs::is_directory(st))
    ATTENDSIM_INPUT_ERROR(name << ": cannot read the " << what << ": it is a directory");
  if (!fs::is_regular_file(st)) {
    ATTENDSIM_INPUT_ERROR(name << ": cannot read the " << what
                               << ": not a regular file (a device, pipe or socket)");
  }
  const auto size = fs::file_size(path, ec);
  auto too_large = [&] {
    if (max_bytes >= (std::size_t{1} << 20)) {
      ATTENDSIM_INPUT_ERROR(name << ": more than the " << (max_bytes >> 20) << " MiB a " << what
                                 << " can have");
    }
    ATTENDSIM_INPUT_ERROR(name << ": more than the " << max_bytes << " bytes a " << what
                               << " can have");
  };
  if (!ec && size > max_bytes) too_large();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    ATTENDSIM_INPUT_ERROR(name << ": cannot read the " << what
                               << ": permission denied or unreadable");
  // Reads at most max_bytes + 1 bytes, in chunks, so a file that grows while read is refused
  // without holding more than the limit.
  std::string text;
  text.reserve(ec ? 0 : static_cast<std::size_t>(size));
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    if (text.size() + got > max_bytes) too_large();
    text.append(buf, got);
  }
  if (in.bad()) ATTENDSIM_INPUT_ERROR(name << ": cannot read the " << what << ": I/O error");
  return text;
}

}  // namespace attendsim
