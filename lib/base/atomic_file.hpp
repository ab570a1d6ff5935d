// Files that appear whole or not at all: written to a temporary file in the
// same directory, flushed, then renamed over the target, so that a crash or
// a full disk never leaves a half-written result where a good one was.
#pragma once

#include <string>

namespace clusterp {

// Writes `content` to PATH atomically, creating PATH's parent directories.
// mode: the permissions of a new file.  Throws Error: 73 when the directory
// or file cannot be created, 74 when writing fails (disk full).
void write_file_atomically(const std::string& path, const std::string& content, unsigned mode = 0644);

// A temporary name beside PATH for a caller that fills the file itself and
// then calls commit_file (e.g. a download); unique per process and thread.
std::string temporary_path_for(const std::string& path);
// Flushes TMP to disk and renames it to PATH.  Throws Error (74).
void commit_file(const std::string& tmp, const std::string& path);

}  // namespace clusterp
