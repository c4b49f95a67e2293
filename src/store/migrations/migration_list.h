// The migrations of store/migrations/migrations.cc, one function per version,
// each defined in its own file v<NNN>_<name>.cc. Released migrations never change
// (existing databases must migrate the same); a new schema change is a new file.
#pragma once

#include <string>

#include "store/sql.h"

namespace vt::app::migrations {

// Replaces every %BLOB% placeholder of `sql` with the dialect's binary column type
// (BLOB on SQLite, BYTEA on PostgreSQL).
std::string Dialect(std::string sql, bool postgres);

// Version 1: tenants and access (orgs, members, api_tokens).
store::Migration V001TenantsAndAccess();
// Version 2: the transparency log (log_entries, log_tiles, log_state).
store::Migration V002TransparencyLog();
// Version 3: characters and certificates.
store::Migration V003CharactersAndCertificates();
// Version 4: works and rights.
store::Migration V004WorksAndRights();
// Version 5: the certification authority.
store::Migration V005CertificationAuthority();
// Version 6: agreements, transfers and licences.
store::Migration V006AgreementsTransfersLicences();
// Version 7: revenue, settlement runs, ledger and statements.
store::Migration V007RevenueSettlementLedger();
// Version 8: log storage: entry bundles and edge tiles.
store::Migration V008LogBundlesAndEdgeTiles();
// Version 9: the "I am me" replay set (used challenges).
store::Migration V009UsedChallenges();
// Version 10: openings of the commitments in log entries.
store::Migration V010LogCommitments();

}  // namespace vt::app::migrations
