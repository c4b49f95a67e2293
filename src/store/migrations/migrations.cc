#include "store/migrations/migrations.h"

#include "store/migrations/migration_list.h"

namespace vt::app {

namespace migrations {

std::string Dialect(std::string sql, bool postgres) {
  const std::string blob = postgres ? "BYTEA" : "BLOB";
  for (size_t p; (p = sql.find("%BLOB%")) != std::string::npos;) sql.replace(p, 6, blob);
  return sql;
}

}  // namespace migrations

const std::vector<store::Migration>& Migrations() {
  static const std::vector<store::Migration> kAll = {
      migrations::V001TenantsAndAccess(),
      migrations::V002TransparencyLog(),
      migrations::V003CharactersAndCertificates(),
      migrations::V004WorksAndRights(),
      migrations::V005CertificationAuthority(),
      migrations::V006AgreementsTransfersLicences(),
      migrations::V007RevenueSettlementLedger(),
      migrations::V008LogBundlesAndEdgeTiles(),
      migrations::V009UsedChallenges(),
      migrations::V010LogCommitments(),
  };
  return kAll;
}

}  // namespace vt::app
