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

// A temporary file that a process ending at once (a second ^C,
// collect/signals) must not leave behind, as git's tempfile registers its
// own: remove_registered_temporaries() unlinks it while registered.  The
// owner still removes or commits it as usual; a path too long for the
// registry, or more than it holds at once (4096), is not registered.
class RegisteredTemporary {
public:
    explicit RegisteredTemporary(const std::string& path);
    ~RegisteredTemporary();
    RegisteredTemporary(const RegisteredTemporary&) = delete;
    RegisteredTemporary& operator=(const RegisteredTemporary&) = delete;

private:
    int m_slot;
};

// Unlinks every registered temporary file.  Async-signal-safe.
void remove_registered_temporaries();

}  // namespace clusterp
