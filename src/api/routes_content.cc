// /v1/content: sign and verify content credentials (docs/c2pa.md). The asset
// travels as the raw request body, streamed by the server to a temporary file
// (Route::body_to_file) up to the configured content_max_body_bytes; a signed
// asset goes back the same way (Response::body_file).
#include <fstream>
#include <sstream>

#include "api/routes.h"
#include "api/temp_file.h"
#include "app/content/content_desk.h"
#include "base/encoding.h"

namespace vt::api {
namespace {

using app::ContentDesk;

std::string_view MediaType(c2pa::Container c, bool sidecar) {
  if (sidecar) return "application/c2pa";
  switch (c) {
    case c2pa::Container::kJpeg:
      return "image/jpeg";
    case c2pa::Container::kPng:
      return "image/png";
    case c2pa::Container::kWav:
      return "audio/wav";
    case c2pa::Container::kMp4:
      return "video/mp4";
    default:
      return "application/octet-stream";
  }
}

std::vector<std::string> SplitIds(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string id; std::getline(in, id, ',');)
    if (!id.empty()) out.push_back(id);
  return out;
}

// A read-only, seekable view of bytes [base, end) of a file: the asset part
// of a verify body that starts with a sidecar (position 0 is `base`).
class SliceBuf : public std::streambuf {
 public:
  SliceBuf(const std::string& path, std::streamoff base) : base_(base) {
    file_.open(path, std::ios::in | std::ios::binary);
    if (file_.is_open()) file_.pubseekpos(base_);
  }
  bool ok() const { return file_.is_open(); }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::streamsize n = file_.sgetn(buf_, sizeof(buf_));
    if (n <= 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
  }
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
    // The file position is ahead of the reader by what is still buffered.
    off_type cur = file_.pubseekoff(0, std::ios::cur) - base_ - (egptr() - gptr());
    off_type target = dir == std::ios::beg ? off : dir == std::ios::cur ? cur + off : -1;
    if (dir == std::ios::end) target = file_.pubseekoff(0, std::ios::end) - base_ + off;
    return seekpos(target, std::ios::in);
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode) override {
    if (pos < 0) return pos_type(off_type(-1));
    setg(buf_, buf_, buf_);
    if (file_.pubseekpos(base_ + off_type(pos)) == pos_type(off_type(-1)))
      return pos_type(off_type(-1));
    return pos;
  }

 private:
  std::filebuf file_;
  std::streamoff base_;
  char buf_[64 * 1024];
};

// The body as a stream: the streamed file, or the in-memory body (the CLI's
// local mode dispatches in process).
struct Body {
  explicit Body(const Request& req, std::streamoff skip = 0)
      : file(req.body_file.empty() ? nullptr : std::make_unique<SliceBuf>(req.body_file, skip)),
        mem(req.body_file.empty() ? req.raw_body.substr(std::min<size_t>(skip, req.raw_body.size()))
                                  : std::string()),
        in(file ? static_cast<std::streambuf*>(file.get()) : static_cast<std::streambuf*>(&mem)) {}
  std::unique_ptr<SliceBuf> file;
  std::stringbuf mem;
  std::istream in;
};

uint64_t BodySize(const Request& req) {
  if (req.body_file.empty()) return req.raw_body.size();
  std::ifstream f(req.body_file, std::ios::binary | std::ios::ate);
  return f ? static_cast<uint64_t>(f.tellg()) : 0;
}

StatusOr<app::ContentSignRequest> SignRequest(const Request& req);

StatusOr<Response> Sign(ContentDesk& desk, const Request& req) {
  VT_ASSIGN_OR_RETURN(app::ContentSignRequest in, SignRequest(req));
  Body body(req);
  VT_ASSIGN_OR_RETURN(std::string out_path, NewTempFile("signed"));
  TempFileGuard guard(out_path);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  VT_ASSIGN_OR_RETURN(auto w, desk.Sign(*req.principal, body.in, in, out));
  out.close();
  if (!out) return InternalError("cannot write the signed asset");
  Response res;
  res.status = 200;
  res.content_type = std::string(MediaType(w.value.container, in.sidecar));
  res.body_file = guard.Release();
  res.headers.emplace_back("X-Vtrust-Manifest", w.value.manifest_label);
  res.headers.emplace_back("X-Vtrust-Log-Index", std::to_string(w.value.log_index));
  res.headers.emplace_back("X-Vtrust-Signing", w.value.ToJson().dump());
  return res;
}

// The request fields shared by sign and the two holder-signing steps.
StatusOr<app::ContentSignRequest> SignRequest(const Request& req) {
  if (BodySize(req) == 0)
    return InvalidArgumentError("the asset is the request body").WithField("body");
  app::ContentSignRequest in;
  in.character_id = req.Query("as");
  if (in.character_id.empty())
    return InvalidArgumentError("query parameter 'as' is required").WithField("as");
  in.work_ids = SplitIds(req.Query("works"));
  in.sidecar = req.Query("sidecar") == "1" || req.Query("sidecar") == "true";
  in.title = req.Query("title");
  in.tsa_url = req.Query("tsa");
  return in;
}

