// How the CLI reaches vtrust: in-process on a data directory (local mode, acting
// as the operator's admin, since whoever holds the directory holds every key), or
// over HTTP (remote mode, with a bearer token). Both speak the same route table.
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/jcs.h"
#include "base/rng.h"
#include "base/status.h"

namespace vt::cli {

struct ApiReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class Client {
 public:
  virtual ~Client() = default;
  // Sends a request; `body` empty means none, else it is of media type
  // `content_type`. Transport failures are Unavailable.
  virtual StatusOr<ApiReply> Send(const std::string& method, const std::string& path,
                                  const std::string& body,
                                  const std::string& content_type = "application/json") = 0;
  // Sends the file `body_path` as the body. With a 2xx reply and a non-empty
  // `out_path`, the reply body goes to that file (ApiReply::body stays
  // empty); otherwise it is in ApiReply::body. Local mode streams both ways
  // through files (large assets never sit in memory); remote mode reads the
  // file into memory (the HTTP client sends strings).
  virtual StatusOr<ApiReply> SendFile(const std::string& method, const std::string& path,
                                      const std::string& body_path, const std::string& content_type,
                                      const std::string& out_path);
  // Sends JSON and expects JSON back. A problem document becomes a Status whose
  // code follows the HTTP status and whose message is the problem's detail.
  StatusOr<Json> Call(const std::string& method, const std::string& path,
                      const Json& body = nullptr);
};

// Remote: `server` like "http://127.0.0.1:8080".
StatusOr<std::unique_ptr<Client>> RemoteClient(const std::string& server, const std::string& token);
// Local: opens the data directory (the server may be running on it at the same time;
// SQLite serializes the writers).
// `clock` and `rng` must outlive the client.
StatusOr<std::unique_ptr<Client>> LocalClient(const std::string& data_dir, const Clock& clock,
                                              Rng& rng);

}  // namespace vt::cli
