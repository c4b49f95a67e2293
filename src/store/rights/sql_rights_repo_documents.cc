// The SQL rights repository: transfers, licences and signatures (rights_repo.h).
#include "base/jcs.h"
#include "store/rights/sql_rights_repo_internal.h"

namespace vt::store {
namespace {

constexpr const char* kDocCols =
    "hash, work_id, kind, right_type, exclusive, document, status, effective_at, created_at, "
    "log_index";

StatusOr<WorkDocumentRow> DocFromRow(const Row& r) {
  WorkDocumentRow d;
  d.hash = r.Text(0);
  d.work_id = r.Text(1);
  auto kind = ParseDocumentKind(r.Text(2));
  auto status = ParseDocumentStatus(r.Text(6));
  if (!kind || !status) return InternalError("work document " + d.hash + " is corrupt");
  d.kind = *kind;
  d.right_type = r.Text(3);
  d.exclusive = r.Int(4) != 0;
  d.document = r.Text(5);
  d.status = *status;
  d.effective_at = r.OptText(7);
  d.created_at = r.Text(8);
  d.log_index = r.OptInt(9);
  return d;
}

StatusOr<std::vector<WorkDocumentRow>> Docs(const std::vector<Row>& rows) {
  std::vector<WorkDocumentRow> out;
  for (const auto& r : rows) {
    VT_ASSIGN_OR_RETURN(WorkDocumentRow d, DocFromRow(r));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

StatusOr<std::optional<WorkDocumentRow>> SqlRightsRepo::FindWorkDocument(std::string_view work_id,
                                                                         std::string_view hash) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kDocCols +
                                              " FROM work_documents WHERE hash = ? AND "
                                              "work_id = ?",
                                          {Text(hash), Text(work_id)}));
  if (rows.empty()) return std::optional<WorkDocumentRow>();
  VT_ASSIGN_OR_RETURN(WorkDocumentRow d, DocFromRow(rows[0]));
  return std::optional<WorkDocumentRow>(std::move(d));
}

StatusOr<std::vector<WorkDocumentRow>> SqlRightsRepo::ListWorkDocuments(std::string_view work_id) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kDocCols +
                                              " FROM work_documents WHERE work_id = ? "
                                              "ORDER BY created_at, hash",
                                          {Text(work_id)}));
  return Docs(rows);
}

StatusOr<std::vector<WorkDocumentRow>> SqlRightsRepo::ListLicences(std::string_view work_id,
                                                                   std::string_view right_type) {
  VT_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kDocCols +
                                              " FROM work_documents WHERE work_id = ? AND kind = "
                                              "'licence' AND right_type = ? ORDER BY created_at",
                                          {Text(work_id), Text(right_type)}));
  return Docs(rows);
}

StatusOr<std::vector<SignatureRow>> SqlRightsRepo::ListSignatures(std::string_view hash) {
  VT_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT signer_member, parties, cert_serial, signature, signed_at "
                               "FROM signatures WHERE document_hash = ? ORDER BY signed_at, "
                               "signer_member",
                               {Text(hash)}));
  std::vector<SignatureRow> out;
  for (const auto& r : rows) {
    SignatureRow s{std::string(hash), r.Text(0), {}, r.Text(2), r.Bytes(3), r.Text(4)};
    auto parties = ParseJsonStrict(r.Text(1));
    if (!parties.ok() || !parties->is_array())
      return InternalError("signature record of " + std::string(hash) + " is corrupt");
    for (const auto& p : *parties) s.parties.push_back(p.get<std::string>());
    out.push_back(std::move(s));
  }
  return out;
}

Status SqlRightsRepo::InsertWorkDocument(const WorkDocumentRow& d) {
  return c_
      .Exec(
          "INSERT INTO work_documents(hash,work_id,kind,right_type,exclusive,document,"
          "status,created_at,created_by) VALUES(?,?,?,?,?,?,?,?,?)",
          {d.hash, d.work_id, std::string(DocumentKindName(d.kind)), d.right_type,
           int64_t{d.exclusive}, d.document, std::string(DocumentStatusName(d.status)),
           d.created_at, d.created_by})
      .status();
}

Status SqlRightsRepo::MarkWorkDocumentEffective(std::string_view hash,
                                                const std::string& effective_at) {
  return c_
      .Exec(
          "UPDATE work_documents SET status = 'effective', effective_at = ? "
          "WHERE hash = ?",
          {effective_at, Text(hash)})
      .status();
}

Status SqlRightsRepo::InsertSignature(const SignatureRow& s) {
  return c_
      .Exec(
          "INSERT INTO signatures(document_hash,signer_member,parties,cert_serial,signature,"
          "signed_at) VALUES(?,?,?,?,?,?)",
          {s.document_hash, s.signer_member, Json(s.parties).dump(), s.cert_serial,
           Blob{s.signature}, s.signed_at})
      .status();
}

}  // namespace vt::store
