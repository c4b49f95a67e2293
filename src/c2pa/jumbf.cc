// JUMBF boxes (ISO/IEC 19566-5 §A, C2PA 2.2 §11.1).
#include "c2pa/jumbf_internal.h"

#include "c2pa/bytes_internal.h"

namespace vt::c2pa::jumbf {
namespace {

constexpr std::string_view kUuidSuffix("\x00\x11\x00\x10\x80\x00\x00\xAA\x00\x38\x9B\x71", 12);

Status Malformed(std::string_view what, size_t offset) {
  return InvalidArgumentError("JUMBF: " + std::string(what) + " at offset " +
                              std::to_string(offset));
}

// Reads one box header at `pos`; sets the header and total sizes.
Status ReadHeader(std::string_view data, size_t pos, uint64_t* header, uint64_t* total) {
  if (data.size() - pos < 8) return Malformed("truncated box header", pos);
  uint64_t lbox = ReadU32(data, pos);
  *header = 8;
  if (lbox == 1) {
    if (data.size() - pos < 16) return Malformed("truncated XLBox", pos);
    lbox = ReadU64(data, pos + 8);
    *header = 16;
  } else if (lbox == 0) {
    lbox = data.size() - pos;
  }
  if (lbox < *header) return Malformed("box size smaller than its header", pos);
  if (lbox > data.size() - pos) return Malformed("box runs past the end", pos);
  *total = lbox;
  return OkStatus();
}

StatusOr<SuperBox> Parse(std::string_view data, int depth) {
  if (depth > kMaxDepth) return InvalidArgumentError("JUMBF: superboxes nested too deeply");
  VT_ASSIGN_OR_RETURN(std::vector<Box> top, SplitBoxes(data));
  if (top.size() != 1 || top[0].type != "jumb") return Malformed("expected one jumb box", 0);
  SuperBox sb;
  sb.whole = data;
  sb.body = top[0].payload;
  VT_ASSIGN_OR_RETURN(std::vector<Box> inner, SplitBoxes(sb.body));
  if (inner.empty() || inner[0].type != "jumd") return Malformed("jumb without jumd first", 0);
  std::string_view d = inner[0].payload;
  if (d.size() < 18) return Malformed("jumd too short", 0);
  sb.uuid = std::string(d.substr(0, 16));
  sb.toggles = static_cast<uint8_t>(d[16]);
  if (sb.toggles & 0x02) {
    size_t nul = d.find('\0', 17);
    if (nul == std::string_view::npos) return Malformed("jumd label not NUL-terminated", 0);
    sb.label = std::string(d.substr(17, nul - 17));
  }
  for (size_t i = 1; i < inner.size(); ++i) {
    if (inner[i].type == "jumb") {
      VT_ASSIGN_OR_RETURN(SuperBox child, Parse(inner[i].whole, depth + 1));
      sb.children.push_back(std::move(child));
    } else {
      sb.contents.push_back(inner[i]);
    }
  }
  return sb;
}

}  // namespace

std::string TypeUuid(std::string_view fourcc) {
  return std::string(fourcc) + std::string(kUuidSuffix);
}

std::string MakeBox(std::string_view type, std::string_view payload) {
  std::string out;
  AppendU32(&out, static_cast<uint32_t>(8 + payload.size()));
  out.append(type);
  out.append(payload);
  return out;
}

std::string MakeSuperBox(std::string_view type_4cc, std::string_view label,
                         const std::vector<std::string>& contents) {
  std::string jumd = TypeUuid(type_4cc);
  jumd.push_back(static_cast<char>(kDefaultToggles));
  jumd.append(label);
  jumd.push_back('\0');
  std::string body = MakeBox("jumd", jumd);
  for (const auto& c : contents) body += c;
  return MakeBox("jumb", body);
}

const SuperBox* SuperBox::Child(std::string_view want) const {
  for (const auto& c : children) {
    if (c.label == want) return &c;
  }
  return nullptr;
}

std::string SuperBox::TypeCode() const {
  if (uuid.size() != 16 || std::string_view(uuid).substr(4) != kUuidSuffix) return "";
  return uuid.substr(0, 4);
}

StatusOr<std::vector<Box>> SplitBoxes(std::string_view data) {
  std::vector<Box> out;
  size_t pos = 0;
  while (pos < data.size()) {
    uint64_t header = 0, total = 0;
    VT_RETURN_IF_ERROR(ReadHeader(data, pos, &header, &total));
    Box b;
    b.type = std::string(data.substr(pos + 4, 4));
    b.whole = data.substr(pos, total);
    b.payload = b.whole.substr(header);
    out.push_back(std::move(b));
    pos += total;
  }
  return out;
}

StatusOr<SuperBox> ParseSuperBox(std::string_view data) { return Parse(data, 0); }

}  // namespace vt::c2pa::jumbf
