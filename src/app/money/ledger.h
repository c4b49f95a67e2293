// The double-entry ledger (docs/settlement.md, "Settlement runs and the ledger").
//
// One ledger per currency: accounts revenue:<agreement>:<CUR> (the outside world:
// goes negative by what was received), collection:<agreement>:<CUR>,
// payable:<agreement>:<payee>:<CUR> and hold:<agreement>:<payee>:<CUR>. A
// movement moves a positive amount from its debit account to its credit account;
// balance = credits - debits. Ledger rows are never updated or deleted (database
// triggers refuse it); corrections are reversing movements. Thread-safe: pure
// functions over the repository given.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/jcs.h"
#include "base/status.h"
#include "store/money/money_repo.h"

namespace vt::app {

using store::LedgerAccount;
using store::LedgerAccountKind;
using store::LedgerMovement;
using store::MovementKind;

LedgerAccount RevenueAccount(const std::string& agreement_id, const std::string& currency);
LedgerAccount CollectionAccount(const std::string& agreement_id, const std::string& currency);
LedgerAccount PayableAccount(const std::string& agreement_id, const std::string& payee,
                             const std::string& currency);
LedgerAccount HoldAccount(const std::string& agreement_id, const std::string& payee,
                          const std::string& currency);

// The JSON of a movement as the API shows it ({"id", "run", "seq", "kind", ...}).
Json MovementToJson(const LedgerMovement& m);

// Appends `movements` through `repo` (bulk inserts). InvalidArgument if an amount
// is not > 0 or a movement's two accounts are the same; nothing is written then.
Status PostMovements(store::MoneyWriter& repo, const std::vector<LedgerMovement>& movements,
                     const std::string& now);
// Balance (credits - debits) per account over `movements`, summed exactly;
// OutOfRange if a balance leaves ±kMaxAmount (docs/settlement.md "Money").
StatusOr<std::map<std::string, int64_t>> Balances(const std::vector<LedgerMovement>& movements);
// Reads the run's movements back and checks sum(debits) == sum(credits) per
// currency and that the `collection` account nets to zero. Internal error otherwise.
Status CheckRunBalanced(store::MoneyReader& repo, const std::string& run_id,
                        const std::string& collection);

}  // namespace vt::app
