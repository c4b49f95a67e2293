// Helpers for the interop tests that run real tools (openssl, certtool,
// certutil/vfychain) against certificates vtrust writes. Header-only; tests only.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace vt::x509::interop {

struct RunResult {
  int code = -1;
  std::string out;  // stdout and stderr
};

// Runs `cmd` through /bin/sh with stderr folded into stdout.
inline RunResult Sh(const std::string& cmd) {
  RunResult r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A fresh directory under $TMPDIR (or /tmp), removed on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vtrust-x509-XXXXXX";
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
    EXPECT_FALSE(path_.empty());
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  // Writes `data` to `name` inside the directory; returns the full path.
  std::string Write(const std::string& name, const std::string& data) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }
  std::string Read(const std::string& name) const {
    std::ifstream f(path_ + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// What each tool did with each algorithm, printed as a Markdown table at the
// end of the run (and written to $VTRUST_INTEROP_REPORT if set), so that
// docs/interop.md is filled from observations.
class Observations {
 public:
  static Observations& Get() {
    static Observations o;
    return o;
  }
  void Record(const std::string& check, const std::string& alg, bool accepted,
              const std::string& note = "") {
    std::lock_guard<std::mutex> lock(mu_);
    rows_.push_back("| " + check + " | " + alg + " | " + (accepted ? "accepts" : "rejects") +
                    " | " + note + " |");
  }
  std::string Table() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string t = "| check | alg | observed | note |\n|---|---|---|---|\n";
    for (const auto& r : rows_) t += r + "\n";
    return t;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> rows_;
};

class ReportEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::string table = Observations::Get().Table();
    printf("\nInterop observations:\n%s", table.c_str());
    if (const char* path = getenv("VTRUST_INTEROP_REPORT")) std::ofstream(path) << table;
  }
};

// First line of the tool's output, for notes.
inline std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  for (char& c : line) {
    if (c == '|') c = '/';
  }
  return line.size() > 90 ? line.substr(0, 90) + "..." : line;
}

// The first line containing `needle` (else the first line), for notes.
inline std::string LineWith(const std::string& s, const std::string& needle) {
  size_t at = s.find(needle);
  if (at == std::string::npos) return FirstLine(s);
  size_t start = s.rfind('\n', at);
  return FirstLine(s.substr(start == std::string::npos ? 0 : start + 1));
}
inline std::string ErrorLine(const std::string& s) { return LineWith(s, "error"); }

}  // namespace vt::x509::interop