StatusOr<Response> HolderPrepare(ContentDesk& desk, const Request& req) {
  VT_ASSIGN_OR_RETURN(app::ContentSignRequest in, SignRequest(req));
  Body body(req);
  VT_ASSIGN_OR_RETURN(auto w, desk.PrepareHolderSigning(*req.principal, body.in, in));
  Json j = {{"manifest", w.value.manifest_label},
            {"log_index", w.value.log_index},
            {"card_serial", w.value.card_serial},
            {"alg", w.value.alg},
            {"to_be_signed", Base64Encode(w.value.to_be_signed)}};
  return Response::Json(200, WithReceipts(std::move(j), w.receipts));
}

StatusOr<Response> HolderFinish(ContentDesk& desk, const Request& req) {
  VT_ASSIGN_OR_RETURN(app::ContentSignRequest in, SignRequest(req));
  int64_t index = -1;
  try {
    size_t used = 0;
    std::string n = req.Query("log_index");
    index = std::stoll(n, &used);
    if (used != n.size()) index = -1;
  } catch (const std::exception&) {
    index = -1;
  }
  if (index < 0)
    return InvalidArgumentError("query parameter 'log_index' (from prepare) is required")
        .WithField("log_index");
  auto signature = Base64UrlDecode(req.Query("signature"));
  if (!signature.ok() || signature->empty())
    return InvalidArgumentError("query parameter 'signature' (base64url) is required")
        .WithField("signature");
  Body body(req);
  VT_ASSIGN_OR_RETURN(std::string out_path, NewTempFile("signed"));
  TempFileGuard guard(out_path);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  VT_ASSIGN_OR_RETURN(
      app::ContentSignResult r,
      desk.FinishHolderSigning(*req.principal, body.in, in, index, *signature, out));
  out.close();
  if (!out) return InternalError("cannot write the signed asset");
  Response res;
  res.content_type = std::string(MediaType(r.container, in.sidecar));
  res.body_file = guard.Release();
  res.headers.emplace_back("X-Vtrust-Manifest", r.manifest_label);
  res.headers.emplace_back("X-Vtrust-Log-Index", std::to_string(r.log_index));
  res.headers.emplace_back("X-Vtrust-Signing", r.ToJson().dump());
  return res;
}

StatusOr<Response> Verify(ContentDesk& desk, const Request& req) {
  uint64_t size = BodySize(req);
  if (size == 0) return InvalidArgumentError("the asset is the request body").WithField("body");
  // ?sidecar_length=N: the body is the N-byte manifest store, then the asset.
  std::optional<std::string> sidecar;
  uint64_t skip = 0;
  if (std::string n = req.Query("sidecar_length"); !n.empty()) {
    try {
      size_t used = 0;
      skip = std::stoull(n, &used);
      if (used != n.size()) skip = size + 1;
    } catch (const std::exception&) {
      skip = size + 1;
    }
    if (skip > size)
      return InvalidArgumentError("sidecar_length exceeds the body").WithField("sidecar_length");
    if (skip > (64u << 20))
      return InvalidArgumentError("a manifest store is at most 64 MiB").WithField("sidecar_length");
    Body head(req);
    sidecar = std::string(skip, '\0');
    head.in.read(sidecar->data(), static_cast<std::streamsize>(skip));
    if (static_cast<uint64_t>(head.in.gcount()) != skip)
      return InternalError("cannot read the request body");
  }
  Body body(req, static_cast<std::streamoff>(skip));
  VT_ASSIGN_OR_RETURN(Json j, desk.Verify(body.in, sidecar));
  return Response::Json(200, j);
}

}  // namespace

void AddContentRoutes(Router& r, ContentDesk& content, size_t max_body_bytes) {
  ContentDesk* desk = &content;
  r.Add({.method = "POST",
         .path = "/v1/content/sign",
         .operation_id = "signContent",
         .summary = "Sign an asset (raw body) for a character: ?as=CHARACTER&works=W1,W2&sidecar=1",
         .tag = "content",
         .min_role = "member",
         .raw_body_type = "application/octet-stream",
         .max_body_bytes = max_body_bytes,
         .body_to_file = true,
         .handler = [desk](const Request& req) { return Sign(*desk, req); }});
  r.Add({.method = "POST",
         .path = "/v1/content/holder/prepare",
         .operation_id = "prepareHolderSigning",
         .summary = "Holder signing, step 1 (raw body, query as for sign): the bytes the card's "
                    "holder signs and the log_index handle",
         .tag = "content",
         .min_role = "member",
         .raw_body_type = "application/octet-stream",
         .max_body_bytes = max_body_bytes,
         .body_to_file = true,
         .handler = [desk](const Request& req) { return HolderPrepare(*desk, req); }});
  r.Add({.method = "POST",
         .path = "/v1/content/holder/finish",
         .operation_id = "finishHolderSigning",
         .summary = "Holder signing, step 2: the same asset, ?log_index=N&signature=BASE64URL; "
                    "the signed asset",
         .tag = "content",
         .min_role = "member",
         .raw_body_type = "application/octet-stream",
         .max_body_bytes = max_body_bytes,
         .body_to_file = true,
         .handler = [desk](const Request& req) { return HolderFinish(*desk, req); }});
  r.Add({.method = "POST",
         .path = "/v1/content/verify",
         .operation_id = "verifyContent",
         .summary =
             "Verify an asset's content credentials (raw body; ?sidecar_length=N: a .c2pa first)",
         .tag = "content",
         .access = Access::kPublic,
         .safe = true,
         .raw_body_type = "application/octet-stream",
         .max_body_bytes = max_body_bytes,
         .body_to_file = true,
         .handler = [desk](const Request& req) { return Verify(*desk, req); }});
}

}  // namespace vt::api
