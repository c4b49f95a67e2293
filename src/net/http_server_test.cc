#include "net/http_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "net/http_client.h"

namespace vt::net {
namespace {

TEST(HttpServer, PostRoundTripAndStop) {
  HttpServerOptions o;
  o.max_body_bytes = 16;
  HttpServer server(o);
  server.Post("/echo", [](const HttpRequest& req) {
    return HttpResponse{202,
                        {{"Content-Type", "text/x.test"}, {"X-Path", req.path}},
                        req.content_type + "|" + req.body};
  });
  auto port = server.Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  Status served;
  std::thread t([&] { served = server.Serve(); });

  auto client = NewHttpClient("http://127.0.0.1:" + std::to_string(*port));
  ASSERT_TRUE(client.ok());
  StatusOr<HttpResponse> res = UnavailableError("not yet");
  for (int i = 0; i < 100 && !res.ok(); ++i) {  // until the server accepts
    res = (*client)->Post("/echo", "hi", "text/plain");
    if (!res.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 202);
  EXPECT_EQ(res->body, "text/plain|hi");
  EXPECT_EQ(res->Header("Content-Type"), "text/x.test");
  EXPECT_EQ(res->Header("X-Path"), "/echo");

  auto big = (*client)->Post("/echo", std::string(17, 'x'), "text/plain");
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->status, 413);
  auto missing = (*client)->Get("/echo");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);

  server.Stop();
  t.join();
  EXPECT_TRUE(served.ok()) << served.ToString();
}

TEST(HttpServer, BindBadAddressIsUnavailable) {
  HttpServer server;
  auto port = server.Bind("203.0.113.1", 0);  // TEST-NET-3: not an address of this host
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().code(), StatusCode::kUnavailable);
}

// A second server on a port another one holds must fail, not share the port.
TEST(HttpServer, BindTakenPortIsUnavailable) {
  HttpServer first;
  auto port = first.Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  HttpServer second;
  auto again = second.Bind("127.0.0.1", *port);
  ASSERT_FALSE(again.ok()) << "bound port " << *port << " twice";
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(again.status().message().find("address in use"), std::string::npos)
      << again.status().ToString();
}

}  // namespace
}  // namespace vt::net
