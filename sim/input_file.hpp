#pragma once
// One bounded reader for every input file (configs, registers, targets, draws, results).
//
// A path that is missing, a directory, a device, a pipe or a socket, that cannot be opened, or
// that holds more than the stated number of bytes is an InputError naming the file; nothing is
// read past the limit, so `/dev/zero` or a growing file cannot exhaust memory.

#include <cstddef>
#include <filesystem>
#include <string>

namespace attendsim {

/// Reads the whole regular file at `path`, at most `max_bytes` bytes. `what` names the file's
/// role in messages ("config file", "register file"...). Throws InputError otherwise.
std::string read_input_file(const std::filesystem::path& path, std::size_t max_bytes,
                            const char* what);

/// Limits used by the readers (bytes).
inline constexpr std::size_t kMaxConfigBytes = std::size_t{8} << 20;
inline constexpr std::size_t kMaxTableBytes = std::size_t{1} << 30;  // registers, draws
inline constexpr std::size_t kMaxResultsBytes = std::size_t{256} << 20;

}  // namespace attendsim
